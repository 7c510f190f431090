import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.ts';
import { ConfigError, type KioskConfig, loadConfig } from '../../../core/config.ts';
import { createKiosk, type KioskDeps } from '../../../core/kiosk.ts';
import { createLogger } from '../../../core/log.ts';
import type { Terminal } from '../../../sync/terminal.ts';
import { offlineEnrolment } from '../../support/offline-terminal.ts';

function config(env: Record<string, string> = {}) {
  return loadConfig({
    env: {
      KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-core-')),
      KIOSK_PORTAL_URL: 'http://127.0.0.1:1',
      KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
      ...env,
    },
  });
}

const terminals: Terminal[] = [];
afterEach(async () => {
  for (const t of terminals.splice(0)) await t.close();
});

/** A kiosk in service: enrolled (with a portal that need not answer), so visitors are served. */
async function servingKiosk(c: KioskConfig, deps: KioskDeps = {}) {
  const terminal = await (await offlineEnrolment(c.dataDir, c.portal.url ?? '')).open();
  terminals.push(terminal);
  return createKiosk(c, { ...deps, terminal });
}

const healthy: typeof fetch = async () => Response.json({ status: 'ok' });

describe('createKiosk', () => {
  it('refuses to start without a portal URL, naming the key', () => {
    const c = loadConfig({ env: { KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-core-')) } });
    expect(() => createKiosk(c)).toThrow(ConfigError);
    expect(() => createKiosk(c)).toThrow(/portal\.url/);
  });

  it('is out of service until enrolled: visitor calls are refused, the status says why', async () => {
    const c = config();
    const kiosk = createKiosk(c, { fetch: healthy });
    expect(kiosk.outOfService()).toBe('enrolment.not_pinned');
    for (const [name, input] of [
      ['session.start', { language: 'de' }],
      ['session.current', {}],
      ['catalogue.list', {}],
      ['journey.start', { serviceId: 'callback-request' }],
      ['journey.submit', {}],
      ['account.signIn', { accountName: 'kemal.demo', password: 'Demo-Konto-2026' }],
      ['reader.expect', { kinds: ['mrz'] }],
      ['staff.call', {}],
    ] as const) {
      expect(await kiosk.router.dispatch(name, input), name).toMatchObject({
        ok: false,
        error: { code: 'terminal.out_of_service' },
      });
    }
    expect(kiosk.sessions.current()).toBeNull();
    expect(await kiosk.router.dispatch('system.status', {})).toMatchObject({
      ok: true,
      value: { enrolled: false, outOfService: 'enrolment.not_pinned' },
    });
    await kiosk.close();
    // pinned by the installation but not enrolled yet: another code for the administrator
    const pinned = createKiosk(config({ KIOSK_PORTAL_KEY_THUMBPRINT: 'A'.repeat(43) }), { fetch: healthy });
    expect(pinned.outOfService()).toBe('enrolment.missing');
    await pinned.close();
  });

  it('is out of service with an enrolment record for another portal', async () => {
    const c = config();
    const enrolment = await offlineEnrolment(c.dataDir, 'http://127.0.0.1:2');
    const kiosk = createKiosk({ ...c, portal: { ...c.portal, signingKeyThumbprint: enrolment.thumbprint } });
    expect(kiosk.outOfService()).toBe('enrolment.foreign_origin');
    expect(await kiosk.router.dispatch('session.start', {})).toMatchObject({
      ok: false,
      error: { code: 'terminal.out_of_service' },
    });
    await kiosk.close();
  });

  it('routes the skeleton calls', async () => {
    const kiosk = await servingKiosk(config(), {
      clock: new ManualClock(),
      fetch: healthy,
      newId: () => 'id-1',
    });
    const started = await kiosk.router.dispatch('session.start', { language: 'en' });
    expect(started).toMatchObject({
      ok: true,
      value: { id: 'id-1', language: 'en', idleTimeoutSeconds: 120 },
    });
    const catalogue = await kiosk.router.dispatch('catalogue.list', {});
    expect(catalogue.ok && (catalogue.value as { id: string }[]).map((s) => s.id)).toEqual([
      'account-activation',
      'commitment-private',
      'commitment-company',
      'residence-permit',
      'application-status',
      'callback-request',
      'information',
      'appointment-wish',
      'check-in',
      'documents-followup',
    ]);
    const status = await kiosk.router.dispatch('system.status', {});
    expect(status).toMatchObject({
      ok: true,
      value: {
        portal: { url: 'http://127.0.0.1:1', reachable: true },
        languages: ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'],
        defaultLanguage: 'de',
      },
    });
    await kiosk.close();
  });

  it('tells the screens where the document reader sits, as the installation configured it', async () => {
    const kiosk = await servingKiosk(config({ KIOSK_READER_PLACEMENT: 'left' }), { fetch: healthy });
    const status = await kiosk.router.dispatch('system.status', {});
    expect(status).toMatchObject({ ok: true, value: { readerPlacement: 'left' } });
    await kiosk.close();
  });

  it('marks services switched off by the configuration', async () => {
    const c = config();
    const kiosk = await servingKiosk(
      { ...c, services: { disabled: ['commitment-company'] } },
      { fetch: healthy },
    );
    const catalogue = await kiosk.router.dispatch('catalogue.list', {});
    const entries = catalogue.ok ? (catalogue.value as { id: string; availability: string }[]) : [];
    expect(entries.find((s) => s.id === 'commitment-company')?.availability).toBe('switched-off');
    expect(entries.find((s) => s.id === 'account-activation')?.availability).toBe('offered');
    expect(entries.every((s) => s.availability !== 'not-built')).toBe(true);
    await kiosk.close();
  });

  it('refuses a language the terminal does not offer', async () => {
    const kiosk = await servingKiosk(config(), { fetch: healthy });
    expect(await kiosk.router.dispatch('session.start', { language: 'it' })).toMatchObject({
      ok: false,
      error: { code: 'session.language_not_offered' },
    });
    await kiosk.router.dispatch('session.start', { language: 'de' });
    expect(await kiosk.router.dispatch('session.setLanguage', { language: 'it' })).toMatchObject({
      ok: false,
    });
    await kiosk.close();
  });

  it('reports the portal unreachable when it answers HTML, an error or nothing', async () => {
    const answers: (typeof fetch)[] = [
      async () =>
        new Response('<html>Login</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
      async () => new Response('oops', { status: 500 }),
      async () => {
        throw new TypeError('fetch failed');
      },
    ];
    for (const fetch of answers) {
      const kiosk = await servingKiosk(config(), { fetch });
      const status = await kiosk.router.dispatch('system.status', {});
      expect(status).toMatchObject({ ok: true, value: { portal: { reachable: false } } });
      await kiosk.close();
    }
  });

  it('answers bad calls with error values, without echoing the input', async () => {
    const kiosk = await servingKiosk(config(), { fetch: healthy });
    expect(await kiosk.router.dispatch('fs.readFile', {})).toMatchObject({
      ok: false,
      error: { code: 'api.unknown_call' },
    });
    const bad = await kiosk.router.dispatch('session.setLanguage', { language: 'Max Mustermann' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'api.bad_request' } });
    expect(JSON.stringify(bad)).not.toContain('Mustermann');
    expect(await kiosk.router.dispatch('session.touch', {})).toMatchObject({
      ok: false,
      error: { code: 'session.none' },
    });
    await kiosk.close();
  });

  it('says keystore.unencrypted where the host offers no key store for the device key', async () => {
    const lines: string[] = [];
    const plain = await servingKiosk(config(), { fetch: healthy, log: createLogger((l) => lines.push(l)) });
    await plain.close();
    expect(lines.map((l) => (JSON.parse(l) as { event: string }).event)).toContain('keystore.unencrypted');
    lines.length = 0;
    const sealed = await servingKiosk(config(), {
      fetch: healthy,
      log: createLogger((l) => lines.push(l)),
      keyStorage: () => ({ backend: 'gnome_libsecret', encrypted: true }),
    });
    await sealed.close();
    expect(lines.map((l) => (JSON.parse(l) as { event: string }).event)).not.toContain(
      'keystore.unencrypted',
    );
  });

  it('logs no personal data and leaves no listeners or timers after close', async () => {
    const lines: string[] = [];
    const clock = new ManualClock();
    const kiosk = await servingKiosk(config(), {
      clock,
      fetch: healthy,
      log: createLogger((l) => lines.push(l)),
    });
    await kiosk.router.dispatch('session.start', { language: 'en' });
    kiosk.sessions.data()?.set('name', 'Olena Kovalenko');
    clock.advance(120_000);
    expect(lines.join('')).toContain('"reason":"timeout"');
    expect(lines.join('')).not.toContain('Kovalenko');
    await kiosk.router.dispatch('session.start', {});
    await kiosk.close();
    expect(kiosk.events.listenerCount).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('metrics endpoint', () => {
  it('serves Prometheus text on 127.0.0.1 when switched on, and stops with the kiosk', async () => {
    const c = config({ KIOSK_METRICS: 'true', KIOSK_METRICS_PORT: '0' });
    const kiosk = await servingKiosk(c, { fetch: healthy });
    const url = await kiosk.metricsUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    await kiosk.router.dispatch('session.start', { language: 'en' });
    await kiosk.router.dispatch('session.end', { reason: 'visitor' });
    const text = await (await fetch(url ?? '')).text();
    expect(text).toMatch(/^kiosk_sessions_started_total 1$/m);
    expect(text).toMatch(/^kiosk_sessions_ended_total\{reason="visitor"\} 1$/m);
    expect(await kiosk.router.dispatch('staff.call', {})).toEqual({ ok: true, value: { called: true } });
    expect(await (await fetch(url ?? '')).text()).toMatch(/^kiosk_staff_calls_total 1$/m);
    await kiosk.close();
    await expect(fetch(url ?? '')).rejects.toThrow();
  });

  it('is off by default', async () => {
    const kiosk = await servingKiosk(config(), { fetch: healthy });
    expect(await kiosk.metricsUrl()).toBeNull();
    await kiosk.close();
  });
});
