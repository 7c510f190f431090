/**
 * The store's key-value state (`sync_state`): small bookkeeping values that outlive a restart,
 * such as the status cursor, the authority key set, the signed configuration and the heartbeat's
 * acknowledgements. Values are text; what they mean is their owner's business. A value holding a
 * secret is sealed by its owner first (state-seal.ts).
 */
import type { Database } from 'better-sqlite3';

export class SyncState {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  getState(key: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  setState(key: string, value: string): void {
    this.#db
      .prepare(
        'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
