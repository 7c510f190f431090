/**
 * Printable information sheet with checklist for one case type, in one language: on A4, or on the
 * 80 mm roll of a terminal that has only a receipt printer (the same text in smaller type, as
 * long as it needs).
 */
import { authorityValues, checklistTexts, fill } from './checklists.ts';
import { defaultCatalog, formatDate } from './locale.ts';
import { fail, finish, guarded, newDocument, PAPER } from './page.ts';
import type { DocumentDeps } from './receipt.ts';
import { CASE_TYPES, type DocumentResult, type InfoSheetInput, type PaperSize } from './types.ts';

/** Type sizes (pt) per paper: the roll's 72 printable millimetres take about 40 characters a line. */
const TYPE: Readonly<Record<PaperSize, { title: number; heading: number; body: number; small: number }>> = {
  a4: { title: 18, heading: 13, body: 11, small: 9 },
  roll80: { title: 12, heading: 10, body: 8.5, small: 7 },
};

export function buildInfoSheet(input: InfoSheetInput, deps: DocumentDeps = {}): Promise<DocumentResult> {
  return guarded(async () => {
    const catalog = deps.catalog ?? defaultCatalog();
    const found = catalog.get(input.language);
    if (!found.ok) return found;
    if (!CASE_TYPES.includes(input.caseType)) {
      return fail('document.unknown_case_type', `Unknown case type "${input.caseType}"`);
    }
    const locale = found.value;
    const direction = locale.language.direction;
    const texts = locale.cases[input.caseType];
    const sheet = texts.sheet;
    if (!sheet) return fail('document.unknown_case_type', `No information sheet for "${input.caseType}"`);
    const values = authorityValues(input.authority, locale);
    const paper = input.paper ?? 'a4';
    const type = TYPE[paper];
    const { doc, flow } = await newDocument(
      PAPER[paper],
      {
        title: `${locale.sheet.infoTitle}: ${texts.name}`,
        language: locale.language.intl,
        date: input.printedAt,
      },
      deps.fonts,
    );
    flow.text(locale.sheet.infoTitle, { size: type.small, grey: true, direction });
    flow.text(texts.name, { size: type.title, bold: true, direction });
    flow.text(`${locale.sheet.asOf}: ${formatDate(input.printedAt, locale)}`, {
      size: type.small,
      grey: true,
      direction,
    });
    flow.gap(10);
    flow.text(fill(sheet.intro, values), { size: type.body, direction });
    for (const section of sheet.sections) {
      flow.gap(10);
      flow.text(section.heading, { size: type.heading, bold: true, direction });
      flow.gap(2);
      for (const paragraph of section.paragraphs) {
        flow.text(fill(paragraph, values), { size: type.body, direction });
        flow.gap(4);
      }
    }
    flow.gap(8);
    flow.rule();
    flow.text(locale.sheet.checklistTitle, { size: type.heading, bold: true, direction });
    flow.gap(4);
    // The same list the screen shows for this topic (checklists.ts), conditions spelled out.
    for (const item of checklistTexts(input.caseType, null, locale, input.authority)) {
      flow.text(item, { size: type.body, direction, marker: '☐', leading: 1.6 });
    }
    flow.gap(14);
    flow.text(locale.sheet.footer, { size: type.small, grey: true, direction });
    return { ok: true, value: await finish(doc, flow) };
  });
}
