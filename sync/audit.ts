/**
 * The terminal's audit log: append-only, hash-chained, no personal data.
 *
 * Every entry stores the hash of the entry before it (`prev_hash`) and its own `hash`:
 *
 *   hash = SHA-256( "serviceterminal.audit.v1\n" +
 *                   JSON.stringify([seq, at, event, submission_id, state, detail, prev_hash]) )
 *
 * as lowercase hex, where `detail` is the stored text: canonical JSON (object keys sorted by UTF-16
 * code units, no whitespace) of the entry's fields. The first entry chains from `GENESIS_HASH`.
 * Anyone holding an export (`exportLines`) can recompute the chain with nothing but SHA-256.
 *
 * Why a plain hash and not an HMAC under a per-terminal secret: the secret would sit beside the
 * device key in the data folder, readable by exactly the people who can rewrite `kiosk.db`, so it
 * would only stop someone who has the database file alone; and it would make every export
 * unverifiable without copying the secret off the terminal. A chain of either kind can be
 * recomputed by whoever may write it; what makes a rewrite detectable is a head kept where that
 * person cannot write. So the head is anchored twice:
 *
 * - locally, in `audit_head` (advanced by a trigger on every insert, never moved back, never
 *   deleted) and in `sqlite_sequence`: removing the last entries, emptying the table or editing
 *   without recomputing the chain shows up at once;
 * - remotely: `head()` is what the heartbeat sends to the portal; `verify({ anchors })` checks
 *   that the chain still passes through every head the portal has recorded. Only this catches a
 *   rewrite by someone who recomputed every hash and moved the local anchors too.
 *
 * SQL triggers refuse UPDATE and DELETE on `audit` and an insert that does not continue the
 * chain; `verify` reports the triggers missing or changed, so dropping them to edit is visible.
 *
 * What goes in (checked by `append`, which throws `AuditInputError`): the log records what
 * happened, never who. No names, birth dates, document numbers, PINs or badge codes (a badge
 * appears as the 8-hex reference of its keyed hash). A program cannot tell personal data from
 * other text, so the shape is restricted instead: event names `^[a-z][a-z0-9_.-]{0,63}$`, keys
 * `^[A-Za-z][A-Za-z0-9_]{0,63}$`, values string (at most 256 characters), finite number,
 * boolean or null, and arrays/objects of those at most three levels deep (the outbox's purge
 * tombstone lists the hashes of the parts), at most 16 KiB in all. Error messages name the
 * offending key, never the value.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { err, ok, type Result } from './result.ts';

export const AUDIT_FORMAT = 'serviceterminal.audit.v1';
/** What the first entry's `prev_hash` holds. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditScalar = string | number | boolean | null;
export type AuditValue = AuditScalar | readonly AuditValue[] | { readonly [key: string]: AuditValue };
export type AuditDetail = { readonly [key: string]: AuditValue };

export const AUDIT_EVENT_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
export const AUDIT_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const SUBMISSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const STATE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
export const AUDIT_MAX_STRING = 256;
/** How deep arrays and objects may nest below the detail object itself. */
export const AUDIT_MAX_NESTING = 3;
export const AUDIT_MAX_ITEMS = 64;
export const AUDIT_MAX_DETAIL_BYTES = 16 * 1024;

/** An entry `append` refuses. A fault of the caller's program, hence thrown. */
export class AuditInputError extends Error {
  readonly code = 'audit.invalid';
}

/**
 * The triggers migration 002 installs and `verify` expects, by name. A change to them needs a new
 * migration that replaces them (002 then keeps a literal copy of these).
 */
export const AUDIT_TRIGGERS: Readonly<Record<string, string>> = {
  audit_no_update: `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`,
  audit_no_delete: `CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`,
  audit_chain_link: `CREATE TRIGGER audit_chain_link BEFORE INSERT ON audit
    WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1)
      OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head WHERE id = 1)
    BEGIN SELECT RAISE(ABORT, 'an audit entry must continue the chain'); END`,
  audit_head_advance: `CREATE TRIGGER audit_head_advance AFTER INSERT ON audit
    BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash, at = NEW.at WHERE id = 1; END`,
  audit_head_no_delete: `CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
    BEGIN SELECT RAISE(ABORT, 'the audit anchor cannot be removed'); END`,
  audit_head_forward_only: `CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
    WHEN NEW.id IS NOT OLD.id OR NEW.seq <= OLD.seq
      OR NEW.hash IS NOT (SELECT hash FROM audit WHERE seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'the audit anchor only moves forward to an existing entry'); END`,
};

/** JSON with object keys sorted (UTF-16 code units) and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

export interface HashedFields {
  readonly seq: number;
  readonly at: number;
  readonly event: string;
  readonly submissionId: string | null;
  readonly state: string | null;
  /** The stored detail text. */
  readonly detail: string;
  readonly prevHash: string;
}

/** The entry's hash, format v1 (see the top of this file). */
export function entryHash(e: HashedFields): string {
  const body = JSON.stringify([e.seq, e.at, e.event, e.submissionId, e.state, e.detail, e.prevHash]);
  return createHash('sha256').update(`${AUDIT_FORMAT}\n${body}`, 'utf8').digest('hex');
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function checkObject(obj: object, path: string, depth: number): void {
  const keys = Object.keys(obj);
  if (keys.length > AUDIT_MAX_ITEMS) throw new AuditInputError(`${path || 'detail'} has too many keys`);
  for (const key of keys) {
    if (!AUDIT_KEY_PATTERN.test(key)) {
      throw new AuditInputError(`audit field key ${JSON.stringify(key.slice(0, 64))} is not allowed`);
    }
    checkValue((obj as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth);
  }
}

/** `depth` is the nesting level of `v`: the detail's own values are at level 1. */
function checkValue(v: unknown, path: string, depth: number): void {
  if (v === null || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new AuditInputError(`audit field ${path} is not a finite number`);
    return;
  }
  if (typeof v === 'string') {
    if (v.length > AUDIT_MAX_STRING) throw new AuditInputError(`audit field ${path} is too long`);
    return;
  }
  if (typeof v !== 'object' || (!Array.isArray(v) && !isPlainObject(v))) {
    throw new AuditInputError(`audit field ${path} is not a string, number, boolean or null`);
  }
  if (depth > AUDIT_MAX_NESTING) throw new AuditInputError(`audit field ${path} is nested too deep`);
  if (Array.isArray(v)) {
    if (v.length > AUDIT_MAX_ITEMS) throw new AuditInputError(`audit field ${path} has too many items`);
    v.forEach((item, i) => {
      checkValue(item, `${path}[${i}]`, depth + 1);
    });
    return;
  }
  checkObject(v, path, depth + 1);
}

/** Checks the fields against the rule above and returns their canonical text. */
export function auditDetailText(fields: AuditDetail): string {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields) || !isPlainObject(fields)) {
    throw new AuditInputError('audit fields must be a plain object');
  }
  checkObject(fields, '', 1);
  const text = canonicalJson(fields);
  if (Buffer.byteLength(text, 'utf8') > AUDIT_MAX_DETAIL_BYTES) {
    throw new AuditInputError('audit fields are too large');
  }
  return text;
}

export interface AuditEntry {
  readonly seq: number;
  /** Wall clock, epoch milliseconds. */
  readonly at: number;
  readonly event: string;
  readonly submissionId: string | null;
  readonly state: string | null;
  readonly detail: AuditDetail;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export interface AppendOptions {
  readonly submissionId?: string | null;
  readonly state?: string | null;
}

export type AuditProblemKind =
  /** The entry's content no longer matches its hash. */
  | 'edited'
  /** The entry's `prev_hash` is not the hash of the entry before it: reordered or replaced. */
  | 'broken_link'
  /** Entries are missing between two that remain. */
  | 'gap'
  /** Entries are missing at the end: the log stops before the local anchor or sqlite_sequence. */
  | 'truncated'
  /** A protecting trigger was dropped or changed. */
  | 'trigger_missing'
  /** The chain does not pass through a recorded head (a rewrite that recomputed the hashes). */
  | 'anchor_mismatch'
  /** The table cannot be read as an audit log any more. */
  | 'unreadable';

export interface AuditProblem {
  readonly kind: AuditProblemKind;
  /** The first entry concerned, or null when the problem is not about one entry. */
  readonly seq: number | null;
  /** For `gap` and `truncated`: how many entries are missing. */
  readonly count?: number;
  /** One line for the administrator, e.g. "entry 17 was edited". */
  readonly message: string;
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly head: AuditHead | null }
  | {
      readonly ok: false;
      readonly entries: number;
      /** The last entry found (not necessarily the true head). */
      readonly head: AuditHead | null;
      readonly problems: readonly AuditProblem[];
      /** Problems found beyond `maxProblems` and left out of the list. */
      readonly omitted: number;
    };

export interface VerifyOptions {
  /** Heads recorded elsewhere (the portal's record of heartbeats); the chain must pass through each. */
  readonly anchors?: readonly AuditHead[];
  /** Longest problem list returned (default 1000); the rest is counted in `omitted`. */
  readonly maxProblems?: number;
}

interface Row {
  seq: number;
  at: number;
  event: string;
  submission_id: string | null;
  state: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

function missingMessage(seq: number, count: number): string {
  return count === 1 ? `entry ${seq} is missing` : `entries ${seq} to ${seq + count - 1} are missing`;
}

/**
 * Checks a sequence of entries in order of seq; shared by `AuditLog.verify` (rows of the table)
 * and `verifyExport` (lines of an export).
 */
class ChainCheck {
  readonly problems: AuditProblem[] = [];
  omitted = 0;
  entries = 0;
  last: AuditHead | null = null;
  readonly #max: number;
  readonly #wanted: Map<number, string[]>;
  readonly #found = new Map<number, string>();
  #truncatedTo = 0;

  constructor(maxProblems: number, anchors: readonly AuditHead[]) {
    this.#max = maxProblems;
    this.#wanted = new Map();
    for (const a of anchors) this.#wanted.set(a.seq, [...(this.#wanted.get(a.seq) ?? []), a.hash]);
  }

  add(p: AuditProblem): void {
    if (this.problems.length < this.#max) this.problems.push(p);
    else this.omitted += 1;
  }

  row(r: Row): void {
    const prevSeq = this.last?.seq ?? 0;
    const prevHash = this.last?.hash ?? GENESIS_HASH;
    if (r.seq <= prevSeq) {
      // Only an export can present this (the table orders by its primary key).
      this.add({ kind: 'broken_link', seq: r.seq, message: `entry ${r.seq} is out of order` });
      return;
    }
    this.entries += 1;
    if (r.seq > prevSeq + 1) {
      const count = r.seq - prevSeq - 1;
      this.add({ kind: 'gap', seq: prevSeq + 1, count, message: missingMessage(prevSeq + 1, count) });
    } else if (r.prev_hash !== prevHash) {
      this.add({
        kind: 'broken_link',
        seq: r.seq,
        message:
          prevSeq === 0
            ? `entry ${r.seq} does not start the chain (entries before it were replaced)`
            : `entry ${r.seq} does not follow entry ${prevSeq} (reordered, or one was replaced)`,
      });
    }
    const computed = entryHash({
      seq: r.seq,
      at: r.at,
      event: r.event,
      submissionId: r.submission_id,
      state: r.state,
      detail: r.detail,
      prevHash: r.prev_hash,
    });
    if (computed !== r.hash) this.add({ kind: 'edited', seq: r.seq, message: `entry ${r.seq} was edited` });
    if (this.#wanted.has(r.seq)) this.#found.set(r.seq, r.hash);
    // The stored hash carries on, so one edit is reported once and not as a cascade.
    this.last = { seq: r.seq, hash: r.hash };
  }

  /** Entries up to `expected` were written (per `source`); report any the log stops short of. */
  expectEnd(expected: number, source: string): void {
    const lastSeq = this.last?.seq ?? 0;
    if (expected <= lastSeq || expected <= this.#truncatedTo) return;
    this.#truncatedTo = expected;
    const count = expected - lastSeq;
    this.add({
      kind: 'truncated',
      seq: lastSeq + 1,
      count,
      message:
        lastSeq === 0
          ? `the audit log is empty but ${source} shows ${expected} entries were written`
          : `${missingMessage(lastSeq + 1, count)} at the end (${source} shows ${expected} were written)`,
    });
  }

  checkAnchors(): void {
    const lastSeq = this.last?.seq ?? 0;
    for (const [seq, hashes] of this.#wanted) {
      if (seq > lastSeq) {
        this.expectEnd(seq, 'a recorded head');
        continue;
      }
      const found = this.#found.get(seq);
      for (const hash of hashes) {
        if (found !== hash) {
          this.add({
            kind: 'anchor_mismatch',
            seq,
            message:
              found === undefined
                ? `entry ${seq} is missing, but a recorded head points to it`
                : `entry ${seq} is not the entry a recorded head points to (the log was rewritten)`,
          });
        }
      }
    }
  }

  result(): AuditVerification {
    if (this.problems.length === 0 && this.omitted === 0) {
      return { ok: true, entries: this.entries, head: this.last };
    }
    const problems = [...this.problems].sort(
      (a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER),
    );
    return { ok: false, entries: this.entries, head: this.last, problems, omitted: this.omitted };
  }
}

const normalizeSql = (sql: string) => sql.replace(/\s+/g, ' ').trim();

function toEntry(r: Row): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    event: r.event,
    submissionId: r.submission_id,
    state: r.state,
    detail: JSON.parse(r.detail) as AuditDetail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** One line of an export: the entry with its time also as ISO 8601 for reading. */
function exportLine(r: Row): string {
  let detail: unknown;
  try {
    detail = JSON.parse(r.detail);
  } catch {
    detail = undefined;
  }
  return JSON.stringify({
    seq: r.seq,
    at: r.at,
    time: new Date(r.at).toISOString(),
    event: r.event,
    submissionId: r.submission_id,
    state: r.state,
    ...(detail === undefined ? { detailText: r.detail } : { detail }),
    prevHash: r.prev_hash,
    hash: r.hash,
  });
}

interface Statements {
  readonly head: Statement<[], { seq: number; hash: string }>;
  readonly insert: Statement<[number, number, string, string | null, string | null, string, string, string]>;
}

export interface AuditLogOptions {
  /** Wall clock in epoch milliseconds. */
  readonly now?: () => number;
}

export class AuditLog {
  readonly #db: Database;
  readonly #now: () => number;
  #statements: Statements | undefined;

  constructor(db: Database, options: AuditLogOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  get #s(): Statements {
    this.#statements ??= {
      head: this.#db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
      insert: this.#db.prepare(
        `INSERT INTO audit (seq, at, event, submission_id, state, detail, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
    return this.#statements;
  }

  /**
   * Appends one entry. Inside a caller's transaction it becomes part of it (the outbox writes
   * submission, outbox entry and audit entry in one); otherwise it commits on its own.
   * Throws `AuditInputError` for fields outside the rule (see the top of this file).
   */
  append(event: string, fields: AuditDetail = {}, options: AppendOptions = {}): AuditEntry {
    if (typeof event !== 'string' || !AUDIT_EVENT_PATTERN.test(event)) {
      throw new AuditInputError('audit event name is not allowed');
    }
    const submissionId = options.submissionId ?? null;
    if (submissionId !== null && !SUBMISSION_ID_PATTERN.test(submissionId)) {
      throw new AuditInputError('audit submission id is not allowed');
    }
    const state = options.state ?? null;
    if (state !== null && !STATE_PATTERN.test(state)) throw new AuditInputError('audit state is not allowed');
    const detail = auditDetailText(fields);
    const write = (): AuditEntry => {
      const head = this.#s.head.get();
      if (head === undefined) throw new Error('the audit anchor is missing; the log was tampered with');
      const seq = head.seq + 1;
      const at = Math.floor(this.#now());
      const hash = entryHash({ seq, at, event, submissionId, state, detail, prevHash: head.hash });
      this.#s.insert.run(seq, at, event, submissionId, state, detail, head.hash, hash);
      return {
        seq,
        at,
        event,
        submissionId,
        state,
        detail: JSON.parse(detail) as AuditDetail,
        prevHash: head.hash,
        hash,
      };
    };
    return this.#db.inTransaction ? write() : this.#db.transaction(write).immediate();
  }

  /** The newest entry (as the local anchor records it), or null while the log is empty. */
  head(): AuditHead | null {
    const row = this.#s.head.get();
    return row === undefined || row.seq === 0 ? null : { seq: row.seq, hash: row.hash };
  }

  /** Entries in order, optionally those of one submission or from a seq on. */
  entries(filter: { submissionId?: string; fromSeq?: number; limit?: number } = {}): AuditEntry[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.submissionId !== undefined) {
      where.push('submission_id = ?');
      params.push(filter.submissionId);
    }
    if (filter.fromSeq !== undefined) {
      where.push('seq >= ?');
      params.push(filter.fromSeq);
    }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${
      filter.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`
    }`;
    return (this.#db.prepare(sql).all(...params) as Row[]).map(toEntry);
  }

  /** The whole log as JSON lines (no trailing newline per item), oldest first, streamed. */
  *exportLines(): Generator<string> {
    for (const r of this.#db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>) {
      yield exportLine(r);
    }
  }

  /** The whole log as JSON lines, for the administrators' log export. */
  export(): string {
    let out = '';
    for (const line of this.exportLines()) out += `${line}\n`;
    return out;
  }

  /**
   * Recomputes the chain and checks it against the triggers, the local anchor, sqlite_sequence
   * and any heads recorded elsewhere. Reads one consistent snapshot; never throws.
   */
  verify(options: VerifyOptions = {}): AuditVerification {
    const check = new ChainCheck(options.maxProblems ?? 1000, options.anchors ?? []);
    const run = () => {
      const tables = new Set(
        (
          this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
        ).map((t) => t.name),
      );
      this.#checkTriggers(check);
      if (!tables.has('audit')) {
        check.add({ kind: 'truncated', seq: null, message: 'the audit table is missing' });
        return;
      }
      for (const r of this.#db
        .prepare('SELECT * FROM audit ORDER BY seq')
        .iterate() as IterableIterator<Row>) {
        check.row(r);
      }
      const anchor = tables.has('audit_head')
        ? (this.#db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined)
        : undefined;
      const sequence = this.#db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").get() as
        | { seq: number }
        | undefined;
      const lastSeq = check.last?.seq ?? 0;
      if (anchor === undefined) {
        check.add({ kind: 'truncated', seq: null, message: 'the local anchor of the audit log is missing' });
      } else if (anchor.seq < lastSeq) {
        check.add({
          kind: 'anchor_mismatch',
          seq: anchor.seq + 1,
          message: `entries after ${anchor.seq} were added behind the local anchor's back`,
        });
      } else if (anchor.seq === lastSeq && anchor.seq > 0 && anchor.hash !== check.last?.hash) {
        check.add({
          kind: 'anchor_mismatch',
          seq: anchor.seq,
          message: `entry ${anchor.seq} is not the entry the local anchor records (the log was rewritten)`,
        });
      }
      const anchorSeq = anchor?.seq ?? 0;
      const sequenceSeq = sequence?.seq ?? 0;
      if (anchorSeq >= sequenceSeq) check.expectEnd(anchorSeq, 'the local anchor');
      else check.expectEnd(sequenceSeq, 'sqlite_sequence');
      check.checkAnchors();
    };
    try {
      this.#db.transaction(run)();
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      check.add({
        kind: 'unreadable',
        seq: null,
        message: `the audit log cannot be read (${typeof code === 'string' ? code : 'malformed table'})`,
      });
    }
    return check.result();
  }

  #checkTriggers(check: ChainCheck): void {
    const present = new Map(
      (
        this.#db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as {
          name: string;
          sql: string | null;
        }[]
      ).map((t) => [t.name, t.sql ?? '']),
    );
    for (const [name, sql] of Object.entries(AUDIT_TRIGGERS)) {
      const found = present.get(name);
      if (found === undefined) {
        check.add({ kind: 'trigger_missing', seq: null, message: `trigger ${name} is missing` });
      } else if (normalizeSql(found) !== normalizeSql(sql)) {
        check.add({ kind: 'trigger_missing', seq: null, message: `trigger ${name} was changed` });
      }
    }
  }
}

/**
 * Verifies an export (JSON lines from `exportLines`) without the database, e.g. on the portal
 * against the heads the terminal's heartbeats recorded. Lines that are not entries are problems.
 */
export function verifyExport(text: string, options: VerifyOptions = {}): AuditVerification {
  const check = new ChainCheck(options.maxProblems ?? 1000, options.anchors ?? []);
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo += 1;
    if (line.trim() === '') continue;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      check.add({ kind: 'unreadable', seq: null, message: `line ${lineNo} is not JSON` });
      continue;
    }
    const { seq, at, event, submissionId, state, prevHash, hash } = e;
    const detail = typeof e.detailText === 'string' ? e.detailText : canonicalJson(e.detail ?? null);
    const nullableString = (v: unknown) => v === null || typeof v === 'string';
    if (
      !Number.isSafeInteger(seq) ||
      !Number.isSafeInteger(at) ||
      typeof event !== 'string' ||
      !nullableString(submissionId) ||
      !nullableString(state) ||
      typeof prevHash !== 'string' ||
      typeof hash !== 'string'
    ) {
      check.add({ kind: 'unreadable', seq: null, message: `line ${lineNo} is not an audit entry` });
      continue;
    }
    check.row({
      seq: seq as number,
      at: at as number,
      event,
      submission_id: submissionId as string | null,
      state: state as string | null,
      detail,
      prev_hash: prevHash,
      hash,
    });
  }
  check.checkAnchors();
  return check.result();
}

export type AuditOpenErrorCode = 'audit.no_store' | 'audit.open_failed' | 'audit.not_chained';

export interface ReadOnlyAuditLog {
  readonly log: AuditLog;
  close(): void;
}

/**
 * Opens the audit log of a queue database read-only (for `kiosk audit`): evidence is not
 * migrated, repaired or moved aside, and nothing can be written through this handle.
 */
export function openAuditLogReadOnly(path: string): Result<ReadOnlyAuditLog, AuditOpenErrorCode> {
  if (!existsSync(path)) return err('audit.no_store', `no queue database at ${path}`);
  let db: Database;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
  } catch (e) {
    return err('audit.open_failed', `the queue database cannot be opened: ${(e as Error).message}`);
  }
  try {
    const hasMigrations = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    const chained =
      hasMigrations !== undefined && db.prepare('SELECT 1 FROM schema_migrations WHERE version = 2').get();
    if (!chained) {
      db.close();
      return err(
        'audit.not_chained',
        'the queue database predates the chained audit log; start the kiosk once to migrate it',
      );
    }
  } catch (e) {
    db.close();
    return err('audit.open_failed', `the queue database cannot be read: ${(e as Error).message}`);
  }
  return ok({ log: new AuditLog(db), close: () => db.close() });
}
