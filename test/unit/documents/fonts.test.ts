import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { embedFonts } from '../../../core/documents/fonts.ts';
import { pdfText } from '../../support/pdf.ts';

/** A one-line PDF drawn with the shared document fonts, read back through poppler. */
async function roundTrip(text: string, face: 'regular' | 'bold'): Promise<string> {
  const doc = await PDFDocument.create();
  const fonts = await embedFonts(doc);
  doc.addPage([300, 100]).drawText(text, { x: 10, y: 50, size: 12, font: fonts[face] });
  return (await pdfText(await doc.save())).normalize('NFKC').replace(/[\s\u200e\u200f\u202a-\u202e]/gu, '');
}

describe('document fonts', () => {
  // The parsed fonts are shared by every document of the process; this file's module state is
  // fresh, so each pair below meets the composite glyph before the glyph it is built from.
  it.each([
    ['regular', 'ä', 'a'],
    ['bold', 'ö', 'o'],
    // lam-alef with hamza below (isolated) is drawn from lam-alef (isolated) and a hamza.
    ['bold', '\uFEF9', '\uFEFB'],
    // teh marbuta (final) is drawn from heh (final) and two dots.
    ['regular', '\uFE94', '\uFEEA'],
  ] as const)(
    'keeps the text of a glyph (%s) after a document that used it in a composite: %s, then %s',
    async (face, composite, part) => {
      expect(await roundTrip(composite, face)).toBe(composite.normalize('NFKC'));
      expect(await roundTrip(part, face)).toBe(part.normalize('NFKC'));
    },
  );
});
