/** Printable information sheet with checklist for one case type, in one language, on A4. */
import { authorityValues, checklistTexts, fill } from './checklists.ts';
import { defaultCatalog, formatDate } from './locale.ts';
import { fail, finish, guarded, newDocument, PAPER } from './page.ts';
import type { DocumentDeps } from './receipt.ts';
import { CASE_TYPES, type DocumentResult, type InfoSheetInput } from './types.ts';

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
    const { doc, flow } = await newDocument(
      PAPER.a4,
      {
        title: `${locale.sheet.infoTitle}: ${texts.name}`,
        language: locale.language.intl,
        date: input.printedAt,
      },
      deps.fonts,
    );
    flow.text(locale.sheet.infoTitle, { size: 10, grey: true, direction });
    flow.text(texts.name, { size: 18, bold: true, direction });
    flow.text(`${locale.sheet.asOf}: ${formatDate(input.printedAt, locale)}`, {
      size: 9,
      grey: true,
      direction,
    });
    flow.gap(10);
    flow.text(fill(sheet.intro, values), { size: 11, direction });
    for (const section of sheet.sections) {
      flow.gap(10);
      flow.text(section.heading, { size: 13, bold: true, direction });
      flow.gap(2);
      for (const paragraph of section.paragraphs) {
        flow.text(fill(paragraph, values), { size: 11, direction });
        flow.gap(4);
      }
    }
    flow.gap(8);
    flow.rule();
    flow.text(locale.sheet.checklistTitle, { size: 13, bold: true, direction });
    flow.gap(4);
    // The same list the screen shows for this topic (checklists.ts), conditions spelled out.
    for (const item of checklistTexts(input.caseType, null, locale, input.authority)) {
      flow.text(item, { size: 11, direction, marker: '☐', leading: 1.6 });
    }
    flow.gap(14);
    flow.text(locale.sheet.footer, { size: 8, grey: true, direction });
    return { ok: true, value: await finish(doc, flow) };
  });
}
