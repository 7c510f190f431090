import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';

/**
 * The metrics endpoint: `GET /metrics` in Prometheus text format on the loopback interface only.
 * The city's monitoring agent on the terminal scrapes it; nothing else can reach it. It refuses
 * to listen anywhere but 127.0.0.1 or ::1, answers only loopback peers, and checks the Host
 * header so a web page cannot read it through DNS rebinding. `close()` ends open connections.
 */

export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

export interface MetricsServerOptions {
  /** 0: any free port. */
  readonly port: number;
  /** 127.0.0.1 (default) or ::1. */
  readonly host?: string;
}

export interface MetricsServer {
  readonly host: string;
  readonly port: number;
  /** e.g. http://127.0.0.1:9464/metrics */
  readonly url: string;
  close(): Promise<void>;
}

export type MetricsServerErrorCode = 'metrics.not_loopback' | 'metrics.bad_port' | 'metrics.listen_failed';

export type MetricsServerResult =
  | { readonly ok: true; readonly value: MetricsServer }
  | {
      readonly ok: false;
      readonly error: { readonly code: MetricsServerErrorCode; readonly message: string };
    };

const LOOPBACK_BIND = new Set(['127.0.0.1', '::1']);

/**
 * libuv frees a closed handle in the close phase of the loop turn; `server.close()`'s callback
 * comes before that. Two check phases later the handle is gone, so a closed server leaves none.
 */
function handlesReleased(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

function isLoopbackPeer(address: string | undefined): boolean {
  if (!address) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The Host header names this endpoint: a loopback address or localhost, with our port. */
function hostAllowed(header: string | undefined, port: number): boolean {
  if (!header) return false;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(header.trim().toLowerCase());
  if (!match) return false;
  const name = (match[1] as string).replace(/^\[|\]$/g, '');
  const portOk = match[2] === undefined ? port === 80 : Number(match[2]) === port;
  return portOk && (name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.')));
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function startMetricsServer(
  metrics: MetricsSource,
  options: MetricsServerOptions,
): Promise<MetricsServerResult> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_BIND.has(host)) {
    return Promise.resolve({
      ok: false,
      error: {
        code: 'metrics.not_loopback',
        message: `metrics are served on 127.0.0.1 or ::1 only, not ${host}`,
      },
    });
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    return Promise.resolve({
      ok: false,
      error: { code: 'metrics.bad_port', message: 'the metrics port must be 0 to 65535' },
    });
  }

  let port = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isLoopbackPeer(req.socket.remoteAddress) || !hostAllowed(req.headers.host, port)) {
      send(res, 403, 'Forbidden\n');
      return;
    }
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== '/metrics') {
      send(res, 404, 'Not Found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method Not Allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    let body: string;
    try {
      body = await metrics.render();
    } catch {
      send(res, 500, 'Internal Server Error\n');
      return;
    }
    send(res, 200, body, { 'content-type': metrics.contentType });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal Server Error\n');
      else res.destroy();
    });
  });
  // A scrape is small and quick: no slow clients holding sockets, no crowd of connections.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 16;
  server.maxHeadersCount = 50;

  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.close();
      void handlesReleased().then(() =>
        resolve({
          ok: false,
          error: {
            code: 'metrics.listen_failed',
            message: `cannot listen on ${host}:${options.port} (${error.code ?? 'error'})`,
          },
        }),
      );
    };
    server.once('error', onError);
    server.listen({ port: options.port, host, exclusive: true }, () => {
      server.off('error', onError);
      // A listening server's later errors (rare) must not take the kiosk down.
      server.on('error', () => {});
      const address = server.address();
      port = typeof address === 'object' && address !== null ? address.port : options.port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      let closing: Promise<void> | undefined;
      resolve({
        ok: true,
        value: {
          host,
          port,
          url: `http://${urlHost}:${port}/metrics`,
          close() {
            closing ??= new Promise<void>((done) => {
              server.close(() => void handlesReleased().then(done));
              server.closeAllConnections();
            });
            return closing;
          },
        },
      });
    });
  });
}
