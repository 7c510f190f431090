import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { healthResponseSchema } from '../../../sync/protocol/index.ts';

describe('portal start-up', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function start(demo: boolean): Promise<RunningPortal> {
    const dataDir = await mkdtemp(join(tmpdir(), 'portal-health-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const portal = await startPortal({ dataDir, demo, authorityKeyBits: 2048 });
    cleanup.push(() => portal.close());
    return portal;
  }

  it('answers /v1/health over HTTP on 127.0.0.1', async () => {
    const portal = await start(false);
    expect(portal.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${portal.url}/v1/health`);
    expect(res.status).toBe(200);
    const body = healthResponseSchema.parse(await res.json());
    expect(body.status).toBe('ok');
    expect(portal.demoEnrolmentCode).toBeUndefined();
  });

  it('seeds demo data and an enrolment code once per data folder', async () => {
    const portal = await start(true);
    expect(portal.demoEnrolmentCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(portal.demoTracking.length).toBeGreaterThanOrEqual(3);
    // a second portal on the same data folder (WAL) reuses the keys and does not seed twice
    const again = await startPortal({ dataDir: portal.dataDir, demo: true, authorityKeyBits: 2048 });
    cleanup.push(() => again.close());
    expect(again.submissions().length).toBe(portal.submissions().length);
    expect(again.signingKey).toEqual(portal.signingKey);
    expect(again.demoEnrolmentCode).not.toBe(portal.demoEnrolmentCode);
  });

  it('answers unknown routes with the protocol error body', async () => {
    const portal = await start(false);
    const res = await fetch(`${portal.url}/v1/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'route.not_found', message: expect.any(String) } });
  });
});
