/**
 * One owner of the running kiosk: after `close()` nothing it started is left: no timer on its
 * clock (sessions, staff, delivery, heartbeat), no listener on its events, no socket (metrics
 * endpoint, portal connections, the portal probe's timeout), no file open in its data folder.
 */
import { createHook } from 'node:async_hooks';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../common/clock.ts';
import { loadConfig } from '../../../core/config.ts';
import { silentLogger } from '../../../core/log.ts';
import { KioskMetrics } from '../../../core/metrics/index.ts';
import { startKiosk } from '../../../core/start.ts';
import { DEMO_STAFF } from '../../../portal/config.ts';
import { startPortal } from '../../../portal/server.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { heldTerminal, pinnedKioskEnv } from '../../support/kiosk-terminal.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-close-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Files of this process open below `dir` (Linux: /proc/self/fd). */
function openFilesUnder(dir: string): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir) ? [target] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Timers and sockets made from now on that are still open and keep the process alive, by kind
 * and the first frame of this project that made them.
 */
function watchResources(): { left(): string[]; stop(): void } {
  const root = join(import.meta.dirname, '..', '..', '..');
  const sources = new RegExp(`${root}/(core|sync|portal|device)/`);
  const kinds = new Set(['Timeout', 'TCPWRAP', 'TCPSERVERWRAP']);
  const open = new Map<number, { kind: string; resource: { hasRef?: () => boolean }; where: string }>();
  const hook = createHook({
    init(id, kind, _trigger, resource) {
      if (!kinds.has(kind)) return;
      const where = (new Error().stack ?? '').split('\n').find((l) => sources.test(l)) ?? '';
      open.set(id, { kind, resource: resource as { hasRef?: () => boolean }, where: where.trim() });
    },
    destroy(id) {
      open.delete(id);
    },
  }).enable();
  return {
    left: () =>
      [...open.values()].filter((r) => r.resource.hasRef?.() ?? true).map((r) => `${r.kind} ${r.where}`),
    stop: () => hook.disable(),
  };
}

const clerk = DEMO_STAFF.find((p) => p.role === 'staff');

describe('a closed kiosk', () => {
  it('leaves no timer, listener, socket or open file behind', async () => {
    // the process metrics are made once per process: made before the watch starts
    new KioskMetrics({ clock: new ManualClock() }).close();
    const resources = watchResources();
    const portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 17, demo: true });
    const env = {
      ...pinnedKioskEnv(portal, dataDir),
      KIOSK_PRINTER_KIND: 'none',
      KIOSK_METRICS: '1',
      KIOSK_METRICS_PORT: '0',
    };
    // a long portal timeout: a timer the kiosk left running would still be there at the end
    const config = loadConfig({ env, overrides: { portal: { timeoutMs: 60_000 } } });
    // the kiosk's clock reaches delivery and the heartbeat: every timer of the kiosk is on it
    const clock = new ManualClock(Date.now());
    const kiosk = await startKiosk(
      { ...config, portal: { ...config.portal, url: portal.url } },
      { log: silentLogger, enrolmentCode: portal.createEnrolmentCode(), env, clock },
    );
    await kiosk.started;
    const terminal = heldTerminal(kiosk);

    // everything running: a visitor with a clerk at their side, the status screen, delivery, the
    // heartbeat, a scrape of the metrics endpoint
    const call = async (name: string, input: unknown = {}) => {
      const answer = (await kiosk.router.dispatch(name, input)) as { ok: boolean; error?: { code: string } };
      if (!answer.ok) throw new Error(`${name}: ${answer.error?.code}`);
    };
    await call('session.start', { language: 'de' });
    if (!clerk) throw new Error('no demo clerk');
    await call('staff.signIn', { badge: clerk.badge, pin: clerk.secret });
    await call('system.status');
    clock.advance(0); // the first delivery pass and heartbeat are due at once
    await vi.waitFor(() => expect(terminal.heartbeat.lastResult?.ok).toBe(true));
    await terminal.engine.idle();
    const url = await kiosk.metricsUrl();
    if (!url) throw new Error('no metrics endpoint');
    const scraped = await fetch(url);
    expect(scraped.status).toBe(200);
    // read to its end: an unread body holds its connection open past the close
    expect(await scraped.text()).toContain('kiosk_');
    expect(clock.pendingTimers).toBeGreaterThan(0);
    expect(kiosk.events.listenerCount).toBeGreaterThan(0);
    expect(openFilesUnder(dataDir)).not.toEqual([]);

    await kiosk.close();
    expect(clock.pendingTimers).toBe(0);
    expect(kiosk.events.listenerCount).toBe(0);
    expect(openFilesUnder(dataDir)).toEqual([]);
    expect(kiosk.terminal()).toBeNull();
    await expect(fetch(url)).rejects.toThrow();

    await portal.close();
    // the portal's connections end with it: then nothing made since the start is left open
    for (let i = 0; i < 40 && resources.left().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    resources.stop();
    expect(resources.left()).toEqual([]);
  });
});
