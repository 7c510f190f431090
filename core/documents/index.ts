/** Documents the terminal prints or hands to the sync layer: all return PDF bytes as a value. */
export { buildActivationConfirmation } from './activation.ts';
export { type ChecklistAnswers, checklistFor, checklistItems, checklistTexts } from './checklists.ts';
export { type FontBytes, loadFontBytes } from './fonts.ts';
export { buildInfoSheet } from './info-sheet.ts';
export { type DocumentLocale, defaultCatalog, LocaleCatalog } from './locale.ts';
export { isTrackingNumber, parseTrackingQr, qrMatrix, TRACKING_QR_PREFIX, trackingQrPayload } from './qr.ts';
export { buildReceipt, type DocumentDeps } from './receipt.ts';
export { buildSummary } from './summary.ts';
export { summaryLabels } from './summary-labels.ts';
export * from './types.ts';
