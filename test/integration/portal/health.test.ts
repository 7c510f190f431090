import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPortalDb } from '../../../portal/db.ts';
import { createPortal, type RunningPortal, startPortal } from '../../../portal/server.ts';
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

  it('opens its database in WAL mode with synchronous=FULL on every open', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'portal-db-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    for (let i = 0; i < 2; i++) {
      const db = openPortalDb(dataDir);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('user_version', { simple: true })).toBe(7);
      db.close();
    }
  });

  it('removes the temp data folder it made itself on close', async () => {
    const portal = await createPortal({ authorityKeyBits: 2048 });
    expect(existsSync(portal.dataDir)).toBe(true);
    await portal.close();
    expect(existsSync(portal.dataDir)).toBe(false);
  });

  it('drops the answer under inject too (lost acknowledgement, down)', async () => {
    const portal = await createPortal({ authorityKeyBits: 2048 });
    cleanup.push(() => portal.close());
    portal.setFaults({ lostAckRate: 1 });
    await expect(portal.app.inject({ method: 'GET', url: '/v1/health' })).rejects.toThrow(
      /connection dropped/,
    );
    portal.setFaults({ lostAckRate: 0, down: true });
    await expect(portal.app.inject({ method: 'GET', url: '/v1/health' })).rejects.toThrow(
      /connection dropped/,
    );
    portal.setFaults({ down: false });
    expect((await portal.app.inject({ method: 'GET', url: '/v1/health' })).statusCode).toBe(200);
  });
});
