/**
 * `kiosk hash-pin`: what an administrator needs to write staff records for a terminal's
 * configuration. Reads a PIN (or an administrator's password) from standard input and prints
 * its argon2id PHC string; with `--badge`, prints the keyed hash of a badge code instead.
 * Nothing it reads is echoed, logged or written anywhere but the one result line.
 */
import { BADGE_MAX_LENGTH, badgeHash, normalizeBadge, parseBadgeSecret } from '../../core/staff/badge.ts';
import { type PinHasher, productionPinHasher } from '../../core/staff/hasher.ts';
import { PIN_MIN_LENGTH } from '../../core/staff/records.ts';
import { type CliCommand, type CliIo, writeLine } from '../command.ts';

const SECRET_ENV = 'KIOSK_STAFF_BADGE_SECRET';
const MAX_INPUT = 128;

const USAGE = `Usage: kiosk hash-pin < pin
       kiosk hash-pin --badge CODE [--secret HEX]

Without options: reads a PIN or password from standard input (the first line; a pipe or the
keyboard, nothing is echoed back) and prints its argon2id PHC string (m=19456 KiB, t=2, p=1)
for the "pinHash" of a staff record. A PIN or password needs at least ${PIN_MIN_LENGTH} characters.

  echo -n 482916 | kiosk hash-pin

With --badge: prints the keyed hash (HMAC-SHA-256 under the terminal's badge secret, 64 hex
characters) of a badge code, for the "badgeHash" of a staff record.

Options:
  --badge CODE   the badge code; "-" reads it from standard input instead (keeps it out of the
                 shell history; a keyboard-mode reader can type it)
  --secret HEX   the terminal's badge secret, 64 to 128 hex characters
                 (default: the environment variable ${SECRET_ENV})

Exit code: 0 printed, 1 hashing failed, 2 unusable input or options.`;

interface Options {
  badge: string | null;
  secret: string | null;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parseArgs(args: readonly string[]): Parsed<Options> {
  const options: Options = { badge: null, secret: null };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (flag !== '--badge' && flag !== '--secret') return { ok: false, message: `unknown option "${arg}"` };
    let value = inline;
    if (value === undefined) {
      value = args[i + 1];
      i += 1;
    }
    if (value === undefined || value === '') return { ok: false, message: `${flag} needs a value` };
    if (flag === '--badge') options.badge = value;
    else options.secret = value;
  }
  if (options.secret !== null && options.badge === null) {
    return { ok: false, message: '--secret goes with --badge' };
  }
  return { ok: true, value: options };
}

/** The first line of the stream, without its line ending; stops reading there (a terminal has no EOF). */
async function readFirstLine(stream: NodeJS.ReadableStream): Promise<{ line: string; more: boolean }> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const end = text.search(/\r?\n/);
    if (end >= 0) {
      const rest = text.slice(end).replace(/^\r?\n/, '');
      return { line: text.slice(0, end), more: rest.trim().length > 0 };
    }
    if (text.length > 64 * 1024) break;
  }
  return { line: text, more: false };
}

function checkInput(value: string, what: string, max: number): string | null {
  if (value.length === 0) return `no ${what} given`;
  if (value.length > max) return `the ${what} is longer than ${max} characters`;
  return null;
}

export function createHashPinCommand(hasher: PinHasher = productionPinHasher): CliCommand {
  return {
    name: 'hash-pin',
    summary: 'Hash a staff PIN (argon2id) or a badge code (keyed) for the staff records',
    usage: USAGE,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const complain = (message: string) => {
        writeLine(io.stderr, `kiosk hash-pin: ${message}. Run \`kiosk hash-pin --help\` for the usage.`);
        return 2;
      };
      const parsed = parseArgs(args);
      if (!parsed.ok) return complain(parsed.message);
      const { badge, secret } = parsed.value;

      if (badge !== null) {
        const secretText = secret ?? io.env[SECRET_ENV] ?? null;
        if (secretText === null) return complain(`--badge needs --secret or ${SECRET_ENV}`);
        const key = parseBadgeSecret(secretText);
        if (!key.ok) return complain(key.error.message);
        let code = badge;
        if (badge === '-') {
          const input = await readFirstLine(io.stdin);
          if (input.more) return complain('standard input holds more than one line');
          code = input.line;
        }
        const problem = checkInput(normalizeBadge(code), 'badge code', BADGE_MAX_LENGTH);
        if (problem) return complain(problem);
        writeLine(io.stdout, badgeHash(key.value, code));
        return 0;
      }

      const input = await readFirstLine(io.stdin);
      if (input.more) return complain('standard input holds more than one line');
      const problem = checkInput(input.line, 'PIN', MAX_INPUT);
      if (problem) return complain(problem);
      if (input.line.length < PIN_MIN_LENGTH)
        return complain(`a PIN or password needs at least ${PIN_MIN_LENGTH} characters`);
      try {
        writeLine(io.stdout, await hasher.hash(input.line));
        return 0;
      } catch (error) {
        writeLine(
          io.stderr,
          `kiosk hash-pin: hashing failed (${error instanceof Error ? error.name : 'error'})`,
        );
        return 1;
      }
    },
  };
}

export const command: CliCommand = createHashPinCommand();
