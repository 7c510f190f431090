/**
 * The administrator's case routes under `/admin/v1` (same bearer token as the other admin routes):
 * file a case on the portal or at the counter, read one, and move one through the process. Errors
 * are problem details (`application/problem+json`) with a code.
 *
 *   POST /admin/v1/cases                 {origin: portal|counter, serviceId, birthDate} → 201 {caseReference, status}
 *   GET  /admin/v1/cases/{reference}     case reference or tracking number → the case with its events
 *   POST /admin/v1/cases/{reference}/events   a `CaseEventDetails` (status and what it says) → 200 {event},
 *        for `invitation_sent` also {invitationQr}: the letter's QR text (`INV1:` + signed invitation)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { caseEventDetailsSchema, type ErrorCode, idSchema, isoDate } from '../sync/protocol/index.ts';
import { adminAuthorised } from './admin.ts';
import type { Cases } from './cases.ts';
import { asProblem, failure, sendAnswer } from './http.ts';

export const newCaseRequestSchema = z
  .object({
    origin: z.enum(['portal', 'counter']),
    serviceId: idSchema,
    birthDate: isoDate,
  })
  .strict();

const referenceParam = z.object({ reference: z.string().min(1).max(40) });

export interface CaseAdminDeps {
  readonly token: string;
  readonly cases: Cases;
}

function problem(reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  return sendAnswer(reply, asProblem(failure(status, code, message)));
}

function issues(e: z.ZodError): string {
  return e.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
    .join('; ');
}

export function registerCaseAdminRoutes(app: FastifyInstance, deps: CaseAdminDeps): void {
  app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!adminAuthorised(request.headers.authorization, deps.token)) {
          return problem(reply, 401, 'auth.invalid', 'The admin token is missing or wrong.');
        }
        return undefined;
      });

      admin.post('/', async (request, reply) => {
        const body = newCaseRequestSchema.safeParse(request.body);
        if (!body.success) return problem(reply, 400, 'request.invalid', `body: ${issues(body.error)}`);
        const row = deps.cases.create(body.data);
        return reply.code(201).send({ caseReference: row.case_reference, status: row.status });
      });

      admin.get('/:reference', async (request, reply) => {
        const params = referenceParam.safeParse(request.params);
        if (!params.success) return problem(reply, 400, 'request.invalid', 'The reference is malformed.');
        const info = deps.cases.info(params.data.reference);
        if (info === undefined) return problem(reply, 404, 'case.not_found', 'No case has this reference.');
        return info;
      });

      admin.post('/:reference/events', async (request, reply) => {
        const params = referenceParam.safeParse(request.params);
        if (!params.success) return problem(reply, 400, 'request.invalid', 'The reference is malformed.');
        const body = caseEventDetailsSchema.safeParse(request.body);
        if (!body.success) return problem(reply, 400, 'request.invalid', `body: ${issues(body.error)}`);
        const moved = deps.cases.move(params.data.reference, body.data);
        if (!moved.ok) {
          return problem(
            reply,
            moved.error.code === 'case.not_found' ? 404 : 409,
            moved.error.code,
            moved.error.message,
          );
        }
        if (moved.value.status === 'invitation_sent') {
          return { event: moved.value, invitationQr: deps.cases.invitationQr(params.data.reference) };
        }
        return { event: moved.value };
      });
    },
    { prefix: '/admin/v1/cases' },
  );
}
