/**
 * Audit log figures (synchronous=FULL, the store's settings):
 *
 * 1. Append throughput for 100,000 entries in transactions of 1,000, next to a bare insert of
 *    the same rows into a plain table of the same shape (no hashing, no triggers).
 * 2. One append per transaction (how the outbox and staff actions append): p50/p99, next to a
 *    bare one-row insert transaction.
 * 3. `verify()` of the 100,000 entries, and `export()`.
 * 4. Migration 002 chaining 100,000 entries written before it (a terminal upgraded after a year:
 *    about 21,000 submissions a year, four entries each).
 *
 * `BENCH_AUDIT_ENTRIES` and `BENCH_AUDIT_SINGLE` scale it down for a quick look.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../sync/audit.ts';
import { migration as m001 } from '../../sync/migrations/001-outbox.ts';
import { openStore, type Store } from '../../sync/store.ts';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? '100000');
const SINGLE = Number(process.env.BENCH_AUDIT_SINGLE ?? '2000');
const BATCH = 1000;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

function stats(samples: number[]): { p50: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99) };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const rate = (n: number, millis: number) => `${Math.round(n / (millis / 1000)).toLocaleString('en')}/s`;

/** What an outbox entry typically carries: ids, a hash, sizes. */
function fields(i: number) {
  return {
    authorityKid: 'authority-2025',
    sha512Metadata: (i.toString(16).padStart(8, '0') + 'ab'.repeat(60)).slice(0, 128),
    sealedBytes: 270_000 + (i % 997),
    attempt: i % 5,
  };
}

function open(path: string, migrations?: (typeof m001)[]): Store {
  const r = openStore({ path, ...(migrations ? { migrations } : {}) });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function bareTable(store: Store): (i: number) => void {
  store.db.exec(`CREATE TABLE bare (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
    event TEXT NOT NULL, submission_id TEXT, state TEXT, detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT`);
  const insert = store.db.prepare(
    'INSERT INTO bare (at, event, submission_id, state, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const h = 'f'.repeat(64);
  return (i) => {
    insert.run(Date.now(), 'enqueued', `sub-${i}`, 'queued', JSON.stringify(fields(i)), h, h);
  };
}

function throughputBench(dir: string): void {
  const store = open(join(dir, 'kiosk.db'));
  try {
    const log = new AuditLog(store.db);
    const t0 = performance.now();
    for (let b = 0; b < ENTRIES; b += BATCH) {
      store.db.transaction(() => {
        for (let i = b; i < Math.min(ENTRIES, b + BATCH); i++) {
          log.append('enqueued', fields(i), { submissionId: `sub-${i}`, state: 'queued' });
        }
      })();
    }
    const appendMs = performance.now() - t0;
    const bare = bareTable(store);
    const t1 = performance.now();
    for (let b = 0; b < ENTRIES; b += BATCH) {
      store.db.transaction(() => {
        for (let i = b; i < Math.min(ENTRIES, b + BATCH); i++) bare(i);
      })();
    }
    const bareMs = performance.now() - t1;

    const single: number[] = [];
    for (let i = 0; i < SINGLE; i++) {
      const s0 = performance.now();
      log.append('attempt', { attempt: i % 5 }, { submissionId: `sub-${i}`, state: 'sending' });
      single.push(performance.now() - s0);
    }
    const bareSingle: number[] = [];
    for (let i = 0; i < SINGLE; i++) {
      const s0 = performance.now();
      store.db.transaction(() => bare(ENTRIES + i))();
      bareSingle.push(performance.now() - s0);
    }

    const v0 = performance.now();
    const v = log.verify();
    const verifyMs = performance.now() - v0;
    if (!v.ok) throw new Error('the benchmark log does not verify');
    const x0 = performance.now();
    const exported = log.export();
    const exportMs = performance.now() - x0;
    const sync = store.db.pragma('synchronous', { simple: true });

    console.log(`audit log, synchronous=${sync === 2 ? 'FULL' : sync}`);
    console.log(
      `  append ${ENTRIES.toLocaleString('en')} entries, ${BATCH} per transaction   ${(appendMs / 1000).toFixed(2)} s  (${rate(ENTRIES, appendMs)})`,
    );
    console.log(
      `  bare insert, same rows, no hash/triggers   ${(bareMs / 1000).toFixed(2)} s  (${rate(ENTRIES, bareMs)}; ratio ${(appendMs / bareMs).toFixed(1)}x)`,
    );
    const a = stats(single);
    const b = stats(bareSingle);
    console.log(
      `  one append per transaction, n=${SINGLE}       p50 ${ms(a.p50)}   p99 ${ms(a.p99)}  (${rate(
        SINGLE,
        single.reduce((n, x) => n + x, 0),
      )})`,
    );
    console.log(`  bare one-row insert transaction            p50 ${ms(b.p50)}   p99 ${ms(b.p99)}`);
    console.log(
      `  verify ${v.entries.toLocaleString('en')} entries                     ${ms(verifyMs)}  (${rate(v.entries, verifyMs)})`,
    );
    console.log(
      `  export ${v.entries.toLocaleString('en')} entries as JSON lines       ${ms(exportMs)}  (${(exported.length / 1024 / 1024).toFixed(1)} MiB)`,
    );
  } finally {
    store.close();
  }
}

function migrationBench(dir: string): void {
  const path = join(dir, 'old.db');
  const old = open(path, [m001]);
  const insert = old.db.prepare(
    'INSERT INTO audit (at, event, submission_id, state, detail) VALUES (?, ?, ?, ?, ?)',
  );
  for (let b = 0; b < ENTRIES; b += BATCH) {
    old.db.transaction(() => {
      for (let i = b; i < Math.min(ENTRIES, b + BATCH); i++) {
        insert.run(Date.now(), 'enqueued', `sub-${i}`, 'queued', JSON.stringify(fields(i)));
      }
    })();
  }
  old.close();
  const t0 = performance.now();
  const migrated = open(path);
  const migrateMs = performance.now() - t0;
  try {
    const v = new AuditLog(migrated.db).verify();
    if (!v.ok || v.entries !== ENTRIES) throw new Error('the migrated log does not verify');
    console.log(
      `  migration 002, ${ENTRIES.toLocaleString('en')} old entries chained    ${(migrateMs / 1000).toFixed(2)} s (open included)`,
    );
  } finally {
    migrated.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bench-audit-'));
try {
  throughputBench(dir);
  migrationBench(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
