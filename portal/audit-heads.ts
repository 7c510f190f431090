/**
 * The audit heads each terminal reports with its heartbeat (the newest entry of its hash-chained
 * audit log: sequence number and hash), kept as an append-only history: the table refuses
 * UPDATE and DELETE by trigger. A terminal's log only grows, so a new head must extend the
 * previous one: a lower sequence number, or the same one with another hash, means entries were
 * removed or rewritten on the terminal (or its database was replaced by an older copy). Such a
 * head is recorded too, and an alarm `audit.head_rewritten` is raised for the administrator
 * (`GET /admin/v1/alarms`, and with the terminal in `GET /admin/v1/terminals`).
 */
import type { HeartbeatRequest } from '../sync/protocol/index.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';

export type AuditHead = NonNullable<HeartbeatRequest['auditHead']>;

export interface TerminalAlarm {
  readonly terminalId: string;
  readonly code: 'audit.head_rewritten';
  readonly detail: { readonly previous: AuditHead; readonly reported: AuditHead };
  readonly raisedAt: string;
}

interface HeadRow {
  seq: number;
  hash: string;
}

interface AlarmRow {
  terminal_id: string;
  code: TerminalAlarm['code'];
  detail: string;
  raised_at: number;
}

export class AuditHeads {
  constructor(private readonly db: Db) {}

  /**
   * Records a reported head (call inside the heartbeat's transaction); an unchanged head adds
   * nothing. Returns the alarm raised, if the head does not extend the previous one.
   */
  record(terminalId: string, head: AuditHead, now: number): TerminalAlarm | undefined {
    const previous = this.db
      .prepare('SELECT seq, hash FROM audit_heads WHERE terminal_id = ? ORDER BY id DESC LIMIT 1')
      .get(terminalId) as HeadRow | undefined;
    if (previous !== undefined && previous.seq === head.seq && previous.hash === head.hash) return undefined;
    this.db
      .prepare('INSERT INTO audit_heads (terminal_id, seq, hash, received_at) VALUES (?, ?, ?, ?)')
      .run(terminalId, head.seq, head.hash, now);
    if (previous === undefined || head.seq > previous.seq) return undefined;
    const detail = { previous: { seq: previous.seq, hash: previous.hash }, reported: head };
    this.db
      .prepare('INSERT INTO terminal_alarms (terminal_id, code, detail, raised_at) VALUES (?, ?, ?, ?)')
      .run(terminalId, 'audit.head_rewritten', JSON.stringify(detail), now);
    return { terminalId, code: 'audit.head_rewritten', detail, raisedAt: iso(now) };
  }

  /** The heads a terminal reported, oldest first. */
  history(
    terminalId: string,
  ): { readonly seq: number; readonly hash: string; readonly receivedAt: string }[] {
    return (
      this.db
        .prepare('SELECT seq, hash, received_at FROM audit_heads WHERE terminal_id = ? ORDER BY id')
        .all(terminalId) as (HeadRow & { received_at: number })[]
    ).map((r) => ({ seq: r.seq, hash: r.hash, receivedAt: iso(r.received_at) }));
  }

  /** Alarms about terminals, oldest first; one terminal's when `terminalId` is given. */
  alarms(terminalId?: string): TerminalAlarm[] {
    const rows = (
      terminalId === undefined
        ? this.db.prepare('SELECT * FROM terminal_alarms ORDER BY id').all()
        : this.db.prepare('SELECT * FROM terminal_alarms WHERE terminal_id = ? ORDER BY id').all(terminalId)
    ) as AlarmRow[];
    return rows.map((r) => ({
      terminalId: r.terminal_id,
      code: r.code,
      detail: JSON.parse(r.detail) as TerminalAlarm['detail'],
      raisedAt: iso(r.raised_at),
    }));
  }
}
