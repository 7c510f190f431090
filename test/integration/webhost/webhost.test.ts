import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../../core/config.ts';
import { createKiosk, type Kiosk } from '../../../core/kiosk.ts';
import type { Terminal } from '../../../sync/terminal.ts';
import { startWebHost, type WebHost } from '../../../webhost/server.ts';
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

  it('forgets a closed socket', async () => {
    const socket = await open();
    expect(host.connections).toBeGreaterThan(0);
    const before = kiosk.events.listenerCount;
    socket.close();
    await expect.poll(() => kiosk.events.listenerCount).toBe(before - 1);
  });
});
