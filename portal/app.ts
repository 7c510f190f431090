/**
 * Wires the route table of `sync/protocol` into Fastify. One wrapper does for every route, in
 * this order: schema validation, terminal authentication, the `Idempotency-Key` (replay, in
 * flight, mismatch), injected latency, the handler (its commit in one transaction with the
 * idempotency record), an injected lost acknowledgement, and a check of the answer against the
 * route's response schema. Faults that act before anything (down, captive, 5xx) are hooks.
 */
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { z } from 'zod';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  idempotencyKeySchema,
  MAX_CHUNK_BYTES,
  MAX_JSON_BYTES,
  ROUTES,
  type RouteId,
  type RouteSpec,
} from '../sync/protocol/index.ts';
import type { Terminal, TerminalAuth } from './auth.ts';
import type { Db } from './db.ts';
import type { Sleep } from './deps.ts';
import { CAPTIVE_PAGE, type Faults } from './faults.ts';
import { type Answer, asProblem, failure, isAnswer, type Outcome, sendAnswer } from './http.ts';

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerInput<R extends RouteSpec> {
  readonly params: R extends { params: infer S } ? Infer<S> : undefined;
  readonly query: R extends { query: infer S } ? Infer<S> : undefined;
  readonly body: R extends { body: 'binary' } ? Buffer : R extends { body: infer S } ? Infer<S> : undefined;
  readonly terminal: R extends { auth: 'terminal' } ? Terminal : undefined;
  readonly idempotencyKey: string | undefined;
}

export type Handlers = {
  readonly [K in RouteId]: (input: HandlerInput<(typeof ROUTES)[K]>) => Outcome | Promise<Outcome>;
};

export interface AppDeps {
  readonly db: Db;
  readonly auth: TerminalAuth;
  readonly faults: Faults;
  readonly sleep: Sleep;
  readonly now: () => number;
  readonly handlers: Handlers;
  readonly openapi: () => unknown;
  readonly log: boolean;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Drops the connection without an answer (lost acknowledgement, portal down). */
function dropConnection(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const socket = request.raw.socket as Socket | undefined;
  if (socket !== undefined && typeof socket.destroy === 'function') socket.destroy();
  reply.raw.destroy(new Error('connection dropped'));
}

/** Answers replayed for a repeated key: successes and permanent refusals, never transient ones. */
function storable(a: Answer): boolean {
  return (a.status >= 200 && a.status < 300) || a.status === 422;
}

function fastifyPath(path: string): string {
  return path.replace(/\{([A-Za-z]+)\}/g, ':$1');
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    logger: deps.log ? { level: 'info' } : false,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_JSON_BYTES,
  });
  /** SHA-256 of each JSON request's raw body, for the idempotency check. */
  const bodyHashes = new WeakMap<FastifyRequest, string>();
  /** Idempotency keys being carried out now: `${terminal}\n${route}\n${key}` → body hash. */
  const inFlight = new Map<string, string>();

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: MAX_JSON_BYTES },
    (req, raw, done) => {
      const buffer = raw as Buffer;
      bodyHashes.set(req, sha256(buffer));
      if (buffer.length === 0) return done(null, undefined);
      try {
        done(null, JSON.parse(buffer.toString('utf8')));
      } catch {
        const error = Object.assign(new Error('The body is not valid JSON.'), {
          statusCode: 400,
          code: 'BAD_JSON',
        });
        done(error, undefined);
      }
    },
  );
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_CHUNK_BYTES },
    // hashed in `run` only when an Idempotency-Key asks for it: chunks carry none
    (_req, raw, done) => done(null, raw),
  );

  app.addHook('onRequest', async (request, reply) => {
    const faults = deps.faults.get();
    if (faults.down) {
      dropConnection(request, reply);
      return reply;
    }
    if (faults.captive) {
      return reply.code(200).type('text/html; charset=utf-8').send(CAPTIVE_PAGE);
    }
    if (deps.faults.drawFailure()) {
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(
          failure(503, 'server.unavailable', 'The portal is unavailable (injected fault).', {
            retryable: true,
          }).body,
        );
    }
    return undefined;
  });

  if (deps.log) {
    // method, route pattern, status and duration only: URLs may carry names, bodies personal data
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
    });
  }

  app.setNotFoundHandler((_request, reply) => {
    const a = failure(404, 'route.not_found', 'There is no such route.');
    return reply.code(a.status).send(a.body);
  });

  /** Fastify paths of the routes whose errors are problem details. */
  const problemPaths = new Set(
    (Object.values(ROUTES) as RouteSpec[]).filter((r) => r.problem === true).map((r) => fastifyPath(r.path)),
  );

  app.setErrorHandler((error: { statusCode?: number; code?: string; message?: string }, request, reply) => {
    let a: Answer;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      a = failure(413, 'request.too_large', 'The body is too large.');
    else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      a = failure(415, 'request.unsupported_media_type', 'This content type is not accepted here.');
    else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
      a = failure(400, 'request.invalid', error.message ?? 'The request is invalid.');
    else {
      request.log.error(
        {
          code: error.code,
          error: error.message,
          stack: (error as Error).stack,
          route: request.routeOptions.url,
        },
        'handler failed',
      );
      a = failure(500, 'server.error', 'The portal failed; try again later.', { retryable: true });
    }
    return sendAnswer(reply, problemPaths.has(request.routeOptions.url ?? '') ? asProblem(a) : a);
  });

  app.get('/v1/openapi.json', async () => deps.openapi());

  async function run(route: RouteSpec, request: FastifyRequest): Promise<Answer> {
    const invalid = (what: string, e: z.ZodError) =>
      failure(
        400,
        'request.invalid',
        `${what}: ${e.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
      );
    let params: unknown;
    let query: unknown;
    let body: unknown;
    if (route.params !== undefined) {
      const r = route.params.safeParse(request.params);
      if (!r.success) return invalid('path', r.error);
      params = r.data;
    }
    if (route.query !== undefined) {
      const r = route.query.safeParse(request.query);
      if (!r.success) return invalid('query', r.error);
      query = r.data;
    }
    if (route.body === 'binary') {
      if (!Buffer.isBuffer(request.body)) {
        return failure(415, 'request.unsupported_media_type', 'The body must be application/octet-stream.');
      }
      body = request.body;
    } else if (route.body !== undefined) {
      const r = route.body.safeParse(request.body ?? {});
      if (!r.success) return invalid('body', r.error);
      body = r.data;
    }
    let terminal: Terminal | undefined;
    if (route.auth === 'terminal') {
      const r = await deps.auth.authenticate(request.headers.authorization);
      if (!r.ok) return r.answer;
      terminal = r.terminal;
    }
    const headerValue = request.headers[IDEMPOTENCY_KEY_HEADER];
    const rawKey = Array.isArray(headerValue) ? headerValue[0] : headerValue;
    let idempotencyKey: string | undefined;
    if (route.idempotency !== undefined && rawKey !== undefined) {
      const r = idempotencyKeySchema.safeParse(rawKey);
      if (!r.success) return failure(400, 'request.invalid', 'The Idempotency-Key header is malformed.');
      idempotencyKey = r.data;
    }
    if (route.idempotency === 'required' && idempotencyKey === undefined) {
      return failure(400, 'idempotency.key_required', 'This request needs an Idempotency-Key header.');
    }
    const handler = deps.handlers[route.id as RouteId] as (
      input: HandlerInput<RouteSpec>,
    ) => Outcome | Promise<Outcome>;
    const input = { params, query, body, terminal, idempotencyKey } as HandlerInput<RouteSpec>;
    if (idempotencyKey === undefined || terminal === undefined) {
      if (deps.faults.get().latencyMs > 0) await deps.sleep(deps.faults.get().latencyMs);
      const outcome = await handler(input);
      return isAnswer(outcome) ? outcome : deps.db.transaction(outcome.commit)();
    }
    // scope: terminal, route and path (an activation key is about one account)
    const terminalId = terminal.terminalId;
    const scope = `${route.id} ${request.url.split('?')[0]}`;
    const rawHash =
      bodyHashes.get(request) ?? (Buffer.isBuffer(request.body) ? sha256(request.body) : sha256(''));
    const bodyHash = sha256(`${scope}\n${rawHash}`);
    const stored = deps.db
      .prepare(
        'SELECT body_sha256, status, answer FROM idempotency WHERE terminal_id = ? AND route = ? AND key = ?',
      )
      .get(terminalId, route.id, idempotencyKey) as
      | { body_sha256: string; status: number; answer: string }
      | undefined;
    const mismatch = failure(
      422,
      'idempotency.mismatch',
      'This Idempotency-Key was used with another request body.',
      {
        retryable: false,
      },
    );
    if (stored !== undefined) {
      if (stored.body_sha256 !== bodyHash) return mismatch;
      return {
        status: stored.status,
        body: JSON.parse(stored.answer),
        headers: { [IDEMPOTENT_REPLAY_HEADER]: 'true' },
      };
    }
    const flightKey = `${terminalId}\n${route.id}\n${idempotencyKey}`;
    const flying = inFlight.get(flightKey);
    if (flying !== undefined) {
      if (flying !== bodyHash) return mismatch;
      return failure(
        409,
        'idempotency.in_flight',
        'A request with this Idempotency-Key is being carried out.',
        { retryable: true },
        { 'retry-after': '1' },
      );
    }
    inFlight.set(flightKey, bodyHash);
    try {
      const wait = deps.faults.drawDeliveryDelayMs();
      if (wait > 0) await deps.sleep(wait);
      const outcome = await handler(input);
      const commit = isAnswer(outcome) ? () => outcome : outcome.commit;
      return deps.db.transaction(() => {
        const a = commit();
        if (storable(a)) {
          deps.db
            .prepare(
              'INSERT INTO idempotency (terminal_id, route, key, body_sha256, status, answer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            )
            .run(
              terminalId,
              route.id,
              idempotencyKey,
              bodyHash,
              a.status,
              JSON.stringify(a.body),
              deps.now(),
            );
        }
        return a;
      })();
    } finally {
      inFlight.delete(flightKey);
    }
  }

  for (const route of Object.values(ROUTES) as RouteSpec[]) {
    app.route({
      method: route.method,
      url: fastifyPath(route.path),
      handler: async (request, reply) => {
        const done = await run(route, request);
        const a = route.problem === true ? asProblem(done) : done;
        if (deps.faults.drawLostAck()) {
          dropConnection(request, reply);
          return reply;
        }
        const schema = route.responses[a.status];
        if (schema !== undefined && !schema.safeParse(a.body).success) {
          request.log.error({ route: route.id, status: a.status }, 'answer does not match the protocol');
          const e = failure(500, 'server.error', 'The portal built an invalid answer.', { retryable: false });
          return sendAnswer(reply, route.problem === true ? asProblem(e) : e);
        }
        return sendAnswer(reply, a);
      },
    });
  }
  return app;
}
