/**
 * The reference portal's SQLite database: WAL with synchronous=FULL set on every open, a busy
 * timeout, and numbered migrations recorded in `user_version`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

const MIGRATIONS: readonly string[] = [
  // 1: keys, terminals, enrolment, idempotency, submissions, status events, accounts, call-backs
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY, private_jwk TEXT NOT NULL, public_jwk TEXT NOT NULL, created_at INTEGER NOT NULL
  );
  CREATE TABLE authority_keys (
    kid TEXT PRIMARY KEY, private_jwk TEXT NOT NULL, public_jwk TEXT NOT NULL,
    not_before INTEGER NOT NULL, not_after INTEGER NOT NULL, created_at INTEGER NOT NULL
  );
  CREATE TABLE enrolment_codes (
    code_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    used_at INTEGER, terminal_id TEXT
  );
  CREATE TABLE terminals (
    terminal_id TEXT PRIMARY KEY, key_id TEXT NOT NULL, public_jwk TEXT NOT NULL, label TEXT,
    app_version TEXT, enrolled_at INTEGER NOT NULL, last_seen_at INTEGER, last_heartbeat TEXT,
    revoked_at INTEGER
  );
  CREATE TABLE idempotency (
    terminal_id TEXT NOT NULL, route TEXT NOT NULL, key TEXT NOT NULL, body_sha256 TEXT NOT NULL,
    status INTEGER NOT NULL, answer TEXT NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (terminal_id, route, key)
  );
  CREATE TABLE submissions (
    submission_id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, idempotency_key TEXT NOT NULL,
    metadata_jwe TEXT NOT NULL, manifest_signature TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'delivered', 'rejected')),
    created_at INTEGER NOT NULL, received_at INTEGER, tracking_number TEXT UNIQUE, service_id TEXT,
    birth_date TEXT, application TEXT, authority_kid TEXT, reject_code TEXT, reject_message TEXT,
    status TEXT, status_reason TEXT, status_at INTEGER
  );
  CREATE TABLE parts (
    submission_id TEXT NOT NULL, part_id TEXT NOT NULL, kind TEXT NOT NULL, media_type TEXT NOT NULL,
    sealed_size INTEGER NOT NULL, sha512_sealed TEXT NOT NULL, received INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (submission_id, part_id)
  );
  CREATE TABLE part_chunks (
    submission_id TEXT NOT NULL, part_id TEXT NOT NULL, offset INTEGER NOT NULL, bytes BLOB NOT NULL,
    PRIMARY KEY (submission_id, part_id, offset)
  );
  CREATE TABLE attachments (
    submission_id TEXT NOT NULL, part_id TEXT NOT NULL, media_type TEXT NOT NULL, content BLOB NOT NULL,
    PRIMARY KEY (submission_id, part_id)
  );
  CREATE TABLE status_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, terminal_id TEXT NOT NULL,
    submission_id TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, at INTEGER NOT NULL, jws TEXT NOT NULL
  );
  CREATE INDEX status_events_terminal ON status_events (terminal_id, seq);
  CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, latin_name TEXT NOT NULL,
    search_key TEXT NOT NULL, birth_date TEXT NOT NULL, email TEXT NOT NULL,
    registered_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'active')),
    activated_at INTEGER, activated_by_terminal TEXT, clerk_staff_id TEXT, clerk_method TEXT,
    document_kind TEXT, checked_by TEXT, document_hash TEXT
  );
  CREATE TABLE callbacks (
    ticket_id TEXT PRIMARY KEY, ticket_number TEXT NOT NULL UNIQUE, terminal_id TEXT NOT NULL,
    service_id TEXT NOT NULL, language TEXT NOT NULL, name TEXT NOT NULL, phone TEXT NOT NULL,
    preferred_slots TEXT NOT NULL, tracking_number TEXT, created_at INTEGER NOT NULL
  );
  `,
  // 2: service-account sign-in (user name, argon2id password hash, phone) and terminal commands
  `
  ALTER TABLE accounts ADD COLUMN user_name TEXT;
  ALTER TABLE accounts ADD COLUMN password_hash TEXT;
  ALTER TABLE accounts ADD COLUMN phone TEXT;
  CREATE UNIQUE INDEX accounts_user_name ON accounts (user_name) WHERE user_name IS NOT NULL;
  CREATE TABLE terminal_commands (
    command_id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, type TEXT NOT NULL,
    issued_at INTEGER NOT NULL, jws TEXT NOT NULL, acked_at INTEGER
  );
  CREATE INDEX terminal_commands_open ON terminal_commands (terminal_id, acked_at, issued_at);
  `,
  // 3: token ids seen, so that a token is accepted once
  `
  CREATE TABLE seen_tokens (
    terminal_id TEXT NOT NULL, jti TEXT NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (terminal_id, jti)
  );
  CREATE INDEX seen_tokens_expiry ON seen_tokens (expires_at);
  `,
  // 4: the audit heads terminals reported (append-only) and the alarms raised about terminals
  `
  CREATE TABLE audit_heads (
    id INTEGER PRIMARY KEY AUTOINCREMENT, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL,
    hash TEXT NOT NULL, received_at INTEGER NOT NULL
  );
  CREATE INDEX audit_heads_terminal ON audit_heads (terminal_id, id);
  CREATE TRIGGER audit_heads_no_update BEFORE UPDATE ON audit_heads
    BEGIN SELECT RAISE(ABORT, 'audit_heads is append-only'); END;
  CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
    BEGIN SELECT RAISE(ABORT, 'audit_heads is append-only'); END;
  CREATE TABLE terminal_alarms (
    id INTEGER PRIMARY KEY AUTOINCREMENT, terminal_id TEXT NOT NULL, code TEXT NOT NULL,
    detail TEXT NOT NULL, raised_at INTEGER NOT NULL
  );
  CREATE INDEX terminal_alarms_terminal ON terminal_alarms (terminal_id, id);
  `,
  // 5: the authority's cases (reference, keyed birth-date hash, status) and their signed event log
  `
  CREATE TABLE cases (
    case_id TEXT PRIMARY KEY, case_reference TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL CHECK (origin IN ('terminal', 'portal', 'counter')),
    submission_id TEXT UNIQUE, terminal_id TEXT, tracking_number TEXT UNIQUE, service_id TEXT NOT NULL,
    birth_date_hash TEXT, status TEXT NOT NULL, status_at INTEGER NOT NULL, created_at INTEGER NOT NULL
  );
  CREATE TABLE case_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, case_id TEXT NOT NULL,
    case_seq INTEGER NOT NULL, status TEXT NOT NULL, details TEXT NOT NULL, at INTEGER NOT NULL,
    jws TEXT NOT NULL, UNIQUE (case_id, case_seq)
  );
  `,
  // 6: Service-Center tickets (contact as given, birth date only as its keyed hash)
  `
  CREATE TABLE tickets (
    ticket_number TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, topic TEXT NOT NULL, status TEXT NOT NULL,
    language TEXT NOT NULL, constraints TEXT NOT NULL, contact TEXT NOT NULL, birth_date_hash TEXT NOT NULL,
    case_reference TEXT, tracking_number TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
  );
  `,
  // 7: documents handed in at a terminal: each attachment's purpose (checklist item) and SHA-256
  `
  ALTER TABLE attachments ADD COLUMN purpose TEXT;
  ALTER TABLE attachments ADD COLUMN sha256 TEXT;
  `,
];

/** Opens (creating if needed) the portal database in `dataDir` and brings it to the latest schema. */
export function openPortalDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'portal.sqlite'));
  db.pragma('journal_mode = WAL');
  // better-sqlite3 reopens a WAL database at NORMAL: set FULL on every open.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
