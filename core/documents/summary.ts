/**
 * The application summary for the authority: German, A4, every field of the submission with its
 * label, generic over the sections the service definition supplies. The sync layer attaches the
 * bytes to the sealed submission.
 */
import { defaultCatalog, formatDateTime, type LocaleCatalog } from './locale.ts';
import { fail, guarded, newDocument, PAPER, save } from './page.ts';
import { isTrackingNumber } from './qr.ts';
import type { DocumentDeps } from './receipt.ts';
import type { DocumentResult, SummaryInput } from './types.ts';

/**
 * The visitor's language as a clerk reads it: its German name, then its own name and code
 * ("Persisch – فارسی (fa)"); Leichte Sprache, a private-use tag, by the name of its texts.
 */
export function staffLanguageName(code: string, catalog: LocaleCatalog): string {
  const visitor = catalog.get(code);
  if (!visitor.ok) return code;
  const own = visitor.value.language.name;
  if (code.includes('-x-')) return `${own} (${code})`;
  const german = new Intl.DisplayNames('de', { type: 'language', fallback: 'none' }).of(code);
  return german === undefined || german === own ? `${own} (${code})` : `${german} – ${own} (${code})`;
}

export function buildSummary(input: SummaryInput, deps: DocumentDeps = {}): Promise<DocumentResult> {
  return guarded(async () => {
    const catalog = deps.catalog ?? defaultCatalog();
    const german = catalog.german;
    const labels = german.summary;
    if (labels === undefined) return fail('document.failed', 'The German locale has no summary labels');
    if (!isTrackingNumber(input.trackingNumber)) {
      return fail('document.invalid_tracking_number', 'The tracking number has an invalid format');
    }
    const paper = PAPER.a4;
    const { doc, flow, fonts } = await newDocument(
      paper,
      { title: `${labels.title} ${input.trackingNumber}`, language: 'de-DE', date: input.submittedAt },
      deps.fonts,
    );
    const languageName = staffLanguageName(input.visitorLanguage, catalog);

    flow.text(labels.title, { size: 16, bold: true });
    flow.gap(6);
    const field = (label: string, value: string) => {
      flow.text(label, { size: 8.5, bold: true, grey: true });
      flow.text(value.trim() === '' ? labels.empty : value, { size: 10.5, indent: 10 });
      flow.gap(3);
    };
    field(labels.trackingNumber, input.trackingNumber);
    field(labels.service, input.serviceName);
    field(labels.submittedAt, formatDateTime(input.submittedAt, german));
    field(labels.terminal, `${input.terminalId} – ${input.terminalLocation}`);
    field(labels.visitorLanguage, languageName);
    for (const section of input.sections) {
      flow.rule();
      flow.text(section.title, { size: 12, bold: true });
      flow.gap(4);
      for (const f of section.fields) field(f.label, f.value);
    }
    flow.render(doc);
    // Page numbers ("Seite 1 / 2") and the tracking number on every page, for loose print-outs.
    // Drawn before the one save: a subset font is written out at save, and text drawn after that
    // would refer to glyphs the embedded subset does not describe.
    const pages = doc.getPages();
    if (pages.length > 1) {
      pages.forEach((page, index) => {
        page.drawText(`${input.trackingNumber} · ${labels.page} ${index + 1} / ${pages.length}`, {
          x: paper.margin,
          y: paper.margin / 2,
          size: 8,
          font: fonts.regular,
        });
      });
    }
    return { ok: true, value: await save(doc) };
  });
}
