/**
 * The reference sender's last message per account, for tests and demos (same bearer token as the
 * other admin routes; the reference portal sends no SMS):
 *
 *   GET /admin/v1/accounts/{id}/last-code-message → 200 {accountId, phone, text, sentAt} | 404
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type ErrorCode, idSchema } from '../sync/protocol/index.ts';
import { adminAuthorised } from './admin.ts';
import { iso } from './deps.ts';
import { asProblem, failure, sendAnswer } from './http.ts';
import type { CodeMessage } from './second-factor.ts';

export interface CodeAdminDeps {
  readonly token: string;
  lastMessage(accountId: string): CodeMessage | undefined;
}

function problem(reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  return sendAnswer(reply, asProblem(failure(status, code, message)));
}

const accountParam = z.object({ id: idSchema });

export function registerCodeAdminRoutes(app: FastifyInstance, deps: CodeAdminDeps): void {
  app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!adminAuthorised(request.headers.authorization, deps.token)) {
          return problem(reply, 401, 'auth.invalid', 'The admin token is missing or wrong.');
        }
        return undefined;
      });

      admin.get('/:id/last-code-message', async (request, reply) => {
        const params = accountParam.safeParse(request.params);
        if (!params.success) return problem(reply, 400, 'request.invalid', 'The account id is malformed.');
        const message = deps.lastMessage(params.data.id);
        if (message === undefined) {
          return problem(reply, 404, 'account.not_found', 'No code message was sent to this account.');
        }
        reply.header('cache-control', 'no-store');
        return { ...message, sentAt: iso(message.sentAt) };
      });
    },
    { prefix: '/admin/v1/accounts' },
  );
}
