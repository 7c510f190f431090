/**
 * Alarms for the administrator: the sync layer never gives up silently. An alarm is recorded in
 * the store (when the store can still write) and pushed to listeners. One open alarm per code:
 * raising it again while it is open only notifies listeners again.
 */
import type { Database } from 'better-sqlite3';

export type AlarmCode =
  | 'store.damaged'
  | 'storage.full'
  | 'storage.failed'
  | 'sync.auth'
  | 'sync.clock_skew'
  | 'sync.clock_step'
  | 'sync.attempts_exceeded'
  | 'sync.oldest_too_old'
  | 'sync.quarantined'
  | 'sync.integrity';

export interface Alarm {
  readonly code: AlarmCode;
  readonly message: string;
  readonly at: number;
}

export type AlarmListener = (alarm: Alarm) => void;

export class Alarms {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #listeners = new Set<AlarmListener>();
  /** Alarms that could not be written (e.g. the disk is full), kept until they can be. */
  readonly #unrecorded: Alarm[] = [];

  constructor(db: Database, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  raise(code: AlarmCode, message: string): Alarm {
    const alarm: Alarm = { code, message, at: this.#now() };
    try {
      this.#flushUnrecorded();
      this.#record(alarm);
    } catch {
      this.#unrecorded.push(alarm);
    }
    for (const listener of this.#listeners) {
      try {
        listener(alarm);
      } catch {
        // a listener's failure must not stop the others
      }
    }
    return alarm;
  }

  clear(code: AlarmCode): void {
    for (let i = this.#unrecorded.length - 1; i >= 0; i--) {
      if (this.#unrecorded[i]?.code === code) this.#unrecorded.splice(i, 1);
    }
    try {
      this.#db
        .prepare('UPDATE alarms SET cleared_at = ? WHERE code = ? AND cleared_at IS NULL')
        .run(this.#now(), code);
    } catch {
      // nothing to clear when the store cannot write; the alarm stays visible
    }
  }

  /** Open (uncleared) alarms, oldest first, including any not yet written. */
  open(): Alarm[] {
    const rows = this.#db
      .prepare('SELECT code, message, at FROM alarms WHERE cleared_at IS NULL ORDER BY id')
      .all() as Alarm[];
    return [...rows, ...this.#unrecorded];
  }

  isOpen(code: AlarmCode): boolean {
    return this.open().some((a) => a.code === code);
  }

  onAlarm(listener: AlarmListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispose(): void {
    this.#listeners.clear();
  }

  #record(alarm: Alarm): void {
    const exists = this.#db
      .prepare('SELECT 1 FROM alarms WHERE code = ? AND cleared_at IS NULL LIMIT 1')
      .get(alarm.code);
    if (exists === undefined) {
      this.#db
        .prepare('INSERT INTO alarms (at, code, message) VALUES (?, ?, ?)')
        .run(alarm.at, alarm.code, alarm.message);
    }
  }

  #flushUnrecorded(): void {
    while (this.#unrecorded.length > 0) {
      const first = this.#unrecorded[0] as Alarm;
      this.#record(first);
      this.#unrecorded.shift();
    }
  }
}
