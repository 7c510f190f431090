/** Shared set-up of every document: paper sizes, a fresh PDF with fonts and fixed metadata. */
import { PDFDocument, type PDFPage } from 'pdf-lib';
import { err } from '../../common/result.ts';
import { type DocumentFonts, embedFonts, type FontBytes } from './fonts.ts';
import type { Direction } from './text/bidi.ts';
import { Flow, MM, type PaperSpec } from './text/layout.ts';
import type { DocumentErrorCode, DocumentResult, PaperSize } from './types.ts';

export const PAPER: Readonly<Record<PaperSize, PaperSpec>> = {
  a4: { width: 210 * MM, height: 297 * MM, margin: 18 * MM },
  // 80 mm roll: thermal printers print about 72 mm of it.
  roll80: { width: 80 * MM, height: 'auto', margin: 4 * MM },
};

export interface DocumentMeta {
  readonly title: string;
  /** BCP 47 tag of the document's main language. */
  readonly language: string;
  /** Creation date written into the PDF (from the caller's clock, so output is reproducible). */
  readonly date: Date;
}

export interface NewDocument {
  readonly doc: PDFDocument;
  readonly fonts: DocumentFonts;
  readonly flow: Flow;
}

export async function newDocument(
  paper: PaperSpec,
  meta: DocumentMeta,
  fontBytes?: FontBytes,
): Promise<NewDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setLanguage(meta.language);
  doc.setCreator('Serviceterminal');
  doc.setProducer('Serviceterminal (pdf-lib)');
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  const fonts = await embedFonts(doc, fontBytes);
  return { doc, fonts, flow: new Flow(fonts, paper) };
}

export async function finish(doc: PDFDocument, flow: Flow): Promise<Uint8Array> {
  flow.render(doc);
  return save(doc);
}

export function save(doc: PDFDocument): Promise<Uint8Array> {
  return doc.save({ useObjectStreams: true });
}

export function fail(code: DocumentErrorCode, message: string): DocumentResult {
  return err(code, message);
}

/** Runs a builder and turns an unexpected exception into an error value. */
export async function guarded(build: () => Promise<DocumentResult>): Promise<DocumentResult> {
  try {
    return await build();
  } catch (error) {
    return fail('document.failed', error instanceof Error ? error.message : String(error));
  }
}

/** Two columns of equal width with a gutter, drawn below the content of `page` (or on a new page). */
export function twoColumns(width: number, make: (paper: PaperSpec) => Flow) {
  const gutter = 8 * MM;
  const column: PaperSpec = { width: (width - gutter) / 2, height: 'auto', margin: 0 };
  const first = make(column);
  const second = make(column);
  return {
    first,
    second,
    /** `first` goes to the reading start: left for left-to-right, right for right-to-left. */
    draw(doc: PDFDocument, page: PDFPage, below: number, paper: PaperSpec, direction: Direction): void {
      const [left, right] = direction === 'rtl' ? [second, first] : [first, second];
      let target = page;
      let top = below - 6;
      const pageHeight = paper.height === 'auto' ? page.getHeight() : paper.height;
      if (Math.max(first.height, second.height) > top - paper.margin) {
        target = doc.addPage([paper.width, pageHeight]);
        top = pageHeight - paper.margin;
      }
      left.drawAt(target, paper.margin, top);
      right.drawAt(target, paper.margin + column.width + gutter, top);
    },
  };
}
