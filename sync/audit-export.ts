/**
 * The audit log's export: JSON lines, one entry per line, oldest first, with the entry's time also
 * as ISO 8601 for reading; and the parser that verifies such an export without the database (e.g.
 * on the portal against the heads the terminal's heartbeats recorded).
 */
import { canonicalJson } from './audit-chain.ts';
import type { AuditRow } from './audit-sql.ts';
import { type AuditVerification, ChainCheck, type VerifyOptions } from './audit-verify.ts';

/** One line of an export (no newline). A detail that is not JSON is kept as `detailText`. */
export function exportLine(r: AuditRow): string {
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

const nullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** The stored row an export line stands for, or undefined when the line is not an entry. */
function parseLine(e: Record<string, unknown>): AuditRow | undefined {
  const { seq, at, event, submissionId, state, prevHash, hash } = e;
  if (
    !Number.isSafeInteger(seq) ||
    !Number.isSafeInteger(at) ||
    typeof event !== 'string' ||
    !nullableString(submissionId) ||
    !nullableString(state) ||
    typeof prevHash !== 'string' ||
    typeof hash !== 'string'
  ) {
    return undefined;
  }
  return {
    seq: seq as number,
    at: at as number,
    event,
    submission_id: submissionId,
    state,
    detail: typeof e.detailText === 'string' ? e.detailText : canonicalJson(e.detail ?? null),
    prev_hash: prevHash,
    hash,
  };
}

/**
 * Verifies an export (JSON lines from `AuditLog.exportLines`) without the database. Lines that
 * are not entries are problems.
 */
export function verifyExport(text: string, options: VerifyOptions = {}): AuditVerification {
  const check = new ChainCheck(options);
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo += 1;
    if (line.trim() === '') continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      check.add({ kind: 'unreadable', seq: null, message: `line ${lineNo} is not JSON` });
      continue;
    }
    const row = e !== null && typeof e === 'object' ? parseLine(e as Record<string, unknown>) : undefined;
    if (row === undefined) {
      check.add({ kind: 'unreadable', seq: null, message: `line ${lineNo} is not an audit entry` });
      continue;
    }
    check.row(row);
  }
  check.checkAnchors();
  return check.result();
}
