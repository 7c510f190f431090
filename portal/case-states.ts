/**
 * Which case status may follow which (the authority's process). A case is filed (`submitted`),
 * arrives (`received`), may ask for documents (handed in later: `documents_received`) or invite the person any number of times while it
 * is examined, is decided or rejected (a letter follows either way), and a decided card case goes
 * on to the card order and its pickup before it is closed. `accepted` is the older feed's word,
 * kept so the older `decide` keeps its meaning: it leads to `decided` only.
 */
import type { CaseStatus } from '../sync/protocol/index.ts';

export const NEXT_CASE_STATUS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  submitted: ['received', 'rejected'],
  received: ['documents_missing', 'invitation_sent', 'in_review', 'accepted', 'rejected'],
  documents_missing: ['documents_missing', 'documents_received', 'invitation_sent', 'in_review', 'rejected'],
  documents_received: ['documents_received', 'documents_missing', 'invitation_sent', 'in_review', 'rejected'],
  invitation_sent: ['invitation_sent', 'documents_missing', 'in_review', 'rejected'],
  in_review: ['documents_missing', 'invitation_sent', 'accepted', 'decided', 'rejected'],
  accepted: ['decided'],
  decided: ['card_ordered', 'closed'],
  card_ordered: ['card_ready'],
  card_ready: ['closed'],
  rejected: ['closed'],
  closed: [],
};

/** The status a new case starts in (portal and counter cases; a terminal's starts `submitted` too). */
export const FIRST_CASE_STATUS: CaseStatus = 'submitted';

export function mayFollow(from: CaseStatus, to: CaseStatus): boolean {
  return NEXT_CASE_STATUS[from].includes(to);
}
