/**
 * Submissions: created from the sealed metadata and a part manifest, filled chunk by chunk
 * (resumable by offset), then submitted: the portal assembles every part, checks it against the
 * manifest, opens it with the authority's keys (device signature and every hash verified by
 * `openSubmission`) and stores the application for the status flow and tracking lookups.
 */
import { isAscii } from 'node:buffer';
import { compactVerify } from 'jose';
import type { Clock } from '../common/clock.ts';
import { dataSetProblems } from '../sync/protocol/datasets.ts';
import {
  applicationDataForPortalSchema,
  type CreateSubmissionRequest,
  type CreateSubmissionResponse,
  FOLLOW_UP_SERVICE,
  followUpDataSchema,
  type PartState,
  type SubmitResponse,
} from '../sync/protocol/index.ts';
import { manifestSchema, openSubmission, sha512Hex } from '../sync/sealing.ts';
import { validateTrackingNumber } from '../sync/tracking.ts';
import type { Terminal, TerminalAuth } from './auth.ts';
import type { Cases } from './cases.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';
import { FollowUps } from './follow-ups.ts';
import { type Answer, answer, failure, type Outcome } from './http.ts';
import type { AuthorityKeyRing } from './keys.ts';
import type { StatusLog } from './status.ts';

interface SubmissionRow {
  submission_id: string;
  terminal_id: string;
  metadata_jwe: string;
  state: 'open' | 'delivered' | 'rejected';
  created_at: number;
  received_at: number | null;
  tracking_number: string | null;
  reject_code: string | null;
  reject_message: string | null;
}

interface PartRow {
  part_id: string;
  kind: string;
  media_type: string;
  sealed_size: number;
  sha512_sealed: string;
  received: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function partState(row: PartRow, delivered: boolean): PartState {
  const received = delivered ? row.sealed_size : row.received;
  return {
    partId: row.part_id,
    sealedSize: row.sealed_size,
    received,
    complete: received === row.sealed_size,
  };
}

export class Submissions {
  /** Files follow-ups (documents handed in later) under their case. */
  readonly followUps: FollowUps | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly keyRing: AuthorityKeyRing,
    private readonly auth: TerminalAuth,
    private readonly status: StatusLog,
    /** Files each delivered submission as a case of the authority (with its case reference). */
    private readonly cases?: Cases,
  ) {
    this.followUps = cases === undefined ? undefined : new FollowUps(db, cases);
  }

  private row(terminal: Terminal, id: string): SubmissionRow | undefined {
    const row = this.db.prepare('SELECT * FROM submissions WHERE submission_id = ?').get(id) as
      | SubmissionRow
      | undefined;
    // another terminal's submission is as good as absent
    return row !== undefined && row.terminal_id === terminal.terminalId ? row : undefined;
  }

  private parts(id: string): PartRow[] {
    return this.db.prepare('SELECT * FROM parts WHERE submission_id = ? ORDER BY rowid').all(id) as PartRow[];
  }

  private stateOf(row: SubmissionRow): CreateSubmissionResponse {
    return {
      submissionId: row.submission_id,
      state: row.state,
      createdAt: iso(row.created_at),
      parts: this.parts(row.submission_id).map((p) => partState(p, row.state === 'delivered')),
    };
  }

  private rejected(row: SubmissionRow): Answer {
    return failure(422, 'submission.rejected', row.reject_message ?? 'The submission was rejected.', {
      retryable: false,
      reason: row.reject_code ?? 'unknown',
    });
  }

  /** Verifies the optional manifest signature: the terminal's own statement of what it sealed. */
  private async checkManifest(
    terminal: Terminal,
    body: CreateSubmissionRequest,
  ): Promise<Answer | undefined> {
    if (body.manifestSignature === undefined) return undefined;
    const refuse = (reason: string, message: string) =>
      failure(422, 'submission.rejected', message, { retryable: false, reason });
    let manifest: unknown;
    try {
      const { payload } = await compactVerify(body.manifestSignature, await this.auth.publicKey(terminal), {
        algorithms: ['ES256', 'EdDSA'],
      });
      manifest = JSON.parse(decoder.decode(payload));
    } catch {
      return refuse('seal.bad_signature', 'The manifest signature does not verify with the terminal key.');
    }
    const parsed = manifestSchema.safeParse(manifest);
    if (!parsed.success) return refuse('seal.malformed', 'The signed manifest is malformed.');
    const m = parsed.data;
    const same =
      m.submissionId === body.submissionId &&
      m.sha512OfMetadata === sha512Hex(body.metadata) &&
      m.parts.length === body.parts.length &&
      m.parts.every((p, i) => {
        const q = body.parts[i];
        return (
          q !== undefined &&
          q.partId === p.partId &&
          q.sha512OfSealed === p.sha512OfSealed &&
          q.sealedSize === p.sealedSize
        );
      });
    return same
      ? undefined
      : refuse('seal.hash_mismatch', 'The part manifest differs from the signed manifest.');
  }

  async create(terminal: Terminal, idempotencyKey: string, body: CreateSubmissionRequest): Promise<Outcome> {
    const refused = await this.checkManifest(terminal, body);
    if (refused !== undefined) return refused;
    return {
      commit: () => {
        const existing = this.db
          .prepare('SELECT * FROM submissions WHERE submission_id = ?')
          .get(body.submissionId) as SubmissionRow | undefined;
        if (existing !== undefined) {
          const sameContent =
            existing.terminal_id === terminal.terminalId &&
            existing.metadata_jwe === body.metadata &&
            JSON.stringify(this.parts(existing.submission_id).map((p) => [p.part_id, p.sha512_sealed])) ===
              JSON.stringify(body.parts.map((p) => [p.partId, p.sha512OfSealed]));
          if (sameContent) return answer(200, this.stateOf(existing));
          return failure(409, 'submission.exists', 'A different submission with this id exists.', {
            retryable: false,
          });
        }
        const now = this.clock.now();
        this.db
          .prepare(
            "INSERT INTO submissions (submission_id, terminal_id, idempotency_key, metadata_jwe, manifest_signature, state, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)",
          )
          .run(
            body.submissionId,
            terminal.terminalId,
            idempotencyKey,
            body.metadata,
            body.manifestSignature ?? null,
            now,
          );
        const insert = this.db.prepare(
          'INSERT INTO parts (submission_id, part_id, kind, media_type, sealed_size, sha512_sealed) VALUES (?, ?, ?, ?, ?, ?)',
        );
        for (const p of body.parts) {
          insert.run(body.submissionId, p.partId, p.kind, p.mediaType, p.sealedSize, p.sha512OfSealed);
        }
        const row = this.db
          .prepare('SELECT * FROM submissions WHERE submission_id = ?')
          .get(body.submissionId) as SubmissionRow;
        return answer(201, this.stateOf(row));
      },
    };
  }

  private part(id: string, partId: string): PartRow | undefined {
    return this.db.prepare('SELECT * FROM parts WHERE submission_id = ? AND part_id = ?').get(id, partId) as
      | PartRow
      | undefined;
  }

  /** Bytes [from, to) of what has been received of a part. */
  private readRange(id: string, partId: string, from: number, to: number): Buffer {
    const rows = this.db
      .prepare(
        'SELECT offset, bytes FROM part_chunks WHERE submission_id = ? AND part_id = ? AND offset < ? AND offset + length(bytes) > ? ORDER BY offset',
      )
      .all(id, partId, to, from) as { offset: number; bytes: Buffer }[];
    const all = Buffer.concat(rows.map((r) => r.bytes));
    const start = rows[0]?.offset ?? from;
    return all.subarray(from - start, to - start);
  }

  getPart(terminal: Terminal, id: string, partId: string): Answer {
    const row = this.row(terminal, id);
    if (row === undefined) return failure(404, 'submission.not_found', 'No submission with this id.');
    const part = this.part(id, partId);
    if (part === undefined) return failure(404, 'part.not_found', 'The submission has no part with this id.');
    return answer(200, partState(part, row.state === 'delivered'));
  }

  /**
   * Appends a chunk at `offset`. A chunk that repeats bytes already held (a resend after a lost
   * answer) is acknowledged, its new tail appended; a gap or differing bytes are refused with
   * the received length so the terminal can resume from there.
   */
  putPart(terminal: Terminal, id: string, partId: string, offset: number, bytes: Buffer): Answer {
    return this.db.transaction((): Answer => {
      const row = this.row(terminal, id);
      if (row === undefined) return failure(404, 'submission.not_found', 'No submission with this id.');
      if (row.state === 'rejected') return this.rejected(row);
      const part = this.part(id, partId);
      if (part === undefined)
        return failure(404, 'part.not_found', 'The submission has no part with this id.');
      // delivered: every part was complete and verified; a late resend changes nothing
      if (row.state === 'delivered') return answer(200, partState(part, true));
      const end = offset + bytes.length;
      if (end > part.sealed_size) {
        return failure(
          413,
          'part.too_large',
          `The part has ${part.sealed_size} bytes; this chunk ends at ${end}.`,
          {
            retryable: false,
            received: part.received,
          },
        );
      }
      if (offset > part.received) {
        return failure(409, 'part.gap', `The part continues at ${part.received}, not at ${offset}.`, {
          retryable: false,
          received: part.received,
        });
      }
      let tail = bytes;
      if (offset < part.received) {
        const overlapEnd = Math.min(end, part.received);
        const held = this.readRange(id, partId, offset, overlapEnd);
        if (!held.equals(bytes.subarray(0, overlapEnd - offset))) {
          return failure(409, 'part.overlap', `Bytes from ${offset} differ from those already received.`, {
            retryable: false,
            received: part.received,
          });
        }
        tail = bytes.subarray(overlapEnd - offset);
      }
      if (tail.length > 0) {
        this.db
          .prepare('INSERT INTO part_chunks (submission_id, part_id, offset, bytes) VALUES (?, ?, ?, ?)')
          .run(id, partId, part.received, tail);
        this.db
          .prepare('UPDATE parts SET received = received + ? WHERE submission_id = ? AND part_id = ?')
          .run(tail.length, id, partId);
      }
      return answer(200, partState({ ...part, received: part.received + tail.length }, false));
    })();
  }

  private delivered(row: SubmissionRow): Answer {
    const body: SubmitResponse = {
      status: 'delivered',
      submissionId: row.submission_id,
      trackingNumber: row.tracking_number ?? '',
      receivedAt: iso(row.received_at ?? row.created_at),
    };
    return answer(200, body);
  }

  private reject(
    id: string,
    reason: string,
    message: string,
    problems?: readonly { pointer: string; code: string }[],
  ): Outcome {
    return {
      commit: () => {
        const row = this.db
          .prepare('SELECT * FROM submissions WHERE submission_id = ?')
          .get(id) as SubmissionRow;
        if (row.state === 'delivered') return this.delivered(row);
        if (row.state === 'open') {
          this.db
            .prepare(
              "UPDATE submissions SET state = 'rejected', reject_code = ?, reject_message = ? WHERE submission_id = ?",
            )
            .run(reason, message, id);
          this.db.prepare('DELETE FROM part_chunks WHERE submission_id = ?').run(id);
        }
        const refused = this.rejected({
          ...row,
          state: 'rejected',
          reject_code: reason,
          reject_message: message,
        });
        // The problems are told with the refusal itself; a repeated request learns only the reason.
        if (!problems || refused.status !== 422) return refused;
        const body = refused.body as { error: Record<string, unknown> };
        return { ...refused, body: { error: { ...body.error, problems } } };
      },
    };
  }

  async submit(terminal: Terminal, id: string): Promise<Outcome> {
    const row = this.row(terminal, id);
    if (row === undefined) return failure(404, 'submission.not_found', 'No submission with this id.');
    if (row.state === 'delivered') return this.delivered(row);
    if (row.state === 'rejected') return this.rejected(row);
    const parts = this.parts(id);
    const missing = parts.filter((p) => p.received < p.sealed_size).map((p) => p.part_id);
    if (missing.length > 0) {
      return failure(409, 'submission.incomplete', 'Some parts are not completely uploaded.', {
        retryable: false,
        missingParts: missing,
      });
    }
    const sealedParts: { partId: string; jwe: string; computedSha512: string }[] = [];
    for (const p of parts) {
      const bytes = this.readRange(id, p.part_id, 0, p.sealed_size);
      // hashed once here; the opening compares this hash with the signed metadata's
      const computedSha512 = sha512Hex(bytes);
      if (bytes.length !== p.sealed_size || computedSha512 !== p.sha512_sealed) {
        return this.reject(id, 'seal.hash_mismatch', `Part ${p.part_id} does not match its declared hash.`);
      }
      // a compact JWE is ASCII: checked, then read as Latin-1 (no UTF-8 decoding of megabytes)
      if (!isAscii(bytes)) {
        return this.reject(id, 'seal.malformed', `Part ${p.part_id} is not a compact JWE.`);
      }
      sealedParts.push({ partId: p.part_id, jwe: bytes.toString('latin1'), computedSha512 });
    }
    const opened = await openSubmission(
      { submissionId: id, metadata: row.metadata_jwe, parts: sealedParts },
      this.keyRing.privateKeys(),
      async (kid) => (kid === terminal.keyId ? this.auth.publicKey(terminal) : undefined),
    );
    if (!opened.ok) return this.reject(id, opened.error.code, opened.error.message);
    const { metadata, data, attachments, authorityKid } = opened.value;
    if (metadata.terminalId !== terminal.terminalId) {
      return this.reject(id, 'seal.terminal_mismatch', 'The sealed metadata names another terminal.');
    }
    const kinds = new Map(parts.map((p) => [p.part_id, p.kind]));
    if (metadata.parts.some((p) => kinds.get(p.partId) !== p.kind)) {
      return this.reject(id, 'seal.hash_mismatch', 'The part kinds differ from the sealed metadata.');
    }
    const tracking = validateTrackingNumber(metadata.trackingNumber);
    if (!tracking.ok)
      return this.reject(id, 'tracking.invalid', 'The tracking number in the metadata is not valid.');
    // The standard data set must hold against its service's published schema (422 with the problems).
    const problems = dataSetProblems(metadata.serviceId, (data as { dataSet?: unknown } | null)?.dataSet);
    if (problems && problems.length > 0) {
      return this.reject(id, 'dataset.invalid', 'The data set does not hold against its schema.', problems);
    }
    const application = applicationDataForPortalSchema.safeParse(data);
    const birthDate = application.success ? application.data.applicant.birthDate : null;
    const followUp = metadata.serviceId === FOLLOW_UP_SERVICE ? followUpDataSchema.safeParse(data) : null;
    if (followUp?.success === false)
      return this.reject(id, 'seal.malformed', 'The follow-up does not name its case and documents.');
    return {
      commit: () => {
        const current = this.db
          .prepare('SELECT * FROM submissions WHERE submission_id = ?')
          .get(id) as SubmissionRow;
        if (current.state === 'delivered') return this.delivered(current);
        if (current.state === 'rejected') return this.rejected(current);
        const taken = this.db
          .prepare('SELECT 1 FROM submissions WHERE tracking_number = ? AND submission_id <> ?')
          .get(tracking.value, id);
        if (taken !== undefined) {
          const outcome = this.reject(
            id,
            'tracking.duplicate',
            'Another submission has this tracking number.',
          );
          return 'commit' in outcome ? outcome.commit() : outcome;
        }
        const now = this.clock.now();
        if (followUp) {
          // filed under the case it names, or refused with nothing written
          const filed = this.followUps?.file(followUp.data, tracking.value, now) ?? {
            ok: false as const,
            error: { code: 'case.not_found' as const, message: 'This portal keeps no cases.' },
          };
          if (!filed.ok) {
            const outcome = this.reject(id, filed.error.code, filed.error.message);
            return 'commit' in outcome ? outcome.commit() : outcome;
          }
        }
        this.db
          .prepare(
            "UPDATE submissions SET state = 'delivered', received_at = ?, tracking_number = ?, service_id = ?, birth_date = ?, application = ?, authority_kid = ? WHERE submission_id = ?",
          )
          .run(now, tracking.value, metadata.serviceId, birthDate, JSON.stringify(data), authorityKid, id);
        const insert = this.db.prepare(
          'INSERT INTO attachments (submission_id, part_id, media_type, content, purpose, sha256) VALUES (?, ?, ?, ?, ?, ?)',
        );
        for (const a of attachments)
          insert.run(
            id,
            a.partId,
            a.mediaType,
            Buffer.from(a.content),
            a.checklistItem ?? null,
            a.sha256 ?? null,
          );
        this.db.prepare('DELETE FROM part_chunks WHERE submission_id = ?').run(id);
        this.status.append(id, 'received', now);
        if (!followUp)
          this.cases?.fromDelivery(
            {
              submissionId: id,
              terminalId: terminal.terminalId,
              trackingNumber: tracking.value,
              serviceId: metadata.serviceId,
            },
            birthDate,
            now,
          );
        return this.delivered({
          ...current,
          state: 'delivered',
          received_at: now,
          tracking_number: tracking.value,
        });
      },
    };
  }
}
