/**
 * A small top-to-bottom typesetter: paragraphs are shaped, wrapped to the column width, put in
 * visual order and aligned by direction; then the flow is cut into pages (A4) or into one page as
 * tall as its content (thermal roll).
 */
import { type PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { DocumentFonts } from '../fonts.ts';
import { needsShaping, shapeArabic } from './arabic-shaping.ts';
import { analyse, type Direction, stripFormatting, visualLine } from './bidi.ts';

export interface PaperSpec {
  /** Page width in PDF points. */
  readonly width: number;
  /** Page height in points, or 'auto' for a roll cut to the content. */
  readonly height: number | 'auto';
  readonly margin: number;
}

export const MM = 72 / 25.4;

export type Align = 'start' | 'center' | 'end';

export interface TextStyle {
  readonly size: number;
  readonly bold?: boolean;
  readonly align?: Align;
  readonly direction?: Direction;
  /** Line height as a multiple of the size. */
  readonly leading?: number;
  /** Extra indentation at the start side, in points. */
  readonly indent?: number;
  /** Text drawn before the first line only (e.g. a bullet), at the start side. */
  readonly marker?: string;
  readonly grey?: boolean;
  /**
   * One line, never wrapped: the size shrinks until the text fits the column (a tracking number
   * read out on the phone must not lose half of itself to a line break).
   */
  readonly fit?: boolean;
}

/** The smallest size `fit` shrinks to; below it a line is cut by characters as any other. */
const MIN_FIT_SIZE = 6;

type Item =
  | {
      readonly kind: 'line';
      readonly text: string;
      readonly font: PDFFont;
      readonly size: number;
      readonly x: number;
      readonly height: number;
      readonly grey: boolean;
    }
  | { readonly kind: 'gap'; readonly height: number }
  | { readonly kind: 'rule'; readonly height: number }
  | {
      readonly kind: 'matrix';
      readonly height: number;
      readonly x: number;
      readonly cell: number;
      readonly size: number;
      readonly dark: (row: number, col: number) => boolean;
    }
  | { readonly kind: 'pageBreak'; readonly height: 0 };

/** Break opportunities: after whitespace, and after a hyphen or slash inside a word. */
function breakPoints(text: string): number[] {
  const points: number[] = [];
  for (let i = 1; i < text.length; i++) {
    const prev = text[i - 1] ?? '';
    const cur = text[i] ?? '';
    if (/\s/u.test(prev) && !/\s/u.test(cur)) points.push(i);
    else if ((prev === '-' || prev === '/') && /[\p{L}\p{N}]/u.test(cur) && i >= 2) points.push(i);
  }
  points.push(text.length);
  return points;
}

export class Flow {
  private readonly items: Item[] = [];
  readonly contentWidth: number;

  constructor(
    private readonly fonts: DocumentFonts,
    readonly paper: PaperSpec,
  ) {
    this.contentWidth = paper.width - 2 * paper.margin;
  }

  width(text: string, size: number, bold = false): number {
    const font = bold ? this.fonts.bold : this.fonts.regular;
    return font.widthOfTextAtSize(stripFormatting(text), size);
  }

  /** Wraps a paragraph (logical order) into lines of at most `maxWidth` points; returns [start, end) ranges. */
  private wrap(text: string, font: PDFFont, size: number, maxWidth: number): Array<[number, number]> {
    const measure = (a: number, b: number) =>
      font.widthOfTextAtSize(stripFormatting(text.slice(a, b)).trimEnd(), size);
    const lines: Array<[number, number]> = [];
    const points = breakPoints(text);
    let start = 0;
    while (start < text.length) {
      let end = -1;
      for (const p of points) {
        if (p <= start) continue;
        if (measure(start, p) <= maxWidth) end = p;
        else break;
      }
      if (end < 0) {
        // A single word wider than the line: cut it by characters.
        end = start + 1;
        while (end < text.length && measure(start, end + 1) <= maxWidth) end++;
        const code = text.charCodeAt(end - 1);
        if (code >= 0xd800 && code <= 0xdbff) end++;
      }
      lines.push([start, end]);
      start = end;
    }
    return lines;
  }

  /** Adds a paragraph. Arabic letters are shaped; right-to-left text is reordered and right-aligned. */
  text(text: string, requested: TextStyle): this {
    const style = requested.fit ? this.fitted(text, requested) : requested;
    const direction = style.direction ?? 'ltr';
    const font = style.bold ? this.fonts.bold : this.fonts.regular;
    const leading = style.leading ?? 1.3;
    const indent = style.indent ?? 0;
    const markerWidth = style.marker ? font.widthOfTextAtSize(`${style.marker} `, style.size) : 0;
    const maxWidth = this.contentWidth - indent - markerWidth;
    for (const paragraph of text.split('\n')) {
      const shaped = needsShaping(paragraph) ? shapeArabic(paragraph) : paragraph;
      const bidi = analyse(shaped, direction);
      const ranges = shaped.length === 0 ? [] : this.wrap(shaped, font, style.size, maxWidth);
      ranges.forEach(([start, end], index) => {
        let visual = visualLine(bidi, start, end);
        if (index === 0 && style.marker)
          visual = direction === 'rtl' ? `${visual} ${style.marker}` : `${style.marker} ${visual}`;
        const w = font.widthOfTextAtSize(visual, style.size);
        const inset = indent + (index === 0 ? 0 : markerWidth);
        const x = this.alignX(w, style.align ?? 'start', direction, inset);
        this.items.push({
          kind: 'line',
          text: visual,
          font,
          size: style.size,
          x,
          height: style.size * leading,
          grey: style.grey ?? false,
        });
      });
    }
    return this;
  }

  /** The style with its size reduced (not below MIN_FIT_SIZE) so each line of `text` fits on one line. */
  private fitted(text: string, style: TextStyle): TextStyle {
    const font = style.bold ? this.fonts.bold : this.fonts.regular;
    const available = this.contentWidth - (style.indent ?? 0);
    const widest = Math.max(
      ...text.split('\n').map((line) => font.widthOfTextAtSize(stripFormatting(line), style.size)),
    );
    if (widest <= available) return style;
    const size = Math.max(MIN_FIT_SIZE, Math.floor((style.size * available * 100) / widest) / 100);
    return { ...style, size };
  }

  private alignX(width: number, align: Align, direction: Direction, inset: number): number {
    const { margin } = this.paper;
    if (align === 'center') return margin + (this.contentWidth - width) / 2;
    const atRight = (align === 'end') !== (direction === 'rtl');
    return atRight ? margin + this.contentWidth - inset - width : margin + inset;
  }

  gap(height: number): this {
    this.items.push({ kind: 'gap', height });
    return this;
  }

  rule(): this {
    this.items.push({ kind: 'rule', height: 8 });
    return this;
  }

  pageBreak(): this {
    this.items.push({ kind: 'pageBreak', height: 0 });
    return this;
  }

  /** A square matrix of dark/light cells (a QR code), drawn as vector rectangles. */
  matrix(
    size: number,
    dark: (row: number, col: number) => boolean,
    widthPts: number,
    align: Align = 'center',
  ): this {
    const cell = widthPts / size;
    const x = this.alignX(widthPts, align, 'ltr', 0);
    this.items.push({ kind: 'matrix', height: widthPts + 6, x, cell, size, dark });
    return this;
  }

  /** Total height of the content, margins included. */
  get height(): number {
    return this.items.reduce((sum, item) => sum + item.height, 0) + 2 * this.paper.margin;
  }

  /** Draws the flow into `doc` on as many pages as it needs; returns the last page and the y below the content. */
  render(doc: PDFDocument): { page: PDFPage; y: number } {
    const { width, margin } = this.paper;
    const pageHeight = this.paper.height === 'auto' ? Math.ceil(this.height) : this.paper.height;
    let page: PDFPage = doc.addPage([width, pageHeight]);
    let y = pageHeight - margin;
    const fonts = new FontSwitch();
    for (const item of this.items) {
      if (item.kind === 'pageBreak' || y - item.height < margin - 0.01) {
        if (item.kind === 'gap') continue;
        page = doc.addPage([width, pageHeight]);
        fonts.reset();
        y = pageHeight - margin;
        if (item.kind === 'pageBreak') continue;
      }
      this.drawItem(page, item, 0, y, fonts);
      y -= item.height;
    }
    return { page, y };
  }

  /**
   * Draws the whole flow as a column on an existing page, its top-left content corner at
   * (`left`, `top`), without page breaks (the caller checked `height`).
   */
  drawAt(page: PDFPage, left: number, top: number): void {
    let y = top;
    const fonts = new FontSwitch();
    for (const item of this.items) {
      this.drawItem(page, item, left - this.paper.margin, y, fonts);
      y -= item.height;
    }
  }

  private drawItem(page: PDFPage, item: Item, dx: number, y: number, fonts: FontSwitch): void {
    switch (item.kind) {
      case 'line':
        fonts.use(page, item.font);
        page.drawText(item.text, {
          x: item.x + dx,
          y: y - item.size,
          size: item.size,
          color: item.grey ? rgb(0.3, 0.3, 0.3) : rgb(0, 0, 0),
        });
        break;
      case 'rule':
        page.drawLine({
          start: { x: this.paper.margin + dx, y: y - item.height / 2 },
          end: { x: this.paper.margin + this.contentWidth + dx, y: y - item.height / 2 },
          thickness: 0.6,
          color: rgb(0.4, 0.4, 0.4),
        });
        break;
      case 'matrix':
        drawMatrix(page, item.x + dx, y - 3, item.cell, item.size, item.dark);
        break;
      default:
        break;
    }
  }
}

/** pdf-lib's setFont adds a resource entry per call, so switch only when the face changes. */
class FontSwitch {
  private current: PDFFont | undefined;
  private page: PDFPage | undefined;

  use(page: PDFPage, font: PDFFont): void {
    if (this.current === font && this.page === page) return;
    page.setFont(font);
    this.current = font;
    this.page = page;
  }

  reset(): void {
    this.current = undefined;
  }
}

/** Dark cells as rectangles, one per horizontal run so the content stream stays small. */
function drawMatrix(
  page: PDFPage,
  left: number,
  top: number,
  cell: number,
  size: number,
  dark: (row: number, col: number) => boolean,
): void {
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && dark(row, col)) col++;
      page.drawRectangle({
        x: left + start * cell,
        y: top - (row + 1) * cell,
        width: (col - start) * cell,
        // A hair taller than a cell so rows do not show seams when rasterised.
        height: cell + 0.05,
        color: rgb(0, 0, 0),
      });
    }
  }
}
