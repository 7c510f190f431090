import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.ts';
import { loadConfig } from '../../../core/config.ts';
import type { Kiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import type { FleetView } from '../../../portal/fleet.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import type { AssembledTerminal } from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { heldTerminal, pinnedKioskEnv, startKioskAtOwnTime } from '../../support/kiosk-terminal.ts';

/**
 * The usage figures end to end through the core: a scripted set of visitor sessions (completed,
 * cancelled at a known step, left by a timeout, guest and signed in, staff called), then the
 * kiosk's Prometheus endpoint and the portal's record of the heartbeat say exactly that.
 */
let portal: RunningPortal;
let dataDir: string;
let kiosk: Kiosk;
let terminal: AssembledTerminal;
let clock: ManualClock;
/** The same kiosk started again on its data folder (the nightly restart). */
let restart: () => Promise<Kiosk>;
const HOUR = 3_600_000;

beforeEach(async () => {
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 7, demo: true });
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-usage-'));
  const env = {
    ...pinnedKioskEnv(portal, dataDir),
    KIOSK_PRINTER_KIND: 'none',
    KIOSK_METRICS: '1',
    KIOSK_METRICS_PORT: '0',
  };
  const config = loadConfig({ env });
  // the kiosk's time: two hours ago, so every count lies inside the portal's last 24 hours
  clock = new ManualClock(Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR + 5 * 60_000);
  restart = () =>
    startKioskAtOwnTime(
      { ...config, portal: { ...config.portal, url: portal.url } },
      { log: silentLogger, env, clock },
    );
  kiosk = await startKioskAtOwnTime(
    { ...config, portal: { ...config.portal, url: portal.url } },
    { log: silentLogger, enrolmentCode: portal.createEnrolmentCode(), env, clock },
  );
  terminal = heldTerminal(kiosk);
  await kiosk.started;
});

afterEach(async () => {
  await kiosk.close();
  await portal.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(name: string, input: unknown = {}): Promise<unknown> {
  const answer = (await kiosk.router.dispatch(name as never, input as never)) as {
    ok: boolean;
    error?: { code: string };
  };
  if (!answer.ok) throw new Error(`${name}: ${answer.error?.code}`);
  return answer;
}

/** The scripted morning: four visitors. */
async function visitors(): Promise<void> {
  // 1: German guest completes a call-back request (no printer: the receipt is on screen)
  await call('session.start', { language: 'de' });
  await call('journey.start', { serviceId: 'callback-request' });
  await call('journey.step', { values: { topic: 'appointment', urgency: 'normal' } });
  await call('journey.step', {
    values: { lastName: 'Kovalenko', phone: '+49 341 9876543', callLanguage: 'uk', timeWindow: 'any' },
  });
  await call('journey.step', { values: {} });
  await call('journey.step', { values: { consentContact: true } });
  await call('journey.submit');
  clock.advance(50_000);
  await call('session.end', { reason: 'visitor' });

  // 2: English guest leaves the call-back request at its second step and calls staff
  await call('session.start', { language: 'en' });
  await call('journey.start', { serviceId: 'callback-request' });
  await call('journey.step', { values: { topic: 'appointment', urgency: 'normal' } });
  await call('staff.call');
  await call('journey.cancel');
  clock.advance(50_000);
  await call('session.end', { reason: 'visitor' });

  // 3: Turkish visitor signed in with a service account walks away on the first step
  await call('session.start', { language: 'tr' });
  await call('account.signIn', { accountName: 'kemal.demo', password: 'Demo-Konto-2026' });
  // the one-time code the portal sent to the account's phone (its reference sender keeps it)
  await call('account.confirmCode', {
    code: /\b\d{6}\b/.exec(portal.lastCodeMessage('acc-demo-kemal')?.text ?? '')?.[0] ?? '',
  });
  await call('journey.start', { serviceId: 'commitment-private' });
  clock.advance(kiosk.config.session.idleTimeoutSeconds * 1000);

  // 4: German guest opens the information, then the status lookup instead, scans the receipt
  // twice with the simulated scanner (a reread), and leaves
  await call('session.start', { language: 'de' });
  await call('journey.start', { serviceId: 'information' });
  await call('journey.start', { serviceId: 'application-status' });
  const reads: string[] = [];
  const stop = kiosk.events.subscribe((e) => {
    if (e.name === 'device.read') reads.push(e.payload.kind);
  });
  expect(kiosk.simulator?.scan('ST1:ST-0000000000X').ok).toBe(true);
  expect(kiosk.simulator?.scan('ST1:ST-0000000000X').ok).toBe(true);
  stop();
  expect(reads).toEqual(['barcode', 'barcode']);
  clock.advance(50_000);
  await call('session.end', { reason: 'visitor' });
}

function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    map.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return map;
}

async function fleet(query = ''): Promise<FleetView> {
  const answer = await fetch(`${portal.url}/admin/v1/fleet${query}`, {
    headers: { authorization: `Bearer ${portal.adminToken}` },
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as FleetView;
}

describe('usage figures after a scripted set of sessions', () => {
  it('the metrics endpoint counts what the visitors did', async () => {
    await visitors();
    const url = await kiosk.metricsUrl();
    if (!url) throw new Error('no metrics endpoint');
    const s = samples(await (await fetch(url)).text());
    const started = (service: string, language: string, identity: string) =>
      s.get(
        `kiosk_journeys_started_total{service="${service}",language="${language}",identity="${identity}"}`,
      );
    expect(started('callback-request', 'de', 'guest')).toBe(1);
    expect(started('callback-request', 'en', 'guest')).toBe(1);
    expect(started('commitment-private', 'tr', 'account')).toBe(1);
    expect(started('information', 'de', 'guest')).toBe(1);
    expect(started('application-status', 'de', 'guest')).toBe(1);
    expect(started('callback-request', 'tr', 'guest')).toBe(0);
    expect(
      s.get('kiosk_journeys_completed_total{service="callback-request",language="de",identity="guest"}'),
    ).toBe(1);
    expect(
      s.get('kiosk_journeys_completed_total{service="callback-request",language="en",identity="guest"}'),
    ).toBe(0);
    const abandoned = [...s].filter(([k]) => k.startsWith('kiosk_journeys_abandoned_total{'));
    expect(Object.fromEntries(abandoned)).toEqual({
      'kiosk_journeys_abandoned_total{service="callback-request",language="en",identity="guest",step="contact"}': 1,
      'kiosk_journeys_abandoned_total{service="commitment-private",language="tr",identity="account",step="eligibility"}': 1,
      'kiosk_journeys_abandoned_total{service="information",language="de",identity="guest",step="topic"}': 1,
      'kiosk_journeys_abandoned_total{service="application-status",language="de",identity="guest",step="lookup"}': 1,
    });
    expect(
      s.get('kiosk_journey_duration_seconds_count{service="callback-request",outcome="completed"}'),
    ).toBe(1);
    expect(
      s.get('kiosk_journey_duration_seconds_count{service="callback-request",outcome="abandoned"}'),
    ).toBe(1);
    expect(s.get('kiosk_prints_total{document="receipt",outcome="no_printer"}')).toBe(1);
    expect(s.get('kiosk_staff_calls_total')).toBe(1);
    expect(s.get('kiosk_device_reads_total{kind="barcode"}')).toBe(2);
    expect(s.get('kiosk_rereads_total')).toBe(1);
    expect(s.get('kiosk_sessions_started_total')).toBe(4);
    expect(s.get('kiosk_sessions_ended_total{reason="timeout"}')).toBe(1);
  });

  it('the portal holds the same counts from the heartbeat, once however often it is sent', async () => {
    await visitors();
    expect((await terminal.heartbeat.beat()).ok).toBe(true);
    const view = await fleet();
    expect(view.usage.sessions).toBe(4);
    expect(view.usage.staffCalls).toBe(1);
    expect(view.usage.reads).toEqual({ mrz: 0, barcode: 2, error: 0 });
    expect(view.usage.rereads).toBe(1);
    expect(view.usage.journeys).toEqual({ started: 5, completed: 1, abandoned: 4 });
    expect(view.usage.identities).toEqual({
      guest: { started: 4, completed: 1, abandoned: 3 },
      account: { started: 1, completed: 0, abandoned: 1 },
    });
    expect(view.usage.prints).toEqual({ printed: 0, failed: 0, no_printer: 1 });
    expect(view.usage.languages).toEqual([
      { language: 'de', started: 3, completed: 1, abandoned: 2 },
      { language: 'en', started: 1, completed: 0, abandoned: 1 },
      { language: 'tr', started: 1, completed: 0, abandoned: 1 },
    ]);
    const callback = view.usage.services.find((s) => s.service === 'callback-request');
    expect(callback).toEqual({
      service: 'callback-request',
      started: 2,
      completed: 1,
      abandoned: 1,
      steps: [
        { step: 'topic', reached: 2, abandoned: 0 },
        { step: 'contact', reached: 2, abandoned: 1 },
        { step: 'review', reached: 1, abandoned: 0 },
        { step: 'declarations', reached: 1, abandoned: 0 },
      ],
    });
    // three sessions of 50 s (≤ 60 s), one ended by the idle timeout (≤ 120 s)
    expect(view.usage.durations.buckets).toEqual([15, 30, 60, 120, 300, 600, 900, 1800, 3600]);
    expect(kiosk.config.session.idleTimeoutSeconds).toBeGreaterThan(60);
    expect(kiosk.config.session.idleTimeoutSeconds).toBeLessThanOrEqual(120);
    expect(view.usage.durations.sessions).toEqual([0, 0, 3, 1, 0, 0, 0, 0, 0, 0]);
    expect(view.usage.durations.journeys.reduce((a, b) => a + b, 0)).toBe(5);
    // the health stays beside it, without the usage
    const mine = view.terminals.find((t) => t.terminalId === terminal.enrolment.terminalId);
    expect(mine).toMatchObject({ health: 'ok', printer: 'none', lastHeartbeatAgeSeconds: 0 });
    const stored = portal.terminals().find((t) => t.terminalId === terminal.enrolment.terminalId);
    expect(stored?.lastHeartbeat).not.toHaveProperty('usage');
    // the same for a Prometheus that cannot reach the terminals
    const scrape = await fetch(`${portal.url}/admin/v1/metrics`, {
      headers: { authorization: `Bearer ${portal.adminToken}` },
    });
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const portalSamples = samples(await scrape.text());
    const id = terminal.enrolment.terminalId;
    expect(portalSamples.get('portal_terminals')).toBe(1);
    expect(portalSamples.get(`portal_terminal_heartbeat_age_seconds{terminal="${id}"}`)).toBeLessThan(60);
    expect(portalSamples.get(`portal_terminal_printer_state{terminal="${id}",state="none"}`)).toBe(1);
    expect(portalSamples.get(`portal_terminal_printer_state{terminal="${id}",state="ready"}`)).toBe(0);
    expect(portalSamples.get(`portal_terminal_alarms{terminal="${id}"}`)).toBe(0);
    expect(portalSamples.get(`portal_terminal_readers_missing{terminal="${id}"}`)).toBe(0);
    expect(portalSamples.has(`portal_terminal_queue_oldest_age_seconds{terminal="${id}"}`)).toBe(true);

    // Nothing changed: the next heartbeat carries no usage, the portal's figures stay.
    const sent: unknown[] = [];
    terminal.heartbeat.onDelivered((body) => sent.push(body.usage));
    expect((await terminal.heartbeat.beat()).ok).toBe(true);
    expect(sent).toEqual([undefined]);
    // One more visitor: the hour goes out again whole and replaces what the portal had.
    terminal.heartbeat.onDelivered((body) => {
      sent.push(body.usage);
      kiosk.metrics.usage.delivered(body.usage);
    });
    await call('session.start', { language: 'en' });
    await call('staff.call');
    clock.advance(50_000);
    await call('session.end', { reason: 'visitor' });
    expect((await terminal.heartbeat.beat()).ok).toBe(true);
    expect(sent).toHaveLength(2);
    const again = await fleet();
    expect(again.usage.sessions).toBe(5);
    expect(again.usage.staffCalls).toBe(2);
    expect(again.usage.journeys).toEqual({ started: 5, completed: 1, abandoned: 4 });
    // filtered by another terminal: nothing of this one's
    const other = await fleet('?terminal=no-such-terminal&hours=1');
    expect(other.usage.sessions).toBe(0);
  });

  it('sends the hours again after a heartbeat the portal did not take, and keeps the health when usage does not fit', async () => {
    await call('session.start', { language: 'de' });
    await call('staff.call');
    portal.setFaults({ down: true });
    expect((await terminal.heartbeat.beat()).ok).toBe(false);
    portal.setFaults({ down: false });
    expect((await fleet()).usage.staffCalls).toBe(0);
    expect((await terminal.heartbeat.beat()).ok).toBe(true);
    expect((await fleet()).usage).toMatchObject({ sessions: 1, staffCalls: 1 });

    // a health source whose usage the protocol refuses: the rest of the health still arrives
    terminal.heartbeat.setHealth(async () => ({
      ...(await kiosk.health()),
      printer: { status: 'out_of_paper' },
      usage: { run: 'x', hours: [] },
    }));
    expect((await terminal.heartbeat.beat()).ok).toBe(true);
    const mine = (await fleet()).terminals.find((t) => t.terminalId === terminal.enrolment.terminalId);
    expect(mine).toMatchObject({ printer: 'out_of_paper', health: 'warning' });
  });

  it('keeps the counts across a restart of the kiosk and the portal counts them once', async () => {
    await call('session.start', { language: 'de' });
    await call('staff.call');
    await call('session.end', { reason: 'visitor' });
    expect((await terminal.heartbeat.beat()).ok).toBe(true);
    // one more visitor, then the kiosk stops before the next heartbeat (the nightly restart)
    await call('session.start', { language: 'en' });
    await call('staff.call');
    await kiosk.close();
    // the health a beat in flight asks a closed kiosk for must not replace the saved counts
    await kiosk.health();
    kiosk = await restart();
    terminal = heldTerminal(kiosk);
    await call('session.start', { language: 'de' });
    await call('session.end', { reason: 'visitor' });
    expect((await terminal.heartbeat.beat()).ok).toBe(true);
    const view = await fleet();
    expect(view.usage.sessions).toBe(3);
    expect(view.usage.staffCalls).toBe(2);
    // the restarted kiosk's endpoint starts from zero, as Prometheus expects of a restart
    const url = await kiosk.metricsUrl();
    if (!url) throw new Error('no metrics endpoint');
    expect(samples(await (await fetch(url)).text()).get('kiosk_staff_calls_total')).toBe(0);
  });

  it('refuses the fleet figures without the admin token or with a malformed query', async () => {
    expect((await fetch(`${portal.url}/admin/v1/fleet`)).status).toBe(401);
    expect((await fetch(`${portal.url}/admin/v1/metrics`)).status).toBe(401);
    const wrong = await fetch(`${portal.url}/admin/v1/fleet`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'auth.invalid' } });
    for (const query of ['?hours=0', '?hours=99999', '?terminal=a%20b', '?other=1']) {
      const bad = await fetch(`${portal.url}/admin/v1/fleet${query}`, {
        headers: { authorization: `Bearer ${portal.adminToken}` },
      });
      expect(bad.status, query).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'request.invalid' } });
    }
  });
});
