/**
 * `kiosk_sync_attempts_total` and `kiosk_staff_sign_ins_total` count what the running kiosk does:
 * delivery attempts by outcome, sign-ins by role and outcome (never who), read from the kiosk's
 * real Prometheus endpoint over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import type { Kiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import { startKiosk } from '../../../core/start.ts';
import { DEMO_STAFF } from '../../../portal/config.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { pinnedKioskEnv } from '../../support/kiosk-terminal.ts';

let portal: RunningPortal;
let dataDir: string;
let kiosk: Kiosk;

const clerk = DEMO_STAFF.find((p) => p.role === 'staff');
const admin = DEMO_STAFF.find((p) => p.role === 'admin');

beforeEach(async () => {
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 13, demo: true });
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-metrics-'));
  const env = {
    ...pinnedKioskEnv(portal, dataDir),
    KIOSK_PRINTER_KIND: 'none',
    KIOSK_METRICS: '1',
    KIOSK_METRICS_PORT: '0',
  };
  const config = loadConfig({ env });
  kiosk = await startKiosk(
    { ...config, portal: { ...config.portal, url: portal.url } },
    { log: silentLogger, enrolmentCode: portal.createEnrolmentCode(), env },
  );
  await kiosk.started;
});

afterEach(async () => {
  await kiosk.close();
  await portal.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The kiosk's endpoint as the monitoring agent scrapes it: series name with labels -> value. */
async function scrape(): Promise<Map<string, number>> {
  const url = await kiosk.metricsUrl();
  if (!url) throw new Error('no metrics endpoint');
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const series = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^(kiosk_\S+) (\S+)$/.exec(line);
    if (match?.[1] && match[2]) series.set(match[1], Number(match[2]));
  }
  return series;
}

async function call(name: string, input: unknown = {}): Promise<{ ok: boolean; error?: { code: string } }> {
  return (await kiosk.router.dispatch(name, input)) as { ok: boolean; error?: { code: string } };
}

/** A call-back request from start to receipt: one application queued and delivered. */
async function callbackRequest(): Promise<void> {
  for (const [name, input] of [
    ['session.start', { language: 'de' }],
    ['journey.start', { serviceId: 'callback-request' }],
    ['journey.step', { values: { topic: 'appointment', urgency: 'normal' } }],
    [
      'journey.step',
      { values: { lastName: 'Yılmaz', phone: '+49 341 1234567', callLanguage: 'tr', timeWindow: 'any' } },
    ],
    ['journey.step', { values: {} }],
    ['journey.step', { values: { consentContact: true } }],
    ['journey.submit', {}],
    ['session.end', { reason: 'visitor' }],
  ] as const) {
    const answer = await call(name, input);
    if (!answer.ok) throw new Error(`${name}: ${answer.error?.code}`);
  }
}

describe('the metrics a running kiosk records', () => {
  it('counts delivery attempts by outcome: delivered, and offline while the portal is down', async () => {
    const before = await scrape();
    expect(before.get('kiosk_sync_attempts_total{outcome="delivered"}')).toBe(0);
    await callbackRequest();
    await vi.waitFor(async () =>
      expect((await scrape()).get('kiosk_sync_attempts_total{outcome="delivered"}')).toBe(1),
    );
    portal.setFaults({ down: true });
    await callbackRequest();
    await vi.waitFor(async () =>
      expect((await scrape()).get('kiosk_sync_attempts_total{outcome="offline"}')).toBeGreaterThanOrEqual(1),
    );
    const after = await scrape();
    expect(after.get('kiosk_sync_attempts_total{outcome="delivered"}')).toBe(1);
    expect(after.get('kiosk_sync_attempts_total{outcome="quarantined"}')).toBe(0);
  });

  it('counts staff sign-ins by role and outcome, and nothing of who signed in', async () => {
    if (!clerk || !admin) throw new Error('no demo staff');
    await call('session.start', { language: 'de' });
    expect(await call('staff.signIn', { badge: clerk.badge, pin: '999999' })).toMatchObject({ ok: false });
    expect(await call('staff.signIn', { badge: clerk.badge, pin: clerk.secret })).toMatchObject({ ok: true });
    await call('staff.signOut');
    expect(await call('admin.signIn', { badge: admin.badge, password: admin.secret })).toMatchObject({
      ok: true,
    });
    await call('staff.signOut');
    // wrong passwords until the badge is locked: the tries after that count as locked
    let locked = false;
    for (let i = 0; i < 10 && !locked; i++) {
      const answer = await call('admin.signIn', { badge: admin.badge, password: `wrong-${i}` });
      locked = answer.error?.code === 'staff.locked';
    }
    expect(locked).toBe(true);
    const series = await scrape();
    expect(series.get('kiosk_staff_sign_ins_total{role="staff",outcome="failed"}')).toBe(1);
    expect(series.get('kiosk_staff_sign_ins_total{role="staff",outcome="ok"}')).toBe(1);
    expect(series.get('kiosk_staff_sign_ins_total{role="admin",outcome="ok"}')).toBe(1);
    expect(series.get('kiosk_staff_sign_ins_total{role="admin",outcome="failed"}')).toBeGreaterThanOrEqual(1);
    expect(series.get('kiosk_staff_sign_ins_total{role="admin",outcome="locked"}')).toBe(1);
    const text = [...series.keys()].join('\n');
    for (const secret of [clerk.badge, clerk.name, admin.badge, admin.name])
      expect(text).not.toContain(secret);
  });
});
