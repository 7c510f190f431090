import type { Migration } from './types.ts';

/**
 * Staff sign-in lockout counters (core/staff/lockout.ts), so that a restart does not hand out
 * fresh attempts. One row per badge (keyed by its 64-hex keyed hash, never the badge code) and
 * one for the terminal (`terminal`); `failures` is a JSON array of wall-clock epoch ms.
 */
export const migration: Migration = {
  version: 3,
  name: 'staff-lockout',
  up(db) {
    db.exec(`
      CREATE TABLE staff_lockout (
        key TEXT PRIMARY KEY CHECK (key = 'terminal' OR (length(key) = 64 AND key NOT GLOB '*[^0-9a-f]*')),
        failures TEXT NOT NULL CHECK (json_valid(failures) AND json_type(failures) = 'array'),
        locked_until INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
