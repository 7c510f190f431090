/**
 * `kiosk audit verify` and `kiosk audit export`: the terminal's hash-chained audit log
 * (sync/audit.ts) for an administrator. The queue database is opened read-only: what is being
 * checked is evidence, so it is neither migrated nor repaired nor moved aside here.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../core/config.ts';
import { openAuditLogReadOnly, type ReadOnlyAuditLog } from '../../sync/audit.ts';
import type { AuditHead } from '../../sync/audit-chain.ts';
import { QUEUE_DB_FILE } from '../../sync/terminal.ts';
import { type CliCommand, type CliIo, writeLine } from '../command.ts';

const usage = `Usage: kiosk audit verify [--data DIR] [--anchor SEQ:HASH]... [--json]
       kiosk audit export [--data DIR]

verify   recomputes the audit log's hash chain and checks it against its triggers, its local
         anchor and any heads recorded elsewhere. Prints one line per problem ("entry 17 was
         edited", "entry 9 is missing", ...). Exit code 0 when intact, 1 when not (or when the
         log cannot be read), 2 on a usage error.
export   writes the whole log as JSON lines to stdout, oldest first (no personal data); each
         line carries seq, at, time, event, submissionId, state, detail, prevHash and hash, so
         the chain can be checked again from the export alone.

  --data DIR, --data-dir DIR   the kiosk's data folder (default: the configured one,
                               $KIOSK_DATA_DIR or the platform default)
  --anchor SEQ:HASH            a head recorded elsewhere, e.g. by the portal from the terminal's
                               heartbeats; the chain must pass through it (repeatable)
  --json                       print one JSON object instead of text`;

const DATA_OPTIONS = new Set(['--data', '--data-dir']);

type Parsed =
  | { ok: true; action: 'verify' | 'export'; dataDir?: string; anchors: AuditHead[]; json: boolean }
  | { ok: false; message: string };

function parse(args: readonly string[]): Parsed {
  const [action, ...rest] = args;
  if (action !== 'verify' && action !== 'export') {
    return {
      ok: false,
      message: action === undefined ? 'give verify or export' : `unknown action ${action}`,
    };
  }
  const anchors: AuditHead[] = [];
  let dataDir: string | undefined;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    const value = rest[i + 1];
    if (DATA_OPTIONS.has(a) || a === '--anchor') {
      if (value === undefined) return { ok: false, message: `${a} needs a value` };
      i++;
      if (a === '--anchor') {
        const m = /^(\d+):([0-9a-fA-F]{64})$/.exec(value);
        const seq = Number(m?.[1]);
        if (!m || !Number.isSafeInteger(seq) || seq < 1) {
          return { ok: false, message: `--anchor takes SEQ:HASH (a number, a colon, 64 hex digits)` };
        }
        anchors.push({ seq, hash: (m[2] as string).toLowerCase() });
      } else dataDir = value;
    } else if (a === '--json' && action === 'verify') json = true;
    else return { ok: false, message: `unknown option ${a}` };
  }
  return { ok: true, action, ...(dataDir === undefined ? {} : { dataDir }), anchors, json };
}

async function exportLog(opened: ReadOnlyAuditLog, io: CliIo): Promise<number> {
  for (const line of opened.log.exportLines()) {
    if (!io.stdout.write(`${line}\n`)) await once(io.stdout, 'drain');
  }
  return 0;
}

function verifyLog(
  opened: ReadOnlyAuditLog,
  anchors: readonly AuditHead[],
  json: boolean,
  io: CliIo,
): number {
  const v = opened.log.verify({ anchors });
  if (json) {
    writeLine(io.stdout, JSON.stringify(v));
    return v.ok ? 0 : 1;
  }
  if (v.ok) {
    const head = v.head === null ? 'empty' : `head ${v.head.seq} ${v.head.hash}`;
    writeLine(io.stdout, `audit log intact: ${v.entries} entries, ${head}`);
    return 0;
  }
  for (const p of v.problems) writeLine(io.stdout, p.message);
  if (v.omitted > 0) writeLine(io.stdout, `... and ${v.omitted} more problems`);
  writeLine(
    io.stderr,
    `kiosk audit: the audit log is NOT intact: ${v.problems.length + v.omitted} problem(s) in ${v.entries} entries`,
  );
  return 1;
}

export const command: CliCommand = {
  name: 'audit',
  summary: 'Verify the hash-chained audit log, or export it as JSON lines',
  usage,
  async run(args, io) {
    const parsed = parse(args);
    if (!parsed.ok) {
      writeLine(io.stderr, `kiosk audit: ${parsed.message}\n\n${usage}`);
      return 2;
    }
    let dataDir = parsed.dataDir;
    if (dataDir === undefined) {
      try {
        dataDir = loadConfig({ env: io.env }).dataDir;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        writeLine(io.stderr, error.message);
        return 78;
      }
    }
    const opened = openAuditLogReadOnly(join(dataDir, QUEUE_DB_FILE));
    if (!opened.ok) {
      writeLine(io.stderr, `kiosk audit: ${opened.error.code}: ${opened.error.message}`);
      return 1;
    }
    try {
      return parsed.action === 'export'
        ? await exportLog(opened.value, io)
        : verifyLog(opened.value, parsed.anchors, parsed.json, io);
    } finally {
      opened.value.close();
    }
  },
};
