/** The portal over real HTTP on 127.0.0.1 (port 0), and each injected fault. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.ts';
import { type PortalOptions, type RunningPortal, startPortal } from '../../../portal/server.ts';
import {
  createSubmissionResponseSchema,
  errorBodySchema,
  healthResponseSchema,
  ROUTES,
  submitResponseSchema,
} from '../../../sync/protocol/index.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { createBody, TestTerminal } from './harness.ts';

let portal: RunningPortal;
let dataDir: string;
let clock: ManualClock;
let t: TestTerminal;

async function start(options: PortalOptions = {}): Promise<void> {
  dataDir = await mkdtemp(join(tmpdir(), 'portal-http-'));
  clock = new ManualClock(Date.now());
  portal = await startPortal({
    dataDir,
    clock,
    authorityKeyBits: 2048,
    authorityKeySource: pooledAuthorityKeys(),
    seed: 11,
    ...options,
  });
  t = await TestTerminal.enrolled(portal, clock);
}

beforeEach(async () => {
  await start();
});
afterEach(async () => {
  await portal.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${portal.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await t.headers()), ...headers },
    body: JSON.stringify(body),
  });
}

async function put(path: string, bytes: Buffer): Promise<Response> {
  return fetch(`${portal.url}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', ...(await t.headers()) },
    body: new Uint8Array(bytes),
  });
}

describe('over HTTP', () => {
  it('delivers a sealed submission end to end', async () => {
    const sealed = await t.seal({ attachmentBytes: 20_000 });
    const created = await post('/v1/submissions', createBody(sealed), { 'idempotency-key': 'http-key-0001' });
    expect(created.status).toBe(201);
    createSubmissionResponseSchema.parse(await created.json());
    for (const p of sealed.parts) {
      const bytes = Buffer.from(p.jwe);
      for (let offset = 0; offset < bytes.length; offset += 8192) {
        const res = await put(
          `/v1/submissions/${sealed.submissionId}/parts/${p.partId}?offset=${offset}`,
          bytes.subarray(offset, offset + 8192),
        );
        expect(res.status).toBe(200);
      }
    }
    const submitted = await post(`/v1/submissions/${sealed.submissionId}/submit`, {});
    expect(submitted.status).toBe(200);
    expect(submitResponseSchema.parse(await submitted.json()).trackingNumber).toBe(sealed.trackingNumber);
  });

  it('serves an OpenAPI document with every route', async () => {
    const res = await fetch(`${portal.url}/v1/openapi.json`);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of Object.values(ROUTES)) {
      expect(
        doc.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
    expect(doc.paths['/v1/openapi.json']).toBeDefined();
  });

  it('answers a body that is not JSON with request.invalid, and an oversized one with request.too_large', async () => {
    const bad = await fetch(`${portal.url}/v1/enrolment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"code":',
    });
    expect(bad.status).toBe(400);
    expect(errorBodySchema.parse(await bad.json()).error.code).toBe('request.invalid');
    const big = await fetch(`${portal.url}/v1/enrolment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'x'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    expect(errorBodySchema.parse(await big.json()).error.code).toBe('request.too_large');
  });
});

describe('fault injection', () => {
  it('--fail-rate 1 answers 503 server.unavailable (retryable) and carries nothing out', async () => {
    const sealed = await t.seal();
    portal.setFaults({ failRate: 1 });
    const res = await post('/v1/submissions', createBody(sealed), { 'idempotency-key': 'fail-key-0001' });
    expect(res.status).toBe(503);
    expect(errorBodySchema.parse(await res.json()).error).toMatchObject({
      code: 'server.unavailable',
      retryable: true,
    });
    expect(portal.submission(sealed.submissionId)).toBeUndefined();
    portal.setFaults({ failRate: 0 });
    expect((await fetch(`${portal.url}/v1/health`)).status).toBe(200);
  });

  it('a fail rate between 0 and 1 fails the same requests for the same seed', async () => {
    const pattern = async (): Promise<number[]> => {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await fetch(`${portal.url}/v1/health`)).status);
      return statuses;
    };
    portal.setFaults({ failRate: 0.5 });
    const first = await pattern();
    expect(first).toContain(503);
    expect(first).toContain(200);
    // a fresh portal with the same seed fails exactly the same requests
    expect(await start2(first.length)).toEqual(first);
  });

  it('--lost-ack-rate 1 commits, then drops the connection; the retry is answered from the record', async () => {
    const sealed = await t.seal();
    portal.setFaults({ lostAckRate: 1 });
    await expect(
      post('/v1/submissions', createBody(sealed), { 'idempotency-key': 'lost-key-0001' }),
    ).rejects.toThrow();
    // committed although unanswered
    expect(portal.submission(sealed.submissionId)?.state).toBe('open');
    portal.setFaults({ lostAckRate: 0 });
    const retry = await post('/v1/submissions', createBody(sealed), { 'idempotency-key': 'lost-key-0001' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('--latency waits the given time inside each request', async () => {
    const waits: number[] = [];
    await portal.close();
    await start({ sleep: async (ms) => void waits.push(ms) });
    portal.setFaults({ latencyMs: 250 });
    waits.length = 0;
    expect((await fetch(`${portal.url}/v1/health`)).status).toBe(200);
    expect(waits).toEqual([250]);
  });

  it('--captive answers every request 200 with an HTML login page', async () => {
    portal.setFaults({ captive: true });
    const res = await post('/v1/heartbeat', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await res.text();
    expect(text).toMatch(/<form/);
    expect(() => healthResponseSchema.parse(JSON.parse(text))).toThrow();
  });

  it('--down refuses connections, also kept-alive ones, until it is up again', async () => {
    expect((await fetch(`${portal.url}/v1/health`)).status).toBe(200);
    portal.setFaults({ down: true });
    await expect(fetch(`${portal.url}/v1/health`)).rejects.toThrow();
    portal.setFaults({ down: false });
    expect((await fetch(`${portal.url}/v1/health`)).status).toBe(200);
  });

  it('starts with faults given as options', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portal-captive-'));
    const captive = await startPortal({
      dataDir: dir,
      authorityKeyBits: 2048,
      authorityKeySource: pooledAuthorityKeys(),
      faults: { captive: true, latencyMs: 5 },
    });
    try {
      expect(captive.faults()).toMatchObject({ captive: true, down: false, failRate: 0, latencyMs: 5 });
      expect((await fetch(`${captive.url}/v1/health`)).headers.get('content-type')).toMatch(/^text\/html/);
    } finally {
      await captive.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A fresh portal with the first test's seed (11), drawing `n` health checks at fail rate 0.5. */
async function start2(n: number): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'portal-seed-'));
  const other = await startPortal({
    dataDir: dir,
    authorityKeyBits: 2048,
    authorityKeySource: pooledAuthorityKeys(),
    seed: 11,
    faults: { failRate: 0.5 },
  });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await fetch(`${other.url}/v1/health`)).status);
    return statuses;
  } finally {
    await other.close();
    await rm(dir, { recursive: true, force: true });
  }
}
