/**
 * The document font: DejaVu Sans (regular and bold) from the `dejavu-fonts-ttf` package, embedded
 * as a subset. It covers Latin with diacritics, Turkish, Cyrillic, the Arabic presentation forms
 * (Persian's پ چ ژ گ ک ی included) and the Persian digits ۰–۹.
 *
 * pdf-lib asks fontkit to lay text out, and fontkit's OpenType layout would shape Arabic again and
 * reverse every run that contains a right-to-left letter. Our text is already shaped
 * (`text/arabic-shaping.ts`) and in visual order (`text/bidi.ts`), so the fontkit handed to pdf-lib
 * maps each code point straight to its glyph: what we draw is exactly what we measured.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type FontkitFont = ReturnType<Fontkit['create']>;
type GlyphRun = ReturnType<FontkitFont['layout']>;

/** Raw font files; read once per process and shared by every document. */
export interface FontBytes {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}

let cached: FontBytes | undefined;

/** Reads DejaVu Sans and DejaVu Sans Bold from the installed npm package (once). */
export function loadFontBytes(): FontBytes {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    const read = (file: string) =>
      new Uint8Array(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
    cached = { regular: read('DejaVuSans.ttf'), bold: read('DejaVuSans-Bold.ttf') };
  }
  return cached;
}

/** Parsed fonts by their bytes: parsing DejaVu takes longer than building a whole receipt. */
const parsed = new WeakMap<Uint8Array, FontkitFont>();

function directLayout(font: FontkitFont): FontkitFont {
  const layout = (text: string): GlyphRun => {
    const glyphs = Array.from(text, (ch) => {
      const codePoint = ch.codePointAt(0) ?? 0;
      const glyph = font.glyphForCodePoint(codePoint);
      // fontkit keeps one glyph object per id for the life of the parsed font (shared by every
      // document). Subsetting a composite glyph (ä, lam-alef with hamza) caches its components
      // (a, lam-alef) without code points; drawn later on their own, pdf-lib would then write no
      // ToUnicode entry for them and the PDF's text would lose those letters.
      if (glyph.codePoints.length === 0) glyph.codePoints = [codePoint];
      return glyph;
    });
    // pdf-lib reads only `glyphs` from the run (ids, advance widths, code points).
    return {
      glyphs,
      positions: [],
      script: 'Zyyy',
      language: null,
      direction: 'ltr',
      features: {},
    } as unknown as GlyphRun;
  };
  font.layout = layout;
  return font;
}

/** The fontkit to register on every document (see the module comment). */
export const directFontkit: Fontkit = {
  create(buffer: Uint8Array): FontkitFont {
    let font = parsed.get(buffer);
    if (font === undefined) {
      font = directLayout(fontkit.create(buffer));
      parsed.set(buffer, font);
    }
    return font;
  },
};

/** Code points of `text` that the font has no glyph for (other than whitespace controls). */
export function missingGlyphs(bytes: Uint8Array, text: string): string[] {
  const font = directFontkit.create(bytes);
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20) continue;
    if (!font.hasGlyphForCodePoint(cp)) missing.add(`U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  return [...missing];
}

export interface DocumentFonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
}

/** Embeds both faces into `doc` as subsets. */
export async function embedFonts(
  doc: PDFDocument,
  bytes: FontBytes = loadFontBytes(),
): Promise<DocumentFonts> {
  doc.registerFontkit(directFontkit);
  // PDF names a subset font "<six capitals>+<name>"; one subset per face and document.
  const [regular, bold] = await Promise.all([
    doc.embedFont(bytes.regular, { subset: true, customName: 'KIOSKR+DejaVuSans' }),
    doc.embedFont(bytes.bold, { subset: true, customName: 'KIOSKB+DejaVuSans-Bold' }),
  ]);
  return { regular, bold };
}
