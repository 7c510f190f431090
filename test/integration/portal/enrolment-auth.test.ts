import { join } from 'node:path';
import Database from 'better-sqlite3';
import { compactVerify, generateKeyPair, importJWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPortal } from '../../../portal/server.ts';
import {
  configResponseSchema,
  enrolmentResponseSchema,
  errorBodySchema,
  heartbeatResponseSchema,
  terminalConfigSchema,
} from '../../../sync/protocol/index.ts';
import { type Harness, makePortal, TestTerminal } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await makePortal();
});
afterEach(async () => {
  await h.close();
});

function errorCode(res: { json(): unknown }): string {
  return errorBodySchema.parse(res.json()).error.code;
}

describe('enrolment', () => {
  it('registers a terminal with a good code and hands out a signed configuration', async () => {
    const t = await TestTerminal.create(h.portal, h.clock);
    const code = h.portal.createEnrolmentCode();
    // typed in lower case with spaces: still the same code
    const res = await t.enrol(code.toLowerCase().replace(/-/g, ' '));
    expect(res.statusCode).toBe(201);
    const body = enrolmentResponseSchema.parse(res.json());
    expect(body.terminalId).toMatch(/^T-/);
    const key = await importJWK(body.portalSigningKey, 'ES256');
    const { payload, protectedHeader } = await compactVerify(body.config, key);
    expect(protectedHeader.kid).toBe(body.portalSigningKey.kid);
    const config = terminalConfigSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
    expect(config.terminalId).toBe(body.terminalId);
    expect(h.portal.terminals().map((x) => x.terminalId)).toEqual([body.terminalId]);
  });

  it('refuses a code used before', async () => {
    const code = h.portal.createEnrolmentCode();
    const first = await TestTerminal.create(h.portal, h.clock);
    expect((await first.enrol(code)).statusCode).toBe(201);
    const second = await TestTerminal.create(h.portal, h.clock);
    const res = await second.enrol(code);
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('enrolment.code_used');
    expect(h.portal.terminals()).toHaveLength(1);
  });

  it('answers a repeat with the same code and the same key with the same terminal (lost answer)', async () => {
    const code = h.portal.createEnrolmentCode();
    const t = await TestTerminal.create(h.portal, h.clock);
    const first = enrolmentResponseSchema.parse((await t.enrol(code)).json());
    const again = await t.enrol(code);
    expect(again.statusCode).toBe(201);
    expect(enrolmentResponseSchema.parse(again.json()).terminalId).toBe(first.terminalId);
    expect(h.portal.terminals()).toHaveLength(1);
  });

  it('refuses an expired code and an unknown code', async () => {
    const code = h.portal.createEnrolmentCode(60_000);
    h.clock.advance(60_001);
    const t = await TestTerminal.create(h.portal, h.clock);
    const expired = await t.enrol(code);
    expect(expired.statusCode).toBe(403);
    expect(errorCode(expired)).toBe('enrolment.code_expired');
    const unknown = await t.enrol('ABCD-EFGH-JKMN');
    expect(errorCode(unknown)).toBe('enrolment.code_invalid');
    expect(h.portal.terminals()).toHaveLength(0);
  });

  it('refuses a malformed key with request.invalid', async () => {
    const res = await h.portal.app.inject({
      method: 'POST',
      url: '/v1/enrolment',
      payload: { code: h.portal.createEnrolmentCode(), publicKey: { kty: 'RSA', n: 'x', e: 'AQAB' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('request.invalid');
  });
});

describe('terminal authentication', () => {
  let t: TestTerminal;
  beforeEach(async () => {
    t = await TestTerminal.enrolled(h.portal, h.clock);
  });

  async function getConfig(token: string | undefined) {
    return h.portal.app.inject({
      method: 'GET',
      url: '/v1/config',
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
  }

  it('accepts a good token', async () => {
    const res = await getConfig(await t.token());
    expect(res.statusCode).toBe(200);
    expect(configResponseSchema.parse(res.json()).version).toBe(1);
  });

  it('refuses a missing token, a token signed with another key, and a garbled one', async () => {
    expect(errorCode(await getConfig(undefined))).toBe('auth.invalid');
    const other = await generateKeyPair('ES256');
    const forged = await getConfig(await t.token({ key: other.privateKey }));
    expect(forged.statusCode).toBe(401);
    expect(errorCode(forged)).toBe('auth.invalid');
    const good = await t.token();
    const [header, , signature] = good.split('.');
    const swapped = `${header}.${Buffer.from(JSON.stringify({ iss: 'T-other' })).toString('base64url')}.${signature}`;
    expect(errorCode(await getConfig(swapped))).toBe('auth.invalid');
    expect(errorCode(await getConfig('not-a-token'))).toBe('auth.invalid');
  });

  it('refuses a wrong audience, an unknown issuer and a token living longer than 60 s', async () => {
    expect(errorCode(await getConfig(await t.token({ aud: 'someone-else' })))).toBe('auth.invalid');
    expect(errorCode(await getConfig(await t.token({ iss: 'T-unknown' })))).toBe('auth.invalid');
    const now = Math.floor(h.clock.now() / 1000);
    expect(errorCode(await getConfig(await t.token({ iat: now, exp: now + 61 })))).toBe('auth.invalid');
  });

  it('answers auth.clock_skew with the portal time when iat is more than 120 s off', async () => {
    const now = Math.floor(h.clock.now() / 1000);
    const ahead = await getConfig(await t.token({ iat: now + 121 }));
    expect(ahead.statusCode).toBe(401);
    expect(errorCode(ahead)).toBe('auth.clock_skew');
    expect(new Date(String(ahead.headers.date)).getTime()).toBe(Math.floor(h.clock.now() / 1000) * 1000);
    const behind = await getConfig(await t.token({ iat: now - 600 }));
    expect(errorCode(behind)).toBe('auth.clock_skew');
    // within the tolerance it passes
    expect((await getConfig(await t.token({ iat: now - 100 }))).statusCode).toBe(200);
  });

  it('refuses a token issued more than 30 s ahead of the portal clock, so none can be made for later', async () => {
    const now = Math.floor(h.clock.now() / 1000);
    const ahead = await getConfig(await t.token({ iat: now + 31 }));
    expect(ahead.statusCode).toBe(401);
    expect(errorCode(ahead)).toBe('auth.clock_skew');
    expect((await getConfig(await t.token({ iat: now + 29 }))).statusCode).toBe(200);
  });

  it('refuses a replayed token, and a new token with a used jti, also after a restart', async () => {
    const token = await t.token();
    expect((await getConfig(token)).statusCode).toBe(200);
    const again = await getConfig(token);
    expect(again.statusCode).toBe(401);
    expect(errorCode(again)).toBe('auth.replayed');
    const sameJti = await t.token({ jti: 'jti-used-once-0001' });
    expect((await getConfig(sameJti)).statusCode).toBe(200);
    h.clock.advance(1000);
    expect(errorCode(await getConfig(await t.token({ jti: 'jti-used-once-0001' })))).toBe('auth.replayed');
    // another terminal's jti is its own
    const other = await TestTerminal.enrolled(h.portal, h.clock);
    const res = await h.portal.app.inject({
      method: 'GET',
      url: '/v1/config',
      headers: { authorization: `Bearer ${await other.token({ jti: 'jti-used-once-0001' })}` },
    });
    expect(res.statusCode).toBe(200);
    // the portal restarts on the same database: the seen ids are still there
    await h.portal.close();
    const restarted = await createPortal({
      dataDir: h.portal.dataDir,
      clock: h.clock,
      authorityKeyBits: 2048,
    });
    try {
      const replay = await restarted.app.inject({
        method: 'GET',
        url: '/v1/config',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(errorCode(replay)).toBe('auth.replayed');
    } finally {
      await restarted.close();
    }
  });

  it('forgets seen ids once their tokens have expired anyway', async () => {
    const token = await t.token();
    expect((await getConfig(token)).statusCode).toBe(200);
    const count = () => {
      const db = new Database(join(h.portal.dataDir, 'portal.sqlite'), { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM seen_tokens').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(count()).toBe(1);
    h.clock.advance(30_000 + 121_000);
    // expired: refused by its exp before the replay check, and the old id is dropped
    expect(errorCode(await getConfig(token))).not.toBe('auth.replayed');
    expect((await getConfig(await t.token())).statusCode).toBe(200);
    expect(count()).toBe(1);
  });

  it('refuses a revoked terminal', async () => {
    expect(h.portal.revokeTerminal(t.terminalId)).toBe(true);
    expect(errorCode(await getConfig(await t.token()))).toBe('auth.invalid');
  });
});

describe('heartbeat and configuration', () => {
  it('stores last seen and the health figures', async () => {
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const beat = {
      time: new Date(h.clock.now()).toISOString(),
      appVersion: '0.1.0',
      uptimeSeconds: 3600,
      queue: { queued: 2, sending: 0, quarantined: 1, oldestAgeSeconds: 95 },
      readers: [
        { kind: 'mrz', status: 'present' },
        { kind: 'barcode', status: 'missing' },
      ],
      printer: { status: 'ready' },
      memory: { rssMb: 180.5, heapUsedMb: 60.2 },
      sessionsSinceStart: 14,
      alarms: ['sync.oldest_too_old'],
      disk: { freeBytes: 1_000_000 },
    };
    const res = await t.post('/v1/heartbeat', beat);
    expect(res.statusCode).toBe(200);
    expect(heartbeatResponseSchema.parse(res.json()).configVersion).toBe(1);
    const info = h.portal.terminals()[0];
    expect(info?.lastSeenAt).toBe(new Date(h.clock.now()).toISOString());
    expect(info?.lastHeartbeat).toEqual(beat);
    const bad = await t.post('/v1/heartbeat', { ...beat, queue: { queued: -1 } });
    expect(bad.statusCode).toBe(400);
  });

  it('announces a newly published configuration version', async () => {
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    expect(h.portal.publishConfig()).toBe(2);
    const config = configResponseSchema.parse((await t.get('/v1/config')).json());
    expect(config.version).toBe(2);
    const key = await importJWK(h.portal.signingKey, 'ES256');
    const { payload } = await compactVerify(config.config, key);
    expect(terminalConfigSchema.parse(JSON.parse(new TextDecoder().decode(payload))).version).toBe(2);
  });
});
