/**
 * Verification of the audit log: recomputes the chain and checks it against the local anchors
 * and against heads recorded elsewhere. Reports problems, never throws.
 *
 * The head is anchored twice:
 * - locally, in `audit_head` and in `sqlite_sequence` (audit-sql.ts): removing the last entries,
 *   emptying the table or editing without recomputing the chain shows up at once;
 * - remotely: the heartbeat sends the log's head to the portal, and `anchors` checks that the
 *   chain still passes through every head the portal has recorded. Only this catches a rewrite
 *   by someone who recomputed every hash and moved the local anchors too.
 */
import { type AuditHead, entryHash, GENESIS_HASH } from './audit-chain.ts';
import { AUDIT_TRIGGERS, type AuditRow, type AuditTable } from './audit-sql.ts';

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

function missingMessage(seq: number, count: number): string {
  return count === 1 ? `entry ${seq} is missing` : `entries ${seq} to ${seq + count - 1} are missing`;
}

/**
 * Checks a sequence of entries in order of seq; shared by the table's verification and the
 * export's (audit-export.ts).
 */
export class ChainCheck {
  readonly problems: AuditProblem[] = [];
  omitted = 0;
  entries = 0;
  last: AuditHead | null = null;
  readonly #max: number;
  readonly #wanted: Map<number, string[]>;
  readonly #found = new Map<number, string>();
  #truncatedTo = 0;

  constructor(options: VerifyOptions) {
    this.#max = options.maxProblems ?? 1000;
    this.#wanted = new Map();
    for (const a of options.anchors ?? []) {
      this.#wanted.set(a.seq, [...(this.#wanted.get(a.seq) ?? []), a.hash]);
    }
  }

  add(p: AuditProblem): void {
    if (this.problems.length < this.#max) this.problems.push(p);
    else this.omitted += 1;
  }

  row(r: AuditRow): void {
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

function checkTriggers(table: AuditTable, check: ChainCheck): void {
  const present = table.triggers();
  for (const [name, sql] of Object.entries(AUDIT_TRIGGERS)) {
    const found = present.get(name);
    if (found === undefined) {
      check.add({ kind: 'trigger_missing', seq: null, message: `trigger ${name} is missing` });
    } else if (normalizeSql(found) !== normalizeSql(sql)) {
      check.add({ kind: 'trigger_missing', seq: null, message: `trigger ${name} was changed` });
    }
  }
}

/** The local anchor against the last entry found. */
function checkLocalAnchor(anchor: AuditHead | undefined, check: ChainCheck): void {
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
}

/**
 * Recomputes the chain of the table and checks it against the triggers, the local anchor,
 * sqlite_sequence and any heads recorded elsewhere. Reads one consistent snapshot; never throws.
 */
export function verifyTable(table: AuditTable, options: VerifyOptions = {}): AuditVerification {
  const check = new ChainCheck(options);
  const run = () => {
    const tables = table.tableNames();
    checkTriggers(table, check);
    if (!tables.has('audit')) {
      check.add({ kind: 'truncated', seq: null, message: 'the audit table is missing' });
      return;
    }
    for (const r of table.rows()) check.row(r);
    const anchor = tables.has('audit_head') ? table.anchor() : undefined;
    checkLocalAnchor(anchor, check);
    const anchorSeq = anchor?.seq ?? 0;
    const sequenceSeq = table.sequence();
    if (anchorSeq >= sequenceSeq) check.expectEnd(anchorSeq, 'the local anchor');
    else check.expectEnd(sequenceSeq, 'sqlite_sequence');
    check.checkAnchors();
  };
  try {
    table.snapshot(run);
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
