/**
 * Where the document reader sits on this terminal, as the visitor stands in front of the screen:
 * installation configuration (`readers.placement`), shown on every document step as a drawing and
 * a sentence (`readerGuide.where.<placement>` in the visitor's language).
 */
export const readerPlacements = ['below-left', 'below-centre', 'below-right', 'left', 'right'] as const;

export type ReaderPlacement = (typeof readerPlacements)[number];
