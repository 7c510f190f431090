import { describe, expect, it } from 'vitest';
import { defaultAuthorityFacts } from '../../../core/authority.ts';
import { authorityValues, checklistItems, checklistTexts, fill } from '../../../core/documents/checklists.ts';
import { defaultCatalog, formatDateTime } from '../../../core/documents/locale.ts';
import { parseTrackingQr } from '../../../core/documents/qr.ts';
import { buildReceipt } from '../../../core/documents/receipt.ts';
import { CASE_TYPES, type ReceiptInput } from '../../../core/documents/types.ts';
import { decodeQr, drawnStrings, pdfFonts, pdfText, renderPng } from '../../support/pdf.ts';

const catalog = defaultCatalog();
const LANGUAGES = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'] as const;
const SUBMITTED = new Date(Date.UTC(2025, 2, 5, 13, 7)); // 14:07 in Berlin (CET)

function input(language: string, overrides: Partial<ReceiptInput> = {}): ReceiptInput {
  return {
    trackingNumber: 'ST-2025-000123',
    caseType: 'electronic-residence-permit',
    submittedAt: SUBMITTED,
    terminalLocation: 'Bürgerbüro Mitte, Erdgeschoss',
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

function locale(code: string) {
  const r = catalog.get(code);
  if (!r.ok) throw new Error(code);
  return r.value;
}

/**
 * Whitespace-free NFKC text without bidi controls and zero-width non-joiners (Persian writes them
 * inside words; they join nothing a reader sees): wrapping and poppler's spacing do not matter.
 */
const flat = (s: string) =>
  s.normalize('NFKC').replace(/[\s\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '');

/**
 * As `flat`, and without hyphens: a line may break after the hyphen of "Telefon-Servicecenter",
 * and pdftotext then joins the two halves and drops the hyphen ("TelefonServicecenter").
 */
const unbroken = (s: string) => flat(s).replaceAll('-', '');

/** Asserts that the strings occur in `text` in this order. */
function expectInOrder(text: string, expected: readonly string[], label: string): void {
  const haystack = unbroken(text);
  let from = 0;
  for (const e of expected) {
    const at = haystack.indexOf(unbroken(e), from);
    expect(at, `${label}: "${e}" missing or out of order`).toBeGreaterThanOrEqual(0);
    from = at + unbroken(e).length;
  }
}

/** The texts of one language block of the receipt, in reading order. */
function blockTexts(code: string, i: ReceiptInput): string[] {
  const l = locale(code);
  const c = l.cases[i.caseType];
  const bring = checklistTexts(i.caseType, i.answers, l, i.authority);
  return [
    l.receipt.service,
    c.name,
    l.receipt.dateTime,
    formatDateTime(i.submittedAt, l),
    l.receipt.location,
    i.terminalLocation,
    ...(i.queuedOffline ? [l.receipt.queuedOffline] : []),
    l.receipt.nextSteps,
    ...c.nextSteps.map((step) => fill(step, authorityValues(i.authority, l))),
    // No heading over an empty list: a call-back request has nothing to bring.
    ...(bring.length > 0 ? [l.receipt.bring, ...bring] : []),
    ...(i.caseType.includes('residence-permit') ? [l.receipt.notFiktion] : []),
    fill(l.receipt.serviceCentre, authorityValues(i.authority, l)),
    l.receipt.keep,
  ];
}

/** The receipt's head: title (queued or not), tracking number, and the QR's hint or the call-back's. */
function headTexts(code: string, i: ReceiptInput): string[] {
  const l = locale(code);
  return [
    i.queuedOffline ? l.receipt.titleQueued : l.receipt.title,
    l.receipt.trackingNumber,
    i.trackingNumber,
    i.caseType === 'callback-request' ? l.receipt.callbackHint : l.receipt.qrHint,
  ];
}

/**
 * Reading order of a right-to-left line drawn in visual order, by the simplest model of the bidi
 * algorithm that fits these texts (independent of bidi-js): reverse the line, turn Latin/digit
 * runs back, swap brackets (which sit at right-to-left level).
 */
function logicalFromVisualRtl(visual: string): string {
  const reversed = Array.from(visual).reverse().join('');
  // A run may end in "+" or "€" (reversed "+49 911 …", a phone number isolated left to right, or
  // "€۹۶", a Persian amount). Persian digits (۲۰۲۵, ۱۴:۰۷, ۱۲٫۵۰) are European numbers to the
  // bidi algorithm: left to right too.
  const ltrRun =
    /[A-Za-z0-9\u00C0-\u024F\u06F0-\u06F9](?:[A-Za-z0-9\u00C0-\u024F\u06F0-\u06F9\u066B\u066C.,:/ -]*[A-Za-z0-9\u00C0-\u024F\u06F0-\u06F9])?[+€]?/gu;
  return reversed
    .replace(ltrRun, (m) => Array.from(m).reverse().join(''))
    .replace(/[()]/g, (b) => (b === '(' ? ')' : '('));
}

const isPresentationForm = (ch: string) => /[\uFB50-\uFDFF\uFE70-\uFEFF]/u.test(ch);

describe.each(LANGUAGES)('receipt in %s', (code) => {
  it.each(CASE_TYPES)(
    '%s: has the tracking number, QR and both language blocks in reading order, under 100 KB, subset font',
    async (caseType) => {
      const i = input(code, { queuedOffline: true, caseType });
      const pdf = await receipt(i);
      expect(pdf.byteLength).toBeLessThan(100 * 1024);

      const fonts = await pdfFonts(pdf);
      expect(fonts.length).toBeGreaterThan(0);
      for (const f of fonts) {
        expect(f.embedded && f.subset, f.name).toBe(true);
        expect(f.name).toMatch(/^[A-Z]{6}\+DejaVuSans/);
      }

      const png = await renderPng(pdf);
      const scanned = decodeQr(png);
      if (caseType === 'callback-request') {
        // A call-back cannot be looked up: no status QR on its receipt (D4, E3).
        expect(scanned ?? '').toBe('');
      } else {
        expect(parseTrackingQr(scanned ?? '')).toEqual({
          ok: true,
          value: { trackingNumber: 'ST-2025-000123' },
        });
      }

      const l = locale(code);
      const german = [...blockTexts('de', i)];
      if (l.language.direction === 'ltr') {
        const text = await pdfText(pdf);
        const head = headTexts(code, i);
        expectInOrder(
          text,
          code === 'de' ? [...head, ...german] : [...head, ...blockTexts(code, i), ...german],
          code,
        );
        if (code === 'de') expect(unbroken(text).split(unbroken(german[1] ?? '')).length - 1).toBe(1);
      } else {
        // What was drawn, line by line in visual order; right-to-left lines read back to logical order.
        const drawn = await drawnStrings(pdf);
        const rtlLines = drawn.filter((s) => Array.from(s).some(isPresentationForm));
        expect(rtlLines.length).toBeGreaterThan(10);
        for (const line of drawn) {
          // Every Arabic letter was shaped (Persian's پ چ ژ ک گ ی too): no base letter reaches the PDF.
          expect(/[\u0621-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC]/u.test(line), line).toBe(false);
        }
        // A line without letters (the end of a wrapped "08:00–16:00") continues the paragraph
        // before it: right to left after an Arabic line.
        const rtl = drawn.map((line) => rtlLines.includes(line));
        for (const [index, line] of drawn.entries())
          if (!/\p{L}/u.test(line) && index > 0 && rtl[index - 1]) rtl[index] = true;
        const reading = drawn.map((s, index) => (rtl[index] ? logicalFromVisualRtl(s) : s)).join('\n');
        expectInOrder(reading, headTexts(code, i), code);
        expectInOrder(reading, [...blockTexts(code, i), ...german], code);

        // poppler finds the same words after NFKC (its own ordering of mixed lines is heuristic, and
        // it may put punctuation, Arabic comma and question mark included, on either side of a word).
        const text = flat(await pdfText(pdf));
        for (const t of [...blockTexts(code, i)]) {
          for (const word of t.split(/[\s.,:()•،؛؟–]+/).filter(Boolean))
            expect(text, word).toContain(flat(word));
        }
      }
    },
  );
});

describe.each(LANGUAGES)('receipt in %s with documents handed in at the terminal', (code) => {
  it('lists the documents handed in with their page counts, and those still missing', async () => {
    const i = input(code, {
      caseType: 'residence-permit-extension',
      documents: { handedIn: [{ itemId: 'incomeInsurance', pages: 2 }], missing: ['tenancy'] },
    });
    const text = flat(await pdfText(await receipt(i)));
    const l = locale(code);
    const values = authorityValues(defaultAuthorityFacts, l);
    const count = fill(l.receipt.pageCount, { count: new Intl.NumberFormat(l.language.intl).format(2) });
    for (const t of [l.receipt.handedIn, l.receipt.stillMissing, count, fill(l.checklist.tenancy, values)]) {
      for (const word of t.split(/[\s.,:()•،؛؟–]+/).filter(Boolean)) expect(text, word).toContain(flat(word));
    }
    // without documents (a terminal that takes none), neither list
    const plain = flat(await pdfText(await receipt(input(code, { caseType: 'residence-permit-extension' }))));
    expect(plain).not.toContain(flat(l.receipt.handedIn));
    expect(plain).not.toContain(flat(l.receipt.stillMissing));
  });
});

describe('Arabic receipt glyphs', () => {
  it('draws the title with the right contextual forms, right to left', async () => {
    const drawn = await drawnStrings(await receipt(input('ar')));
    // "إيصال تقديم الطلب" in visual order, forms looked up by hand in the Unicode charts:
    // beh final, lam medial, tah medial, lam initial, alef isolated, space,
    // meem final, yeh initial, dal final, qaf medial, teh initial, space,
    // lam isolated, alef final, sad medial, yeh initial, alef with hamza below isolated.
    const expected = String.fromCodePoint(
      0xfe90,
      0xfee0,
      0xfec4,
      0xfedf,
      0xfe8d,
      0x20,
      0xfee2,
      0xfef3,
      0xfeaa,
      0xfed8,
      0xfe97,
      0x20,
      0xfedd,
      0xfe8e,
      0xfebc,
      0xfef3,
      0xfe87,
    );
    expect(drawn[0]).toBe(expected);
  });

  it('keeps digits and Latin left to right inside the Arabic date line', async () => {
    const drawn = await drawnStrings(await receipt(input('ar')));
    const date = drawn.find((s) => s.includes('2:07'));
    // Logical "5 مارس 2025 في 2:07 م": visually the meem is leftmost and the day number rightmost.
    expect(date?.normalize('NFKC')).toBe('م 2:07 يف 2025 سرام 5');
  });

  it('puts the Arabic column at the right of the German one on A4', async () => {
    const layout = await pdfText(await receipt(input('ar', { paper: 'a4' })), { layout: true });
    const row = layout.split('\n').find((l) => l.includes('Anliegen'));
    expect(row).toBeDefined();
    const german = (row ?? '').indexOf('Anliegen');
    const arabic = (row ?? '').search(/[\uFE70-\uFEFF]/u);
    expect(arabic).toBeGreaterThan(german);
  });

  it('right-aligns Arabic lines', async () => {
    const pdf = await receipt(input('ar', { paper: 'roll80' }));
    const layout = await pdfText(pdf, { layout: true });
    const line = layout.split('\n').find((l) => flat(l).includes(flat('يرجى الاحتفاظ بهذا الإيصال')));
    const germanLine = layout.split('\n').find((l) => l.includes('Bitte bewahren'));
    expect(line).toBeDefined();
    expect(germanLine).toBeDefined();
    // The Arabic line starts far to the right of where the German (left-aligned) line starts.
    const indent = (l: string | undefined) => (l ?? '').search(/\S/);
    expect(indent(line)).toBeGreaterThan(indent(germanLine) + 20);
  });
});

describe('Persian receipt glyphs', () => {
  it('draws the title with the Persian contextual forms, right to left', async () => {
    const drawn = await drawnStrings(await receipt(input('fa')));
    // "رسید ثبت درخواست" in visual order, forms looked up by hand in the Unicode charts:
    // teh final, seen initial, alef isolated, waw final, khah initial, reh isolated, dal isolated,
    // space, teh final, beh medial, theh initial, space, dal final, farsi yeh medial (Forms-A),
    // seen initial, reh isolated.
    const expected = String.fromCodePoint(
      0xfe96,
      0xfeb3,
      0xfe8d,
      0xfeee,
      0xfea7,
      0xfead,
      0xfea9,
      0x20,
      0xfe96,
      0xfe92,
      0xfe9b,
      0x20,
      0xfeaa,
      0xfbff,
      0xfeb3,
      0xfead,
    );
    expect(drawn[0]).toBe(expected);
  });

  it('shapes peh, gaf and farsi yeh from Presentation Forms-A ("شماره پیگیری")', async () => {
    const drawn = await drawnStrings(await receipt(input('fa')));
    // Visual order: yeh isolated, reh final, yeh medial, gaf medial, yeh medial, peh initial, space,
    // heh isolated, reh isolated, alef final, meem medial, sheen initial.
    expect(drawn).toContain(
      String.fromCodePoint(
        0xfbfc,
        0xfeae,
        0xfbff,
        0xfb95,
        0xfbff,
        0xfb58,
        0x20,
        0xfee9,
        0xfead,
        0xfe8e,
        0xfee4,
        0xfeb7,
      ),
    );
  });

  it('writes the filing time in Persian digits of the Gregorian calendar, each number left to right', async () => {
    expect(formatDateTime(SUBMITTED, locale('fa'))).toBe('۵ مارس ۲۰۲۵ ساعت ۱۴:۰۷');
    const drawn = await drawnStrings(await receipt(input('fa')));
    const date = drawn.find((s) => s.includes('۱۴:۰۷'));
    // Logical "۵ مارس ۲۰۲۵ ساعت ۱۴:۰۷": visually the time is leftmost and the day rightmost.
    expect(date?.normalize('NFKC')).toBe('۱۴:۰۷ تعاس ۲۰۲۵ سرام ۵');
    // The German block says the same in Latin digits, for staff.
    expect(drawn).toContain('5. März 2025 um 14:07');
  });

  it('keeps the tracking number and the phone number in Latin digits', async () => {
    const drawn = await drawnStrings(await receipt(input('fa', { caseType: 'callback-request' })));
    expect(drawn).toContain('ST-2025-000123');
    const phone = defaultAuthorityFacts.serviceCentre.phone;
    expect(drawn.some((line) => line.includes(phone))).toBe(true);
    expect(drawn.join('\n')).not.toMatch(/[\u06F0-\u06F9]{2,} [\u06F0-\u06F9]{3}/);
  });

  it.each(['roll80', 'a4'] as const)(
    'reads back with pdftotext as Persian in logical order (%s)',
    async (paper) => {
      const text = await pdfText(await receipt(input('fa', { paper })));
      const l = locale('fa');
      // NFKC folds the presentation forms back to the letters; a line of Persian alone comes back in
      // reading order (poppler orders lines that mix in Latin by heuristics of its own).
      const lines = text.split('\n').map(flat);
      for (const t of [
        l.receipt.title,
        l.receipt.trackingNumber,
        l.receipt.service,
        l.receipt.dateTime,
        l.receipt.nextSteps,
      ])
        expect(lines, t).toContain(flat(t));
    },
  );
});

describe('receipt variants and errors', () => {
  it.each(LANGUAGES)(
    'leaves out "what to bring" for a call-back request in %s, and only there',
    async (code) => {
      const bring = (l: ReturnType<typeof locale>) => unbroken(l.receipt.bring);
      const callback = unbroken(await pdfText(await receipt(input(code, { caseType: 'callback-request' }))));
      const permit = unbroken(
        await pdfText(await receipt(input(code, { caseType: 'residence-permit-extension' }))),
      );
      expect(checklistItems('callback-request', {})).toEqual([]);
      if (locale(code).language.direction === 'ltr') {
        expect(callback).not.toContain(bring(locale(code)));
        expect(permit).toContain(bring(locale(code)));
      }
      // The German block is printed left to right in every receipt.
      expect(callback).not.toContain(bring(locale('de')));
      expect(permit).toContain(bring(locale('de')));
      expect(callback).toContain(unbroken(locale('de').cases['callback-request'].nextSteps[0] ?? ''));
    },
  );

  it('prints German once for a German visitor', async () => {
    const text = await pdfText(await receipt(input('de')));
    expect(text.split('So geht es weiter').length - 1).toBe(1);
  });

  it('prints standard German as well for Leichte Sprache', async () => {
    const text = await pdfText(await receipt(input('de-x-ls')));
    expect(text).toContain('Was passiert jetzt?');
    expect(text).toContain('So geht es weiter');
  });

  it('notes an offline queue only when queued', async () => {
    const queued = flat(await pdfText(await receipt(input('en', { queuedOffline: true }))));
    const sent = flat(await pdfText(await receipt(input('en', { queuedOffline: false }))));
    expect(queued).toContain(flat(locale('en').receipt.queuedOffline));
    expect(sent).not.toContain(flat(locale('en').receipt.queuedOffline));
  });

  it('fits A4 on one page and a roll on one page of 80 mm width', async () => {
    const { PDFDocument } = await import('pdf-lib');
    for (const code of ['ru', 'fa', 'fr']) {
      for (const caseType of CASE_TYPES) {
        const a4 = await PDFDocument.load(await receipt(input(code, { paper: 'a4', caseType })));
        expect(a4.getPageCount(), `${code} ${caseType}`).toBe(1);
        expect(Math.round(a4.getPage(0).getWidth())).toBe(595);
        const roll = await PDFDocument.load(await receipt(input(code, { paper: 'roll80', caseType })));
        expect(roll.getPageCount()).toBe(1);
        expect(roll.getPage(0).getWidth()).toBeCloseTo((80 * 72) / 25.4, 1);
      }
    }
  });

  it('is reproducible for the same input', async () => {
    const a = await receipt(input('tr'));
    const b = await receipt(input('tr'));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('returns error values for bad input', async () => {
    expect(await buildReceipt(input('xx'), { catalog })).toMatchObject({
      ok: false,
      error: { code: 'document.unknown_language' },
    });
    expect(await buildReceipt(input('de', { trackingNumber: 'bad number' }), { catalog })).toMatchObject({
      ok: false,
      error: { code: 'document.invalid_tracking_number' },
    });
    expect(
      await buildReceipt(input('de', { caseType: 'naturalisation' as ReceiptInput['caseType'] }), {
        catalog,
      }),
    ).toMatchObject({ ok: false, error: { code: 'document.unknown_case_type' } });
  });
});
