/**
 * The heartbeat against the reference portal on 127.0.0.1: health stored at the portal, a new
 * configuration fetched, verified and applied, a remote wipe delivered and acknowledged (what the
 * kiosk does with it: test/integration/core/remote-wipe.test.ts), and a portal that is down or
 * answers garbage costs a retry, never an exception.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CompactSign, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, type Scheduler, systemClock } from '../../../common/clock.ts';
import { configSchema } from '../../../core/config.ts';
import { applyTerminalSiteConfig } from '../../../core/site-overlay.ts';
import { DEFAULT_SITE_CONFIG, demoStaffSection } from '../../../portal/config.ts';
import { loadSigningKey, signCompactEs256 } from '../../../portal/keys.ts';
import { Heartbeat } from '../../../sync/heartbeat.ts';
import { COMMAND_JWS_TYPE, type TerminalCommand, type TerminalConfig } from '../../../sync/protocol/index.ts';
import { SiteConfigStore } from '../../../sync/site-config.ts';
import { type AssembledTerminal, enrolTerminal, openTerminal } from '../../../sync/terminal.ts';
import { applicationWith, makeRig, type Rig } from './setup.ts';

/**
 * Heartbeat timers on a clock that moves only when the test fires them: no test waits for time to
 * pass. The one pending timer (the heartbeat's; the engine is not started in these tests) runs,
 * and its delay is returned.
 */
function fire(clock: ManualClock): number | undefined {
  expect(clock.pendingTimers).toBe(1);
  return clock.runNext();
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

async function openWith(scheduler: Scheduler, appVersion = '9.9.9'): Promise<AssembledTerminal> {
  if (!rig) throw new Error('no rig');
  return rig.open({ scheduler, appVersion, heartbeat: { retryBaseMs: 4_000 }, random: () => 0.5 });
}

describe('heartbeat against the reference portal', () => {
  it('sends queue, alarms, memory and the kiosk health; the portal stores it with the terminal', async () => {
    rig = await makeRig();
    const scheduler = new ManualClock();
    const t = await openWith(scheduler);
    // the configuration that came with the enrolment was verified and stored
    expect(t.siteConfig()?.version).toBe(1);
    const queued = await t.outbox.enqueue(applicationWith('Heartbeat-Marker'));
    expect(queued.ok).toBe(true);
    t.heartbeat.setHealth(() => ({
      readers: [
        { kind: 'mrz', status: 'present' },
        { kind: 'barcode', status: 'missing' },
      ],
      printer: { status: 'out_of_paper' },
      sessionsSinceStart: 3,
      auditHead: { seq: 17, hash: 'a'.repeat(64) },
      alarms: ['printer.out_of_paper'],
    }));
    const r = await t.heartbeat.beat();
    expect(r).toMatchObject({ ok: true, portalConfigVersion: 1 });
    const info = rig.portal.terminals()[0];
    expect(info?.appVersion).toBe('9.9.9');
    expect(info?.lastHeartbeat).toMatchObject({
      appVersion: '9.9.9',
      configVersion: 1,
      queue: { queued: 1, sending: 0, quarantined: 0 },
      readers: [
        { kind: 'mrz', status: 'present' },
        { kind: 'barcode', status: 'missing' },
      ],
      printer: { status: 'out_of_paper' },
      sessionsSinceStart: 3,
      auditHead: { seq: 17 },
      alarms: ['printer.out_of_paper'],
    });
    const beat = info?.lastHeartbeat as { memory: { rssMb: number; heapUsedMb: number } };
    expect(beat.memory.rssMb).toBeGreaterThan(beat.memory.heapUsedMb);
    expect(JSON.stringify(info?.lastHeartbeat)).not.toContain('Heartbeat-Marker');
  });

  it('leaves out health figures that do not fit the protocol instead of losing the heartbeat', async () => {
    rig = await makeRig();
    const t = await openWith(new ManualClock());
    t.heartbeat.setHealth(() => ({ sessionsSinceStart: -1 }));
    expect((await t.heartbeat.beat()).ok).toBe(true);
    expect(rig.portal.terminals()[0]?.lastHeartbeat).not.toHaveProperty('sessionsSinceStart');
    t.heartbeat.setHealth(() => {
      throw new Error('printer driver crashed');
    });
    expect((await t.heartbeat.beat()).ok).toBe(true);
  });

  it('fetches a newer configuration, verifies and stores it, and the kiosk applies it', async () => {
    rig = await makeRig();
    const t = await openWith(new ManualClock());
    const seen: TerminalConfig[] = [];
    t.heartbeat.onConfig((c) => seen.push(c));
    expect((await t.heartbeat.beat()).configApplied).toBeUndefined();
    const staff = await demoStaffSection();
    const version = rig.portal.publishConfig({
      ...DEFAULT_SITE_CONFIG,
      languages: ['en', 'de', 'xx'],
      timeouts: { idleSeconds: 45, warningSeconds: 15, sessionMaxSeconds: 900 },
      services: DEFAULT_SITE_CONFIG.services.map((s) => ({ ...s, enabled: s.id !== 'commitment-company' })),
      sync: { heartbeatSeconds: 30, chunkBytes: 128 * 1024 },
      staff,
    });
    expect(version).toBe(2);
    const r = await t.heartbeat.beat();
    expect(r).toMatchObject({ ok: true, portalConfigVersion: 2, configApplied: 2 });
    expect(seen.map((c) => c.version)).toEqual([2]);
    expect(t.siteConfig()?.version).toBe(2);
    expect(t.heartbeat.intervalMs).toBe(30_000);
    // the next beat reports the version in effect and fetches nothing
    expect((await t.heartbeat.beat()).configApplied).toBeUndefined();
    expect(rig.portal.terminals()[0]?.lastHeartbeat).toMatchObject({ configVersion: 2 });

    const site = t.siteConfig();
    if (site === undefined) throw new Error('no configuration');
    const applied = applyTerminalSiteConfig(configSchema.parse({ dataDir: rig.dataDir }), site);
    expect(applied.config.languages).toEqual({ enabled: ['en', 'de'], default: 'en' });
    expect(applied.config.session).toMatchObject({ idleTimeoutSeconds: 45, idleWarningSeconds: 15 });
    expect(applied.config.services.disabled).toEqual(['commitment-company']);
    expect(applied.staff?.records.map((s) => s.role)).toEqual(['staff', 'admin']);

    // after a restart the stored configuration is verified again and in effect
    await t.close();
    const again = await openWith(new ManualClock());
    expect(again.siteConfig()?.version).toBe(2);
    expect(again.siteConfig()?.staff?.badgeSecret).toBe(staff.badgeSecret);
  });

  it('accepts a newer configuration on a terminal whose clock is 10 minutes slow', async () => {
    rig = await makeRig();
    const slow = { ...systemClock, now: () => Date.now() - 10 * 60_000 };
    const opened = await openTerminal({
      dataDir: rig.dataDir,
      scheduler: new ManualClock(),
      clock: slow,
      random: () => 0.5,
    });
    if (!opened.ok) throw new Error(opened.error.code);
    const t = opened.value;
    rig.portal.publishConfig({ ...DEFAULT_SITE_CONFIG, sync: { heartbeatSeconds: 45, chunkBytes: 65536 } });
    // the first beat's token is refused as skewed; the client learns the portal's time from it
    const first = await t.heartbeat.beat();
    expect(first.ok).toBe(false);
    expect(t.client.clockOffsetMs).toBeGreaterThan(9 * 60_000);
    const second = await t.heartbeat.beat();
    expect(second).toMatchObject({ ok: true, configApplied: 2 });
    expect(t.siteConfig()?.version).toBe(2);
    expect(t.alarms.isOpen('sync.integrity')).toBe(false);
    await t.close();
  });

  it('delivers a wipe command once, acknowledges it in the next heartbeat, and the portal revokes the terminal', async () => {
    rig = await makeRig();
    const scheduler = new ManualClock();
    const t = await openWith(scheduler);
    const terminalId = t.enrolment.terminalId;
    const commandId = rig.portal.requestWipe(terminalId);
    expect(commandId).toMatch(/^cmd-/);
    expect(rig.portal.requestWipe('T-unknown')).toBeUndefined();
    const run: TerminalCommand[] = [];
    const acked: TerminalCommand[] = [];
    t.heartbeat.onCommand((c) => void run.push(c));
    t.heartbeat.onAcked((c) => acked.push(c));
    t.heartbeat.start();
    expect(fire(scheduler)).toBe(0);
    await vi.waitFor(() => expect(t.heartbeat.lastResult?.commandsRun).toEqual([commandId]));
    expect(run).toMatchObject([{ id: commandId, type: 'wipe', terminalId }]);
    expect(rig.portal.terminals()[0]?.commands).toMatchObject([{ id: commandId, ackedAt: null }]);
    // the acknowledgement goes out at once, not a whole interval later
    expect(fire(scheduler)).toBe(0);
    await vi.waitFor(() => expect(t.heartbeat.lastResult?.acked).toEqual([commandId]));
    expect(acked.map((c) => c.id)).toEqual([commandId]);
    expect(run).toHaveLength(1);
    const info = rig.portal.terminals()[0];
    expect(info?.commands[0]?.ackedAt).not.toBeNull();
    expect(info?.revokedAt).not.toBeNull();
    // the terminal is refused from now on: an error value and an alarm, no exception
    expect(fire(scheduler)).toBe(60_000);
    await vi.waitFor(() => expect(t.heartbeat.lastResult?.ok).toBe(false));
    expect(t.heartbeat.lastResult?.error?.code).toBe('auth.invalid');
    expect(t.alarms.isOpen('sync.auth')).toBe(true);
    await t.close();
    expect(scheduler.pendingTimers).toBe(0);
  });

  it('keeps a carried-out command across a restart and acknowledges it without running it again', async () => {
    rig = await makeRig();
    const t = await openWith(new ManualClock());
    const commandId = rig.portal.requestWipe(t.enrolment.terminalId);
    let runs = 0;
    t.heartbeat.onCommand(() => void runs++);
    expect((await t.heartbeat.beat()).commandsRun).toEqual([commandId]);
    await t.close();
    const again = await openWith(new ManualClock());
    again.heartbeat.onCommand(() => void runs++);
    const r = await again.heartbeat.beat();
    expect(r.acked).toEqual([commandId]);
    expect(runs).toBe(1);
  });

  it('does not acknowledge a command whose handler failed; the portal offers it again', async () => {
    rig = await makeRig();
    const t = await openWith(new ManualClock());
    const commandId = rig.portal.requestWipe(t.enrolment.terminalId);
    let attempts = 0;
    t.heartbeat.onCommand(() => {
      attempts++;
      if (attempts === 1) throw new Error('busy');
    });
    expect((await t.heartbeat.beat()).commandsRun).toEqual([]);
    expect((await t.heartbeat.beat()).commandsRun).toEqual([commandId]);
    expect((await t.heartbeat.beat()).acked).toEqual([commandId]);
    expect(attempts).toBe(2);
  });

  it('carries out no command that is not signed by the portal for this terminal', async () => {
    rig = await makeRig();
    const t = await openWith(new ManualClock());
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const forged = await new CompactSign(
      new TextEncoder().encode(
        JSON.stringify({
          id: 'cmd-forged',
          type: 'wipe',
          terminalId: t.enrolment.terminalId,
          issuedAt: new Date().toISOString(),
        }),
      ),
    )
      .setProtectedHeader({ alg: 'ES256', kid: t.enrolment.portalSigningKey.kid, typ: 'command+jwt' })
      .sign(privateKey);
    // the portal's own command for another terminal, passed on unchanged
    const otherDir = mkdtempSync(join(tmpdir(), 'terminal-other-'));
    let foreign: string | undefined;
    try {
      const enrolled = await enrolTerminal({
        dataDir: otherDir,
        portalUrl: rig.portal.url,
        code: rig.portal.createEnrolmentCode(),
      });
      if (!enrolled.ok) throw new Error(enrolled.error.code);
      rig.portal.requestWipe(enrolled.value.terminalId);
      const opened = await openTerminal({ dataDir: otherDir, scheduler: new ManualClock() });
      if (!opened.ok) throw new Error(opened.error.code);
      const answer = await opened.value.client.heartbeat({
        time: new Date().toISOString(),
        appVersion: '1.0.0',
        uptimeSeconds: 1,
        queue: { queued: 0, sending: 0, quarantined: 0, oldestAgeSeconds: null },
      });
      await opened.value.close();
      foreign = answer.ok ? answer.value.commands[0] : undefined;
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
    if (foreign === undefined) throw new Error('no foreign command');
    const injected = [forged, foreign];
    const own = rig.portal.requestWipe(t.enrolment.terminalId);
    const api = {
      heartbeat: async (body: Parameters<typeof t.client.heartbeat>[0]) => {
        const r = await t.client.heartbeat(body);
        return r.ok ? { ...r, value: { ...r.value, commands: [...injected, ...r.value.commands] } } : r;
      },
      config: () => t.client.config(),
    };
    const siteConfig = new SiteConfigStore({
      state: t.state,
      portalSigningKey: t.enrolment.portalSigningKey,
      terminalId: t.enrolment.terminalId,
      now: () => Date.now(),
    });
    await siteConfig.load();
    const hb = new Heartbeat({
      api,
      siteConfig,
      queue: t.outbox,
      alarms: t.alarms,
      state: t.state,
      clock: systemClock,
      scheduler: new ManualClock(),
      terminalId: t.enrolment.terminalId,
      portalSigningKey: t.enrolment.portalSigningKey,
      appVersion: '9.9.9',
    });
    const run: string[] = [];
    hb.onCommand((c) => void run.push(c.id));
    const r = await hb.beat();
    expect(r.ok).toBe(true);
    // only the portal's own command for this terminal is carried out
    expect(run).toEqual([own]);
    expect(t.alarms.isOpen('sync.integrity')).toBe(true);
    await hb.dispose();
  });

  it('carries out no command of another type, without a type, or past its exp', async () => {
    rig = await makeRig();
    const t = await openWith(new ManualClock());
    const db = new Database(join(rig.portal.dataDir, 'portal.sqlite'));
    const portalKey = await loadSigningKey(db, Date.now());
    db.close();
    const now = Math.floor(Date.now() / 1000);
    const command = (id: string, exp: number) => ({
      id,
      type: 'wipe',
      terminalId: t.enrolment.terminalId,
      issuedAt: new Date().toISOString(),
      exp,
    });
    // each signed by the portal's own key: only the type or the expiry is wrong
    const injected = [
      signCompactEs256(portalKey, command('cmd-status-type', now + 600), 'status+jwt'),
      signCompactEs256(portalKey, command('cmd-no-type', now + 600), ''),
      signCompactEs256(portalKey, command('cmd-expired', now - 3600), COMMAND_JWS_TYPE),
      signCompactEs256(portalKey, { ...command('cmd-no-exp', 0), exp: undefined }, COMMAND_JWS_TYPE),
    ];
    const run: string[] = [];
    const hb = new Heartbeat({
      api: {
        heartbeat: async (body) => {
          const r = await t.client.heartbeat(body);
          return r.ok ? { ...r, value: { ...r.value, commands: [...injected, ...r.value.commands] } } : r;
        },
        config: () => t.client.config(),
      },
      siteConfig: new SiteConfigStore({
        state: t.state,
        portalSigningKey: t.enrolment.portalSigningKey,
        terminalId: t.enrolment.terminalId,
        now: () => Date.now(),
      }),
      queue: t.outbox,
      alarms: t.alarms,
      state: t.state,
      clock: systemClock,
      scheduler: new ManualClock(),
      terminalId: t.enrolment.terminalId,
      portalSigningKey: t.enrolment.portalSigningKey,
      appVersion: '9.9.9',
    });
    hb.onCommand((c) => void run.push(c.id));
    const own = rig.portal.requestWipe(t.enrolment.terminalId);
    expect((await hb.beat()).ok).toBe(true);
    expect(run).toEqual([own]);
    expect(t.alarms.isOpen('sync.integrity')).toBe(true);
    await hb.dispose();
  });

  it('survives a portal that is down or answers garbage, and retries sooner than the interval', async () => {
    rig = await makeRig();
    const scheduler = new ManualClock();
    const t = await openWith(scheduler);
    const errors: unknown[] = [];
    const onUnhandled = (e: unknown) => errors.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      rig.portal.setFaults({ down: true });
      t.heartbeat.start();
      expect(fire(scheduler)).toBe(0);
      await vi.waitFor(() => expect(t.heartbeat.lastResult?.ok).toBe(false));
      expect(t.heartbeat.lastResult?.error?.code).toBe('net.error');
      // retries: 4 s base, then 8 s, half fixed and half jitter (random 0.5 here)
      expect(scheduler.pendingDelays()).toEqual([3_000]);
      fire(scheduler);
      await vi.waitFor(() => expect(scheduler.pendingDelays()).toEqual([6_000]));
      rig.portal.setFaults({ down: false, captive: true });
      fire(scheduler);
      await vi.waitFor(() => expect(scheduler.pendingDelays()).toEqual([12_000]));
      expect(t.heartbeat.lastResult?.error?.code).toBe('response.invalid');
      rig.portal.setFaults({ captive: false });
      fire(scheduler);
      await vi.waitFor(() => expect(t.heartbeat.lastResult?.ok).toBe(true));
      expect(scheduler.pendingDelays()).toEqual([60_000]);
      expect(rig.portal.terminals()[0]?.lastSeenAt).not.toBeNull();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(errors).toEqual([]);
    await t.close();
    expect(scheduler.pendingTimers).toBe(0);
  });
});
