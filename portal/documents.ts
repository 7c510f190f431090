/**
 * Documents handed in at a terminal, as the portal files them under their submission: each one
 * an attachment opened from its own sealed part (signature and hashes verified at delivery), with
 * its purpose (the checklist item it stands for) and SHA-256 from the signed metadata. The
 * administrator's routes (same bearer token as the other `/admin/v1` routes) list and fetch them:
 *
 *   GET /admin/v1/submissions/{id}/documents            → {documents: [{partId, purpose, mediaType, size, sha256}]}
 *   GET /admin/v1/submissions/{id}/documents/{partId}   → the document's bytes (its media type)
 *
 * Only delivered submissions have documents; the papers the terminal made (the summary) carry no
 * purpose and are not listed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PART_ID } from '../sync/sealing.ts';
import { adminAuthorised } from './admin.ts';
import type { Db } from './db.ts';
import { asProblem, failure, sendAnswer } from './http.ts';

export interface FiledDocument {
  readonly partId: string;
  /** The checklist item (`payslips`, `passport`, ...). */
  readonly purpose: string;
  readonly mediaType: string;
  readonly size: number;
  /** SHA-256 of the document, lowercase hex, as the terminal signed it. */
  readonly sha256: string;
}

interface FiledRow {
  part_id: string;
  purpose: string;
  media_type: string;
  size: number;
  sha256: string;
}

export class FiledDocuments {
  constructor(private readonly db: Db) {}

  /** The documents of a delivered submission; undefined when there is no such submission. */
  list(submissionId: string): FiledDocument[] | undefined {
    const exists = this.db.prepare('SELECT 1 FROM submissions WHERE submission_id = ?').get(submissionId);
    if (exists === undefined) return undefined;
    const rows = this.db
      .prepare(
        'SELECT part_id, purpose, media_type, length(content) AS size, sha256 FROM attachments WHERE submission_id = ? AND purpose IS NOT NULL ORDER BY rowid',
      )
      .all(submissionId) as FiledRow[];
    return rows.map((r) => ({
      partId: r.part_id,
      purpose: r.purpose,
      mediaType: r.media_type,
      size: r.size,
      sha256: r.sha256,
    }));
  }

  /** One document's bytes and media type; undefined when there is none. */
  content(submissionId: string, partId: string): { mediaType: string; content: Buffer } | undefined {
    const row = this.db
      .prepare(
        'SELECT media_type, content FROM attachments WHERE submission_id = ? AND part_id = ? AND purpose IS NOT NULL',
      )
      .get(submissionId, partId) as { media_type: string; content: Buffer } | undefined;
    return row === undefined ? undefined : { mediaType: row.media_type, content: row.content };
  }
}

const params = z.object({
  id: z.string().min(1).max(100),
  partId: z.string().regex(PART_ID).optional(),
});

function problem(
  reply: FastifyReply,
  status: number,
  code: 'request.invalid' | 'auth.invalid' | 'submission.not_found' | 'part.not_found',
  message: string,
): FastifyReply {
  return sendAnswer(reply, asProblem(failure(status, code, message)));
}

export function registerDocumentAdminRoutes(
  app: FastifyInstance,
  deps: { readonly token: string; readonly documents: FiledDocuments },
): void {
  app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!adminAuthorised(request.headers.authorization, deps.token)) {
          return problem(reply, 401, 'auth.invalid', 'The admin token is missing or wrong.');
        }
        return undefined;
      });

      admin.get('/:id/documents', async (request, reply) => {
        const parsed = params.safeParse(request.params);
        if (!parsed.success) return problem(reply, 400, 'request.invalid', 'The submission id is malformed.');
        const documents = deps.documents.list(parsed.data.id);
        if (documents === undefined)
          return problem(reply, 404, 'submission.not_found', 'No submission with this id.');
        return { documents };
      });

      admin.get('/:id/documents/:partId', async (request, reply) => {
        const parsed = params.safeParse(request.params);
        if (!parsed.success || parsed.data.partId === undefined)
          return problem(reply, 400, 'request.invalid', 'The submission or part id is malformed.');
        const found = deps.documents.content(parsed.data.id, parsed.data.partId);
        if (found === undefined)
          return problem(reply, 404, 'part.not_found', 'The submission has no document with this id.');
        return reply
          .header('content-type', found.mediaType)
          .header('cache-control', 'no-store')
          .send(found.content);
      });
    },
    { prefix: '/admin/v1/submissions' },
  );
}
