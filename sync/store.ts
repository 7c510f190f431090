/**
 * The terminal's SQLite store. On EVERY open: WAL, `synchronous=FULL` (better-sqlite3 reopens a
 * WAL database at NORMAL otherwise), a busy timeout, foreign keys, temp files in memory (so
 * nothing lands in the temp folder) and secure_delete (purged ciphertext is overwritten).
 *
 * Start-up never crash-loops: the file is integrity-checked; a damaged file is moved aside with
 * its -wal and -shm, what can be read is salvaged into a fresh store (salvage.ts: applications
 * queued again), an alarm naming what was lost is returned and recorded, and the audit log of the
 * fresh store begins with the salvage.
 *
 * The files are the kiosk user's alone: the database is created 0600 before SQLite opens it
 * (SQLite gives its -wal and -shm the database file's permissions), and a database, -wal or -shm
 * found with wider permissions (an older installation) is narrowed to 0600 at open.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { AuditLog } from './audit.ts';
import { migrations as allMigrations } from './migrations/index.ts';
import type { Migration } from './migrations/types.ts';
import { err, ok, type Result } from './result.ts';
import { type SalvageReport, salvageInto } from './salvage.ts';

export type { Database } from 'better-sqlite3';

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** SQLite's value for `PRAGMA synchronous=FULL`. */
export const SYNCHRONOUS_FULL = 2;

export interface StoreAlarm {
  readonly code: 'store.damaged';
  readonly message: string;
  readonly at: number;
  /** Where the damaged file now lies. */
  readonly movedTo: string;
  /** What the salvage brought back and what it could not. */
  readonly salvage: SalvageReport;
}

export interface Store {
  readonly db: Database;
  readonly path: string;
  /** Alarms raised while opening (already recorded in the `alarms` table). */
  readonly startupAlarms: readonly StoreAlarm[];
  close(): void;
}

export interface OpenStoreOptions {
  readonly path: string;
  /** Wall clock in epoch milliseconds. */
  readonly now?: () => number;
  readonly busyTimeoutMs?: number;
  /** `quick` (default) runs `PRAGMA quick_check`; `full` runs `PRAGMA integrity_check`. */
  readonly integrityCheck?: 'quick' | 'full';
  /** For tests of future schema steps; defaults to every shipped migration. */
  readonly migrations?: readonly Migration[];
}

export type StoreOpenErrorCode = 'store.open_failed' | 'store.migration_failed';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Applies the per-connection settings and checks that FULL really took. */
function configure(db: Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (String(mode).toLowerCase() !== 'wal') throw new Error(`journal_mode is ${String(mode)}, not wal`);
  db.pragma('synchronous = FULL');
  const sync = db.pragma('synchronous', { simple: true });
  if (sync !== SYNCHRONOUS_FULL) throw new Error(`synchronous is ${String(sync)}, not FULL`);
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('secure_delete = ON');
}

function integrityProblem(db: Database, kind: 'quick' | 'full'): string | undefined {
  const rows = db.pragma(kind === 'full' ? 'integrity_check' : 'quick_check') as Record<string, unknown>[];
  const lines = rows.map((r) => String(Object.values(r)[0]));
  if (lines.length === 1 && lines[0] === 'ok') return undefined;
  return lines.slice(0, 3).join('; ') || 'integrity check returned nothing';
}

function migrate(db: Database, migrations: readonly Migration[], now: number): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, now);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

type Attempt = { ok: true; db: Database } | { ok: false; damaged: boolean; reason: string };

function isDamageError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Reads the file header before SQLite touches the file: SQLite deletes a -wal/-shm it cannot use
 * when it closes a file that is not a database, and they belong with the damaged file.
 */
function headerProblem(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const size = statSync(path).size;
  if (size === 0) return undefined;
  if (size < 100) return `file too short for a database header (${size} bytes)`;
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    readSync(fd, header, 0, header.length, 0);
    return header.equals(SQLITE_HEADER) ? undefined : 'file is not a database (bad header)';
  } finally {
    closeSync(fd);
  }
}

/** The permissions of the store's files: read and write for the kiosk user only. */
export const STORE_FILE_MODE = 0o600;

/** Creates the database file 0600 if it is missing, and narrows existing files to 0600. */
function ownFiles(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', STORE_FILE_MODE));
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const file = path + suffix;
    if (existsSync(file) && (statSync(file).mode & 0o777) !== STORE_FILE_MODE)
      chmodSync(file, STORE_FILE_MODE);
  }
}

function tryOpen(path: string, options: OpenStoreOptions, now: number): Attempt {
  let db: Database | undefined;
  try {
    const problem = headerProblem(path);
    if (problem !== undefined) return { ok: false, damaged: true, reason: problem };
    ownFiles(path);
  } catch (e) {
    return { ok: false, damaged: false, reason: messageOf(e) };
  }
  try {
    db = new BetterSqlite3(path);
    configure(db, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    const problem = integrityProblem(db, options.integrityCheck ?? 'quick');
    if (problem !== undefined) {
      db.close();
      return { ok: false, damaged: true, reason: problem };
    }
  } catch (e) {
    try {
      db?.close();
    } catch {
      // the handle is unusable either way
    }
    return { ok: false, damaged: isDamageError(e), reason: messageOf(e) };
  }
  try {
    migrate(db, options.migrations ?? allMigrations, now);
    return { ok: true, db };
  } catch (e) {
    db.close();
    return { ok: false, damaged: isDamageError(e), reason: `migration: ${messageOf(e)}` };
  }
}

/** Whether `name` (in the store's folder) is a damaged copy of the store file `base` moved aside. */
export function isDamagedCopy(base: string, name: string): boolean {
  return name.startsWith(`${base}.damaged-`);
}

function moveAside(path: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[:.]/g, '-');
  let target = `${path}.damaged-${stamp}`;
  for (let n = 1; existsSync(target); n++) target = `${path}.damaged-${stamp}-${n}`;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

function damageMessage(reason: string, s: SalvageReport): string {
  const head = `The queue database was damaged (${reason}); it was moved aside and a fresh one started.`;
  if (s.outcome === 'failed') {
    return `${head} Nothing could be salvaged (${s.reason ?? 'unreadable'}). The queue starts empty; the damaged copy is kept.`;
  }
  const lost =
    s.unrecovered.length === 0 && s.lostUnknown === 0
      ? 'Nothing known was lost.'
      : `Not recovered: ${s.unrecovered.length > 0 ? s.unrecovered.join(', ') : 'no tracking number known'}` +
        `${s.lostUnknown > 0 ? ` and ${s.lostUnknown} application(s) known only by id` : ''}.`;
  return `${head} ${s.recovered} application(s) recovered and queued again. ${lost}`;
}

/** The fresh store's audit log begins with the salvage: counts and the tracking numbers lost. */
function recordSalvage(db: Database, s: SalvageReport, at: number): void {
  try {
    new AuditLog(db, { now: () => at }).append('store_salvaged', {
      outcome: s.outcome,
      recovered: s.recovered,
      unrecovered: s.unrecovered.slice(0, 200),
      unrecoveredCount: s.unrecovered.length,
      lostUnknown: s.lostUnknown,
    });
  } catch {
    // the alarm still says it
  }
}

/** Opens (or creates) the store at `path`. Never throws. */
export function openStore(options: OpenStoreOptions): Result<Store, StoreOpenErrorCode> {
  const now = options.now ?? Date.now;
  const path = options.path;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (e) {
    return err('store.open_failed', `cannot create the data folder: ${messageOf(e)}`);
  }
  const alarms: StoreAlarm[] = [];
  let attempt = tryOpen(path, options, now());
  if (!attempt.ok && attempt.damaged) {
    const at = now();
    let movedTo: string;
    try {
      movedTo = moveAside(path, at);
    } catch (e) {
      return err('store.open_failed', `the store is damaged and cannot be moved aside: ${messageOf(e)}`);
    }
    const reason = attempt.reason;
    attempt = tryOpen(path, options, now());
    if (attempt.ok) {
      const salvage = salvageInto(attempt.db, movedTo, now());
      alarms.push({ code: 'store.damaged', message: damageMessage(reason, salvage), at, movedTo, salvage });
      recordSalvage(attempt.db, salvage, at);
    }
  }
  if (!attempt.ok) {
    return err(
      attempt.reason.startsWith('migration:') ? 'store.migration_failed' : 'store.open_failed',
      attempt.reason,
    );
  }
  const db = attempt.db;
  const hasAlarmTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alarms'")
    .get();
  if (hasAlarmTable !== undefined) {
    const insertAlarm = db.prepare('INSERT INTO alarms (at, code, message) VALUES (?, ?, ?)');
    for (const a of alarms) insertAlarm.run(a.at, a.code, `${a.message} Moved to ${basename(a.movedTo)}.`);
  }
  let closed = false;
  return ok({
    db,
    path,
    startupAlarms: alarms,
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  });
}

/** Writes the WAL back into the database file (e.g. before a backup or a scan). */
export function checkpoint(store: Store): void {
  store.db.pragma('wal_checkpoint(TRUNCATE)');
}
