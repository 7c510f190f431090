/**
 * The key set a terminal seals to must come signed by the portal it was enrolled with. A real
 * portal on 127.0.0.1; someone in the way (the terminal's `fetch`) answers the key set with one
 * of their own: swapped, unsigned, expired, of the wrong type, or with a weak key. Each is refused
 * with its code, an alarm is raised, and the terminal keeps sealing to the last good key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateRsaKey, loadSigningKey, signCompactEs256 } from '../../../portal/keys.ts';
import { rsaModulusBits } from '../../../sync/authority-keys.ts';
import {
  AUTHORITY_KEYS_JWS_TYPE,
  type AuthorityKey,
  type AuthorityPublicJwk,
  CONFIG_JWS_TYPE,
} from '../../../sync/protocol/index.ts';
import { SyncState } from '../../../sync/state.ts';
import { type AssembledTerminal, openTerminal } from '../../../sync/terminal.ts';
import { applicationWith, makeRig, type Rig } from './setup.ts';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

/** The set a man in the middle answers with, instead of the portal's; undefined = pass through. */
let forged: string | undefined;
const interceptingFetch = (async (url: string | URL | Request, init?: RequestInit) => {
  if (forged !== undefined && String(url).endsWith('/v1/authority-keys')) {
    return new Response(JSON.stringify({ keySet: forged }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }
  return fetch(url, init);
}) as typeof fetch;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function rsaJwk(bits: number, kid: string): AuthorityPublicJwk {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', n: String(jwk.n), e: String(jwk.e), kid, alg: 'RSA-OAEP-256', use: 'enc' };
}

function keyEntry(jwk: AuthorityPublicJwk, now: number): AuthorityKey {
  return {
    kid: jwk.kid,
    jwk,
    notBefore: new Date(now - 60_000).toISOString(),
    notAfter: new Date(now + 86_400_000).toISOString(),
  };
}

/** Signs with the real portal's key, as only the portal can (read from its database here). */
async function signAsPortal(r: Rig, payload: unknown, typ = AUTHORITY_KEYS_JWS_TYPE): Promise<string> {
  const db = new Database(join(r.portal.dataDir, 'portal.sqlite'));
  try {
    return signCompactEs256(await loadSigningKey(db, Date.now()), payload, typ);
  } finally {
    db.close();
  }
}

async function opened(): Promise<{ r: Rig; t: AssembledTerminal; goodKid: string }> {
  forged = undefined;
  const r = await makeRig();
  rig = r;
  const t = await r.open({ fetch: interceptingFetch });
  const goodKid = t.authorityKey()?.kid;
  if (goodKid === undefined) throw new Error('no good key');
  return { r, t, goodKid };
}

async function refusedWith(t: AssembledTerminal, goodKid: string, code: string): Promise<void> {
  const r = await t.refreshAuthorityKeys();
  expect(r.ok || r.error.code).toBe(code);
  expect(t.alarms.isOpen('sync.integrity')).toBe(true);
  // the last good set stays in effect: new items are still sealed to the authority's key
  expect(t.authorityKey()?.kid).toBe(goodKid);
  const e = await t.outbox.enqueue(applicationWith(code));
  if (!e.ok) throw new Error(e.error.code);
  expect(t.outbox.loadSealed(e.value.submissionId)?.authorityKid).toBe(goodKid);
}

describe('the authority key set', () => {
  it('is accepted signed by the enrolled portal, kept, and verified again after a restart', async () => {
    const { r, t, goodKid } = await opened();
    expect((await t.refreshAuthorityKeys()).ok).toBe(true);
    await t.close();
    const again = await r.open({ fetch: interceptingFetch });
    expect(again.authorityKey()?.kid).toBe(goodKid);
    expect(again.alarms.isOpen('sync.integrity')).toBe(false);
  });

  it('is refused when someone swaps in a key of their own, signed with their own key', async () => {
    const { t, goodKid } = await opened();
    const now = Date.now();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const attacker = { kid: 'portal-attacker', privateKey, publicJwk: {} as never };
    forged = signCompactEs256(
      attacker,
      { keys: [keyEntry(rsaJwk(3072, 'authority-attacker'), now)], iat: now / 1000, exp: now / 1000 + 3600 },
      AUTHORITY_KEYS_JWS_TYPE,
    );
    await refusedWith(t, goodKid, 'authority_keys.bad_signature');
  });

  it('is refused unsigned (alg none, or the signature cut off)', async () => {
    const { r, t, goodKid } = await opened();
    const now = Math.floor(Date.now() / 1000);
    const set = {
      keys: [keyEntry(rsaJwk(3072, 'authority-unsigned'), Date.now())],
      iat: now,
      exp: now + 3600,
    };
    forged = `${b64({ alg: 'none', typ: AUTHORITY_KEYS_JWS_TYPE })}.${b64(set)}.`;
    await refusedWith(t, goodKid, 'authority_keys.unsigned');
    const signed = await signAsPortal(r, set);
    forged = `${signed.slice(0, signed.lastIndexOf('.'))}.`;
    await refusedWith(t, goodKid, 'authority_keys.unsigned');
  });

  it('is refused expired, as another signed type, with a weak key, or with a changed payload', async () => {
    const { r, t, goodKid } = await opened();
    const nowMs = Date.now();
    const now = Math.floor(nowMs / 1000);
    const strong = keyEntry(rsaJwk(3072, 'authority-new'), nowMs);
    forged = await signAsPortal(r, { keys: [strong], iat: now - 7200, exp: now - 3600 });
    await refusedWith(t, goodKid, 'authority_keys.expired');
    forged = await signAsPortal(r, { keys: [strong], iat: now, exp: now + 3600 }, CONFIG_JWS_TYPE);
    await refusedWith(t, goodKid, 'authority_keys.wrong_type');
    forged = await signAsPortal(r, {
      keys: [keyEntry(rsaJwk(2048, 'authority-weak'), nowMs)],
      iat: now,
      exp: now + 3600,
    });
    await refusedWith(t, goodKid, 'authority_keys.weak_key');
    const good = await signAsPortal(r, { keys: [strong], iat: now, exp: now + 3600 });
    const [header, , signature] = good.split('.');
    const swapped = { keys: [keyEntry(rsaJwk(3072, 'authority-swapped'), nowMs)], iat: now, exp: now + 3600 };
    forged = `${header}.${b64(swapped)}.${signature}`;
    await refusedWith(t, goodKid, 'authority_keys.bad_signature');
    forged = await signAsPortal(r, { keys: [], iat: now, exp: now + 3600 });
    await refusedWith(t, goodKid, 'authority_keys.malformed');
    // the genuine next set is taken
    forged = good;
    expect((await t.refreshAuthorityKeys()).ok).toBe(true);
    expect(t.authorityKey()?.kid).toBe('authority-new');
  });

  it('from a portal that publishes keys under 3072 bits is refused', async () => {
    forged = undefined;
    rig = await makeRig({ authorityKeyBits: 2048, authorityKeySource: generateRsaKey });
    const t = await rig.open({ fetch: interceptingFetch }).catch((e: Error) => e);
    expect(t instanceof Error ? t.message : 'opened').toBe('authority keys: authority_keys.weak_key');
    expect(rsaModulusBits(rsaJwk(2048, 'k').n)).toBe(2048);
    expect(rsaModulusBits(rsaJwk(3072, 'k').n)).toBe(3072);
  });

  it('swapped in the terminal database is noticed at the next start and not sealed to', async () => {
    const { r, t, goodKid } = await opened();
    const now = Math.floor(Date.now() / 1000);
    const set = { keys: [keyEntry(rsaJwk(3072, 'authority-db'), Date.now())], iat: now, exp: now + 3600 };
    new SyncState(t.store.db).setState(
      'authority_keys',
      `${b64({ alg: 'none', typ: AUTHORITY_KEYS_JWS_TYPE })}.${b64(set)}.`,
    );
    await t.close();
    const again = await openTerminal({ dataDir: r.dataDir });
    if (!again.ok) throw new Error(again.error.code);
    try {
      expect(again.value.authorityKey()).toBeUndefined();
      expect(again.value.alarms.isOpen('sync.integrity')).toBe(true);
      const e = await again.value.outbox.enqueue(applicationWith('db-swap'));
      expect(e.ok || e.error.code).toBe('outbox.no_authority_key');
      expect((await again.value.refreshAuthorityKeys()).ok).toBe(true);
      expect(again.value.authorityKey()?.kid).toBe(goodKid);
    } finally {
      await again.value.close();
    }
  });
});
