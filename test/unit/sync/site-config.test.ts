import { CompactSign, type CryptoKey, exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SITE_CONFIG, terminalConfig } from '../../../portal/config.ts';
import type { PortalSigningJwk, TerminalConfig } from '../../../sync/protocol/index.ts';
import { SITE_CONFIG_STATE, SiteConfigStore, verifySiteConfig } from '../../../sync/site-config.ts';
import { type Harness, makeHarness } from './harness.ts';
import { tamperSegment } from './keys.ts';

interface PortalKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: PortalSigningJwk;
}

async function portalKey(kid: string): Promise<PortalKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    privateKey,
    publicJwk: { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y), kid, alg: 'ES256', use: 'sig' },
  };
}

const NOW = Date.UTC(2025, 2, 1, 9, 0, 0);
const TERMINAL = 'T-1';

function config(version: number, overrides: Partial<TerminalConfig> = {}): TerminalConfig {
  return { ...terminalConfig(DEFAULT_SITE_CONFIG, TERMINAL, version, NOW - 60_000), ...overrides };
}

async function sign(key: PortalKey, payload: unknown, typ = 'config+jwt'): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', kid: key.publicJwk.kid, typ })
    .sign(key.privateKey);
}

let portal: PortalKey;
let other: PortalKey;
beforeAll(async () => {
  [portal, other] = await Promise.all([portalKey('portal-1'), portalKey('portal-evil')]);
});

const verify = (jws: string, extra: { minVersion?: number; now?: number } = {}) =>
  verifySiteConfig(jws, { portalSigningKey: portal.publicJwk, terminalId: TERMINAL, now: NOW, ...extra });

describe('verifySiteConfig', () => {
  it('accepts a configuration signed with the portal key for this terminal', async () => {
    const r = await verify(await sign(portal, config(3)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ version: 3, terminalId: TERMINAL });
    expect(r.value.services.map((s) => s.id)).toContain('callback-request');
  });

  it('refuses a configuration signed with another key', async () => {
    const r = await verify(await sign(other, config(3)));
    expect(r).toMatchObject({ ok: false, error: { code: 'config.bad_signature' } });
  });

  it('refuses a portal-signed object of another type (a status event is not a configuration)', async () => {
    const r = await verify(await sign(portal, config(3), 'status+jwt'));
    expect(r).toMatchObject({ ok: false, error: { code: 'config.wrong_type' } });
  });

  it("refuses another terminal's configuration", async () => {
    const r = await verify(await sign(portal, config(3, { terminalId: 'T-2' })));
    expect(r).toMatchObject({ ok: false, error: { code: 'config.wrong_terminal' } });
  });

  it('refuses a version older than the one in effect, accepts the same one again', async () => {
    const jws = await sign(portal, config(3));
    expect(await verify(jws, { minVersion: 4 })).toMatchObject({
      ok: false,
      error: { code: 'config.rollback' },
    });
    expect((await verify(jws, { minVersion: 3 })).ok).toBe(true);
  });

  it('refuses a tampered payload, whichever part was changed', async () => {
    const jws = await sign(portal, config(3));
    expect(await verify(tamperSegment(jws, 1))).toMatchObject({ ok: false });
    // a payload re-encoded with other content under the old signature
    const [header, , signature] = jws.split('.');
    const swapped = Buffer.from(JSON.stringify(config(9))).toString('base64url');
    expect(await verify(`${header}.${swapped}.${signature}`)).toMatchObject({
      ok: false,
      error: { code: 'config.bad_signature' },
    });
    expect(await verify(tamperSegment(jws, 2))).toMatchObject({
      ok: false,
      error: { code: 'config.bad_signature' },
    });
  });

  it('refuses a configuration dated beyond the clock skew, and one that is not a configuration', async () => {
    const future = config(3, { issuedAt: new Date(NOW + 10 * 60_000).toISOString() });
    expect(await verify(await sign(portal, future))).toMatchObject({
      ok: false,
      error: { code: 'config.future' },
    });
    const nearFuture = config(3, { issuedAt: new Date(NOW + 60_000).toISOString() });
    expect((await verify(await sign(portal, nearFuture))).ok).toBe(true);
    expect(await verify(await sign(portal, { version: 3, terminalId: TERMINAL }))).toMatchObject({
      ok: false,
      error: { code: 'config.malformed' },
    });
    expect(await verify('not a jws')).toMatchObject({ ok: false, error: { code: 'config.malformed' } });
  });

  it('checks the staff section like the core does', async () => {
    const staff: NonNullable<TerminalConfig['staff']> = {
      badgeSecret: 'ab'.repeat(32),
      sessionIdleSeconds: 300,
      records: [
        {
          badgeHash: 'c'.repeat(64),
          pinHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA',
          role: 'staff',
          name: 'M. Keller',
        },
      ],
    };
    expect((await verify(await sign(portal, config(3, { staff })))).ok).toBe(true);
    const shortSecret = { ...staff, badgeSecret: 'ab'.repeat(16) };
    expect(await verify(await sign(portal, config(3, { staff: shortSecret })))).toMatchObject({
      ok: false,
      error: { code: 'config.malformed' },
    });
    const record = { badgeHash: 'c'.repeat(64), role: 'staff' as const, name: 'M. Keller' };
    const bcrypt = { ...staff, records: [{ ...record, pinHash: '$2b$10$abcdefghijklmnopqrstuv' }] };
    expect(await verify(await sign(portal, config(3, { staff: bcrypt })))).toMatchObject({
      ok: false,
      error: { code: 'config.malformed' },
    });
  });
});

describe('SiteConfigStore', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(() => h.dispose());

  const storeOn = (harness: Harness, key = portal) =>
    new SiteConfigStore({
      state: harness.state,
      portalSigningKey: key.publicJwk,
      terminalId: TERMINAL,
      now: () => NOW,
    });

  it('stores a verified configuration in sync_state and loads it again after a restart', async () => {
    const first = storeOn(h);
    expect(await first.load()).toEqual({ ok: true, value: undefined });
    const jws = await sign(portal, config(2));
    expect((await first.accept(jws)).ok).toBe(true);
    expect(first.version).toBe(2);
    expect(h.state.getState(SITE_CONFIG_STATE)).toBe(jws);
    h.reopen();
    const again = storeOn(h);
    const loaded = await again.load();
    expect(loaded.ok && loaded.value?.version).toBe(2);
    expect(again.current()?.location.name).toBe(DEFAULT_SITE_CONFIG.location.name);
  });

  it('keeps the version in effect when an older one arrives, and stores nothing refused', async () => {
    const s = storeOn(h);
    const v3 = await sign(portal, config(3));
    expect((await s.accept(v3)).ok).toBe(true);
    expect(await s.accept(await sign(portal, config(2)))).toMatchObject({
      ok: false,
      error: { code: 'config.rollback' },
    });
    expect(await s.accept(await sign(other, config(4)))).toMatchObject({
      ok: false,
      error: { code: 'config.bad_signature' },
    });
    expect(s.version).toBe(3);
    expect(h.state.getState(SITE_CONFIG_STATE)).toBe(v3);
    // the version in effect survives a restart: an older one is still refused afterwards
    h.reopen();
    const again = storeOn(h);
    await again.load();
    expect(await again.accept(await sign(portal, config(2)))).toMatchObject({
      ok: false,
      error: { code: 'config.rollback' },
    });
  });

  it('re-verifies on load: a changed row in the database is not used', async () => {
    const s = storeOn(h);
    const jws = await sign(portal, config(2));
    await s.accept(jws);
    h.state.setState(SITE_CONFIG_STATE, tamperSegment(jws, 1));
    h.reopen();
    const again = storeOn(h);
    expect(await again.load()).toMatchObject({ ok: false, error: { code: 'config.bad_signature' } });
    expect(again.current()).toBeUndefined();
    // a store that trusts another portal key does not take this one either
    h.state.setState(SITE_CONFIG_STATE, jws);
    expect(await storeOn(h, other).load()).toMatchObject({
      ok: false,
      error: { code: 'config.bad_signature' },
    });
  });

  it('loads a stored configuration even when the clock went back past its issue time', async () => {
    const s = storeOn(h);
    await s.accept(await sign(portal, config(2, { issuedAt: new Date(NOW).toISOString() })));
    const earlier = new SiteConfigStore({
      state: h.state,
      portalSigningKey: portal.publicJwk,
      terminalId: TERMINAL,
      now: () => NOW - 24 * 60 * 60_000,
    });
    expect((await earlier.load()).ok).toBe(true);
  });
});
