/**
 * Commands an administrator gives a terminal at the portal (a remote wipe). Each is offered in
 * every heartbeat answer until the terminal acknowledges it, signed afresh for each offer with
 * the portal key (`command+jwt`, bound to the terminal, `exp` ten minutes on), so a recorded
 * answer is worthless soon after. An acknowledged wipe also revokes the terminal: its key is
 * gone, and a copy of it must not be accepted either.
 */
import { randomUUID } from 'node:crypto';
import { COMMAND_JWS_TYPE, COMMAND_TTL_SECONDS, type TerminalCommand } from '../sync/protocol/index.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';
import { type SigningKey, signCompactEs256 } from './keys.ts';

export interface CommandInfo {
  readonly id: string;
  readonly type: TerminalCommand['type'];
  readonly issuedAt: string;
  readonly ackedAt: string | null;
}

interface CommandRow {
  command_id: string;
  type: TerminalCommand['type'];
  issued_at: number;
  acked_at: number | null;
  jws: string;
}

/** At most this many open commands go into one heartbeat answer (the protocol's limit). */
const MAX_OFFERED = 20;

export class Commands {
  constructor(
    private readonly db: Db,
    private readonly signingKey: SigningKey,
  ) {}

  /** Records a command for a terminal; returns its id, or undefined when the terminal is unknown or revoked. */
  request(terminalId: string, type: TerminalCommand['type'], now: number): string | undefined {
    const known = this.db
      .prepare('SELECT 1 FROM terminals WHERE terminal_id = ? AND revoked_at IS NULL')
      .get(terminalId);
    if (known === undefined) return undefined;
    const id = `cmd-${randomUUID()}`;
    const payload: TerminalCommand = { id, type, terminalId, issuedAt: iso(now), exp: expiry(now) };
    this.db
      .prepare(
        'INSERT INTO terminal_commands (command_id, terminal_id, type, issued_at, jws) VALUES (?, ?, ?, ?, ?)',
      )
      .run(id, terminalId, type, now, signCompactEs256(this.signingKey, payload, COMMAND_JWS_TYPE));
    return id;
  }

  /** The commands not yet acknowledged, oldest first, each signed now with a fresh `exp`. */
  open(terminalId: string, now: number): string[] {
    return (
      this.db
        .prepare(
          'SELECT command_id, type, issued_at FROM terminal_commands WHERE terminal_id = ? AND acked_at IS NULL ORDER BY issued_at, command_id LIMIT ?',
        )
        .all(terminalId, MAX_OFFERED) as Pick<CommandRow, 'command_id' | 'type' | 'issued_at'>[]
    ).map((r) => {
      const payload: TerminalCommand = {
        id: r.command_id,
        type: r.type,
        terminalId,
        issuedAt: iso(r.issued_at),
        exp: expiry(now),
      };
      return signCompactEs256(this.signingKey, payload, COMMAND_JWS_TYPE);
    });
  }

  /** Marks the terminal's acknowledged commands; returns those newly acknowledged. Call inside the heartbeat's transaction. */
  acknowledge(terminalId: string, ids: readonly string[], now: number): CommandInfo[] {
    const done: CommandInfo[] = [];
    const mark = this.db.prepare(
      'UPDATE terminal_commands SET acked_at = ? WHERE terminal_id = ? AND command_id = ? AND acked_at IS NULL',
    );
    const read = this.db.prepare(
      'SELECT command_id, type, issued_at, acked_at, jws FROM terminal_commands WHERE command_id = ?',
    );
    for (const id of ids) {
      if (mark.run(now, terminalId, id).changes !== 1) continue;
      const row = read.get(id) as CommandRow;
      done.push(toInfo(row));
    }
    return done;
  }

  list(terminalId: string): CommandInfo[] {
    return (
      this.db
        .prepare(
          'SELECT command_id, type, issued_at, acked_at, jws FROM terminal_commands WHERE terminal_id = ? ORDER BY issued_at, command_id',
        )
        .all(terminalId) as CommandRow[]
    ).map(toInfo);
  }
}

function expiry(now: number): number {
  return Math.floor(now / 1000) + COMMAND_TTL_SECONDS;
}

function toInfo(r: CommandRow): CommandInfo {
  return {
    id: r.command_id,
    type: r.type,
    issuedAt: iso(r.issued_at),
    ackedAt: r.acked_at === null ? null : iso(r.acked_at),
  };
}
