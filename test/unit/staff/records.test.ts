import { describe, expect, it } from 'vitest';
import { badgeHash, badgeRef, normalizeBadge, parseBadgeSecret } from '../../../core/staff/badge.ts';
import {
  acceptsHash,
  createArgon2Hasher,
  OWASP_ARGON2ID,
  paramsOfPhc,
  productionPinHasher,
} from '../../../core/staff/hasher.ts';
import {
  acceptStaffRecords,
  staffConfigSchema,
  staffRecordSchema,
  staffRecordsSchema,
} from '../../../core/staff/records.ts';
import { SECRET, SECRET_HEX, TEST_PARAMS, testRecords } from './fixtures.ts';

describe('badge hashing', () => {
  it('is HMAC-SHA-256 under the terminal secret, over the code without what readers add', () => {
    expect(badgeHash(SECRET, 'ST-000417')).toMatch(/^[0-9a-f]{64}$/);
    expect(badgeHash(SECRET, 'ST-000417')).toBe(badgeHash(SECRET, '\u0002ST-000417\r\n'));
    expect(badgeHash(SECRET, 'ST-000417')).not.toBe(badgeHash(SECRET, 'st-000417'));
    const other = parseBadgeSecret('11'.repeat(32));
    expect(other.ok && badgeHash(other.value, 'ST-000417')).not.toBe(badgeHash(SECRET, 'ST-000417'));
    expect(badgeRef(badgeHash(SECRET, 'ST-000417'))).toHaveLength(8);
    expect(normalizeBadge('\tAB 12\u0003\n')).toBe('AB 12');
  });

  it('known answer: HMAC-SHA-256(key, "ST-000417")', async () => {
    const { createHmac } = await import('node:crypto');
    const key = Buffer.from(SECRET_HEX, 'hex');
    expect(badgeHash(SECRET, 'ST-000417')).toBe(createHmac('sha256', key).update('ST-000417').digest('hex'));
  });

  it('takes a secret of 32 to 64 bytes in hex only', () => {
    expect(parseBadgeSecret('ab'.repeat(32)).ok).toBe(true);
    expect(parseBadgeSecret('AB'.repeat(64)).ok).toBe(true);
    for (const bad of ['ab'.repeat(31), 'ab'.repeat(65), 'zz'.repeat(32), `${'ab'.repeat(32)}a`, '']) {
      const result = parseBadgeSecret(bad);
      expect(result.ok ? null : result.error.code).toBe('staff.bad_secret');
    }
  });
});

describe('PIN hashing', () => {
  it('the production hasher uses argon2id with the OWASP parameters (m=19456, t=2, p=1)', async () => {
    expect(OWASP_ARGON2ID).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(productionPinHasher.params).toEqual(OWASP_ARGON2ID);
    const phc = await productionPinHasher.hash('4711');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const { parseOptions } = await import('@node-rs/argon2');
    expect(parseOptions(phc)).toMatchObject({
      algorithm: 2,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
    expect(await productionPinHasher.verify(phc, '4711')).toBe(true);
    expect(await productionPinHasher.verify(phc, '4712')).toBe(false);
  });

  it('verifies whatever parameters the PHC string carries, and salts every hash', async () => {
    const cheap = createArgon2Hasher(TEST_PARAMS);
    const phc = await cheap.hash('0815');
    expect(paramsOfPhc(phc)).toEqual(TEST_PARAMS);
    expect(await productionPinHasher.verify(phc, '0815')).toBe(true);
    expect(await cheap.hash('0815')).not.toBe(phc);
    expect(await cheap.verify('$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', '0815')).toBe(false);
    expect(await cheap.verify('not a hash', '0815')).toBe(false);
    expect(paramsOfPhc('$argon2i$v=19$m=1,t=1,p=1$x$y')).toBeNull();
  });
});

describe('staff records', () => {
  it('parse as the configuration carries them', async () => {
    const records = await testRecords();
    expect(staffRecordsSchema.parse(records)).toEqual(records);
    const config = staffConfigSchema.parse({ badgeSecret: SECRET_HEX, records });
    expect(config).toEqual({ badgeSecret: SECRET_HEX, sessionIdleSeconds: 300, records });
    expect(staffConfigSchema.parse(undefined)).toEqual({
      badgeSecret: null,
      sessionIdleSeconds: 300,
      records: [],
    });
  });

  it('refuse raw badge ids, non-argon2id hashes, unknown roles and extra keys', async () => {
    const [record] = await testRecords();
    const base = { ...record };
    const bad = [
      { ...base, badgeHash: 'ST-000417' },
      { ...base, badgeHash: base.badgeHash?.toUpperCase() },
      { ...base, pinHash: '4711' },
      { ...base, pinHash: '$2b$12$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012' },
      { ...base, pinHash: base.pinHash?.replace('argon2id', 'argon2i') },
      { ...base, role: 'root' },
      { ...base, name: '' },
      { ...base, pin: '4711' },
    ];
    for (const value of bad) expect(staffRecordSchema.safeParse(value).success).toBe(false);
  });

  it('refuse two records of one role for the same badge, and records without a secret', async () => {
    const records = await testRecords();
    const first = records[0];
    const duplicate = staffRecordsSchema.safeParse([...records, { ...first }]);
    expect(duplicate.success).toBe(false);
    expect(duplicate.error?.issues[0]?.message).toMatch(/second staff record/);
    const noSecret = staffConfigSchema.safeParse({ records });
    expect(noSecret.success).toBe(false);
    expect(noSecret.error?.issues[0]?.path).toEqual(['badgeSecret']);
  });
});

describe('the argon2id cost floor', () => {
  it('the production hasher accepts the OWASP minimum and refuses anything below it in m, t or p', async () => {
    const owasp = await productionPinHasher.hash('482916');
    expect(acceptsHash(productionPinHasher, owasp)).toBe(true);
    const cheap = createArgon2Hasher(TEST_PARAMS);
    for (const below of [
      { memoryCost: 19_455, timeCost: 2, parallelism: 1 },
      { memoryCost: 65_536, timeCost: 1, parallelism: 1 },
      { memoryCost: 8_192, timeCost: 2, parallelism: 1 },
    ]) {
      const phc = await cheap.hash('482916', below);
      expect(paramsOfPhc(phc)).toEqual(below);
      expect(acceptsHash(productionPinHasher, phc)).toBe(false);
    }
    const above = await cheap.hash('482916', { memoryCost: 19_456, timeCost: 3, parallelism: 2 });
    expect(acceptsHash(productionPinHasher, above)).toBe(true);
    expect(acceptsHash(productionPinHasher, '$argon2i$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g')).toBe(
      false,
    );
  });

  it('refuses a weakly hashed record on its own, with a code and its index, and keeps the others', async () => {
    const cheap = createArgon2Hasher(TEST_PARAMS);
    const strong = {
      badgeHash: badgeHash(SECRET, 'ST-1'),
      pinHash: await productionPinHasher.hash('482916'),
      role: 'staff' as const,
      name: 'A',
    };
    const weak = {
      badgeHash: badgeHash(SECRET, 'ST-2'),
      pinHash: await cheap.hash('482916'),
      role: 'admin' as const,
      name: 'B',
    };
    const { accepted, refused } = acceptStaffRecords([weak, strong], (phc) =>
      acceptsHash(productionPinHasher, phc),
    );
    expect(accepted).toEqual([strong]);
    expect(refused).toEqual([{ index: 0, role: 'admin', code: 'staff.record_weak_hash' }]);
  });
});
