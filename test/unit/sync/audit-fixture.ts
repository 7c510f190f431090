/** An audit log on a fresh store in a temp folder, with a wall clock the test moves. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { AuditLog } from '../../../sync/audit.ts';
import { AUDIT_TRIGGERS } from '../../../sync/audit-sql.ts';
import type { AuditProblem } from '../../../sync/audit-verify.ts';
import { openStore, type Store } from '../../../sync/store.ts';

export class AuditFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'audit-test-'));
  /** The wall clock the log reads, epoch ms. */
  clock = Date.UTC(2025, 2, 1, 9, 0, 0);
  readonly store: Store;
  readonly log: AuditLog;

  constructor() {
    this.store = this.open();
    this.log = new AuditLog(this.store.db, { now: () => this.clock });
  }

  open(path = join(this.dir, 'kiosk.db')): Store {
    const r = openStore({ path, now: () => this.clock });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  }

  /** `n` entries a second apart: staff actions and queue events by turns. */
  appendSome(n: number): void {
    for (let i = 1; i <= n; i++) {
      this.clock += 1000;
      this.log.append(
        i % 2 ? 'staff.action' : 'enqueued',
        { n: i, ok: i % 3 === 0, code: `c-${i}` },
        {
          submissionId: i % 2 ? null : `sub-${i}`,
          state: i % 2 ? null : 'queued',
        },
      );
    }
  }

  /** What someone with the file does first: the triggers are in the way. */
  dropTriggers(db = this.store.db): void {
    for (const name of Object.keys(AUDIT_TRIGGERS)) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
  }

  restoreTriggers(db = this.store.db): void {
    for (const sql of Object.values(AUDIT_TRIGGERS)) db.exec(sql);
  }

  problems(): AuditProblem[] {
    const v = this.log.verify();
    return v.ok ? [] : [...v.problems];
  }

  close(): void {
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const kinds = (ps: readonly AuditProblem[]) => ps.map((p) => `${p.kind}@${p.seq}`);

/** An independent implementation of the documented v1 format, to pin it. */
export function hashV1(e: {
  seq: number;
  at: number;
  event: string;
  submissionId: string | null;
  state: string | null;
  detail: unknown;
  prevHash: string;
}): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
          )
        : v;
  const body = JSON.stringify([
    e.seq,
    e.at,
    e.event,
    e.submissionId,
    e.state,
    JSON.stringify(sortKeys(e.detail)),
    e.prevHash,
  ]);
  return createHash('sha256').update(`serviceterminal.audit.v1\n${body}`).digest('hex');
}

/** A fresh `AuditFixture` for each test of the calling file, closed after it. */
export function auditFixtures(): () => AuditFixture {
  let fixture: AuditFixture | undefined;
  beforeEach(() => {
    fixture = new AuditFixture();
  });
  afterEach(() => fixture?.close());
  return () => {
    if (fixture === undefined) throw new Error('only inside a test');
    return fixture;
  };
}
