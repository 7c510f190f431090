import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskEvent } from '../../../api/contract.ts';
import { loadConfig } from '../../../core/config.ts';
import type { Kiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import { startKiosk } from '../../../core/start.ts';
import { DEMO_STAFF } from '../../../portal/config.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import type { AssembledTerminal } from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { heldTerminal, pinnedKioskEnv } from '../../support/kiosk-terminal.ts';

/**
 * The kiosk as a host starts it: enrolled with the reference portal, the portal's signed
 * configuration laid over the local one, the heartbeat carrying the kiosk's health, and a wipe
 * an administrator asks for at the portal carried out by the kiosk.
 */
let portal: RunningPortal;
let dataDir: string;
let kiosk: Kiosk;
let terminal: AssembledTerminal;
let events: KioskEvent[];

const clerk = DEMO_STAFF.find((p) => p.role === 'staff');

beforeEach(async () => {
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 3, demo: true });
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-start-'));
  const env = {
    ...pinnedKioskEnv(portal, dataDir),
    KIOSK_IDLE_TIMEOUT_SECONDS: '45',
  };
  const config = loadConfig({ env });
  kiosk = await startKiosk(
    { ...config, portal: { ...config.portal, url: portal.url } },
    { log: silentLogger, enrolmentCode: portal.createEnrolmentCode(), env },
  );
  terminal = heldTerminal(kiosk);
  events = [];
  kiosk.events.subscribe((event) => events.push(event));
  await kiosk.started;
});

afterEach(async () => {
  await kiosk.close();
  await portal.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a kiosk started against the portal', () => {
  it('takes the portal configuration, except what the environment set', async () => {
    const site = portal.siteConfig();
    expect(kiosk.config.terminal.location).toBe(site.site.location.name);
    expect(kiosk.config.session.idleWarningSeconds).toBe(site.site.timeouts.warningSeconds);
    // KIOSK_IDLE_TIMEOUT_SECONDS was given for this terminal: it wins over the portal's 90 s.
    expect(kiosk.config.session.idleTimeoutSeconds).toBe(45);
  });

  it('lets the people of the signed configuration sign in', async () => {
    if (!clerk) throw new Error('no demo clerk');
    await kiosk.router.dispatch('session.start', { language: 'de' });
    const signedIn = await kiosk.router.dispatch('staff.signIn', { badge: clerk.badge, pin: clerk.secret });
    expect(signedIn).toMatchObject({ ok: true, value: { role: 'staff', name: clerk.name } });
  });

  it('reports its health and audit head in the heartbeat', async () => {
    await kiosk.router.dispatch('session.start', { language: 'de' });
    const beat = await terminal.heartbeat.beat();
    expect(beat.ok).toBe(true);
    const info = portal.terminals().find((t) => t.terminalId === terminal.terminalId);
    expect(info?.lastHeartbeat).toMatchObject({
      sessionsSinceStart: 1,
      readers: expect.arrayContaining([{ kind: 'mrz', status: 'present' }]),
      printer: { status: 'none' },
    });
  });

  it('carries out a wipe requested at the portal and is then not enrolled', async () => {
    expect(portal.requestWipe(terminal.terminalId)).toBeDefined();
    await terminal.heartbeat.beat(); // the command arrives and is carried out, then acknowledged
    await terminal.heartbeat.beat().catch(() => undefined);
    for (let i = 0; i < 200 && kiosk.terminal() !== null; i++) await new Promise((r) => setTimeout(r, 10));
    expect(kiosk.terminal()).toBeNull();
    for (let i = 0; i < 200 && existsSync(join(dataDir, 'kiosk.db')); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(join(dataDir, 'kiosk.db'))).toBe(false);
    expect(existsSync(join(dataDir, 'enrolment.json'))).toBe(false);
    const status = await kiosk.router.dispatch('system.status', {});
    expect(status).toMatchObject({ ok: true, value: { enrolled: false } });
    expect(events).toContainEqual({ name: 'terminal.enrolment', payload: { enrolled: false } });
    expect(kiosk.outOfService()).toBe('enrolment.missing');

    // Enrolling (and reading the code's QR) needs an administrator of the installation's own
    // records, and this installation has none (the portal's went with the wipe).
    const code = portal.createEnrolmentCode();
    expect(await kiosk.router.dispatch('enrolment.awaitCode', {})).toMatchObject({
      ok: false,
      error: { code: 'staff.no_session' },
    });
    const admin = DEMO_STAFF.find((p) => p.role === 'admin');
    expect(
      await kiosk.router.dispatch('admin.signIn', { badge: admin?.badge, password: admin?.secret }),
    ).toMatchObject({ ok: false });
    expect(await kiosk.router.dispatch('enrolment.enrol', { code })).toMatchObject({
      ok: false,
      error: { code: 'staff.no_session' },
    });
    expect(kiosk.terminal()).toBeNull();
  });
});
