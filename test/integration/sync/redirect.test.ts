/**
 * A portal address that answers with a redirect must not carry a visitor's password (or a sealed
 * application) on to another origin. Two real HTTP servers on 127.0.0.1: the "portal" answers
 * every request with a redirect to the second, which records what reached it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../common/clock.ts';
import { portalAccounts } from '../../../core/activation/portal.ts';
import { PortalClient } from '../../../sync/client.ts';
import { PORTAL_AUDIENCE } from '../../../sync/protocol/index.ts';
import { type DeviceKeyPair, makeDeviceKey } from '../../unit/sync/keys.ts';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly body: string;
}

function listen(
  handler: (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => void,
) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  return new Promise<{ server: Server; url: string }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

let device: DeviceKeyPair;
let elsewhere: { server: Server; url: string };
let portal: { server: Server; url: string };
const received: Received[] = [];
let status = 307;

beforeAll(async () => {
  device = await makeDeviceKey('kid-redirect');
  elsewhere = await listen((req, body, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', body });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        accountId: 'acc-x',
        displayName: 'X',
        latinName: 'X',
        birthDate: '1990-01-01',
        emailHint: 'x',
      }),
    );
  });
  portal = await listen((req, _body, res) => {
    res.writeHead(status, { location: `${elsewhere.url}${req.url ?? '/'}` });
    res.end();
  });
});

afterAll(async () => {
  await close(portal.server);
  await close(elsewhere.server);
});

function client(): PortalClient {
  return new PortalClient({
    baseUrl: portal.url,
    clock: systemClock,
    scheduler: systemClock,
    timeoutMs: 10_000,
    credentials: {
      terminalId: 'T-redirect',
      keyId: 'kid-redirect',
      audience: PORTAL_AUDIENCE,
      privateJwk: device.privateJwk,
    },
  });
}

describe('a portal that answers with a redirect', () => {
  it.each([307, 308, 301, 302, 303])(
    'is not followed (%i): the password never reaches the other server',
    async (code) => {
      status = code;
      received.length = 0;
      const r = await client().signInAccount({ accountName: 'kemal.demo', password: 'Demo-Konto-2026' });
      expect(r).toMatchObject({
        ok: false,
        error: { kind: 'retryable', code: 'response.redirect', status: code },
      });
      expect(received).toEqual([]);
    },
  );

  it('is not followed for a sealed application or an enrolment either', async () => {
    status = 307;
    received.length = 0;
    const c = client();
    const created = await c.createSubmission('idem-redirect-0001', {
      submissionId: 'sub-redirect',
      metadata: 'a.b.c.d.e',
      parts: [
        {
          partId: 'data',
          kind: 'data',
          mediaType: 'application/json',
          sealedSize: 5,
          sha512OfSealed: 'a'.repeat(128),
        },
      ],
    });
    expect(created.ok || created.error.code).toBe('response.redirect');
    const enrolled = await c.enrol({
      code: 'ABCD-EFGH-JKMN',
      publicKey: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
    });
    expect(enrolled.ok || enrolled.error.code).toBe('response.redirect');
    expect(received).toEqual([]);
  });

  it('makes the activation say the portal is unavailable, not that the account is unknown', async () => {
    status = 307;
    received.length = 0;
    const lookup = await portalAccounts({ accounts: client(), sealDocumentRef: async () => undefined }).byId(
      'acc-demo-ayse',
    );
    expect(lookup).toEqual({ kind: 'offline' });
    expect(received).toEqual([]);
  });
});
