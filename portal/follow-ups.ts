/**
 * Documents handed in later (sync/protocol/follow-up.ts): a delivered follow-up is filed under
 * the case it names when the case exists, the birth date matches its keyed hash and the case is
 * waiting for documents; the case then records a signed `documents_received` event naming the
 * documents and the follow-up's tracking number. The administrator lists what a case holds:
 *
 *   GET /admin/v1/cases/{reference}/documents   case reference or tracking number →
 *       {caseReference, submissions: [{submissionId, trackingNumber, kind, receivedAt, documents}]}
 *
 * Each document is fetched through `/admin/v1/submissions/{id}/documents/{partId}` (documents.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { err, type Result } from '../common/result.ts';
import {
  type CaseEvent,
  caseReferenceSchema,
  type ErrorCode,
  FOLLOW_UP_SERVICE,
  type FollowUpData,
} from '../sync/protocol/index.ts';
import { validateTrackingNumber } from '../sync/tracking.ts';
import { adminAuthorised } from './admin.ts';
import type { CaseRow, Cases } from './cases.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';
import type { FiledDocument, FiledDocuments } from './documents.ts';
import { asProblem, failure, sendAnswer } from './http.ts';

export type FollowUpErrorCode = 'case.not_found' | 'case.transition';

/** A submission filed under a case: the application that opened it, or a follow-up. */
export interface CaseSubmission {
  readonly submissionId: string;
  readonly trackingNumber: string;
  readonly kind: 'application' | 'follow-up';
  readonly receivedAt: string;
  readonly documents: readonly FiledDocument[];
}

export class FollowUps {
  constructor(
    private readonly db: Db,
    private readonly cases: Cases,
  ) {}

  #find(named: FollowUpData['case']): CaseRow | undefined {
    if ('caseReference' in named) {
      return this.db.prepare('SELECT * FROM cases WHERE case_reference = ?').get(named.caseReference) as
        | CaseRow
        | undefined;
    }
    const tracking = validateTrackingNumber(named.trackingNumber);
    if (!tracking.ok) return undefined;
    return this.db.prepare('SELECT * FROM cases WHERE tracking_number = ?').get(tracking.value) as
      | CaseRow
      | undefined;
  }

  /**
   * Files a delivered follow-up (tracking number `followUp`) under its case: one signed
   * `documents_received` event. Call inside the delivery's transaction; nothing is written when
   * the case is unknown, the birth date differs (both answer `case.not_found`) or the case is
   * not waiting for documents (`case.transition`).
   */
  file(data: FollowUpData, followUp: string, at: number): Result<CaseEvent, FollowUpErrorCode> {
    const row = this.#find(data.case);
    const given = Buffer.from(this.cases.birthDateHash(data.applicant.birthDate));
    const stored = Buffer.from(row?.birth_date_hash ?? this.cases.birthDateHash('0000-00-00'));
    const matches = given.length === stored.length && timingSafeEqual(given, stored);
    if (row === undefined || row.birth_date_hash === null || !matches)
      return err('case.not_found', 'No case matches the follow-up’s reference and birth date.');
    return this.cases.move(
      row.case_reference,
      { status: 'documents_received', documents: [...new Set(data.documents)], followUp },
      at,
    );
  }

  /** The submissions filed under a case with their documents; undefined when there is no such case. */
  submissions(
    reference: string,
    documents: FiledDocuments,
  ): { caseReference: string; submissions: CaseSubmission[] } | undefined {
    const named = caseReferenceSchema.safeParse(reference).success
      ? { caseReference: reference }
      : { trackingNumber: reference };
    const row = this.#find(named);
    if (row === undefined) return undefined;
    const followUps = (
      this.db
        .prepare(
          "SELECT details FROM case_events WHERE case_id = ? AND status = 'documents_received' ORDER BY case_seq",
        )
        .all(row.case_id) as { details: string }[]
    ).map((e) => (JSON.parse(e.details) as { followUp: string }).followUp);
    const numbers = [
      ...(row.tracking_number === null
        ? []
        : [{ trackingNumber: row.tracking_number, kind: 'application' as const }]),
      ...followUps.map((trackingNumber) => ({ trackingNumber, kind: 'follow-up' as const })),
    ];
    const submissions = numbers.flatMap(({ trackingNumber, kind }): CaseSubmission[] => {
      const submission = this.db
        .prepare(
          "SELECT submission_id, service_id, received_at FROM submissions WHERE tracking_number = ? AND state = 'delivered'",
        )
        .get(trackingNumber) as
        | { submission_id: string; service_id: string; received_at: number }
        | undefined;
      if (submission === undefined) return [];
      if (kind === 'follow-up' && submission.service_id !== FOLLOW_UP_SERVICE) return [];
      return [
        {
          submissionId: submission.submission_id,
          trackingNumber,
          kind,
          receivedAt: iso(submission.received_at),
          documents: documents.list(submission.submission_id) ?? [],
        },
      ];
    });
    return { caseReference: row.case_reference, submissions };
  }
}

const referenceParam = z.object({ reference: z.string().min(1).max(40) });

function problem(reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  return sendAnswer(reply, asProblem(failure(status, code, message)));
}

export function registerCaseDocumentRoutes(
  app: FastifyInstance,
  deps: { readonly token: string; readonly followUps: FollowUps; readonly documents: FiledDocuments },
): void {
  app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!adminAuthorised(request.headers.authorization, deps.token)) {
          return problem(reply, 401, 'auth.invalid', 'The admin token is missing or wrong.');
        }
        return undefined;
      });

      admin.get('/:reference/documents', async (request, reply) => {
        const params = referenceParam.safeParse(request.params);
        if (!params.success) return problem(reply, 400, 'request.invalid', 'The reference is malformed.');
        const filed = deps.followUps.submissions(params.data.reference, deps.documents);
        if (filed === undefined) return problem(reply, 404, 'case.not_found', 'No case has this reference.');
        return filed;
      });
    },
    { prefix: '/admin/v1/cases' },
  );
}
