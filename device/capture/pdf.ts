/**
 * One document (one checklist item) as one PDF: each stored page on an A4 sheet (portrait or
 * landscape as the page is), fitted and centred, the JPEG embedded as it is (no re-encoding).
 * The PDF is built in memory and carries no personal data in its metadata; with the same pages
 * and `createdAt` it is byte for byte the same, so its SHA-256 is reproducible.
 */
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import type { DocumentPdf, Result, StoredPage } from './types.ts';

/** A4 in PDF points. */
const A4_POINTS = { short: 595.28, long: 841.89 };

export interface DocumentPdfOptions {
  /** Creation and modification date written into the PDF (default: the Unix epoch, for reproducible hashes). */
  readonly createdAt?: Date;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function buildDocumentPdf(
  pages: readonly StoredPage[],
  options: DocumentPdfOptions = {},
): Promise<Result<DocumentPdf>> {
  if (pages.length === 0)
    return { ok: false, error: { code: 'capture.no_pages', message: 'a document needs at least one page' } };
  const doc = await PDFDocument.create({ updateMetadata: false });
  const date = options.createdAt ?? new Date(0);
  doc.setProducer('Serviceterminal');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  for (const stored of pages) {
    const image = await doc.embedJpg(stored.jpeg);
    const landscape = stored.width > stored.height;
    const pw = landscape ? A4_POINTS.long : A4_POINTS.short;
    const ph = landscape ? A4_POINTS.short : A4_POINTS.long;
    const scale = Math.min(pw / stored.width, ph / stored.height);
    const w = stored.width * scale;
    const h = stored.height * scale;
    const page = doc.addPage([pw, ph]);
    page.drawImage(image, { x: (pw - w) / 2, y: (ph - h) / 2, width: w, height: h });
  }
  const pdf = await doc.save({ useObjectStreams: true });
  return { ok: true, value: { pdf, sha256: sha256Hex(pdf), pages: pages.length } };
}
