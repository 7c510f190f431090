import { randomBytes, timingSafeEqual } from 'node:crypto';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { callMessageSchema, type HostMessage, maxMessageBytes } from '../api/wire.ts';
import { contentSecurityPolicy } from '../core/csp.ts';
import type { Kiosk } from '../core/kiosk.ts';
import type { SimulatorTransport } from '../device/transports/simulator.ts';

export interface WebHost {
  /**
   * The address with the launch token in the fragment (`#token=…`, which never reaches a server
   * log), for development: `npm start -- --web --no-open` prints it, tests open it.
   */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly connections: number;
  /**
   * An address for a browser started by the launcher: origin plus `#launch=<code>`, a one-time
   * code the page exchanges for the token (`POST /launch`). A browser's command line is visible
   * to every local user (`ps`, /proc); this code is dead once the page has used it, and the token
   * itself never appears there. Each call replaces the previous code.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

export interface WebHostOptions {
  kiosk: Kiosk;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  /**
   * Serve the simulated readers' control routes (`/simulator/*`). Development only (the demo and
   * the tests that drive the simulator); off by default, and without simulated readers there is
   * nothing to serve.
   */
  simulatorRoutes?: boolean;
  /** WebSocket connections served at once (default 4: one kiosk page, a reload and spares). */
  maxSockets?: number;
  /** HTTP connections open at once (default 64). */
  maxConnections?: number;
}

export const DEFAULT_MAX_SOCKETS = 4;
export const DEFAULT_MAX_CONNECTIONS = 64;

/**
 * Serves the built renderer and the KioskApi over a WebSocket, on 127.0.0.1 only. Every request
 * must name this host in its Host header (which defeats DNS rebinding from a page in another
 * tab). A fresh random token per launch authenticates the socket: it reaches the page in the URL
 * fragment or through a one-time launch code; the socket is refused unless token, Origin and Host
 * are exactly this host's, and beyond `maxSockets` at once.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { kiosk } = options;
  const token = randomBytes(32).toString('base64url');
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const sockets = new Set<WebSocket>();
  let origin = '';
  let launchCode: string | null = null;

  await app.register(fastifyWebsocket, { options: { maxPayload: maxMessageBytes } });

  // Host on every route, before anything else is looked at.
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers.host !== new URL(origin).host) await reply.code(403).send({ error: 'host' });
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header(
      'Content-Security-Policy',
      contentSecurityPolicy({ connectSrc: [origin.replace(/^http/, 'ws')] }),
    );
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cache-Control', 'no-store');
    return payload;
  });

  await app.register(async (scope) => {
    scope.addHook('preValidation', async (request, reply) => {
      const refusal = refuseSocket(request, origin, token);
      if (refusal) await reply.code(403).send({ error: refusal });
      else if (sockets.size >= maxSockets) await reply.code(503).send({ error: 'busy' });
    });
    scope.get('/api', { websocket: true }, (socket) => {
      sockets.add(socket);
      const send = (message: HostMessage) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      const unsubscribe = kiosk.events.subscribe((event) =>
        send({ type: 'event', name: event.name, payload: event.payload }),
      );
      socket.on('message', async (data, isBinary) => {
        if (isBinary) return socket.close(1003, 'text only');
        let parsed: ReturnType<typeof callMessageSchema.safeParse>;
        try {
          parsed = callMessageSchema.safeParse(JSON.parse(data.toString()));
        } catch {
          return socket.close(1007, 'invalid message');
        }
        if (!parsed.success) return socket.close(1007, 'invalid message');
        const envelope = await kiosk.router.dispatch(parsed.data.name, parsed.data.input);
        send({ type: 'result', id: parsed.data.id, envelope });
      });
      socket.on('close', () => {
        unsubscribe();
        sockets.delete(socket);
      });
    });
  });

  // The page's one-time exchange of the launch code for the token (see `launchUrl`).
  app.post('/launch', async (request, reply) => {
    const body = launchSchema.safeParse(request.body);
    const expected = launchCode;
    if (
      request.headers.origin !== origin ||
      !body.success ||
      expected === null ||
      !safeEqual(body.data.code, expected)
    )
      return reply.code(403).send({ error: 'launch' });
    launchCode = null;
    return { token };
  });

  if (options.simulatorRoutes === true && kiosk.simulator)
    registerSimulatorRoutes(app, kiosk.simulator, () => token);

  await app.register(fastifyStatic, { root: options.rendererDir, index: ['index.html'], wildcard: true });

  const address = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  origin = address.replace('localhost', '127.0.0.1');

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    get connections() {
      return sockets.size;
    },
    launchUrl() {
      launchCode = randomBytes(32).toString('base64url');
      return `${origin}/#launch=${launchCode}`;
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await app.close();
    },
  };
}

/** Why a WebSocket upgrade is refused, or null when token, Origin and Host are right. */
export function refuseSocket(request: FastifyRequest, origin: string, token: string): string | null {
  const expectedHost = new URL(origin).host;
  if (request.headers.host !== expectedHost) return 'host';
  if (request.headers.origin !== origin) return 'origin';
  const given = (request.query as Record<string, unknown>).token;
  if (typeof given !== 'string' || !safeEqual(given, token)) return 'token';
  return null;
}

const launchSchema = z.object({ code: z.string().min(1).max(128) }).strict();
const presentSchema = z.object({ lines: z.array(z.string().max(64)).min(1).max(3) }).strict();
const scanSchema = z
  .object({ text: z.string().min(1).max(4096), symbology: z.string().max(32).default('qr') })
  .strict();

/**
 * Drives the simulated readers (`npm start`, end-to-end tests, demos): the same launch token as
 * the UI, as a bearer token. The reads go through the real report bytes and drivers.
 */
function registerSimulatorRoutes(
  app: FastifyInstance,
  simulator: SimulatorTransport,
  token: () => string,
): void {
  const authorised = (request: FastifyRequest) => {
    const header = request.headers.authorization ?? '';
    return header.startsWith('Bearer ') && safeEqual(header.slice(7), token());
  };
  app.post('/simulator/document', async (request, reply) => {
    if (!authorised(request)) return reply.code(403).send({ error: 'token' });
    const body = presentSchema.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: 'lines' });
    const result = simulator.present('mrz', body.data.lines);
    return result.ok ? { ok: true } : reply.code(409).send({ error: result.error.code });
  });
  app.post('/simulator/barcode', async (request, reply) => {
    if (!authorised(request)) return reply.code(403).send({ error: 'token' });
    const body = scanSchema.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: 'text' });
    const result = simulator.scan(body.data.text, body.data.symbology);
    return result.ok ? { ok: true } : reply.code(409).send({ error: result.error.code });
  });
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
