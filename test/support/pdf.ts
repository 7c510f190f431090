/**
 * Reading generated PDFs back the way a person or a scanner would: text through poppler's
 * pdftotext, pixels through pdftoppm, QR codes through jsQR; plus the exact glyph strings the
 * content streams draw (decoded with each font's ToUnicode map), for checks poppler's own
 * right-to-left heuristics would blur.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  type PDFRef,
} from 'pdf-lib';
import { PNG } from 'pngjs';

const run = promisify(execFile);

async function withTempPdf<T>(bytes: Uint8Array, use: (path: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-pdf-'));
  try {
    const path = join(dir, 'doc.pdf');
    await writeFile(path, bytes);
    return await use(path, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Text as poppler extracts it (`layout` keeps the physical layout, otherwise reading order). */
export function pdfText(bytes: Uint8Array, options: { layout?: boolean } = {}): Promise<string> {
  return withTempPdf(bytes, async (path) => {
    const args = options.layout ? ['-layout', '-enc', 'UTF-8', path, '-'] : ['-enc', 'UTF-8', path, '-'];
    const { stdout } = await run('pdftotext', args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  });
}

/** Text as poppler extracts it from a PDF file on disk. */
export async function pdfFileText(path: string): Promise<string> {
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', path, '-'], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Fonts poppler sees: name, whether embedded and whether subset. */
export function pdfFonts(
  bytes: Uint8Array,
): Promise<Array<{ name: string; embedded: boolean; subset: boolean }>> {
  return withTempPdf(bytes, async (path) => {
    const { stdout } = await run('pdffonts', [path]);
    return stdout
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const cols = line.trim().split(/\s+/);
        // name type(2 words for CID TrueType) encoding emb sub uni object ID
        const tail = cols.slice(-5);
        return { name: cols[0] ?? '', embedded: tail[0] === 'yes', subset: tail[1] === 'yes' };
      });
  });
}

/**
 * The first page rendered as PNG at `dpi` (150 unless told); with `topMm`, only that much of the
 * page from its top edge (what is printed first on a roll), which renders and scans in a fraction
 * of the time of a long page.
 */
export function renderPng(bytes: Uint8Array, dpi = 150, options: { topMm?: number } = {}): Promise<Buffer> {
  return withTempPdf(bytes, async (path, dir) => {
    const prefix = join(dir, 'page');
    const crop =
      options.topMm === undefined
        ? []
        : ['-x', '0', '-y', '0', '-H', String(Math.ceil((options.topMm / 25.4) * dpi))];
    await run('pdftoppm', [
      '-png',
      '-r',
      String(dpi),
      ...crop,
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      path,
      prefix,
    ]);
    return readFile(`${prefix}.png`);
  });
}

// jsqr is CommonJS with `module.exports = jsQR` but typed as an ES default export.
type JsQr = typeof jsQRModule.default;
const jsQR: JsQr =
  typeof (jsQRModule as unknown) === 'function' ? (jsQRModule as unknown as JsQr) : jsQRModule.default;

/** Decodes the (first) QR code in a PNG; null when there is none. */
export function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const result = jsQR(
    new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
    image.width,
    image.height,
  );
  return result ? result.data : null;
}

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexToString = (hex: string) => {
    const units: number[] = [];
    for (let i = 0; i < hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16));
    return String.fromCharCode(...units);
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      map.set(Number.parseInt(m[1] ?? '', 16), hexToString(m[2] ?? ''));
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const lo = Number.parseInt(m[1] ?? '', 16);
      const hi = Number.parseInt(m[2] ?? '', 16);
      const start = Number.parseInt(m[3] ?? '', 16);
      for (let c = lo; c <= hi; c++) map.set(c, String.fromCharCode(start + c - lo));
    }
  }
  return map;
}

function streamText(stream: unknown): string {
  if (!(stream instanceof PDFRawStream)) return '';
  return new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode());
}

/**
 * Every string the pages draw with `Tj`, in drawing order, decoded through the font's ToUnicode
 * map: for right-to-left text this is the visual order, left to right, exactly as printed.
 */
export async function drawnStrings(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  const out: string[] = [];
  for (const page of doc.getPages()) {
    const fontDict = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    const cmaps = new Map<string, Map<number, string>>();
    for (const [key, ref] of fontDict?.entries() ?? []) {
      const font = doc.context.lookup(ref as PDFRef, PDFDict);
      cmaps.set(key.asString(), parseToUnicode(streamText(font.lookup(PDFName.of('ToUnicode')))));
    }
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
    const ops = streams.map(streamText).join('\n');
    let cmap: Map<number, string> | undefined;
    for (const m of ops.matchAll(/(\/[^\s/]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj/g)) {
      if (m[1] !== undefined) {
        cmap = cmaps.get(m[1]);
        continue;
      }
      const hex = m[2] ?? '';
      let s = '';
      for (let i = 0; i < hex.length; i += 4)
        s += cmap?.get(Number.parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD';
      out.push(s);
    }
  }
  return out;
}

/** Collapses runs of whitespace, for comparing wrapped text with the source string. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
