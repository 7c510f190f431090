/**
 * The documents of one application while the visitor captures them: pages per document (one
 * document per checklist item), in memory only, with the limits enforced as the pages come in.
 * Retake, reorder and delete are operations on the list; `clear()` overwrites and drops every
 * buffer (at the end of the session, or once the application is sealed).
 */
import { type CaptureLimits, DEFAULT_CAPTURE_LIMITS } from './limits.ts';
import { buildDocumentPdf, type DocumentPdfOptions } from './pdf.ts';
import type { CaptureError, DocumentPdf, Result, StoredPage } from './types.ts';

/** What a page adds to a document's PDF besides its JPEG (page object, image dictionary). */
export const PDF_PAGE_OVERHEAD_BYTES = 1024;
/** What a document's PDF needs besides its pages (header, catalogue, cross references). */
export const PDF_DOCUMENT_OVERHEAD_BYTES = 2048;

function refuse(code: CaptureError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

export class CapturedDocuments {
  readonly #limits: CaptureLimits;
  readonly #documents = new Map<string, StoredPage[]>();

  constructor(limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) {
    this.#limits = limits;
  }

  get limits(): CaptureLimits {
    return this.#limits;
  }

  /** Document ids (checklist items) with at least one page, in the order they were started. */
  documentIds(): string[] {
    return [...this.#documents].filter(([, pages]) => pages.length > 0).map(([id]) => id);
  }

  pages(documentId: string): readonly StoredPage[] {
    return this.#documents.get(documentId) ?? [];
  }

  /** The application's size as it will be stored (pages plus PDF overhead), in bytes. */
  estimatedBytes(): number {
    let total = 0;
    for (const pages of this.#documents.values()) {
      if (pages.length === 0) continue;
      total += PDF_DOCUMENT_OVERHEAD_BYTES;
      for (const p of pages) total += p.jpeg.byteLength + PDF_PAGE_OVERHEAD_BYTES;
    }
    return total;
  }

  #fits(extraBytes: number): boolean {
    return this.estimatedBytes() + extraBytes <= this.#limits.maxApplicationBytes;
  }

  /** Appends a page; refuses `capture.too_many_pages` or `capture.application_too_large`. */
  addPage(documentId: string, page: StoredPage): Result<{ readonly index: number }> {
    const pages = this.#documents.get(documentId) ?? [];
    if (pages.length >= this.#limits.maxPagesPerDocument) {
      return refuse(
        'capture.too_many_pages',
        `a document has at most ${this.#limits.maxPagesPerDocument} pages`,
      );
    }
    const extra =
      page.jpeg.byteLength + PDF_PAGE_OVERHEAD_BYTES + (pages.length === 0 ? PDF_DOCUMENT_OVERHEAD_BYTES : 0);
    if (!this.#fits(extra)) {
      return refuse(
        'capture.application_too_large',
        `an application has at most ${this.#limits.maxApplicationBytes} bytes of documents`,
      );
    }
    pages.push(page);
    this.#documents.set(documentId, pages);
    return { ok: true, value: { index: pages.length - 1 } };
  }

  /** Replaces page `index` (a retake); refuses `capture.application_too_large`. */
  replacePage(documentId: string, index: number, page: StoredPage): Result<{ readonly index: number }> {
    const pages = this.#documents.get(documentId);
    const old = pages?.[index];
    if (!pages || !old) throw new RangeError(`no page ${index} in document ${documentId}`);
    if (!this.#fits(page.jpeg.byteLength - old.jpeg.byteLength)) {
      return refuse(
        'capture.application_too_large',
        `an application has at most ${this.#limits.maxApplicationBytes} bytes of documents`,
      );
    }
    pages[index] = page;
    old.jpeg.fill(0);
    return { ok: true, value: { index } };
  }

  /** Moves page `from` to position `to` (reorder). */
  movePage(documentId: string, from: number, to: number): void {
    const pages = this.#documents.get(documentId);
    if (!pages || from < 0 || from >= pages.length || to < 0 || to >= pages.length) {
      throw new RangeError(`cannot move page ${from} to ${to} in document ${documentId}`);
    }
    const [page] = pages.splice(from, 1);
    pages.splice(to, 0, page as StoredPage);
  }

  removePage(documentId: string, index: number): void {
    const pages = this.#documents.get(documentId);
    const page = pages?.[index];
    if (!pages || !page) throw new RangeError(`no page ${index} in document ${documentId}`);
    pages.splice(index, 1);
    page.jpeg.fill(0);
  }

  /**
   * Every document as one PDF. Refuses `capture.application_too_large` when the PDFs together
   * exceed the limit after all (the estimate is checked as pages come in).
   */
  async toPdfs(options: DocumentPdfOptions = {}): Promise<Result<Map<string, DocumentPdf>>> {
    const out = new Map<string, DocumentPdf>();
    let total = 0;
    for (const id of this.documentIds()) {
      const built = await buildDocumentPdf(this.pages(id), options);
      if (!built.ok) return built;
      total += built.value.pdf.byteLength;
      out.set(id, built.value);
    }
    if (total > this.#limits.maxApplicationBytes) {
      return refuse(
        'capture.application_too_large',
        `the documents take ${total} bytes, limit ${this.#limits.maxApplicationBytes}`,
      );
    }
    return { ok: true, value: out };
  }

  /** Overwrites and drops every page. */
  clear(): void {
    for (const pages of this.#documents.values()) for (const p of pages) p.jpeg.fill(0);
    this.#documents.clear();
  }
}
