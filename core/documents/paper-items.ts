/**
 * Which checklist items are papers a visitor can lay under the camera or on the scanner (one
 * document each, one PDF at submission). The others are not papers: the photo code is checked at
 * the authority, fees are paid, the call-back items are things to have at hand.
 */
import type { ChecklistItem } from './types.ts';

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
