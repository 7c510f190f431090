/**
 * The audit log's hash chain, format v1: how one entry is hashed, and what the first entry chains
 * from. Every entry stores the hash of the entry before it (`prev_hash`) and its own `hash`:
 *
 *   hash = SHA-256( "serviceterminal.audit.v1\n" +
 *                   JSON.stringify([seq, at, event, submission_id, state, detail, prev_hash]) )
 *
 * as lowercase hex, where `detail` is the stored text: canonical JSON (object keys sorted by UTF-16
 * code units, no whitespace) of the entry's fields. The first entry chains from `GENESIS_HASH`.
 * Anyone holding an export can recompute the chain with nothing but SHA-256.
 *
 * Why a plain hash and not an HMAC under a per-terminal secret: the secret would sit beside the
 * device key in the data folder, readable by exactly the people who can rewrite `kiosk.db`, so it
 * would only stop someone who has the database file alone; and it would make every export
 * unverifiable without copying the secret off the terminal. What makes a rewrite detectable is a
 * head kept where the writer cannot reach it (audit-verify.ts).
 */
import { createHash } from 'node:crypto';

export const AUDIT_FORMAT = 'serviceterminal.audit.v1';
/** What the first entry's `prev_hash` holds. */
export const GENESIS_HASH = '0'.repeat(64);

/** A point of the chain: an entry's seq and hash (what the heartbeat sends as the head). */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

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
