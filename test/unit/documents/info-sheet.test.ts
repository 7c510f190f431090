import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { defaultAuthorityFacts } from '../../../core/authority.ts';
import { authorityValues, checklistTexts, fill } from '../../../core/documents/checklists.ts';
import { buildInfoSheet } from '../../../core/documents/info-sheet.ts';
import { defaultCatalog, formatDate } from '../../../core/documents/locale.ts';
import {
  CASE_TYPES,
  type CaseType,
  type PaperSize,
  RECEIPT_ONLY_CASES,
} from '../../../core/documents/types.ts';
import { pdfText } from '../../support/pdf.ts';

const catalog = defaultCatalog();
const LANGUAGES = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'] as const;
const PRINTED = new Date(Date.UTC(2025, 2, 5, 13, 7));

/** Whitespace-free NFKC text without bidi controls and hyphens (pdftotext joins words broken after one). */
const flat = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
    .replaceAll('-', '');

function locale(code: string) {
  const r = catalog.get(code);
  if (!r.ok) throw new Error(code);
  return r.value;
}

async function sheet(code: string, caseType: CaseType, paper: PaperSize = 'a4'): Promise<Uint8Array> {
  const result = await buildInfoSheet(
    { caseType, language: code, printedAt: PRINTED, authority: defaultAuthorityFacts, paper },
    { catalog },
  );
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The cases with an information sheet (a first permit and the newer tracks are on receipts only). */
const SHEETS = CASE_TYPES.filter((c) => !RECEIPT_ONLY_CASES.includes(c));

describe.each(LANGUAGES)('information sheet in %s', (code) => {
  it.each(
    SHEETS.flatMap((caseType) => [
      [caseType, 'a4'],
      // a terminal with only a receipt printer: one case is enough to show the roll holds it all
      ...(caseType === SHEETS[0] ? [[caseType, 'roll80']] : []),
    ]) as [CaseType, PaperSize][],
  )('%s on %s: has every text of the sheet', async (caseType, paper) => {
    const l = locale(code);
    const c = l.cases[caseType];
    const sheetTexts = c.sheet;
    if (!sheetTexts) throw new Error(`${caseType} has no sheet`);
    const values = authorityValues(defaultAuthorityFacts, l);
    const texts = [
      l.sheet.infoTitle,
      c.name,
      `${l.sheet.asOf}: ${formatDate(PRINTED, l)}`,
      fill(sheetTexts.intro, values),
      ...sheetTexts.sections.flatMap((s) => [s.heading, ...s.paragraphs.map((p) => fill(p, values))]),
      l.sheet.checklistTitle,
      // The list the screen shows for this topic (checklists.ts), conditions spelled out.
      ...checklistTexts(caseType, null, l, defaultAuthorityFacts),
      l.sheet.footer,
    ];
    const pdf = await sheet(code, caseType, paper);
    const pages = (await PDFDocument.load(pdf)).getPages();
    // 80 mm = 226.8 pt wide, as long as the text needs; A4 = 595.3 pt
    for (const page of pages) expect(page.getWidth()).toBeCloseTo(paper === 'roll80' ? 226.77 : 595.28, 1);
    if (paper === 'roll80') expect(pages).toHaveLength(1);
    const text = flat(await pdfText(pdf));
    if (l.language.direction === 'ltr') {
      // In reading order.
      let from = 0;
      for (const t of texts) {
        const at = text.indexOf(flat(t), from);
        expect(at, `"${t}" missing or out of order`).toBeGreaterThanOrEqual(0);
        from = at + flat(t).length;
      }
    } else {
      // poppler orders mixed right-to-left lines by heuristics: every word is there.
      for (const t of texts) {
        for (const word of t.split(/[\s.,:;()–•،؛؟]+/).filter(Boolean))
          expect(text, word).toContain(flat(word));
      }
    }
  });
});

it('rejects an unknown case type', async () => {
  expect(
    await buildInfoSheet(
      {
        caseType: 'naturalisation' as CaseType,
        language: 'de',
        printedAt: PRINTED,
        authority: defaultAuthorityFacts,
      },
      { catalog },
    ),
  ).toMatchObject({ ok: false, error: { code: 'document.unknown_case_type' } });
});

it('has no sheet for a first permit (receipts only), and says so as an error value', async () => {
  expect(
    await buildInfoSheet(
      {
        caseType: 'residence-permit-first',
        language: 'de',
        printedAt: PRINTED,
        authority: defaultAuthorityFacts,
      },
      { catalog },
    ),
  ).toMatchObject({ ok: false, error: { code: 'document.unknown_case_type' } });
});
