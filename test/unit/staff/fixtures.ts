import { ManualClock } from '../../../core/clock.ts';
import { EventBus } from '../../../core/events.ts';
import { badgeHash, parseBadgeSecret } from '../../../core/staff/badge.ts';
import { type Argon2Params, createArgon2Hasher, type PinHasher } from '../../../core/staff/hasher.ts';
import type { LockoutPolicy } from '../../../core/staff/lockout.ts';
import type { StaffRecord } from '../../../core/staff/records.ts';
import { type AuditFields, StaffService } from '../../../core/staff/service.ts';

/** Cheap argon2id for tests; the production parameters are tested on their own. */
export const TEST_PARAMS: Argon2Params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export const SECRET_HEX = '8f'.repeat(32);
const parsed = parseBadgeSecret(SECRET_HEX);
if (!parsed.ok) throw new Error('bad test secret');
export const SECRET = parsed.value;

export const CLERK = { badge: 'ST-000417', pin: '471100', name: 'M. Keller' };
export const CLERK2 = { badge: 'ST-000418', pin: '081542', name: 'A. Demir' };
export const ADMIN = { badge: 'AD-000001', password: 'correct horse battery', name: 'IT Service' };
/** A clerk who is also an administrator: one badge, two records, two secrets. */
export const BOTH = { badge: 'ST-000999', pin: '246802', password: 'admin-pass-2468', name: 'S. Weber' };

/** A hasher that counts what it is asked, so tests see whether a PIN was verified at all. */
export interface CountingHasher extends PinHasher {
  readonly verified: string[];
}

export function countingHasher(params: Argon2Params = TEST_PARAMS): CountingHasher {
  const inner = createArgon2Hasher(params);
  const verified: string[] = [];
  return {
    params: inner.params,
    floor: inner.floor,
    hash: (secret, cost) => inner.hash(secret, cost),
    verify(phc, secret) {
      verified.push(phc);
      return inner.verify(phc, secret);
    },
    paramsOf: (phc) => inner.paramsOf(phc),
    verified,
  };
}

let recordsOnce: Promise<StaffRecord[]> | undefined;
export function testRecords(): Promise<StaffRecord[]> {
  recordsOnce ??= (async () => {
    const hasher = createArgon2Hasher(TEST_PARAMS);
    const record = async (badge: string, secret: string, role: 'staff' | 'admin', name: string) => ({
      badgeHash: badgeHash(SECRET, badge),
      pinHash: await hasher.hash(secret),
      role,
      name,
    });
    return [
      await record(CLERK.badge, CLERK.pin, 'staff', CLERK.name),
      await record(CLERK2.badge, CLERK2.pin, 'staff', CLERK2.name),
      await record(ADMIN.badge, ADMIN.password, 'admin', ADMIN.name),
      await record(BOTH.badge, BOTH.pin, 'staff', BOTH.name),
      await record(BOTH.badge, BOTH.password, 'admin', BOTH.name),
    ];
  })();
  return recordsOnce;
}

export interface AuditEntry {
  event: string;
  fields: AuditFields;
}

export async function setup(
  options: { idleSeconds?: number; lockout?: Partial<LockoutPolicy>; visitor?: string | null } = {},
) {
  const clock = new ManualClock();
  const events = new EventBus();
  const audit: AuditEntry[] = [];
  const hasher = countingHasher();
  let visitor: string | null = options.visitor === undefined ? 'visitor-1' : options.visitor;
  let n = 0;
  const credentials = { records: await testRecords(), badgeSecret: SECRET };
  const staff = new StaffService({
    clock,
    events,
    audit: (event, fields) => audit.push({ event, fields }),
    hasher,
    credentials: () => credentials,
    currentVisitorSessionId: () => visitor,
    newId: () => `staff-${++n}`,
    ...(options.idleSeconds === undefined ? {} : { idleSeconds: options.idleSeconds }),
    ...(options.lockout === undefined ? {} : { lockout: options.lockout }),
  });
  return {
    clock,
    events,
    audit,
    hasher,
    staff,
    /** The visitor session on screen changes (null: none). */
    setVisitor(id: string | null) {
      visitor = id;
    },
  };
}
