/**
 * Documents travel with the application: a residence permit with three documents handed in at a
 * running kiosk (its calls, its queue), each sealed as its own part, delivered to the reference
 * portal on loopback and opened there: purposes, pages and hashes as the terminal made them. The
 * receipt lists what was handed in and what is still missing.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DocumentsState, PageAnswer } from '../../../api/documents.ts';
import type { JourneyState } from '../../../api/forms.ts';
import { loadConfig } from '../../../core/config.ts';
import { defaultCatalog } from '../../../core/documents/locale.ts';
import type { Kiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import { startKiosk } from '../../../core/start.ts';
import type { FiledDocument } from '../../../portal/documents.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { pageOnDesk } from '../../fixtures/capture/synthetic.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { pinnedKioskEnv } from '../../support/kiosk-terminal.ts';
import { pdfFileText } from '../../support/pdf.ts';

let portal: RunningPortal;
let dataDir: string;
let printed: string;
let kiosk: Kiosk;

beforeAll(async () => {
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 14 });
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-documents-'));
  printed = mkdtempSync(join(tmpdir(), 'kiosk-documents-printed-'));
  const env = { ...pinnedKioskEnv(portal, dataDir), KIOSK_PRINTER_KIND: 'file', KIOSK_PRINTER_DIR: printed };
  const config = loadConfig({ env });
  kiosk = await startKiosk(
    { ...config, portal: { ...config.portal, url: portal.url } },
    { log: silentLogger, enrolmentCode: portal.createEnrolmentCode(), env },
  );
  await kiosk.started;
});

afterAll(async () => {
  await kiosk?.close();
  await portal?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(printed, { recursive: true, force: true });
});

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const answer = (await kiosk.router.dispatch(name, input)) as
    | { ok: true; value: T }
    | { ok: false; error: { code: string } };
  if (!answer.ok) throw new Error(`${name}: ${answer.error.code}`);
  return answer.value;
}

const permitAnswers: Record<string, Record<string, unknown>> = {
  request: {
    currentTitle: 'visa',
    request: 'permit',
    applicantRole: 'self',
    permitRequest: 'extend',
    currentTitleExpiry: '2027-01-20',
    purpose: 'other',
    purposeDescription: 'Forschung',
  },
  personal: {
    lastName: 'Silva',
    firstNames: 'Ana',
    birthDate: '1998-07-04',
    nationality: 'BRA',
    documentNumber: 'FX1234567',
    sex: 'F',
  },
  background: {
    birthPlace: 'Recife',
    birthCountry: 'BRA',
    maritalStatus: 'single',
    previousStays: 'no',
    healthInsurance: 'statutory',
    housing: 'rented',
  },
  record: { convictions: 'no', expulsions: 'no' },
  timeliness: { fictionCertificate: 'no' },
  address: {
    street: 'Königstraße',
    houseNumber: '12/1',
    postcode: '90402',
    city: 'Nürnberg',
    phone: '+49 911 5550123',
  },
  photo: { photoSource: 'station' },
  card: { pickupBy: 'self' },
  declarations: { truthful: true, privacy: true },
};

const flat = (text: string) => text.normalize('NFKC').replace(/[\s\u2066-\u2069-]/gu, '');

describe('documents handed in with a residence permit, to the portal and opened there', () => {
  it('delivers three documents as sealed parts whose purposes, pages and hashes match', async () => {
    const page = await pageOnDesk();
    const other = await pageOnDesk({ colour: true });
    const blurred = await sharp(page).blur(6).jpeg({ quality: 92 }).toBuffer();
    await call('session.start', { language: 'de' });
    let state = await call<JourneyState>('journey.start', { serviceId: 'residence-permit' });
    // every step the journey shows, up to the declarations, which come after the documents
    while (state.step.id !== 'declarations') {
      const next = await call<JourneyState>('journey.step', { values: permitAnswers[state.step.id] ?? {} });
      if (next.step.id === state.step.id)
        throw new Error(`stuck at ${state.step.id}: ${JSON.stringify(next.errors)}`);
      state = next;
    }
    const list = await call<DocumentsState>('documents.list');
    expect(list.items.map((i) => i.itemId)).toEqual([
      'passport',
      'currentTitle',
      'incomeInsurance',
      'tenancy',
      'purposeDocuments',
    ]);
    const add = (itemId: string, image: Buffer) =>
      call<PageAnswer>('documents.addPage', { itemId, image: image.toString('base64') });
    expect((await add('passport', other)).accepted).toBe(true);
    expect(await add('incomeInsurance', blurred)).toMatchObject({ accepted: false, problems: ['blurred'] });
    expect((await add('incomeInsurance', page)).accepted).toBe(true);
    expect((await add('incomeInsurance', other)).accepted).toBe(true);
    expect((await add('tenancy', page)).accepted).toBe(true);
    await call('documents.later', { itemId: 'currentTitle', later: true });

    await call('journey.step', { values: permitAnswers.declarations });
    const receipt = await call<{ trackingNumber: string; print: { state: string } }>('journey.submit');
    expect(receipt.print.state).toBe('printed');
    // sealed and queued: the pages left the session's memory
    const after = await call<DocumentsState>('documents.list');
    expect(after.items.every((i) => i.pages.length === 0 && i.state === 'open')).toBe(true);
    expect(after.bytes).toBe(0);

    const submission = await vi.waitFor(
      () => {
        const found = portal.submissions().find((s) => s.trackingNumber === receipt.trackingNumber);
        if (found?.state !== 'delivered') throw new Error('not delivered yet');
        return found;
      },
      { timeout: 20_000, interval: 100 },
    );
    const headers = { authorization: `Bearer ${portal.adminToken}` };
    const listed = await fetch(`${portal.url}/admin/v1/submissions/${submission.submissionId}/documents`, {
      headers,
    });
    expect(listed.status).toBe(200);
    const { documents } = (await listed.json()) as { documents: FiledDocument[] };
    expect(documents.map((d) => [d.purpose, d.partId, d.mediaType])).toEqual([
      ['passport', 'document-passport.pdf', 'application/pdf'],
      ['incomeInsurance', 'document-incomeInsurance.pdf', 'application/pdf'],
      ['tenancy', 'document-tenancy.pdf', 'application/pdf'],
    ]);
    const pages: Record<string, number> = {};
    for (const d of documents) {
      const res = await fetch(
        `${portal.url}/admin/v1/submissions/${submission.submissionId}/documents/${d.partId}`,
        { headers },
      );
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(bytes.byteLength).toBe(d.size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(d.sha256);
      pages[d.purpose] = (await PDFDocument.load(bytes)).getPageCount();
    }
    expect(pages).toEqual({ passport: 1, incomeInsurance: 2, tenancy: 1 });
    expect(portal.documents(submission.submissionId)).toEqual(documents);

    // the receipt: handed in (with page counts), still missing
    const files = readdirSync(printed);
    expect(files).toHaveLength(1);
    const text = flat(await pdfFileText(join(printed, files[0] ?? '')));
    const de = defaultCatalog().german;
    const handedIn = text.indexOf(flat(de.receipt.handedIn));
    const missing = text.indexOf(flat(de.receipt.stillMissing));
    expect(handedIn).toBeGreaterThan(0);
    expect(missing).toBeGreaterThan(handedIn);
    expect(text.slice(handedIn, missing)).toContain(flat(`${de.checklist.incomeInsurance} (Seiten: 2)`));
    expect(text.slice(handedIn, missing)).toContain(flat(de.checklist.tenancy));
    expect(text.slice(missing)).toContain(flat(de.checklist.currentTitle));
    expect(text.slice(missing)).toContain(flat(de.checklist.purposeDocuments));
    expect(text.slice(missing, missing + 600)).not.toContain(flat(de.checklist.tenancy));
  });

  it('answers the admin routes only with the token, and 404 for what is not there', async () => {
    const base = `${portal.url}/admin/v1/submissions`;
    expect((await fetch(`${base}/nothing/documents`)).status).toBe(401);
    const headers = { authorization: `Bearer ${portal.adminToken}` };
    expect((await fetch(`${base}/nothing/documents`, { headers })).status).toBe(404);
    const id = portal.submissions()[0]?.submissionId ?? '';
    // the summary is the terminal's own paper, not a document handed in
    expect((await fetch(`${base}/${id}/documents/summary.pdf`, { headers })).status).toBe(404);
    expect((await fetch(`${base}/${id}/documents/..%2Fx`, { headers })).status).toBe(400);
  });
});
