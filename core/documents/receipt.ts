/**
 * The visitor's receipt: tracking number, QR code, service, date and time, terminal location, what
 * happens next and (where there is anything) what to bring, in the visitor's language and in German.
 */
import { authorityValues, checklistTexts, fill } from './checklists.ts';
import type { FontBytes } from './fonts.ts';
import { type DocumentLocale, defaultCatalog, formatDateTime, type LocaleCatalog } from './locale.ts';
import { fail, finish, guarded, newDocument, PAPER, save, twoColumns } from './page.ts';
import { isTrackingNumber, qrMatrix, trackingQrPayload } from './qr.ts';
import { Flow, MM } from './text/layout.ts';
import { CASE_TYPES, type DocumentResult, type ReceiptInput } from './types.ts';

export interface DocumentDeps {
  /** Document texts; the shipped locale files when left out. */
  readonly catalog?: LocaleCatalog;
  /** Font files; DejaVu Sans from npm when left out. */
  readonly fonts?: FontBytes;
}

export function buildReceipt(input: ReceiptInput, deps: DocumentDeps = {}): Promise<DocumentResult> {
  return guarded(async () => {
    const catalog = deps.catalog ?? defaultCatalog();
    const visitor = catalog.get(input.language);
    if (!visitor.ok) return visitor;
    if (!CASE_TYPES.includes(input.caseType)) {
      return fail('document.unknown_case_type', `Unknown case type "${input.caseType}"`);
    }
    if (!isTrackingNumber(input.trackingNumber)) {
      return fail('document.invalid_tracking_number', 'The tracking number has an invalid format');
    }
    const german = catalog.german;
    const paper = PAPER[input.paper];
    const roll = input.paper === 'roll80';
    const { doc, flow, fonts } = await newDocument(
      paper,
      {
        title: `${visitor.value.receipt.title} ${input.trackingNumber}`,
        language: visitor.value.language.intl,
        date: input.submittedAt,
      },
      deps.fonts,
    );
    const v = visitor.value;
    const dir = v.language.direction;
    const scale = 1;

    // Queued: the authority has not received anything yet, and the title must not say it has.
    const title = (locale: DocumentLocale) =>
      input.queuedOffline ? locale.receipt.titleQueued : locale.receipt.title;
    flow.text(title(v), { size: 13 * scale, bold: true, align: 'center', direction: dir });
    if (v.language.code !== 'de') flow.text(title(german), { size: 9 * scale, align: 'center', grey: true });
    flow.gap(6);
    flow.text(`${v.receipt.trackingNumber}`, { size: 9 * scale, align: 'center', direction: dir });
    if (v.language.code !== 'de')
      flow.text(german.receipt.trackingNumber, { size: 8 * scale, align: 'center', grey: true });
    // One line whatever the glyph widths: shrunk to fit, never broken at its hyphen.
    flow.text(input.trackingNumber, {
      size: 20 * scale,
      bold: true,
      align: 'center',
      leading: 1.4,
      fit: true,
    });
    if (input.caseType === 'callback-request') {
      // A call-back cannot be looked up at the terminal: no QR, the number is for the phone call.
      flow.text(v.receipt.callbackHint, { size: 7.5 * scale, align: 'center', direction: dir });
    } else {
      const qr = qrMatrix(trackingQrPayload(input.trackingNumber));
      flow.matrix(qr.size, qr.dark, (roll ? 32 : 42) * MM);
      flow.text(v.receipt.qrHint, { size: 7.5 * scale, align: 'center', direction: dir });
    }
    flow.rule();

    if (input.paper === 'a4' && v.language.code !== 'de') {
      // A4: the visitor's language and German side by side, the visitor's at the reading start.
      const { page, y } = flow.render(doc);
      const columns = twoColumns(paper.width - 2 * paper.margin, (column) => new Flow(fonts, column));
      languageBlock(columns.first, input, v, scale);
      columns.second.text(german.language.name, { size: 8 * scale, bold: true, grey: true });
      languageBlock(columns.second, input, german, scale);
      columns.draw(doc, page, y, paper, dir);
      return { ok: true, value: await save(doc) };
    }
    languageBlock(flow, input, v, scale);
    if (v.language.code !== 'de') {
      flow.rule();
      flow.text(german.language.name, { size: 8 * scale, bold: true, grey: true });
      languageBlock(flow, input, german, scale);
    }
    return { ok: true, value: await finish(doc, flow) };
  });
}

/** Receipts for a residence title say that they are not a Fiktionsbescheinigung. */
const permitCases: ReadonlySet<ReceiptInput['caseType']> = new Set([
  'residence-permit-first',
  'residence-permit-extension',
  'electronic-residence-permit',
  'settlement-permit',
  'eu-long-term-residence',
  'residence-card-eu-family',
  'temporary-protection',
]);

function languageBlock(flow: Flow, input: ReceiptInput, locale: DocumentLocale, scale: number): void {
  const direction = locale.language.direction;
  const r = locale.receipt;
  const caseTexts = locale.cases[input.caseType];
  const values = authorityValues(input.authority, locale);
  const bring = checklistTexts(input.caseType, input.answers, locale, input.authority);
  const labelled = (label: string, value: string) => {
    flow.text(label, { size: 7.5 * scale, bold: true, direction });
    flow.text(value, { size: 9 * scale, direction });
    flow.gap(2);
  };
  labelled(r.service, caseTexts.name);
  labelled(r.dateTime, formatDateTime(input.submittedAt, locale));
  labelled(r.location, input.terminalLocation);
  if (input.queuedOffline) {
    flow.gap(2);
    flow.text(r.queuedOffline, { size: 8.5 * scale, bold: true, direction });
    flow.gap(2);
  }
  flow.gap(3);
  flow.text(r.nextSteps, { size: 9 * scale, bold: true, direction });
  for (const step of caseTexts.nextSteps)
    flow.text(fill(step, values), { size: 8 * scale, direction, marker: '•' });
  flow.gap(3);
  documentsBlock(flow, input, locale, values, scale);
  // Nothing to bring (a call-back request): no heading over an empty list.
  if (bring.length > 0) {
    flow.text(r.bring, { size: 9 * scale, bold: true, direction });
    for (const item of bring) flow.text(item, { size: 8 * scale, direction, marker: '•' });
    flow.gap(3);
  }
  if (permitCases.has(input.caseType)) {
    flow.text(r.notFiktion, { size: 8 * scale, bold: true, direction });
    flow.gap(3);
  }
  flow.text(fill(r.serviceCentre, values), { size: 8 * scale, direction });
  flow.gap(2);
  flow.text(r.keep, { size: 7.5 * scale, direction, grey: true });
}

/** The documents handed in at the terminal (with their page counts) and those still missing. */
function documentsBlock(
  flow: Flow,
  input: ReceiptInput,
  locale: DocumentLocale,
  values: Record<string, string>,
  scale: number,
): void {
  const documents = input.documents;
  if (!documents) return;
  const direction = locale.language.direction;
  const r = locale.receipt;
  const count = new Intl.NumberFormat(locale.language.intl);
  const lists = [
    {
      heading: r.handedIn,
      lines: documents.handedIn.map(
        (d) =>
          `${fill(locale.checklist[d.itemId], values)} (${fill(r.pageCount, { count: count.format(d.pages) })})`,
      ),
    },
    { heading: r.stillMissing, lines: documents.missing.map((item) => fill(locale.checklist[item], values)) },
  ];
  for (const { heading, lines } of lists) {
    if (lines.length === 0) continue;
    flow.text(heading, { size: 9 * scale, bold: true, direction });
    for (const line of lines) flow.text(line, { size: 8 * scale, direction, marker: '•' });
    flow.gap(3);
  }
}
