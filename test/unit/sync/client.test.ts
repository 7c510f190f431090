import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { PortalClient, parseRetryAfter } from '../../../sync/client.ts';
import { PORTAL_AUDIENCE, terminalTokenClaimsSchema } from '../../../sync/protocol/index.ts';
import { syncTestClock } from './harness.ts';
import { type DeviceKeyPair, makeDeviceKey } from './keys.ts';

let device: DeviceKeyPair;
beforeAll(async () => {
  device = await makeDeviceKey('kid-1');
});

interface Seen {
  url: string;
  init: RequestInit;
}

function client(respond: (seen: Seen) => Response | Promise<Response>, clock = syncTestClock()) {
  const seen: Seen[] = [];
  const c = new PortalClient({
    baseUrl: 'http://portal.test/',
    clock,
    scheduler: clock,
    timeoutMs: 5000,
    credentials: {
      terminalId: 'T-1',
      keyId: 'kid-1',
      audience: PORTAL_AUDIENCE,
      privateJwk: device.privateJwk,
    },
    fetch: (async (url: string, init: RequestInit) => {
      const s = { url: String(url), init };
      seen.push(s);
      return respond(s);
    }) as typeof fetch,
  });
  return { c, seen, clock };
}

function headersOf(s: Seen | undefined): Record<string, string> {
  return (s?.init.headers ?? {}) as Record<string, string>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const partOk = { partId: 'data', sealedSize: 10, received: 10, complete: true };

describe('PortalClient', () => {
  it('sends a valid short-lived device JWT on every terminal request', async () => {
    const { c, seen, clock } = client(() => json(200, partOk));
    await c.getPart('sub-1', 'data');
    await c.getPart('sub-1', 'data');
    const tokens = seen.map((s) => String(headersOf(s).authorization).slice(7));
    expect(new Set(tokens).size).toBe(2);
    const token = tokens[0] ?? '';
    const claims = terminalTokenClaimsSchema.parse(decodeJwt(token));
    expect(claims).toMatchObject({ iss: 'T-1', aud: PORTAL_AUDIENCE, iat: Math.floor(clock.now() / 1000) });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(60);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: 'kid-1' });
    await expect(
      jwtVerify(token, device.publicJwk, { currentDate: new Date(clock.now()), audience: PORTAL_AUDIENCE }),
    ).resolves.toBeDefined();
    expect(seen[0]?.url).toBe('http://portal.test/v1/submissions/sub-1/parts/data');
  });

  it('sends the Idempotency-Key and reports a replayed answer', async () => {
    const body = { submissionId: 's', state: 'open', createdAt: '2025-03-01T09:00:00.000Z', parts: [] };
    const { c, seen } = client(() => json(200, body, { 'idempotent-replayed': 'true' }));
    const r = await c.createSubmission('idem-12345678', {
      submissionId: 's',
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
    expect(r).toMatchObject({ ok: true, replayed: true });
    expect(headersOf(seen[0])['idempotency-key']).toBe('idem-12345678');
  });

  it('treats a captive portal page (200 HTML) as a retryable failure', async () => {
    const { c } = client(() => new Response('<!doctype html><form>login</form>', { status: 200 }));
    expect(await c.health()).toMatchObject({
      ok: false,
      error: { kind: 'retryable', code: 'response.invalid' },
    });
  });

  it('treats 200 JSON of the wrong shape as a retryable failure', async () => {
    const { c } = client(() => json(200, { hello: 'world' }));
    expect(await c.getPart('s', 'data')).toMatchObject({
      ok: false,
      error: { kind: 'retryable', code: 'response.invalid' },
    });
  });

  it('classes 5xx, 429 and 409 in flight as retryable with Retry-After', async () => {
    const answers = [
      json(503, { error: { code: 'server.unavailable', message: '' } }, { 'retry-after': '7' }),
      json(429, { error: { code: 'rate_limited', message: '' } }, { 'retry-after': '30' }),
      json(409, { error: { code: 'idempotency.in_flight', message: '' } }),
      new Response('Bad gateway', { status: 502 }),
    ];
    const { c } = client(() => answers.shift() ?? json(500, {}));
    expect(await c.submit('s')).toMatchObject({
      ok: false,
      error: { kind: 'retryable', retryAfterMs: 7000 },
    });
    expect(await c.submit('s')).toMatchObject({
      ok: false,
      error: { kind: 'retryable', retryAfterMs: 30_000 },
    });
    expect(await c.submit('s')).toMatchObject({
      ok: false,
      error: { kind: 'retryable', code: 'idempotency.in_flight' },
    });
    expect(await c.submit('s')).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'http.502' } });
  });

  it('classes 4xx validation as permanent, with the reason', async () => {
    const { c } = client(() =>
      json(422, {
        error: { code: 'submission.rejected', message: 'no', retryable: false, reason: 'seal.hash_mismatch' },
      }),
    );
    expect(await c.submit('s')).toMatchObject({
      ok: false,
      error: { kind: 'permanent', code: 'submission.rejected', reason: 'seal.hash_mismatch' },
    });
  });

  it('classes auth.invalid as authentication', async () => {
    const { c } = client(() => json(401, { error: { code: 'auth.invalid', message: '' } }));
    expect(await c.submit('s')).toMatchObject({ ok: false, error: { kind: 'auth' } });
  });

  it('corrects its clock offset from the Date header of a clock-skew answer', async () => {
    const clock = syncTestClock();
    const portalTime = clock.now() + 10 * 60_000;
    let calls = 0;
    const { c, seen } = client(() => {
      calls++;
      return calls === 1
        ? json(
            401,
            { error: { code: 'auth.clock_skew', message: '' } },
            { date: new Date(portalTime).toUTCString() },
          )
        : json(200, partOk);
    }, clock);
    expect(await c.getPart('s', 'data')).toMatchObject({ ok: false, error: { kind: 'clock_skew' } });
    expect(Math.abs(c.clockOffsetMs - 10 * 60_000)).toBeLessThan(1000);
    expect((await c.getPart('s', 'data')).ok).toBe(true);
    const token = String(headersOf(seen[1]).authorization).slice(7);
    expect(Math.abs((decodeJwt(token).iat ?? 0) - Math.floor(portalTime / 1000))).toBeLessThanOrEqual(1);
  });

  it('reports a network error and a timeout as retryable', async () => {
    const refused = client(() => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    });
    expect(await refused.c.health()).toMatchObject({
      ok: false,
      error: { kind: 'retryable', code: 'net.error', message: 'ECONNREFUSED' },
    });
    const hanging = client(
      ({ init }) =>
        new Promise<Response>((_, reject) => {
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const pending = hanging.c.health();
    await new Promise((r) => setImmediate(r));
    expect(hanging.clock.nextDue()).toBe(hanging.clock.monotonic() + 5000);
    hanging.clock.runNext();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'net.timeout' } });
    expect(hanging.clock.pendingTimers).toBe(0);
  });

  it('parses Retry-After in seconds and as an HTTP date', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});
