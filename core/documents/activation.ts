/**
 * Confirmation that a visitor's service account was activated at the terminal, in the visitor's
 * language and in German. It deliberately carries no identity document number.
 */
import { fill } from './checklists.ts';
import { type DocumentLocale, defaultCatalog, formatDateTime } from './locale.ts';
import { finish, guarded, newDocument, PAPER, save, twoColumns } from './page.ts';
import type { DocumentDeps } from './receipt.ts';
import { Flow, MM } from './text/layout.ts';
import type { ActivationInput, DocumentResult } from './types.ts';

export function buildActivationConfirmation(
  input: ActivationInput,
  deps: DocumentDeps = {},
): Promise<DocumentResult> {
  return guarded(async () => {
    const catalog = deps.catalog ?? defaultCatalog();
    const visitor = catalog.get(input.language);
    if (!visitor.ok) return visitor;
    const german = catalog.german;
    const scale = input.paper === 'roll80' ? 1 : 1.25;
    const { doc, flow, fonts } = await newDocument(
      PAPER[input.paper],
      {
        title: visitor.value.activation.title,
        language: visitor.value.language.intl,
        date: input.activatedAt,
      },
      deps.fonts,
    );
    if (input.paper === 'a4' && visitor.value.language.code !== 'de') {
      const columns = twoColumns(PAPER.a4.width - 2 * PAPER.a4.margin, (column) => new Flow(fonts, column));
      block(columns.first, input, visitor.value, scale);
      columns.second.text(german.language.name, { size: 8 * scale, bold: true, grey: true });
      block(columns.second, input, german, scale);
      const a4 = PAPER.a4;
      const page = doc.addPage([a4.width, 297 * MM]);
      columns.draw(doc, page, 297 * MM - a4.margin + 6, a4, visitor.value.language.direction);
      return { ok: true, value: await save(doc) };
    }
    block(flow, input, visitor.value, scale);
    if (visitor.value.language.code !== 'de') {
      flow.rule();
      flow.text(german.language.name, { size: 8 * scale, bold: true, grey: true });
      block(flow, input, german, scale);
    }
    return { ok: true, value: await finish(doc, flow) };
  });
}

function block(flow: Flow, input: ActivationInput, locale: DocumentLocale, scale: number): void {
  const direction = locale.language.direction;
  const a = locale.activation;
  flow.text(a.title, { size: 13 * scale, bold: true, direction });
  flow.gap(3);
  flow.text(a.intro, { size: 8.5 * scale, direction });
  flow.gap(4);
  const labelled = (label: string, value: string) => {
    flow.text(label, { size: 7.5 * scale, bold: true, direction });
    flow.text(value, { size: 9 * scale, direction });
    flow.gap(2);
  };
  const portal = input.authority.portal;
  labelled(a.account, input.accountName);
  labelled(a.portal, `${portal.name}: ${portal.url}`);
  labelled(a.activatedAt, formatDateTime(input.activatedAt, locale));
  labelled(a.location, input.terminalLocation);
  flow.gap(3);
  flow.text(a.nextStepsTitle, { size: 9 * scale, bold: true, direction });
  const values = { portal: portal.url, account: input.accountName };
  for (const step of a.nextSteps) flow.text(fill(step, values), { size: 8 * scale, direction, marker: '•' });
  flow.gap(3);
  flow.text(a.security, { size: 8 * scale, bold: true, direction });
}
