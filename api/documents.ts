import { z } from 'zod';

/**
 * Documents handed in at the terminal (issue 14): the pages of each checklist item of the
 * application on screen, captured by the camera (a frame the UI sends) or the configured scanner.
 * The pages stay in the core's memory until the application is sealed; the UI sees thumbnails.
 */

/** What the page check can find wrong with a page; the UI says each in the visitor's language. */
export const pageProblemSchema = z.enum(['blurred', 'too_dark', 'too_bright', 'cut_off', 'no_document']);

/**
 * A camera frame or an image as base64 (JPEG or PNG). The UI sends frames of at most 2,400 px
 * on the long side (enough for an A4 page at 200 dpi); the core checks signature and size again.
 */
export const maxFrameBase64Length = 3 * 1024 * 1024;

const itemId = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/);
const pageIndex = z.number().int().min(0).max(199);

export const documentPageSchema = z.object({
  /** A small JPEG as a data URL (`data:image/jpeg;base64,...`), for the review on screen. */
  thumbnail: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

export const documentItemSchema = z.object({
  /** The checklist item (`payslips`, `passport`, ...); the UI names it in the visitor's language. */
  itemId: z.string(),
  /** The item as the checklist and the receipt name it, in the visitor's language. */
  label: z.string(),
  /** open: nothing yet; captured: at least one page; later: the visitor hands it in later. */
  state: z.enum(['open', 'captured', 'later']),
  pages: z.array(documentPageSchema),
});

export const documentsStateSchema = z.object({
  items: z.array(documentItemSchema),
  /** The application's documents as they will be stored, in bytes, and the limit. */
  bytes: z.number().int().nonnegative(),
  maxApplicationBytes: z.number().int().positive(),
  maxPagesPerDocument: z.number().int().positive(),
  /** A document camera is attached at this terminal. */
  camera: z.boolean(),
  /** A scanner is configured at this terminal. */
  scanner: z.boolean(),
});

/** A page taken: accepted (stored), or refused by the page check with its problems. */
export const pageAnswerSchema = z.object({
  accepted: z.boolean(),
  problems: z.array(pageProblemSchema),
  documents: documentsStateSchema,
});

export const documentCalls = {
  'documents.list': { input: z.object({}).strict(), output: documentsStateSchema },
  /** A camera frame for an item: a new page, or a retake of page `replace`. */
  'documents.addPage': {
    input: z
      .object({
        itemId,
        image: z.string().min(16).max(maxFrameBase64Length),
        replace: pageIndex.optional(),
      })
      .strict(),
    output: pageAnswerSchema,
  },
  /** A page from the configured scanner for an item (a new page, or a retake of `replace`). */
  'documents.scan': {
    input: z.object({ itemId, replace: pageIndex.optional() }).strict(),
    output: pageAnswerSchema,
  },
  'documents.movePage': {
    input: z.object({ itemId, from: pageIndex, to: pageIndex }).strict(),
    output: documentsStateSchema,
  },
  'documents.removePage': {
    input: z.object({ itemId, index: pageIndex }).strict(),
    output: documentsStateSchema,
  },
  /** "I will hand it in later" (or not, with `later: false`); pages already taken are dropped. */
  'documents.later': {
    input: z.object({ itemId, later: z.boolean() }).strict(),
    output: documentsStateSchema,
  },
} as const;

export type PageProblemCode = z.output<typeof pageProblemSchema>;
export type DocumentPageView = z.output<typeof documentPageSchema>;
export type DocumentItemView = z.output<typeof documentItemSchema>;
export type DocumentsState = z.output<typeof documentsStateSchema>;
export type PageAnswer = z.output<typeof pageAnswerSchema>;
