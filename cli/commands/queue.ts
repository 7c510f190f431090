/**
 * `kiosk queue`: the delivery queue at a glance for an administrator — counts by state, bytes
 * and age of what waits, quarantined items (ids and codes only), open alarms. No personal data:
 * the queue holds none in readable form.
 */
import { join } from 'node:path';
import { Alarms } from '../../sync/alarms.ts';
import { Outbox } from '../../sync/outbox.ts';
import { openStore } from '../../sync/store.ts';
import { QUEUE_DB_FILE } from '../../sync/terminal.ts';
import { type CliCommand, type CliIo, writeLine } from '../command.ts';

const usage = `Usage: kiosk queue [--data DIR] [--json]

Shows the delivery queue: counts by state (queued, sending, delivered, accepted, rejected,
purged), the bytes and age of what still waits, quarantined items and open alarms.

  --data DIR   the kiosk's data folder (default: $KIOSK_DATA_DIR)
  --json       print one JSON object instead of text`;

export function dataDirFrom(args: readonly string[], io: CliIo): string | undefined {
  const i = args.indexOf('--data');
  if (i >= 0) return args[i + 1];
  const env = io.env.KIOSK_DATA_DIR;
  return env === undefined || env === '' ? undefined : env;
}

export function formatAge(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

export const command: CliCommand = {
  name: 'queue',
  summary: 'Delivery queue: counts by state, oldest age, quarantine, alarms',
  usage,
  async run(args, io) {
    const unknown = args.filter(
      (a, i) => a.startsWith('-') && a !== '--data' && a !== '--json' && args[i - 1] !== '--data',
    );
    if (unknown.length > 0) {
      writeLine(io.stderr, `kiosk queue: unknown option ${unknown[0]}\n\n${usage}`);
      return 2;
    }
    const dataDir = dataDirFrom(args, io);
    if (dataDir === undefined) {
      writeLine(io.stderr, 'kiosk queue: no data folder; pass --data DIR or set KIOSK_DATA_DIR');
      return 2;
    }
    const opened = openStore({ path: join(dataDir, QUEUE_DB_FILE) });
    if (!opened.ok) {
      writeLine(io.stderr, `kiosk queue: ${opened.error.code}: ${opened.error.message}`);
      return 1;
    }
    const store = opened.value;
    try {
      const now = Date.now();
      const alarms = new Alarms(store.db, () => now);
      const outbox = new Outbox({
        store,
        alarms,
        clock: { now: () => now, monotonic: () => performance.now() },
      });
      const counts = outbox.counts(now);
      const quarantined = outbox.quarantined().map((q) => ({
        submissionId: q.submissionId,
        trackingNumber: q.trackingNumber,
        source: q.rejectSource,
        code: q.rejectCode,
        attempts: q.attempts,
        createdAt: new Date(q.createdAt).toISOString(),
      }));
      const open = alarms
        .open()
        .map((a) => ({ code: a.code, at: new Date(a.at).toISOString(), message: a.message }));
      if (args.includes('--json')) {
        writeLine(io.stdout, JSON.stringify({ ...counts, quarantined, alarms: open }));
        return 0;
      }
      for (const [state, n] of Object.entries(counts.byState))
        writeLine(io.stdout, `${state.padEnd(10)} ${n}`);
      writeLine(io.stdout, `waiting    ${counts.pending} item(s), ${counts.pendingBytes} bytes sealed`);
      writeLine(io.stdout, `oldest     ${formatAge(counts.oldestPendingAgeMs)}`);
      for (const q of quarantined) {
        writeLine(
          io.stdout,
          `quarantined ${q.submissionId} ${q.trackingNumber} ${q.source}:${q.code} (${q.attempts} attempts)`,
        );
      }
      for (const a of open) writeLine(io.stdout, `ALARM ${a.code} since ${a.at}: ${a.message}`);
      return 0;
    } finally {
      store.close();
    }
  },
};
