import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { KioskEvent } from '../../../api/contract.ts';
import { loadConfig } from '../../../core/config.ts';
import type { Kiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import { startKiosk } from '../../../core/start.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { ENROLMENT_FILE, signingKeyThumbprint } from '../../../sync/enrolment.ts';
import { startWebHost, type WebHost } from '../../../webhost/server.ts';
import { staffConfig } from '../../e2e/support/staff-steps.ts';
import { heldTerminal } from '../../support/kiosk-terminal.ts';

/**
 * Enrolment from the screen, as a host starts the kiosk (core/start.ts) behind the real web host:
 * out of service until enrolled, visitor calls refused over the socket; enrolment only by an
 * administrator of the installation's records, only with the pinned portal (origin and signing
 * key); an enrolment record for another portal puts the terminal out of service at start.
 */
const admin = { name: 'R. Okafor', role: 'admin', badge: 'ADMIN-0815-B', secret: 'Kiosk-Verw-7' } as const;
const clerk = { name: 'M. Keller', role: 'staff', badge: 'CLERK-4711-A', secret: '482916' } as const;
const secretHex = 'a1'.repeat(32);

let trusted: RunningPortal;
let foreign: RunningPortal;
let staff: Awaited<ReturnType<typeof staffConfig>>;
let dataDir: string;
let kiosk: Kiosk;
let host: WebHost;
let rendererDir: string;
let events: KioskEvent[];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  [trusted, foreign] = await Promise.all([
    startPortal({ authorityKeyBits: 2048, seed: 5 }),
    startPortal({ authorityKeyBits: 2048, seed: 6 }),
  ]);
  staff = await staffConfig([admin, clerk], secretHex);
  rendererDir = mkdtempSync(join(tmpdir(), 'kiosk-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
});
afterAll(async () => {
  await Promise.all([trusted.close(), foreign.close()]);
  rmSync(rendererDir, { recursive: true, force: true });
});

/** Starts the kiosk for `portal`, pinned to `pinnedKeyOf`'s signing key (default: the same portal). */
async function start(portal: RunningPortal, pinnedKeyOf: RunningPortal = portal): Promise<void> {
  const env = {
    KIOSK_DATA_DIR: dataDir,
    KIOSK_PORTAL_URL: portal.url,
    KIOSK_PORTAL_KEY_THUMBPRINT: signingKeyThumbprint(pinnedKeyOf.signingKey),
    KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
    KIOSK_SIMULATE_READERS: '1',
  };
  const config = { ...loadConfig({ env }), staff: { ...staff, sessionIdleSeconds: 300 } };
  kiosk = await startKiosk(
    { ...config, portal: { ...config.portal, url: portal.url } },
    { log: silentLogger, env },
  );
  events = [];
  kiosk.events.subscribe((event) => events.push(event));
  await kiosk.started;
  host = await startWebHost({ kiosk, rendererDir });
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-enrol-'));
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await host?.close();
  await kiosk?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function socket(): Promise<WebSocket> {
  const url = new URL('/api', host.origin.replace('http', 'ws'));
  url.searchParams.set('token', host.token);
  const ws = new WebSocket(url, { headers: { Origin: host.origin } });
  sockets.push(ws);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

let nextId = 1;
/** One call over the web host's socket, as the page makes it. */
async function call(name: string, input: unknown = {}): Promise<unknown> {
  const ws = sockets[0] ?? (await socket());
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'result' && message.id === id) {
        ws.off('message', onMessage);
        resolve(message.envelope);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, name, input }));
  });
}

const signInAdmin = () => call('admin.signIn', { badge: admin.badge, password: admin.secret });

describe('an unenrolled terminal', () => {
  it('is out of service: the status says why, visitor calls are refused over the socket', async () => {
    await start(trusted);
    expect(await call('system.status')).toMatchObject({
      ok: true,
      value: { enrolled: false, outOfService: 'enrolment.missing' },
    });
    for (const [name, input] of [
      ['session.start', { language: 'de' }],
      ['catalogue.list', {}],
      ['journey.start', { serviceId: 'callback-request' }],
      ['account.signIn', { accountName: 'kemal.demo', password: 'Demo-Konto-2026' }],
    ] as const) {
      expect(await call(name, input), name).toMatchObject({
        ok: false,
        error: { code: 'terminal.out_of_service' },
      });
    }
    expect(kiosk.sessions.current()).toBeNull();
  });

  it('enrols only in an administrator session, not with a clerk or nobody signed in', async () => {
    await start(trusted);
    const code = trusted.createEnrolmentCode();
    expect(await call('enrolment.enrol', { code })).toMatchObject({
      ok: false,
      error: { code: 'staff.no_session' },
    });
    // a clerk cannot sign in at all without a visitor session, and there is none
    expect(await call('staff.signIn', { badge: clerk.badge, pin: clerk.secret })).toMatchObject({
      ok: false,
    });
    expect(await call('admin.signIn', { badge: admin.badge, password: 'wrong-password' })).toMatchObject({
      ok: false,
    });
    expect(trusted.terminals()).toEqual([]);

    // reading the code's QR is for the administrator too: a badge scan stays in the core till then
    expect(await call('enrolment.awaitCode')).toMatchObject({
      ok: false,
      error: { code: 'staff.no_session' },
    });
    expect(await signInAdmin()).toMatchObject({ ok: true, value: { role: 'admin' } });
    expect(await call('enrolment.awaitCode')).toMatchObject({ ok: true, value: { waiting: true } });
    expect(kiosk.simulator?.scan(code, 'qr').ok).toBe(true);
    await vi.waitFor(() =>
      expect(events).toContainEqual({ name: 'enrolment.scanned', payload: { text: code } }),
    );
    expect(await call('enrolment.enrol', { code })).toMatchObject({ ok: true });
    expect(trusted.terminals()).toHaveLength(1);
    expect(events).toContainEqual({ name: 'terminal.enrolment', payload: { enrolled: true } });
    expect(await call('system.status')).toMatchObject({
      ok: true,
      value: { enrolled: true, outOfService: null },
    });
    expect(await call('session.start', { language: 'de' })).toMatchObject({ ok: true });
    // the sign-in before enrolment is in the terminal's audit log, in one chain with what followed
    const audit = heldTerminal(kiosk).outbox.auditLog;
    expect(audit.entries().map((e) => e.event)).toEqual(
      expect.arrayContaining(['staff.sign_in_failed', 'staff.sign_in_ok', 'staff.action']),
    );
    expect(audit.verify().ok).toBe(true);
  });

  it('refuses over the socket an enrolment with another portal URL, before anything is sent', async () => {
    await start(trusted);
    await signInAdmin();
    const code = foreign.createEnrolmentCode();
    for (const portalUrl of [
      foreign.url,
      trusted.url.replace('http:', 'https:'),
      'https://portal.evil.example/',
    ]) {
      expect(await call('enrolment.enrol', { portalUrl, code }), portalUrl).toMatchObject({
        ok: false,
        error: { code: 'enrolment.foreign_origin' },
      });
    }
    expect(foreign.terminals()).toEqual([]);
    expect(existsSync(join(dataDir, ENROLMENT_FILE))).toBe(false);
    expect(kiosk.outOfService()).toBe('enrolment.missing');
    // the installation's own URL, sent along, is fine
    expect(
      await call('enrolment.enrol', { portalUrl: trusted.url, code: trusted.createEnrolmentCode() }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('refuses a portal whose signing key does not match the pin and stays out of service', async () => {
    // the installation's URL answers, but with another key than the one the installation pinned
    await start(foreign, trusted);
    await signInAdmin();
    expect(await call('enrolment.enrol', { code: foreign.createEnrolmentCode() })).toMatchObject({
      ok: false,
      error: { code: 'enrolment.foreign_key' },
    });
    expect(existsSync(join(dataDir, ENROLMENT_FILE))).toBe(false);
    expect(kiosk.terminal()).toBeNull();
    expect(await call('session.start', {})).toMatchObject({
      ok: false,
      error: { code: 'terminal.out_of_service' },
    });
  });

  it('refuses at start an enrolment record written for another portal, and can be enrolled again', async () => {
    await start(foreign);
    await signInAdmin();
    expect(await call('enrolment.enrol', { code: foreign.createEnrolmentCode() })).toMatchObject({
      ok: true,
    });
    await host.close();
    await kiosk.close();
    for (const s of sockets.splice(0)) s.close();

    // the same data folder, but the installation now names the trusted portal
    await start(trusted);
    expect(kiosk.terminal()).toBeNull();
    expect(await call('system.status')).toMatchObject({
      ok: true,
      value: { enrolled: false, outOfService: 'enrolment.foreign_origin' },
    });
    expect(await call('session.start', {})).toMatchObject({
      ok: false,
      error: { code: 'terminal.out_of_service' },
    });
    await signInAdmin();
    expect(await call('enrolment.enrol', { code: trusted.createEnrolmentCode() })).toMatchObject({
      ok: true,
    });
    expect(kiosk.outOfService()).toBeNull();
    expect(heldTerminal(kiosk).enrolment.portalUrl).toBe(trusted.url);
  });
});
