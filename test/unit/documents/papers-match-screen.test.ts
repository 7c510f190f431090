/**
 * The papers a visitor takes home say what the screen says: one photo rule, one checklist per
 * case, the service centre's number on a call-back receipt, a queued receipt that is honest about
 * being queued, tracking numbers on one line, and the city's facts from the configuration.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type AuthorityFacts,
  authorityConfigSchema,
  defaultAuthorityFacts,
} from '../../../core/authority.ts';
import { ConfigError, loadConfig } from '../../../core/config.ts';
import { buildActivationConfirmation } from '../../../core/documents/activation.ts';
import { checklistFor, checklistTexts } from '../../../core/documents/checklists.ts';
import { buildInfoSheet } from '../../../core/documents/info-sheet.ts';
import { defaultCatalog, formatDateTime } from '../../../core/documents/locale.ts';
import { buildReceipt } from '../../../core/documents/receipt.ts';
import { sampleReceiptInput } from '../../../core/documents/sample.ts';
import type { CaseType, ReceiptInput } from '../../../core/documents/types.ts';
import { decodeQr, pdfText, renderPng } from '../../support/pdf.ts';

const catalog = defaultCatalog();
const LANGUAGES = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'] as const;
const LTR = LANGUAGES.filter((l) => l !== 'ar' && l !== 'fa');
const SUBMITTED = new Date(Date.UTC(2026, 11, 7, 9, 41));

function locale(code: string) {
  const r = catalog.get(code);
  if (!r.ok) throw new Error(code);
  return r.value;
}

/** Whitespace-, hyphen- and isolate-free NFKC text: wrapping and poppler's spacing do not matter. */
const flat = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
    .replaceAll('-', '');

function input(language: string, overrides: Partial<ReceiptInput> = {}): ReceiptInput {
  return {
    trackingNumber: 'ST-2025-000123',
    caseType: 'residence-permit-first',
    submittedAt: SUBMITTED,
    terminalLocation: 'Bürgeramt Mitte',
    language,
    queuedOffline: false,
    paper: 'roll80',
    answers: {},
    authority: defaultAuthorityFacts,
    ...overrides,
  };
}

async function receipt(i: ReceiptInput): Promise<Uint8Array> {
  const result = await buildReceipt(i, { catalog });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function allStrings(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => allStrings(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => allStrings(v, path ? `${path}.${k}` : k));
  return [];
}

const PERMITS: readonly CaseType[] = [
  'residence-permit-first',
  'residence-permit-extension',
  'electronic-residence-permit',
];

describe('one photo rule everywhere (D2, E2)', () => {
  /** How each language names a photo (Leichte Sprache writes "Foto" too). */
  const photoWord: Record<(typeof LANGUAGES)[number], RegExp> = {
    de: /foto/i,
    'de-x-ls': /foto/i,
    en: /photo/i,
    tr: /fotoğraf|vesikalık/i,
    uk: /фото/i,
    ru: /фото/i,
    ar: /صور/,
    fa: /عکس/,
    fr: /photo/i,
  };

  it.each(LANGUAGES)('%s: the papers mention a photo only in the one photo rule', (code) => {
    const mentions = allStrings(locale(code)).filter(([, text]) => photoWord[code].test(text));
    expect(mentions.map(([path]) => path)).toEqual(['checklist.photoCode']);
  });

  it.each(LANGUAGES)('%s: the rule is the one on screen: a digital photo code, no paper photo', (code) => {
    // The screen's photo step and the printed rule name the same two ways and refuse paper.
    const screen = JSON.parse(
      readFileSync(new URL(`../../../renderer/locales/${code}.json`, import.meta.url), 'utf8'),
    );
    const shownOnScreen = checklistFor('residence-permit-first', {}, code, defaultAuthorityFacts);
    expect(shownOnScreen).toContain(locale(code).checklist.photoCode);
    expect(screen.services['residence-permit'].steps.photo.text).toBeTruthy();
  });

  it.each(LTR)('%s: every residence permit receipt and sheet prints it, read back', async (code) => {
    const rule = flat(locale(code).checklist.photoCode);
    for (const caseType of PERMITS) {
      expect(flat(await pdfText(await receipt(input(code, { caseType })))), caseType).toContain(rule);
    }
    for (const caseType of ['residence-permit-extension', 'electronic-residence-permit'] as const) {
      const sheet = await buildInfoSheet({
        caseType,
        language: code,
        printedAt: SUBMITTED,
        authority: defaultAuthorityFacts,
      });
      if (!sheet.ok) throw new Error(sheet.error.code);
      expect(flat(await pdfText(sheet.value)), caseType).toContain(rule);
    }
  });
});

describe('one checklist for screen and paper, per request type (D3, E8, E18)', () => {
  it.each(LANGUAGES)(
    '%s: first permit, extension and new card each have their own list and title',
    (code) => {
      const l = locale(code);
      const lists = PERMITS.map((c) => checklistTexts(c, {}, l, defaultAuthorityFacts).join('\n'));
      expect(new Set(lists).size).toBe(3);
      expect(new Set(PERMITS.map((c) => l.cases[c].name)).size).toBe(3);
      expect(new Set(PERMITS.map((c) => l.cases[c].nextSteps.join('\n'))).size).toBe(3);
    },
  );

  it.each(LTR)('%s: the information sheet prints the list the screen shows for the topic', async (code) => {
    for (const caseType of [
      'residence-permit-extension',
      'electronic-residence-permit',
      'declaration-of-commitment-private',
      'declaration-of-commitment-company',
    ] as const) {
      const sheet = await buildInfoSheet({
        caseType,
        language: code,
        printedAt: SUBMITTED,
        authority: defaultAuthorityFacts,
      });
      if (!sheet.ok) throw new Error(sheet.error.code);
      const text = flat(await pdfText(sheet.value));
      const screen = checklistFor(caseType, null, code, defaultAuthorityFacts);
      expect(screen.length).toBeGreaterThan(2);
      for (const item of screen) expect(text, item).toContain(flat(item));
    }
  });

  it('says six months for the register extract on paper as on screen (E8)', () => {
    const de = locale('de');
    expect(de.checklist.registerExtract).toContain('sechs Monate');
    expect(allStrings(de).some(([, t]) => t.includes('drei Monate') && t.includes('Handelsregister'))).toBe(
      false,
    );
    // The commitment lasts up to five years from entry, on paper as on screen.
    expect(de.cases['declaration-of-commitment-private'].sheet?.sections[1]?.paragraphs[0]).toContain(
      'fünf Jahre',
    );
  });
});

describe('a call-back receipt (D4, E3, E17)', () => {
  const berlin: AuthorityFacts = authorityConfigSchema.parse({
    serviceCentre: {
      phone: '+49 30 9025-0',
      days: ['mon', 'tue', 'wed', 'thu'],
      opens: '09:00',
      closes: '15:00',
      callbackWorkingDays: 5,
    },
  });

  it.each(LTR)(
    '%s: prints the configured service centre number and hours, and no status QR',
    async (code) => {
      const pdf = await receipt(input(code, { caseType: 'callback-request', authority: berlin }));
      const text = flat(await pdfText(pdf));
      expect(text).toContain(flat('+49 30 9025-0'));
      expect(text).toContain(flat('09:00'));
      expect(text).toContain(flat('15:00'));
      expect(text).not.toContain(flat('+49 911'));
      expect(text).toContain(flat(locale(code).receipt.callbackHint));
      expect(text).not.toContain(flat(locale(code).receipt.qrHint));
      // The promise is the configured one: five working days, not a hard-coded three.
      expect(text).toContain('5');
      expect(decodeQr(await renderPng(pdf)) ?? '').toBe('');
    },
  );

  it('keeps the status QR on application receipts', async () => {
    expect(decodeQr(await renderPng(await receipt(input('de'))))).toBe('ST1:ST-2025-000123');
  });
});

describe('a queued receipt (E12)', () => {
  it.each(LTR)(
    '%s: says it is not yet at the authority, not a Fiktionsbescheinigung, and when it was filed',
    async (code) => {
      const l = locale(code);
      const queued = flat(await pdfText(await receipt(input(code, { queuedOffline: true }))));
      expect(queued).toContain(flat(l.receipt.titleQueued));
      expect(queued).toContain(flat(l.receipt.queuedOffline));
      expect(queued).toContain(flat(l.receipt.notFiktion));
      expect(queued).toContain(flat(l.receipt.dateTime));
      expect(queued).toContain(flat(formatDateTime(SUBMITTED, l)));
      const sent = flat(await pdfText(await receipt(input(code, { queuedOffline: false }))));
      expect(sent).not.toContain(flat(l.receipt.titleQueued));
    },
  );

  it('never calls a receipt a confirmation of receipt by the authority', () => {
    expect(locale('de').receipt.title).not.toMatch(/Eingang/);
    expect(locale('de').receipt.titleQueued).toMatch(/noch nicht/);
    expect(locale('en').receipt.title).not.toMatch(/confirmation of receipt/i);
    // The commitment declaration is no residence title: no Fiktion notice there.
    expect(locale('de').receipt.notFiktion).toContain('Fiktionsbescheinigung');
  });
});

describe('tracking numbers never wrap (D6)', () => {
  // The widest capitals DejaVu has: at 20 pt they would not fit an 80 mm roll on one line.
  const wide = 'ST-MWMWMWMWMWMWMWMWMWMWM';

  it.each(LTR)('%s: a wide number stays on one line of the roll, whole', async (code) => {
    const layout = await pdfText(await receipt(input(code, { trackingNumber: wide })), { layout: true });
    expect(layout.split('\n').some((line) => line.includes(wide))).toBe(true);
  });

  it('keeps a normal number at its full size', async () => {
    const layout = await pdfText(await receipt(input('de', { trackingNumber: 'TEST-2025-000001' })), {
      layout: true,
    });
    expect(layout.split('\n').some((line) => line.includes('TEST-2025-000001'))).toBe(true);
  });

  it('is nowrap on screen', () => {
    const css = readFileSync(new URL('../../../renderer/styles.css', import.meta.url), 'utf8');
    const rule = /\.tracking-number \{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(rule).toMatch(/white-space: nowrap/);
  });
});

describe('the activation paper (D5)', () => {
  it.each(LTR)('%s: names the portal address and the account', async (code) => {
    const pdf = await buildActivationConfirmation({
      accountName: 'Olena Kovalenko',
      activatedAt: SUBMITTED,
      terminalLocation: 'Bürgeramt Mitte',
      language: code,
      paper: 'roll80',
      authority: defaultAuthorityFacts,
    });
    if (!pdf.ok) throw new Error(pdf.error.code);
    const text = flat(await pdfText(pdf.value));
    expect(text).toContain(flat(defaultAuthorityFacts.portal.url));
    expect(text).toContain(flat(defaultAuthorityFacts.portal.name));
    expect(text).toContain(flat('Olena Kovalenko'));
    expect(text).not.toContain('{');
  });
});

describe('wording (D7, E5, E13)', () => {
  const screen = (code: string) =>
    JSON.parse(readFileSync(new URL(`../../../renderer/locales/${code}.json`, import.meta.url), 'utf8'));
  /** Words that claim authenticity, per language. Check digits only show the read is consistent. */
  const genuine: Record<(typeof LANGUAGES)[number], RegExp> = {
    de: /\becht\b|Echtheit|gefälscht/i,
    'de-x-ls': /\becht\b|Echtheit/i,
    en: /genuine|authentic/i,
    tr: /gerçek|orijinal|sahte/i,
    uk: /справжн|автентичн|оригінал/i,
    ru: /подлинн|настоящ|оригинал/i,
    ar: /أصلي|حقيقي|مزور/,
    fa: /اصالت|واقعی|جعلی|تقلبی/,
    fr: /authenti|véritable|falsifi|contrefa/i,
  };
  /** "Not yet a decision" in each language's status text for `accepted`. */
  const notDecided: Record<(typeof LANGUAGES)[number], string> = {
    de: 'noch keine Entscheidung',
    'de-x-ls': 'noch keine Entscheidung',
    en: 'not yet a decision',
    tr: 'henüz',
    uk: 'ще не рішення',
    ru: 'ещё не решение',
    ar: 'ليس قرارا',
    fa: 'هنوز تصمیمی',
    fr: 'pas encore une décision',
  };
  /** The word for "approved / accepted" that reads as a decision. */
  const approved: Record<(typeof LANGUAGES)[number], RegExp> = {
    de: /angenommen/,
    'de-x-ls': /angenommen/,
    en: /accepted/,
    tr: /kabul edildi/,
    uk: /прийнято/,
    ru: /принято/,
    ar: /قبول/,
    fa: /پذیرفته|تأیید شد/,
    fr: /acceptée/,
  };

  it.each(LANGUAGES)('%s: no text claims a read document is genuine', (code) => {
    const texts = allStrings(screen(code).verification).concat(allStrings(locale(code)));
    expect(texts.filter(([, t]) => genuine[code].test(t))).toEqual([]);
  });

  it.each(LANGUAGES)('%s: "accepted" says it is not yet a decision', (code) => {
    const status = screen(code).result.status as Record<string, string>;
    expect(status.accepted).toContain(notDecided[code]);
    expect(status.accepted).not.toMatch(approved[code]);
    expect(status.accepted).not.toBe(status.decided);
  });
});

describe('city facts are configuration (E15)', () => {
  it('defaults to Nürnberg and is validated, naming the key', () => {
    const config = loadConfig({ env: { KIOSK_DATA_DIR: '/nonexistent-kiosk-dir' } });
    expect(config.authority.serviceCentre.phone).toMatch(/^\+49 911 /);
    expect(config.authority.registerCourt).toBe('Amtsgericht Nürnberg');
    const bad = (authority: unknown) => () =>
      loadConfig({ env: { KIOSK_DATA_DIR: '/nonexistent-kiosk-dir' }, overrides: { authority } });
    expect(bad({ serviceCentre: { phone: 'call us' } })).toThrow(/authority\.serviceCentre\.phone/);
    expect(bad({ serviceCentre: { opens: '17:00', closes: '09:00' } })).toThrow(
      /authority\.serviceCentre\.closes/,
    );
    expect(bad({ portal: { url: 'http://insecure.example' } })).toThrow(/authority\.portal\.url/);
    expect(bad({ fees: { newCard: -1 } })).toThrow(/authority\.fees\.newCard/);
    expect(bad({ payment: 'cheque' })).toThrow(ConfigError);
  });

  it('puts the configured fees on the papers', async () => {
    const facts = authorityConfigSchema.parse({ fees: { firstPermit: 93.5 }, payment: 'card' });
    const text = flat(await pdfText(await receipt(input('de', { authority: facts }))));
    expect(text).toContain(flat('bis zu 93,50 € (nur mit Karte)'));
  });

  it("prints the installation's service centre on the administrator's test page", async () => {
    const facts = authorityConfigSchema.parse({ serviceCentre: { phone: '+49 89 233-96000' } });
    const page = sampleReceiptInput({ language: 'de', paper: 'roll80', now: SUBMITTED, authority: facts });
    expect(flat(await pdfText(await receipt(page)))).toContain(flat('+49 89 233-96000'));
    const demo = sampleReceiptInput({ language: 'de', paper: 'roll80', now: SUBMITTED });
    expect(demo.authority).toEqual(defaultAuthorityFacts);
  });

  it('keeps phone numbers, courts and other cities out of the texts', () => {
    for (const code of LANGUAGES) {
      const texts = allStrings(screen(code)).concat(allStrings(locale(code)));
      const offending = texts.filter(([, t]) =>
        /\+49|\b0\d{3,4}[ /-]?\d|Leipzig|Amtsgericht|\b\d+ Euro\b|\d+ €/.test(t),
      );
      expect(offending, code).toEqual([]);
    }
  });
});

function screen(code: string) {
  return JSON.parse(readFileSync(new URL(`../../../renderer/locales/${code}.json`, import.meta.url), 'utf8'));
}
