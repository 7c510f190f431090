import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JourneyResult, KioskEvent } from '../../../api/contract.ts';
import type { JourneyState } from '../../../api/forms.ts';
import { configSchema } from '../../../core/config.ts';
import { createKiosk, type Kiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import { FilePrinter } from '../../../core/printing/index.ts';
import type { AssembledTerminal } from '../../../sync/terminal.ts';
import { pdfText } from '../../support/pdf.ts';
import { applicationWith, makeRig, type Rig } from '../sync/setup.ts';

/**
 * The status lookup through the kiosk's contract against a real reference portal: the case moved
 * by the portal's administrator, looked up by tracking number, case reference or the invitation
 * letter's QR, shown in the visitor's language, corrected without starting over, and printed.
 */

const BIRTH = '1986-04-12';
let rig: Rig;
let terminal: AssembledTerminal;
let kiosk: Kiosk;
let printed: string;
let dataDir: string;
let events: KioskEvent[];

beforeEach(async () => {
  rig = await makeRig();
  terminal = await rig.open();
  printed = mkdtempSync(join(tmpdir(), 'kiosk-printed-'));
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-status-'));
  const config = configSchema.parse({
    dataDir,
    portal: { url: rig.portal.url, allowLoopbackHttp: true },
    readers: { simulate: true },
  });
  kiosk = createKiosk(config, {
    terminal,
    printer: new FilePrinter({ dir: printed, now: () => new Date() }),
    log: silentLogger,
  });
  events = [];
  kiosk.events.subscribe((event) => events.push(event));
  await kiosk.started;
});

afterEach(async () => {
  await kiosk.close();
  await rig.dispose();
  rmSync(printed, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T = unknown>(name: string, input: unknown = {}): Promise<T> {
  const answer = await kiosk.router.dispatch(name, input);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.code} ${answer.error.message}`);
  return answer.value as T;
}

type Status = Extract<JourneyResult, { kind: 'status' }>;

async function lookUp(reference: string, birthDate: string, language = 'en'): Promise<Status> {
  await call('session.start', { language });
  await call('journey.start', { serviceId: 'application-status' });
  await call('journey.step', { values: { trackingNumber: reference, birthDate } });
  return call<Status>('journey.submit');
}

/** A case filed at the counter, moved through the given events by the portal's administrator. */
async function counterCase(...moves: object[]): Promise<string> {
  const reference = rig.portal.createCase({
    origin: 'counter',
    serviceId: 'residence-permit',
    birthDate: BIRTH,
  });
  for (const details of moves) {
    const res = await rig.portal.app.inject({
      method: 'POST',
      url: `/admin/v1/cases/${reference}/events`,
      headers: { authorization: `Bearer ${rig.portal.adminToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify(details),
    });
    if (res.statusCode !== 200) throw new Error(res.body);
  }
  return reference;
}

const place = {
  id: 'abh',
  name: 'Ausländerbehörde Nürnberg',
  address: 'Hauptmarkt 1, 90403 Nürnberg',
  room: 'Raum 2.14',
};

describe('the status of a case', () => {
  it('of a terminal application: waiting here, then received, by tracking number', async () => {
    const queued = await terminal.outbox.enqueue(applicationWith('status', BIRTH));
    if (!queued.ok) throw new Error(queued.error.code);
    const { trackingNumber } = queued.value;
    expect(await lookUp(trackingNumber, BIRTH)).toMatchObject({
      status: 'queued',
      view: { headline: 'Your application is waiting in the terminal to be sent.', since: null },
    });
    await terminal.engine.runPass();
    await call('session.end');
    const received = await lookUp(trackingNumber, BIRTH, 'de');
    expect(received).toMatchObject({
      status: 'received',
      offline: false,
      view: {
        referenceLabel: 'Aktenzeichen',
        headline: 'Ihr Antrag ist bei der Ausländerbehörde eingegangen.',
      },
    });
    expect(received.trackingNumber).toMatch(/^ABH-\d{4}-\d{6}$/);
  });

  it('documents missing, each named in Arabic; the hand-in service offered', async () => {
    const reference = await counterCase(
      { status: 'received' },
      { status: 'documents_missing', documents: ['tenancy', 'payslips'], dueBy: '2027-01-20' },
    );
    const answer = await lookUp(reference, BIRTH, 'ar');
    expect(answer).toMatchObject({ status: 'documents_missing', handInService: 'documents-followup' });
    expect(answer.view?.sections).toEqual([
      {
        heading: 'يرجى تقديم هذه المستندات',
        items: [expect.stringContaining('عقد الإيجار'), expect.any(String)],
      },
    ]);
  });

  it('card ready: where, opening hours and what to bring, printed on request', async () => {
    const reference = await counterCase(
      { status: 'received' },
      { status: 'in_review' },
      { status: 'decided', letterFollows: true },
      { status: 'card_ordered', expectedReadyBy: '2027-01-08' },
      {
        status: 'card_ready',
        pickup: {
          place,
          openingHours: [{ day: 2, opens: '08:00', closes: '12:00' }],
          bring: ['pinLetter', 'oldCard'],
        },
      },
    );
    const answer = await lookUp(reference, BIRTH);
    expect(answer.view?.sections).toEqual([
      { heading: 'Where', items: ['Ausländerbehörde Nürnberg', 'Raum 2.14', 'Hauptmarkt 1, 90403 Nürnberg'] },
      { heading: 'Opening hours', items: ['Tuesday: 08:00–12:00'] },
      {
        heading: 'Please bring',
        items: ['the PIN letter you received by post', 'your old residence card, if you have one'],
      },
    ]);
    expect(await call('status.print')).toEqual({ state: 'printed' });
    const [file] = readdirSync(printed);
    const text = (await pdfText(readFileSync(join(printed, file ?? '')))).replace(/\s+/g, ' ');
    expect(text).toContain(reference);
    expect(text).toContain('Your card is ready for collection.');
    expect(text).toContain('the PIN letter you received by post');
  });

  it('by the invitation letter: its QR fills the case reference', async () => {
    const res = await counterCase({ status: 'received' });
    const moved = await rig.portal.app.inject({
      method: 'POST',
      url: `/admin/v1/cases/${res}/events`,
      headers: { authorization: `Bearer ${rig.portal.adminToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        status: 'invitation_sent',
        appointment: { appointmentId: 'apt-7', at: '2027-01-12T08:30:00.000Z', place },
      }),
    });
    const { invitationQr } = moved.json() as { invitationQr: string };
    await call('session.start', { language: 'en' });
    await call('journey.start', { serviceId: 'application-status' });
    expect(kiosk.simulator?.scan(invitationQr).ok).toBe(true);
    const filled = await journeyUpdate((s) => s.values.trackingNumber === res);
    expect(filled.values.trackingNumber).toBe(res);
    await call('journey.step', { values: { birthDate: BIRTH } });
    const answer = await call<Status>('journey.submit');
    expect(answer).toMatchObject({ status: 'invitation_sent' });
    expect(answer.view?.sections[0]?.items).toEqual([
      expect.stringMatching(/12 January 2027/),
      'Ausländerbehörde Nürnberg',
      'Raum 2.14',
      'Hauptmarkt 1, 90403 Nürnberg',
    ]);
  });

  it('not found: the entry is corrected without starting over, then found (D11)', async () => {
    const reference = await counterCase({ status: 'received' }, { status: 'in_review' });
    const wrong = await lookUp(reference, '1986-04-21');
    expect(wrong).toMatchObject({ status: null, offline: false, view: null });
    expect(await kiosk.router.dispatch('status.print', {})).toMatchObject({
      ok: false,
      error: { code: 'status.none' },
    });
    const back = await call<JourneyState>('journey.goto', { stepId: 'lookup' });
    expect(back.values).toMatchObject({ trackingNumber: reference, birthDate: '1986-04-21' });
    await call('journey.step', { values: { birthDate: BIRTH } });
    expect(await call<Status>('journey.submit')).toMatchObject({ status: 'in_review' });
  });

  it('rejected, with the problems named; no answer while the portal is down', async () => {
    const reference = await counterCase(
      { status: 'received' },
      { status: 'rejected', problems: ['feeNotPaid', 'appointmentMissed'], letterFollows: true },
    );
    const answer = await lookUp(reference, BIRTH);
    expect(answer.view?.sections).toEqual([
      { heading: 'Reasons', items: ['The fee was not paid.', 'An appointment was missed.'] },
    ]);
    await call('session.end');
    rig.portal.setFaults({ down: true });
    expect(await lookUp(reference, BIRTH)).toMatchObject({
      status: null,
      offline: true,
      unavailable: 'offline',
    });
  });
});

type TicketResult = Extract<JourneyResult, { kind: 'ticket' }>;

describe('an appointment wish', () => {
  async function wish(language: string): Promise<void> {
    await call('session.start', { language });
    await call('journey.start', { serviceId: 'appointment-wish' });
    await call('journey.step', {
      values: {
        topic: 'cardPickup',
        titleExpiresOn: '2027-03-31',
        travelFrom: '2027-02-01',
        travelTo: '2027-02-10',
        unsuitableDay: 'fri',
      },
    });
    await call('journey.step', { values: { phone: '+49 911 5550123', language: 'ar', birthDate: BIRTH } });
    await call('journey.step', { values: { consentContact: true } });
  }

  it('becomes a signed Service-Center ticket, printed, and looked up like a case', async () => {
    await wish('de');
    const made = await call<TicketResult>('journey.submit');
    expect(made).toMatchObject({ kind: 'ticket', created: true, print: { state: 'printed' } });
    expect(made.ticketNumber).toMatch(/^SC-\d{6}$/);
    expect(made.view.sections[1]?.items).toEqual([
      'Mein Aufenthaltstitel läuft am 31. März 2027 ab.',
      'Ich bin vom 1. Februar 2027 bis zum 10. Februar 2027 nicht da.',
      'Diese Wochentage passen mir nicht: Freitag.',
      'Gewünschte Sprache: Arabisch',
    ]);
    const [paper] = readdirSync(printed);
    const text = (await pdfText(readFileSync(join(printed, paper ?? '')))).replace(/\s+/g, ' ');
    expect(text).toContain(made.ticketNumber);
    expect(text).toContain('Karte abholen');
    // the wish is forgotten once the ticket exists
    expect(await kiosk.router.dispatch('journey.current', {})).toMatchObject({
      ok: true,
      value: { values: {} },
    });
    await call('session.end');
    const found = await lookUp(made.ticketNumber, BIRTH, 'en');
    expect(found).toMatchObject({
      kind: 'ticket',
      created: false,
      ticketNumber: made.ticketNumber,
      print: null,
    });
    expect((await lookUp(made.ticketNumber, '1986-04-13', 'en')) as unknown).toMatchObject({
      kind: 'status',
      status: null,
      trackingNumber: made.ticketNumber,
    });
  });

  it('stays on screen when the portal cannot take it, and the same wish sent again is one ticket', async () => {
    await wish('en');
    rig.portal.setFaults({ down: true });
    expect(await kiosk.router.dispatch('journey.submit', {})).toMatchObject({
      ok: false,
      error: { code: 'ticket.offline' },
    });
    rig.portal.setFaults({ down: false });
    const made = await call<TicketResult>('journey.submit');
    expect(made.created).toBe(true);
  });
});

describe('check-in in the building', () => {
  async function invited(at: Date): Promise<{ reference: string; qr: string }> {
    const reference = await counterCase({ status: 'received' });
    const moved = await rig.portal.app.inject({
      method: 'POST',
      url: `/admin/v1/cases/${reference}/events`,
      headers: { authorization: `Bearer ${rig.portal.adminToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        status: 'invitation_sent',
        appointment: { appointmentId: `apt-${reference}`, at: at.toISOString(), place },
      }),
    });
    return { reference, qr: (moved.json() as { invitationQr: string }).invitationQr };
  }

  it("turns the invitation letter's QR into a queue ticket, printed with its phone page's code", async () => {
    const { reference, qr } = await invited(new Date());
    await call('session.start', { language: 'en' });
    await call('journey.start', { serviceId: 'check-in' });
    expect(kiosk.simulator?.scan(qr).ok).toBe(true);
    await journeyUpdate((s) => s.values.invitation === reference && s.values.arrival === 'invitation');
    await call('journey.step', { values: {} });
    const ticket = await call<TicketResult>('journey.submit');
    expect(ticket).toMatchObject({
      kind: 'ticket',
      ticketNumber: 'A-001',
      print: { state: 'printed' },
      view: {
        headline: 'You are checked in.',
        notes: ['Please wait in: Wartebereich B, Erdgeschoss', expect.any(String)],
      },
    });
    expect(ticket.followUrl).toMatch(new RegExp(`^${rig.portal.url}/queue/tickets/[A-Za-z0-9_-]{16,}$`));
    const [paper] = readdirSync(printed);
    const text = (await pdfText(readFileSync(join(printed, paper ?? '')))).replace(/\s+/g, ' ');
    expect(text).toContain('A-001');
    expect(text).not.toContain(reference);
  });

  it('needs the scanned letter, not a typed reference; walk-ins only for topics that take them', async () => {
    const { reference } = await invited(new Date());
    await call('session.start', { language: 'en' });
    await call('journey.start', { serviceId: 'check-in' });
    await call('journey.step', { values: { arrival: 'invitation', invitation: reference } });
    expect(await kiosk.router.dispatch('journey.submit', {})).toMatchObject({
      ok: false,
      error: { code: 'checkin.scan_needed' },
    });
    await call('journey.step', { values: { arrival: 'walkIn', walkInTopic: 'commitment' } });
    expect(await kiosk.router.dispatch('journey.submit', {})).toMatchObject({
      ok: false,
      error: { code: 'queue.walk_in_not_offered' },
    });
    await call('journey.step', { values: { arrival: 'walkIn', walkInTopic: 'cardPickup' } });
    expect(await call<TicketResult>('journey.submit')).toMatchObject({ ticketNumber: 'W-001' });
  });
});

/** Waits for the next pushed journey state that satisfies `test`. */
async function journeyUpdate(test: (state: JourneyState) => boolean): Promise<JourneyState> {
  for (let i = 0; i < 400; i++) {
    const found = events.find(
      (e): e is Extract<KioskEvent, { name: 'journey.updated' }> =>
        e.name === 'journey.updated' && test(e.payload),
    );
    if (found) return found.payload;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no such journey update');
}
