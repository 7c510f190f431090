/**
 * `kiosk scan-check FILE…`: the terminal's page check on image files (PNG or JPEG), one JSON
 * line per file: {"file": "...", "ok": true|false, "problems": [...]}.
 *
 * A file that cannot be read or is not a PNG/JPEG image is a usage error: it still gets its line,
 * with `"ok": false, "problems": []` and `"error": {"code", "message"}`, the other files are
 * checked, and the exit code is 2. Exit codes: 0 every page ok, 1 a page has a problem, 2 usage
 * error (no files, unknown option, unreadable file); 2 wins over 1.
 */
import { readFile } from 'node:fs/promises';
import { checkPage } from '../../device/capture/page-check.ts';
import { type CliCommand, type CliIo, writeLine } from '../command.ts';

const USAGE = `Usage: kiosk scan-check [--measures] FILE...

Runs the terminal's page check on each image file (PNG or JPEG) and prints one JSON line per file:
  {"file": "page1.jpg", "ok": false, "problems": ["blurred"]}

Problems: blurred, too_dark, too_bright, cut_off (the page or its content runs off the picture),
no_document (no page, or nothing on it).

Options:
  --measures  add the figures the check decided on ("measures") and where the page is ("page":
              corners top left, top right, bottom right, bottom left, in pixels)

A file that cannot be read, or is not a PNG or JPEG image, gets a line with "ok": false,
"problems": [] and "error": {"code", "message"}, and makes the exit code 2.

Exit code: 0 every page ok, 1 at least one page has a problem, 2 usage error (no files, an unknown
option, a file that is not a readable PNG or JPEG image).`;

interface Line {
  readonly file: string;
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
  readonly page?: unknown;
  readonly measures?: unknown;
}

async function checkFile(file: string, measures: boolean): Promise<Line> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return {
      file,
      ok: false,
      problems: [],
      error: { code: 'file.unreadable', message: `cannot read the file (${code})` },
    };
  }
  const result = await checkPage(bytes);
  if (!result.ok) return { file, ok: false, problems: [], error: result.error };
  const check = result.value;
  return {
    file,
    ok: check.ok,
    problems: check.problems,
    ...(measures ? { page: check.page, measures: check.measures } : {}),
  };
}

export const command: CliCommand = {
  name: 'scan-check',
  summary: 'Check document page images (PNG or JPEG) as the terminal does, as JSON lines',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    let measures = false;
    const files: string[] = [];
    let optionsDone = false;
    for (const arg of args) {
      if (!optionsDone && arg === '--') optionsDone = true;
      else if (!optionsDone && arg === '--measures') measures = true;
      else if (!optionsDone && arg.startsWith('-') && arg !== '-') {
        writeLine(
          io.stderr,
          `kiosk scan-check: unknown option "${arg}". Run \`kiosk scan-check --help\` for the usage.`,
        );
        return 2;
      } else files.push(arg);
    }
    if (files.length === 0) {
      writeLine(io.stderr, 'kiosk scan-check: no files given. Run `kiosk scan-check --help` for the usage.');
      return 2;
    }
    let usageError = false;
    let problem = false;
    for (const file of files) {
      const line = await checkFile(file, measures);
      if (line.error) usageError = true;
      else if (!line.ok) problem = true;
      writeLine(io.stdout, JSON.stringify(line));
    }
    return usageError ? 2 : problem ? 1 : 0;
  },
};
