/**
 * Which checklist items are papers a visitor can lay under the camera or on the scanner (one
 * document each, one PDF at submission). The others are not papers: the photo code is checked at
 * the authority, fees are paid, the call-back items are things to have at hand.
 */
import { authorityValues, fill } from './checklists.ts';
import { defaultCatalog, type LocaleCatalog } from './locale.ts';
import type { AuthorityFacts, ChecklistItem } from './types.ts';

export const PAPER_ITEMS: ReadonlySet<ChecklistItem> = new Set<ChecklistItem>([
  'passport',
  'currentTitle',
  'incomeInsurance',
  'tenancy',
  'purposeDocuments',
  'policeReport',
  'identity',
  'payslips',
  'rental',
  'guestPassportCopy',
  'registerExtract',
  'authorisation',
  'solvency',
]);

export function isPaperItem(item: string): item is ChecklistItem {
  return PAPER_ITEMS.has(item as ChecklistItem);
}

/** A paper's name as the checklist and the receipt print it, in `language` (German where it has none). */
export function paperItemText(
  item: ChecklistItem,
  language: string,
  facts: AuthorityFacts,
  catalog: LocaleCatalog = defaultCatalog(),
): string {
  const found = catalog.get(language);
  const locale = found.ok ? found.value : catalog.german;
  return fill(locale.checklist[item], authorityValues(facts, locale));
}
