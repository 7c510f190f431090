import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.ts';
import { defaultAuthorityFacts } from '../../../core/authority.ts';
import { defaultCatalog } from '../../../core/documents/locale.ts';
import { Journey } from '../../../core/forms/journey.ts';
import { silentLogger } from '../../../core/log.ts';
import { FilePrinter } from '../../../core/printing/index.ts';
import { applicationStatus } from '../../../core/services/application-status.ts';
import { callbackRequest } from '../../../core/services/callback-request.ts';
import { residencePermit } from '../../../core/services/residence-permit.ts';
import { journeyChecklist, KioskSubmitter, receiptCase, summarySections } from '../../../core/submit.ts';
import type { AssembledTerminal } from '../../../sync/terminal.ts';
import { pdfFileText } from '../../support/pdf.ts';
import { applicationWith, makeRig, type Rig } from '../sync/setup.ts';

const today = () => '2026-11-29';
let rig: Rig;
let terminal: AssembledTerminal;
let printed: string;

beforeEach(async () => {
  rig = await makeRig();
  terminal = await rig.open();
  printed = mkdtempSync(join(tmpdir(), 'kiosk-printed-'));
});

afterEach(async () => {
  await rig.dispose();
});

function submitter(options: { terminal?: AssembledTerminal | null; printer?: FilePrinter | null } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 29, 10));
  return new KioskSubmitter({
    terminal: () => (options.terminal === undefined ? terminal : options.terminal),
    printer:
      options.printer === undefined
        ? new FilePrinter({ dir: printed, now: () => new Date(clock.now()) })
        : options.printer,
    paper: 'roll80',
    clock,
    location: 'Bürgerbüro Mitte',
    authority: defaultAuthorityFacts,
    log: silentLogger,
  });
}

function completedCallback(): Journey {
  const journey = new Journey(callbackRequest, today);
  journey.submitStep({ topic: 'appointment', urgency: 'normal' });
  journey.submitStep({
    lastName: 'Kovalenko',
    phone: '+49 341 9876543',
    callLanguage: 'uk',
    timeWindow: 'any',
  });
  journey.submitStep({});
  journey.submitStep({ consentContact: true });
  return journey;
}

function lookup(trackingNumber: string, birthDate: string): Journey {
  const journey = new Journey(applicationStatus, today);
  journey.submitStep({ trackingNumber, birthDate });
  return journey;
}

/** A residence permit application to the end, with the request step's answers given. */
/** `beforeStep` may act on the journey at a step before its answers go in (a document read). */
function completedPermit(
  request: Record<string, string>,
  beforeStep: (journey: Journey, stepId: string) => void = () => undefined,
): Journey {
  const journey = new Journey(residencePermit, today);
  const steps: Record<string, Record<string, unknown>> = {
    request: { currentTitle: 'visa', ...request },
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
    address: {
      street: 'Königstraße',
      houseNumber: '12/1',
      postcode: '90402',
      city: 'Nürnberg',
      phone: '+49 911 5550123',
    },
    timeliness: { fictionCertificate: 'no' },
    photo: { photoSource: 'station' },
    card: { pickupBy: 'self' },
    declarations: { truthful: true, privacy: true },
  };
  for (let last = false; !last; ) {
    const step = journey.currentStep;
    last = journey.atLastStep;
    beforeStep(journey, step.id);
    const answer = journey.submitStep((steps[step.id] ?? {}) as Parameters<Journey['submitStep']>[0]);
    if (!answer.advanced) throw new Error(`step ${step.id}: ${JSON.stringify(journey.state().errors)}`);
  }
  return journey;
}

/** Whitespace- and hyphen-free text: line breaks and pdftotext's spacing do not matter. */
const flat = (text: string) => text.normalize('NFKC').replace(/[\s\u2066-\u2069-]/gu, '');

describe('the receipt of a residence permit names the case the visitor chose (D1, E1)', () => {
  const german = defaultCatalog().german;
  const cases = [
    {
      request: {
        request: 'permit',
        permitRequest: 'firstPermit',
        purpose: 'study',
        university: 'FAU',
        subject: 'Physik',
        enrolledUntil: '2027-09-30',
      },
      caseType: 'residence-permit-first',
      has: ['Erste Aufenthaltserlaubnis', 'bis zu 100 €'],
      hasNot: ['Verlängerung', 'Neue Karte', german.checklist.policeReport],
    },
    {
      request: {
        request: 'permit',
        permitRequest: 'extend',
        currentTitleExpiry: '2026-12-20',
        purpose: 'other',
        purposeDescription: 'Forschung',
      },
      caseType: 'residence-permit-extension',
      has: ['Verlängerung der Aufenthaltserlaubnis', 'bis zu 96 €'],
      hasNot: ['Erste Aufenthaltserlaubnis', 'Neue Karte', german.checklist.policeReport],
    },
    {
      request: { request: 'cardOnly', cardReason: 'lost' },
      caseType: 'electronic-residence-permit',
      has: ['Neue Karte (eAT)', german.checklist.policeReport, '67 €'],
      hasNot: ['Verlängerung', 'Erste Aufenthaltserlaubnis', german.checklist.incomeInsurance],
    },
  ] as const;

  for (const { request, caseType, has, hasNot } of cases) {
    it(`${caseType}: its own title, next steps and bring-list, read back from the printed PDF`, async () => {
      const values = completedPermit(request).values();
      expect(receiptCase('residence-permit', values)).toBe(caseType);
      const result = await submitter().submit(completedPermit(request), 'de');
      expect(result).toMatchObject({ ok: true, value: { kind: 'receipt', print: { state: 'printed' } } });
      const files = readdirSync(printed);
      expect(files).toHaveLength(1);
      const text = flat(await pdfFileText(join(printed, files[0] ?? '')));
      const texts = german.cases[caseType];
      for (const t of [texts.name, ...texts.nextSteps, german.checklist.photoCode, ...has])
        expect(text, t).toContain(flat(t));
      for (const t of hasNot) expect(text, t).not.toContain(flat(t));
      // The screen's checklist step shows exactly the list the receipt printed.
      for (const item of journeyChecklist('residence-permit', values, 'de', defaultAuthorityFacts))
        expect(text).toContain(flat(item));
    });
  }

  it('shows the police certificate only to a visitor whose card was lost (D3)', () => {
    const list = (values: Record<string, string>) =>
      journeyChecklist('residence-permit', values, 'en', defaultAuthorityFacts).join('\n');
    const en = defaultCatalog().get('en');
    if (!en.ok) throw new Error('en');
    expect(list({ request: 'cardOnly', cardReason: 'lost' })).toContain(en.value.checklist.policeReport);
    const others: Record<string, string>[] = [
      { request: 'cardOnly', cardReason: 'newPassport' },
      { request: 'permit', permitRequest: 'firstPermit' },
      { request: 'permit', permitRequest: 'extend' },
    ];
    for (const values of others) {
      expect(list(values)).not.toContain(en.value.checklist.policeReport);
      expect(list(values)).not.toContain(en.value.checklist.policeReportIfLost);
    }
    expect(receiptCase('information', {})).toBeNull();
  });
});

describe('KioskSubmitter', () => {
  it('queues the sealed application, then prints the receipt and forgets the journey', async () => {
    const journey = completedCallback();
    const result = await submitter().submit(journey, 'uk');
    expect(result).toMatchObject({
      ok: true,
      value: { kind: 'receipt', serviceId: 'callback-request', print: { state: 'printed' }, queued: false },
    });
    if (!result.ok || result.value.kind !== 'receipt') throw new Error('no receipt');
    const { trackingNumber } = result.value;
    expect(result.value.qr).toBe(`ST1:${trackingNumber}`);
    // Committed before the receipt; the engine was kicked and may already be sending it.
    expect(['queued', 'sending', 'delivered']).toContain(
      terminal.outbox.findByTracking(trackingNumber)?.state,
    );
    expect(journey.values()).toEqual({});
    const receipts = readdirSync(printed);
    expect(receipts).toHaveLength(1);
    expect(
      readFileSync(join(printed, receipts[0] ?? ''))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // Delivered, the authority opens it: the data and the German summary with the tracking number.
    await terminal.engine.idle();
    await terminal.engine.runPass();
    const delivered = rig.portal.submissions().find((s) => s.trackingNumber === trackingNumber);
    expect(delivered?.state).toBe('delivered');
    expect(delivered?.application).toMatchObject({
      serviceId: 'callback-request',
      language: 'uk',
      values: { lastName: 'Kovalenko', phone: '+49 341 9876543', callLanguage: 'uk' },
    });
    expect(delivered?.attachments.map((a) => a.partId)).toEqual(['summary.pdf']);
  });

  it('tells the authority which expired document a clerk let pass (D17)', async () => {
    const request = { request: 'cardOnly', cardReason: 'lost' };
    const journey = completedPermit(request, (j, stepId) => {
      if (stepId !== 'personal') return;
      j.fillFromDocument({
        valid: true,
        format: 'TD3',
        documentCode: 'P',
        issuingState: 'BRA',
        documentNumber: 'FX1234567',
        nationality: 'BRA',
        birthDate: '1998-07-04',
        expiryDate: '2020-03-01',
        sex: 'F',
        lastName: 'SILVA',
        firstNames: 'ANA',
        errors: [],
        warnings: [],
        suggestions: [],
      });
      expect(j.acceptExpiredDocument()).toBe(true);
    });
    const result = await submitter().submit(journey, 'de');
    if (!result.ok || result.value.kind !== 'receipt') throw new Error('no receipt');
    const { trackingNumber } = result.value;
    await terminal.engine.idle();
    await terminal.engine.runPass();
    const delivered = rig.portal.submissions().find((s) => s.trackingNumber === trackingNumber);
    expect(delivered?.state).toBe('delivered');
    expect((delivered?.application as { flags?: string[] } | undefined)?.flags).toContain(
      'document_expired:personal',
    );
  });

  it('gives two concurrent submits of one journey one application and one receipt', async () => {
    const journey = completedCallback();
    const once = submitter();
    const [first, second] = await Promise.all([once.submit(journey, 'de'), once.submit(journey, 'de')]);
    expect(first).toMatchObject({ ok: true, value: { kind: 'receipt' } });
    expect(second).toEqual(first);
    // a third call after the first finished gets the same answer, not a second application
    expect(await once.submit(journey, 'de')).toEqual(first);
    const rows = Object.values(terminal.outbox.counts(Date.now()).byState).reduce((a, b) => a + b, 0);
    expect(rows).toBe(1);
    expect(readdirSync(printed)).toHaveLength(1);
  });

  it('lets a submit that failed be tried again', async () => {
    const journey = completedCallback();
    let enrolled: AssembledTerminal | null = null;
    const laterWith = new KioskSubmitter({
      terminal: () => enrolled,
      printer: null,
      paper: 'roll80',
      clock: new ManualClock(Date.UTC(2026, 10, 29, 10)),
      location: 'Bürgerbüro Mitte',
      log: silentLogger,
      authority: defaultAuthorityFacts,
    });
    expect(await laterWith.submit(journey, 'de')).toMatchObject({
      ok: false,
      error: { code: 'terminal.not_enrolled' },
    });
    enrolled = terminal;
    expect(await laterWith.submit(journey, 'de')).toMatchObject({ ok: true, value: { kind: 'receipt' } });
  });

  it('keeps the tracking number on screen when the printer fails', async () => {
    const broken = new FilePrinter({ dir: join(printed, 'missing', '\0bad'), now: () => new Date() });
    const result = await submitter({ printer: broken }).submit(completedCallback(), 'de');
    expect(result).toMatchObject({ ok: true, value: { kind: 'receipt', print: { state: 'failed' } } });
  });

  it("keeps the visitor's input and queues nothing when the summary cannot be made", async () => {
    const journey = completedCallback();
    const clock = new ManualClock();
    const failing = new KioskSubmitter({
      terminal: () => terminal,
      printer: null,
      paper: 'roll80',
      clock,
      location: 'Bürgerbüro Mitte',
      authority: defaultAuthorityFacts,
      log: silentLogger,
      buildSummary: async () => ({ ok: false, error: { code: 'document.failed', message: 'no font' } }),
    });
    expect(await failing.submit(journey, 'de')).toMatchObject({
      ok: false,
      error: { code: 'submission.failed' },
    });
    expect(journey.values()).toMatchObject({ lastName: 'Kovalenko' });
    expect(terminal.outbox.counts(clock.now()).pending).toBe(0);
  });

  it('says the terminal is not enrolled instead of losing the application', async () => {
    const journey = completedCallback();
    const result = await submitter({ terminal: null }).submit(journey, 'en');
    expect(result).toMatchObject({ ok: false, error: { code: 'terminal.not_enrolled' } });
    expect(journey.values()).toMatchObject({ lastName: 'Kovalenko' });
  });

  it('looks up a status: queued here, delivered there, unknown, or offline', async () => {
    const queued = await terminal.outbox.enqueue(applicationWith('status', '1990-01-31'));
    if (!queued.ok) throw new Error(queued.error.code);
    const { trackingNumber } = queued.value;
    expect(await submitter().submit(lookup(trackingNumber, '1990-01-31'), 'en')).toMatchObject({
      ok: true,
      value: { kind: 'status', status: 'queued', offline: false },
    });
    await terminal.engine.runPass();
    expect(await submitter().submit(lookup(trackingNumber, '1990-01-31'), 'en')).toMatchObject({
      ok: true,
      value: { kind: 'status', status: 'received', offline: false },
    });
    expect(await submitter().submit(lookup(trackingNumber, '1991-01-31'), 'en')).toMatchObject({
      ok: true,
      value: { kind: 'status', status: null, offline: false },
    });
    rig.portal.setFaults({ down: true });
    expect(await submitter().submit(lookup(trackingNumber, '1990-01-31'), 'en')).toMatchObject({
      ok: true,
      value: { kind: 'status', status: null, offline: true },
    });
  });
});

describe('summarySections', () => {
  it('labels every visible field in German, choices by their German text', () => {
    const journey = completedCallback();
    const sections = summarySections(callbackRequest, journey.values());
    expect(sections[0]).toEqual({
      title: 'Worum geht es?',
      fields: [
        { label: 'Thema', value: 'Termin' },
        { label: 'Wie dringend ist es?', value: 'Normal' },
      ],
    });
    expect(sections.at(-1)?.fields).toEqual([
      { label: expect.stringContaining('Ich bin einverstanden'), value: 'Ja' },
    ]);
  });
});
