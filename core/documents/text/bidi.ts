/**
 * Visual ordering of a line with the Unicode Bidirectional Algorithm (bidi-js).
 *
 * PDF text is drawn left to right in the order it is given, so a right-to-left line must be handed
 * over in visual order: Arabic runs reversed, numbers and Latin words inside them kept left to
 * right, mirrored brackets swapped. Explicit direction marks are resolved and then dropped, since
 * they have no glyph.
 */
import bidiModule from 'bidi-js';

export type Direction = 'ltr' | 'rtl';

// bidi-js is a UMD bundle whose module.exports is the factory, while its typings declare an ES
// default export; under NodeNext the import above is the factory at run time.
type BidiFactory = typeof bidiModule.default;
const bidiFactory: BidiFactory =
  typeof (bidiModule as unknown) === 'function' ? (bidiModule as unknown as BidiFactory) : bidiModule.default;
const bidi = bidiFactory();

/** Bidi formatting characters: used for resolution, never drawn. */
const FORMATTING = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export function stripFormatting(text: string): string {
  return Array.from(text)
    .filter((ch) => !FORMATTING.test(ch))
    .join('');
}

/** One paragraph with its resolved embedding levels, so several lines can share the work. */
export interface BidiParagraph {
  readonly text: string;
  readonly direction: Direction;
  readonly levels: ReturnType<typeof bidi.getEmbeddingLevels>;
}

export function analyse(text: string, direction: Direction): BidiParagraph {
  return { text, direction, levels: bidi.getEmbeddingLevels(text, direction) };
}

/**
 * The characters of `paragraph.text` from `start` (inclusive) to `end` (exclusive, in UTF-16 code
 * units) in visual order, left to right, with mirrored characters swapped and formatting
 * characters removed. Trailing whitespace at the line end is dropped before reordering.
 */
export function visualLine(paragraph: BidiParagraph, start: number, end: number): string {
  const { text, levels } = paragraph;
  let last = end - 1;
  while (last >= start && /\s/u.test(text[last] ?? '')) last--;
  if (last < start) return '';
  // bidi-js returns the order of the whole paragraph with only this line's segments reversed.
  const indices = bidi.getReorderedIndices(text, levels, start, last).slice(start, last + 1);
  const mirrored = bidi.getMirroredCharactersMap(text, levels.levels, start, last);
  let out = '';
  for (const i of indices) {
    const code = text.charCodeAt(i);
    // Surrogate pairs: emit the pair once, at its high half, in order.
    if (code >= 0xdc00 && code <= 0xdfff) continue;
    const ch = code >= 0xd800 && code <= 0xdbff ? text.slice(i, i + 2) : (mirrored.get(i) ?? text[i] ?? '');
    if (!FORMATTING.test(ch)) out += ch;
  }
  return out;
}

/** A whole single-line string in visual order. */
export function toVisual(text: string, direction: Direction): string {
  return visualLine(analyse(text, direction), 0, text.length);
}
