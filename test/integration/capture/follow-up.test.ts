/**
 * Documents handed in later: a running kiosk (its calls, its queue) and the reference portal on
 * loopback. A case the authority moved to documents_missing is looked up, the documents it misses
 * are offered (the case named by hand, by the receipt's QR, or filled in from a status answer),
 * two are captured and delivered as a follow-up that the portal files under the case
 * (purposes and hashes as the terminal signed them, a signed documents_received event). An
 * unknown case is refused at the lookup; a follow-up for a case that no longer waits is refused
 * by the portal and kept in the terminal's quarantine; one made offline is delivered once.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DocumentsState, PageAnswer } from '../../../api/documents.ts';
import type { JourneyState } from '../../../api/forms.ts';
import { loadConfig } from '../../../core/config.ts';
import { trackingQrPayload } from '../../../core/documents/index.ts';
import { defaultCatalog } from '../../../core/documents/locale.ts';
import type { Kiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import { startKiosk } from '../../../core/start.ts';
import type { CaseSubmission } from '../../../portal/follow-ups.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import {
  type CaseEvent,
  type CaseEventDetails,
  FOLLOW_UP_SERVICE,
  type FollowUpData,
} from '../../../sync/protocol/index.ts';
import { pageOnDesk } from '../../fixtures/capture/synthetic.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { pinnedKioskEnv } from '../../support/kiosk-terminal.ts';
import { pdfFileText } from '../../support/pdf.ts';

let portal: RunningPortal;
let dataDir: string;
let printed: string;
let kiosk: Kiosk;
let page: Buffer;
const BIRTH_DATE = '1990-03-12';

beforeAll(async () => {
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 15 });
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-follow-up-'));
  printed = mkdtempSync(join(tmpdir(), 'kiosk-follow-up-printed-'));
  const env = {
    ...pinnedKioskEnv(portal, dataDir),
    KIOSK_PRINTER_KIND: 'file',
    KIOSK_PRINTER_DIR: printed,
    KIOSK_SIMULATE_READERS: 'true',
  };
  const config = loadConfig({ env });
  kiosk = await startKiosk(
    { ...config, portal: { ...config.portal, url: portal.url } },
    { log: silentLogger, enrolmentCode: portal.createEnrolmentCode(), env },
  );
  await kiosk.started;
  page = await pageOnDesk();
});

afterAll(async () => {
  await kiosk?.close();
  await portal?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(printed, { recursive: true, force: true });
});

type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string } };

async function attempt<T>(name: string, input: unknown = {}): Promise<Answer<T>> {
  return (await kiosk.router.dispatch(name, input)) as Answer<T>;
}

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const answer = await attempt<T>(name, input);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.code}`);
  return answer.value;
}

const admin = () => ({ authorization: `Bearer ${portal.adminToken}`, 'content-type': 'application/json' });

/** A counter case moved to documents_missing (and on, where `then` says). */
async function caseMissing(documents: string[], then: CaseEventDetails[] = []): Promise<string> {
  const created = await fetch(`${portal.url}/admin/v1/cases`, {
    method: 'POST',
    headers: admin(),
    body: JSON.stringify({ origin: 'counter', serviceId: 'residence-permit', birthDate: BIRTH_DATE }),
  });
  const { caseReference } = (await created.json()) as { caseReference: string };
  for (const details of [{ status: 'received' }, { status: 'documents_missing', documents }, ...then]) {
    const moved = await fetch(`${portal.url}/admin/v1/cases/${caseReference}/events`, {
      method: 'POST',
      headers: admin(),
      body: JSON.stringify(details),
    });
    expect(moved.status).toBe(200);
  }
  return caseReference;
}

/** Starts the follow-up and names the case: the step's answer. */
async function nameCase(reference: string, birthDate = BIRTH_DATE): Promise<JourneyState> {
  await call('session.start', { language: 'de' });
  await call('journey.start', { serviceId: 'documents-followup' });
  return call<JourneyState>('journey.step', { values: { trackingNumber: reference, birthDate } });
}

async function caseInfo(reference: string): Promise<{ status: string; events: CaseEvent[] }> {
  const res = await fetch(`${portal.url}/admin/v1/cases/${reference}`, { headers: admin() });
  return (await res.json()) as { status: string; events: CaseEvent[] };
}

const flat = (text: string) => text.normalize('NFKC').replace(/[\s\u2066-\u2069-]/gu, '');

describe('documents handed in later, filed under the case at the portal', () => {
  it('offers what the case misses and files two documents under it, hashes and purposes matching', async () => {
    const reference = await caseMissing(['incomeInsurance', 'tenancy', 'photoCode', 'payslips']);
    const state = await nameCase(reference);
    expect(state.errors).toEqual({});
    // the papers the case misses (the photo code is checked at the authority, not scanned)
    const list = await call<DocumentsState>('documents.list');
    expect(list.items.map((i) => i.itemId)).toEqual(['incomeInsurance', 'tenancy', 'payslips']);
    const de = defaultCatalog().german;
    expect(list.items.map((i) => i.label)).toEqual([
      expect.stringContaining(de.checklist.incomeInsurance.slice(0, 20)),
      expect.stringContaining(de.checklist.tenancy.slice(0, 20)),
      expect.stringContaining(de.checklist.payslips.slice(0, 20)),
    ]);
    const add = (itemId: string) =>
      call<PageAnswer>('documents.addPage', { itemId, image: page.toString('base64') });
    expect((await add('incomeInsurance')).accepted).toBe(true);
    expect((await add('tenancy')).accepted).toBe(true);
    expect((await add('tenancy')).accepted).toBe(true);
    await call('documents.later', { itemId: 'payslips', later: true });

    const receipt = await call<{ kind: string; trackingNumber: string; print: { state: string } }>(
      'journey.submit',
    );
    expect(receipt).toMatchObject({ kind: 'receipt', print: { state: 'printed' } });
    // a second tap gets nothing new
    expect((await attempt('journey.submit')).ok).toBe(false);

    const submission = await vi.waitFor(
      () => {
        const found = portal.submissions().find((s) => s.trackingNumber === receipt.trackingNumber);
        if (found?.state !== 'delivered') throw new Error('not delivered yet');
        return found;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(submission.serviceId).toBe('documents-followup');
    const info = await caseInfo(reference);
    expect(info.status).toBe('documents_received');
    expect(info.events.at(-1)).toMatchObject({
      status: 'documents_received',
      documents: ['incomeInsurance', 'tenancy'],
      followUp: receipt.trackingNumber,
    });

    const listed = await fetch(`${portal.url}/admin/v1/cases/${reference}/documents`, { headers: admin() });
    expect(listed.status).toBe(200);
    const filed = (await listed.json()) as { caseReference: string; submissions: CaseSubmission[] };
    expect(filed.caseReference).toBe(reference);
    expect(filed.submissions).toHaveLength(1);
    const [followUp] = filed.submissions;
    expect(followUp).toMatchObject({ kind: 'follow-up', trackingNumber: receipt.trackingNumber });
    expect(followUp?.documents.map((d) => d.purpose)).toEqual(['incomeInsurance', 'tenancy']);
    for (const d of followUp?.documents ?? []) {
      const res = await fetch(
        `${portal.url}/admin/v1/submissions/${followUp?.submissionId}/documents/${d.partId}`,
        { headers: admin() },
      );
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(d.sha256);
    }

    // the receipt: the case, what was handed in, what is still missing, the follow-up's number
    const files = readdirSync(printed);
    expect(files).toHaveLength(1);
    const text = flat(await pdfFileText(join(printed, files[0] ?? '')));
    expect(text).toContain(flat(reference));
    expect(text).toContain(flat(receipt.trackingNumber));
    const handedIn = text.indexOf(flat(de.receipt.handedIn));
    const missing = text.indexOf(flat(de.status.missingHeading));
    expect(handedIn).toBeGreaterThan(0);
    expect(missing).toBeGreaterThan(handedIn);
    expect(text.slice(handedIn, missing)).toContain(flat(`${de.checklist.tenancy} (Seiten: 2)`));
    expect(text.slice(missing)).toContain(flat(de.checklist.payslips));
    expect(text.slice(missing)).toContain(flat(de.checklist.photoCode));
  });

  it('starts from a status answer that says documents are missing with the case filled in', async () => {
    const reference = await caseMissing(['tenancy']);
    await call('session.start', { language: 'en' });
    await call('journey.start', { serviceId: 'application-status' });
    await call('journey.step', { values: { trackingNumber: reference, birthDate: BIRTH_DATE } });
    const answer = await call<{ status: string; handInService: string | null }>('journey.submit');
    expect(answer).toMatchObject({ status: 'documents_missing', handInService: 'documents-followup' });
    const started = await call<JourneyState>('journey.start', { serviceId: 'documents-followup' });
    expect(started.values).toEqual({ trackingNumber: reference, birthDate: BIRTH_DATE });
    // another service starts without the case, and a new session forgets it
    const other = await call<JourneyState>('journey.start', { serviceId: 'callback-request' });
    expect(other.values).not.toHaveProperty('birthDate');
    expect(other.values).not.toHaveProperty('trackingNumber');
    await call('session.end');
    await call('session.start', { language: 'en' });
    const fresh = await call<JourneyState>('journey.start', { serviceId: 'documents-followup' });
    expect(fresh.values).toEqual({ trackingNumber: null, birthDate: null });
  });

  it("takes the case from the receipt's QR read by the barcode reader", async () => {
    const terminal = kiosk.terminal();
    if (!terminal) throw new Error('no terminal');
    // a request made at a terminal: its case has the receipt's tracking number (a residence permit
    // would need its whole data set, which the portal checks; a call-back needs none)
    const trackingNumber = terminal.reserveTrackingNumber();
    const application = await terminal.submit({
      serviceId: 'callback-request',
      trackingNumber,
      data: { serviceId: 'callback-request', applicant: { birthDate: BIRTH_DATE }, values: {} },
      attachments: [],
    });
    expect(application.ok).toBe(true);
    await vi.waitFor(
      () => {
        const found = portal.submissions().find((s) => s.trackingNumber === trackingNumber);
        if (found?.state !== 'delivered') throw new Error('not delivered yet');
      },
      { timeout: 20_000, interval: 100 },
    );
    const moved = await fetch(`${portal.url}/admin/v1/cases/${trackingNumber}/events`, {
      method: 'POST',
      headers: admin(),
      body: JSON.stringify({ status: 'documents_missing', documents: ['passport'] }),
    });
    expect(moved.status).toBe(200);

    await call('session.start', { language: 'tr' });
    await call('journey.start', { serviceId: 'documents-followup' });
    const filled = new Promise<JourneyState>((resolve) => {
      const off = kiosk.events.subscribe((event) => {
        if (event.name === 'journey.updated' && event.payload.values.trackingNumber === trackingNumber) {
          off();
          resolve(event.payload);
        }
      });
    });
    expect(kiosk.simulator?.scan(trackingQrPayload(trackingNumber)).ok).toBe(true);
    await filled;
    expect((await call<JourneyState>('journey.step', { values: { birthDate: BIRTH_DATE } })).errors).toEqual(
      {},
    );
    const list = await call<DocumentsState>('documents.list');
    expect(list.items.map((i) => i.itemId)).toEqual(['passport']);
    await call('session.end');
  });

  it('tells the visitor at the lookup when no case matches or none waits for documents', async () => {
    const reference = await caseMissing(['tenancy']);
    expect((await nameCase(reference, '1990-03-13')).errors).toEqual({ trackingNumber: 'case_not_found' });
    expect((await nameCase('ABH-2026-999999')).errors).toEqual({ trackingNumber: 'case_not_found' });
    const reviewed = await caseMissing(['tenancy'], [{ status: 'in_review' }]);
    expect((await nameCase(reviewed)).errors).toEqual({ trackingNumber: 'case_not_awaiting_documents' });
    // nothing to capture, nothing to submit
    expect((await attempt('journey.submit')).ok).toBe(false);
  });

  it('a follow-up for a case that stopped waiting is refused by the portal and kept, not lost', async () => {
    const reference = await caseMissing(['tenancy']);
    expect((await nameCase(reference)).errors).toEqual({});
    expect(
      (await call<PageAnswer>('documents.addPage', { itemId: 'tenancy', image: page.toString('base64') }))
        .accepted,
    ).toBe(true);
    // the authority moves on between the lookup and the follow-up's delivery
    const moved = await fetch(`${portal.url}/admin/v1/cases/${reference}/events`, {
      method: 'POST',
      headers: admin(),
      body: JSON.stringify({ status: 'in_review' }),
    });
    expect(moved.status).toBe(200);
    const receipt = await call<{ trackingNumber: string }>('journey.submit');
    // the terminal keeps the sealed follow-up in its quarantine for staff
    const quarantined = await vi.waitFor(
      () => {
        const item = kiosk
          .terminal()
          ?.status()
          .quarantined.find((q) => q.trackingNumber === receipt.trackingNumber);
        if (item === undefined) throw new Error('not quarantined yet');
        return item;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(quarantined.lastErrorCode).toBe('case.transition');
    expect(portal.submission(quarantined.submissionId)).toMatchObject({
      state: 'rejected',
      rejectCode: 'case.transition',
    });
    expect((await caseInfo(reference)).status).toBe('in_review');
  });

  it('the portal refuses a follow-up naming an unknown case or another birth date', async () => {
    const terminal = kiosk.terminal();
    if (!terminal) throw new Error('no terminal');
    const reference = await caseMissing(['tenancy']);
    const named = [
      { case: { caseReference: 'ABH-2026-999998' }, birthDate: BIRTH_DATE },
      { case: { caseReference: reference }, birthDate: '1990-03-13' },
    ];
    const numbers: string[] = [];
    for (const { case: which, birthDate } of named) {
      const trackingNumber = terminal.reserveTrackingNumber();
      numbers.push(trackingNumber);
      const queued = await terminal.submit({
        serviceId: FOLLOW_UP_SERVICE,
        trackingNumber,
        data: {
          serviceId: FOLLOW_UP_SERVICE,
          kind: 'follow-up',
          case: which,
          applicant: { birthDate },
          documents: ['tenancy'],
          stillMissing: [],
          language: 'de',
        } satisfies FollowUpData,
        attachments: [
          { partId: 'document-tenancy.png', mediaType: 'image/png', content: page, checklistItem: 'tenancy' },
        ],
      });
      expect(queued.ok).toBe(true);
    }
    const refused = await vi.waitFor(
      () => {
        const items = (kiosk.terminal()?.status().quarantined ?? []).filter((q) =>
          numbers.includes(q.trackingNumber),
        );
        if (items.length < 2) throw new Error('not refused yet');
        return items;
      },
      { timeout: 20_000, interval: 100 },
    );
    for (const item of refused) {
      expect(item.lastErrorCode).toBe('case.not_found');
      expect(portal.submission(item.submissionId)).toMatchObject({
        state: 'rejected',
        rejectCode: 'case.not_found',
      });
    }
    expect((await caseInfo(reference)).status).toBe('documents_missing');
  });

  it('a follow-up made while the portal is away is delivered once when it is back', async () => {
    const reference = await caseMissing(['tenancy', 'incomeInsurance']);
    expect((await nameCase(reference)).errors).toEqual({});
    expect(
      (await call<PageAnswer>('documents.addPage', { itemId: 'tenancy', image: page.toString('base64') }))
        .accepted,
    ).toBe(true);
    portal.setFaults({ down: true });
    const receipt = await call<{ trackingNumber: string; queued: boolean }>('journey.submit');
    await kiosk.terminal()?.syncNow();
    expect(portal.submissions().some((s) => s.trackingNumber === receipt.trackingNumber)).toBe(false);
    expect(kiosk.terminal()?.status().quarantined ?? []).not.toContainEqual(
      expect.objectContaining({ trackingNumber: receipt.trackingNumber }),
    );
    portal.setFaults({ down: false });
    await kiosk.terminal()?.syncNow();
    await vi.waitFor(
      () => {
        const found = portal.submissions().filter((s) => s.trackingNumber === receipt.trackingNumber);
        if (found[0]?.state !== 'delivered') throw new Error('not delivered yet');
      },
      { timeout: 30_000, interval: 100 },
    );
    await kiosk.terminal()?.syncNow();
    const info = await caseInfo(reference);
    expect(info.events.filter((e) => e.status === 'documents_received')).toHaveLength(1);
    expect(
      portal
        .submissions()
        .filter((s) => s.serviceId === 'documents-followup' && s.trackingNumber === receipt.trackingNumber),
    ).toHaveLength(1);
  });
});
