/** The administrator's test page: a receipt with fixed sample data, in any language. */
import { type AuthorityFacts, defaultAuthorityFacts } from '../authority.ts';
import type { PaperSize, ReceiptInput } from './types.ts';

export const SAMPLE_TRACKING_NUMBER = 'TEST-2025-000001';

export function sampleReceiptInput(options: {
  readonly language: string;
  readonly paper: PaperSize;
  readonly now: Date;
  readonly terminalLocation?: string;
  readonly queuedOffline?: boolean;
  /** The installation's facts; the demo installation's when left out. */
  readonly authority?: AuthorityFacts;
}): ReceiptInput {
  return {
    trackingNumber: SAMPLE_TRACKING_NUMBER,
    caseType: 'electronic-residence-permit',
    submittedAt: options.now,
    terminalLocation: options.terminalLocation ?? 'Serviceterminal',
    language: options.language,
    queuedOffline: options.queuedOffline ?? false,
    paper: options.paper,
    answers: {},
    authority: options.authority ?? defaultAuthorityFacts,
  };
}
