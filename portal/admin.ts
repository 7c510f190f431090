/**
 * The administrator's routes under `/admin/v1`, beside the terminals' `/v1`: the terminals with
 * their last heartbeat (and the audit heads they reported), the alarms raised about terminals, a
 * remote wipe, and the site configuration (read, replace, publish again).
 * Every request carries `Authorization: Bearer <admin token>` (a fresh random token per start
 * unless one is given, compared in constant time); the portal binds 127.0.0.1 unless told
 * otherwise. The same functions are on the handle `startPortal` returns, for tests and scripts.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idSchema, terminalConfigSchema } from '../sync/protocol/index.ts';
import type { SiteConfig } from './config.ts';
import { failure } from './http.ts';

export const siteConfigSchema = terminalConfigSchema.omit({
  terminalId: true,
  issuedAt: true,
  version: true,
});

export interface AdminDeps {
  readonly token: string;
  terminals(): unknown[];
  requestWipe(terminalId: string): string | undefined;
  siteConfig(): { readonly version: number; readonly site: SiteConfig };
  publishConfig(site?: SiteConfig): number;
  alarms(): unknown[];
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether an Authorization header carries the admin token (the fleet page's data route uses it too). */
export function adminAuthorised(header: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  return match?.[1] !== undefined && sameToken(match[1], token);
}

export function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const refuse = (
    reply: FastifyReply,
    status: number,
    code: Parameters<typeof failure>[1],
    message: string,
  ) => {
    const a = failure(status, code, message);
    return reply.code(a.status).send(a.body);
  };
  const authorised = (request: FastifyRequest): boolean =>
    adminAuthorised(request.headers.authorization, deps.token);

  app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request, reply) => {
        if (!authorised(request))
          return refuse(reply, 401, 'auth.invalid', 'The admin token is missing or wrong.');
        return undefined;
      });

      admin.get('/terminals', async () => ({ terminals: deps.terminals() }));

      admin.get('/alarms', async () => ({ alarms: deps.alarms() }));

      admin.post('/terminals/:id/wipe', async (request, reply) => {
        const id = idSchema.safeParse((request.params as { id?: unknown }).id);
        if (!id.success) return refuse(reply, 400, 'request.invalid', 'The terminal id is malformed.');
        const commandId = deps.requestWipe(id.data);
        if (commandId === undefined)
          return refuse(reply, 404, 'terminal.not_found', 'No enrolled terminal has this id.');
        return reply.code(202).send({ commandId });
      });

      admin.get('/config', async () => deps.siteConfig());

      admin.put('/config', async (request, reply) => {
        const site = siteConfigSchema.safeParse(request.body);
        if (!site.success) {
          const where = site.error.issues
            .slice(0, 5)
            .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
            .join('; ');
          return refuse(reply, 400, 'request.invalid', `The site configuration is invalid: ${where}`);
        }
        return { version: deps.publishConfig(site.data) };
      });

      admin.post('/config/publish', async (request, reply) => {
        const empty = z.object({}).strict().optional().safeParse(request.body);
        if (!empty.success) return refuse(reply, 400, 'request.invalid', 'This route takes no body.');
        return { version: deps.publishConfig() };
      });
    },
    { prefix: '/admin/v1' },
  );
}
