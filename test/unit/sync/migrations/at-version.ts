/** Queue databases at a given schema version, as a terminal of that release left them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { migrations } from '../../../../sync/migrations/index.ts';
import { openStore, type Store } from '../../../../sync/store.ts';

export class VersionedStore {
  readonly dir = mkdtempSync(join(tmpdir(), 'migration-test-'));
  readonly path = join(this.dir, 'kiosk.db');
  readonly #opened: Store[] = [];

  /** Opens the database with the shipped migrations up to `version` applied (the ones before are kept). */
  open(version: number): Store {
    const r = openStore({
      path: this.path,
      now: () => 1_700_000_000_000,
      migrations: migrations.filter((m) => m.version <= version),
    });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    this.#opened.push(r.value);
    return r.value;
  }

  /** Writes at `version`, closes, and opens again at `version + 1`. */
  migrate(version: number, write: (db: Database) => void): Store {
    const before = this.open(version);
    write(before.db);
    before.close();
    return this.open(version + 1);
  }

  close(): void {
    for (const s of this.#opened.splice(0)) s.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function rows(db: Database, table: string): unknown[] {
  return db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
}

export function version(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** A fresh `VersionedStore` for each test of the calling file, closed after it. */
export function versionedStores(): () => VersionedStore {
  let stores: VersionedStore | undefined;
  beforeEach(() => {
    stores = new VersionedStore();
  });
  afterEach(() => stores?.close());
  return () => {
    if (stores === undefined) throw new Error('only inside a test');
    return stores;
  };
}
