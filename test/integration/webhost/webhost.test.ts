import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { maxFrameBase64Length } from '../../../api/documents.ts';
import { maxMessageBytes } from '../../../api/wire.ts';
import { loadConfig } from '../../../core/config.ts';
import { createKiosk, type Kiosk } from '../../../core/kiosk.ts';
import { launchToken } from '../../../renderer/transport/launch-token.ts';
import type { Terminal } from '../../../sync/terminal.ts';
import { DEFAULT_MAX_SOCKETS, startWebHost, type WebHost } from '../../../webhost/server.ts';
import { offlineEnrolment } from '../../support/offline-terminal.ts';

let kiosk: Kiosk;
let host: WebHost;
let terminal: Terminal;

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'kiosk-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  const config = loadConfig({
    env: {
      KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-webhost-')),
      KIOSK_PORTAL_URL: 'http://127.0.0.1:1',
      KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
    },
  });
  terminal = await (await offlineEnrolment(config.dataDir, 'http://127.0.0.1:1')).open();
  kiosk = createKiosk(config, { terminal, fetch: async () => Response.json({ status: 'ok' }) });
  host = await startWebHost({ kiosk, rendererDir });
});

afterAll(async () => {
  await host.close();
  await kiosk.close();
  await terminal.close();
});

function open(options: { token?: string; origin?: string; host?: string } = {}): Promise<WebSocket> {
  const url = new URL('/api', host.origin.replace('http', 'ws'));
  url.searchParams.set('token', options.token ?? host.token);
  const headers: Record<string, string> = { Origin: options.origin ?? host.origin };
  if (options.host) headers.Host = options.host;
  const socket = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

function call(socket: WebSocket, id: number, name: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'result' && message.id === id) {
        socket.off('message', onMessage);
        resolve(message.envelope);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ type: 'call', id, name, input }));
  });
}

describe('web host', () => {
  it('listens on 127.0.0.1 only and hands out the token in the fragment', () => {
    expect(new URL(host.origin).hostname).toBe('127.0.0.1');
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the renderer with a strict CSP', async () => {
    const response = await fetch(`${host.origin}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>kiosk</title>');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).toContain(host.origin.replace('http', 'ws'));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('routes calls and pushes events over the socket', async () => {
    const socket = await open();
    const events: unknown[] = [];
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'event') events.push(message);
    });
    expect(await call(socket, 1, 'session.start', { language: 'en' })).toMatchObject({
      ok: true,
      value: { language: 'en' },
    });
    expect(await call(socket, 2, 'session.end', { reason: 'visitor' })).toEqual({
      ok: true,
      value: { ended: true },
    });
    expect(await call(socket, 3, 'no.such.call', {})).toMatchObject({
      ok: false,
      error: { code: 'api.unknown_call' },
    });
    await expect
      .poll(() => events)
      .toEqual([
        {
          type: 'event',
          name: 'session.ended',
          payload: { sessionId: expect.any(String), reason: 'visitor' },
        },
      ]);
    socket.close();
  });

  it('refuses a wrong token, a foreign Origin and a foreign Host', async () => {
    await expect(open({ token: 'x'.repeat(43) })).rejects.toThrow('refused with 403');
    await expect(open({ token: '' })).rejects.toThrow('refused with 403');
    await expect(open({ origin: 'http://evil.example' })).rejects.toThrow('refused with 403');
    await expect(open({ origin: 'http://localhost:1' })).rejects.toThrow('refused with 403');
    await expect(open({ host: `rebind.example:${new URL(host.origin).port}` })).rejects.toThrow(
      'refused with 403',
    );
  });

  it('closes the socket on a malformed message instead of acting on it', async () => {
    const socket = await open();
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('{"type":"call","id":-1,"name":"session.start"}');
    expect(await closed).toBe(1007);
  });

  it('carries a camera frame to the documents, and closes on a message over the limit unread', async () => {
    const socket = await open();
    // a frame of the largest size the documents take: answered (no application on screen here)
    const frame = 'A'.repeat(maxFrameBase64Length);
    expect(await call(socket, 1, 'documents.addPage', { itemId: 'passport', image: frame })).toMatchObject({
      ok: false,
      error: { code: 'documents.no_journey' },
    });
    // one byte more than the documents take: refused by its schema, not acted on
    expect(
      await call(socket, 2, 'documents.addPage', { itemId: 'passport', image: `${frame}A` }),
    ).toMatchObject({ ok: false, error: { code: 'api.bad_request' } });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(maxMessageBytes + 1));
    expect(await closed).toBe(1009);
  });

  it('forgets a closed socket', async () => {
    const socket = await open();
    expect(host.connections).toBeGreaterThan(0);
    const before = kiosk.events.listenerCount;
    socket.close();
    await expect.poll(() => kiosk.events.listenerCount).toBe(before - 1);
  });
});

/** A raw HTTP request (fetch cannot set Host). */
function raw(options: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<{ status: number; body: string }> {
  const { port } = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        // an empty Host stands for none at all
        headers: Object.fromEntries(Object.entries(options.headers ?? {}).filter(([, v]) => v !== '')),
        setHost: options.headers?.host !== '',
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.once('error', reject);
    req.end(options.body);
  });
}

describe('web host: every route', () => {
  it('refuses a foreign Host on plain HTTP routes too (DNS rebinding), not only on the socket', async () => {
    const port = new URL(host.origin).port;
    expect((await raw({ path: '/', headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
    for (const foreign of [`rebind.example:${port}`, `localhost:${port}`, '127.0.0.1', '']) {
      for (const path of ['/', '/index.html', '/assets/none.js', '/launch']) {
        const answer = await raw({
          path,
          method: path === '/launch' ? 'POST' : 'GET',
          headers: { host: foreign },
        });
        // no Host at all: Node's parser answers 400 before any route
        expect([foreign, path, answer.status]).toEqual([foreign, path, foreign === '' ? 400 : 403]);
        expect(answer.body).not.toContain('<title>kiosk</title>');
      }
    }
  });

  it(`serves at most ${DEFAULT_MAX_SOCKETS} sockets at once; a closed one frees its place`, async () => {
    const sockets: WebSocket[] = [];
    while (host.connections < DEFAULT_MAX_SOCKETS) sockets.push(await open());
    await expect(open()).rejects.toThrow('refused with 503');
    const first = sockets.shift();
    const closed = new Promise((resolve) => first?.once('close', resolve));
    first?.close();
    await closed;
    await expect.poll(() => host.connections).toBe(DEFAULT_MAX_SOCKETS - 1);
    sockets.push(await open());
    for (const socket of sockets) socket.close();
    await expect.poll(() => host.connections).toBe(0);
  });
});

describe('web host: the launch code', () => {
  /** The page's side, as the renderer runs it, with the Origin a browser adds to a POST. */
  function page(hash: string, stored: Map<string, string> = new Map()) {
    const replaced: string[] = [];
    const deps = {
      location: { hash, pathname: '/', search: '', origin: host.origin },
      history: {
        replaceState: (_s: unknown, _t: string, url?: string | URL | null) => replaced.push(String(url)),
      },
      storage: {
        getItem: (key: string) => stored.get(key) ?? null,
        setItem: (key: string, value: string) => void stored.set(key, value),
      },
      fetch: ((input: string | URL | Request, init: RequestInit = {}) =>
        fetch(input, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), origin: host.origin },
        })) as typeof fetch,
    };
    return { deps, replaced, stored };
  }

  it('is exchanged once for the token, which the page keeps for a reload; the token is not in the URL', async () => {
    const url = host.launchUrl();
    expect(url).toMatch(new RegExp(`^${host.origin}/#launch=[A-Za-z0-9_-]{43}$`));
    expect(url).not.toContain(host.token);
    const first = page(new URL(url).hash);
    expect(await launchToken(first.deps)).toBe(host.token);
    expect(first.replaced).toEqual(['/']);
    // the reload: no fragment any more, the token from this tab's sessionStorage
    const reload = page('', first.stored);
    expect(await launchToken(reload.deps)).toBe(host.token);
    // the same code again (someone who read it from the process list): refused
    const again = page(new URL(url).hash);
    expect(await launchToken(again.deps)).toBe('');
    const socket = await open({ token: host.token });
    socket.close();
  });

  it('is refused from a foreign Origin, with a wrong code, and when none was issued', async () => {
    const code = new URL(host.launchUrl()).hash.replace('#launch=', '');
    const post = (body: unknown, origin = host.origin) =>
      fetch(`${host.origin}/launch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify(body),
      });
    expect((await post({ code }, 'http://evil.example')).status).toBe(403);
    expect((await post({ code: `${code}x` })).status).toBe(403);
    expect((await post({ code: 42 })).status).toBe(403);
    // the refusals did not spend it
    expect(await (await post({ code })).json()).toEqual({ token: host.token });
    expect((await post({ code })).status).toBe(403);
  });

  it('a fragment token (development) is taken, kept and removed from the address bar', async () => {
    const dev = page(`#token=${host.token}`);
    expect(await launchToken(dev.deps)).toBe(host.token);
    expect(dev.replaced).toEqual(['/']);
    expect([...dev.stored.values()]).toEqual([host.token]);
  });
});
