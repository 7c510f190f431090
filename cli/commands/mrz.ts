/**
 * `kiosk mrz`: parses MRZs from standard input and prints one JSON result per document.
 * Input: the 2 or 3 lines of ONE document as plain text, or JSON lines `{"lines": ["...", "..."]}`
 * (one document per line). Exit code 0 when every document is valid, 1 when one is invalid,
 * 2 when the input (or an option) is unusable.
 */
import { type MrzResult, parseMrz } from '../../device/mrz/index.ts';
import { type CliCommand, type CliIo, readAll, writeLine } from '../command.ts';

const USAGE = `Usage: kiosk mrz [--today YYYY-MM-DD] < input

Reads machine readable zones (ICAO 9303 TD1, TD2, TD3, MRV-A, MRV-B, and the French ID card of
before 2021) from standard input and prints one JSON object per document, one per line.

Input, either:
  the 2 or 3 lines of one document, as plain text, or
  JSON lines, one document per line: {"lines": ["P<UTOERIKSSON<<ANNA<MARIA<<<...", "L898902C36..."]}

Options:
  --today YYYY-MM-DD  the day to resolve two-digit years and expiry against (default: today)

Each result has: valid, format, documentCode, issuingState, documentNumber, nationality,
birthDate, expiryDate (YYYY-MM-DD or null), sex, lastName, firstNames, optionalData,
checks (field -> ok | bad | absent), errors, warnings, suggestions.

Exit code: 0 every document valid, 1 at least one invalid, 2 unusable input.`;

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parseArgs(args: readonly string[], now: () => Date): Parsed<{ today: Date }> {
  let today: Date | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    let value: string | undefined;
    if (arg === '--today') {
      value = args[i + 1];
      i += 1;
    } else if (arg.startsWith('--today=')) value = arg.slice('--today='.length);
    else return { ok: false, message: `unknown option "${arg}"` };
    const match = value === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
    if (day === null || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
      return { ok: false, message: '--today takes a date as YYYY-MM-DD' };
    }
    today = day;
  }
  return { ok: true, value: { today: today ?? now() } };
}

/** Reads one JSON line: an object whose `lines` is an array of strings. */
function jsonDocument(text: string): Parsed<string[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'not valid JSON' };
  }
  const lines =
    typeof value === 'object' && value !== null ? (value as { lines?: unknown }).lines : undefined;
  if (!Array.isArray(lines) || !lines.every((l) => typeof l === 'string')) {
    return { ok: false, message: 'expected an object {"lines": ["...", "..."]} with the lines as strings' };
  }
  return { ok: true, value: lines };
}

/** The documents in the input, each as its lines, and the complaints about unusable parts. */
function documentsOf(text: string): { documents: string[][]; problems: string[] } {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((line, index) => ({ text: line.trim(), number: index + 1 }))
    .filter((l) => l.text.length > 0);
  if (lines.length === 0) return { documents: [], problems: ['no input on standard input'] };
  if (lines[0]?.text.startsWith('{')) {
    const documents: string[][] = [];
    const problems: string[] = [];
    for (const line of lines) {
      const parsed = jsonDocument(line.text);
      if (parsed.ok) documents.push(parsed.value);
      else problems.push(`line ${line.number}: ${parsed.message}`);
    }
    return { documents, problems };
  }
  if (lines.length > 3) {
    return {
      documents: [],
      problems: [
        `plain text input holds one document of 2 or 3 lines, but has ${lines.length} lines; for several documents use JSON lines {"lines": [...]}`,
      ],
    };
  }
  return { documents: [lines.map((l) => l.text)], problems: [] };
}

/** Builds the command; `now` is the clock that the default `--today` comes from. */
export function createMrzCommand(now: () => Date = () => new Date()): CliCommand {
  return {
    name: 'mrz',
    summary: 'Parse and check machine readable zones (ICAO 9303) from standard input, as JSON',
    usage: USAGE,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const options = parseArgs(args, now);
      if (!options.ok) {
        writeLine(io.stderr, `kiosk mrz: ${options.message}. Run \`kiosk mrz --help\` for the usage.`);
        return 2;
      }
      const { documents, problems } = documentsOf(await readAll(io.stdin));
      const results: MrzResult[] = documents.map((lines) => parseMrz(lines, { today: options.value.today }));
      for (const result of results) writeLine(io.stdout, JSON.stringify(result));
      for (const problem of problems) writeLine(io.stderr, `kiosk mrz: ${problem}`);
      if (problems.length > 0) return 2;
      return results.every((r) => r.valid) ? 0 : 1;
    },
  };
}

export const command: CliCommand = createMrzCommand();
