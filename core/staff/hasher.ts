import { randomBytes } from 'node:crypto';
import type { Algorithm } from '@node-rs/argon2';

/**
 * PIN and password hashing with argon2id (`@node-rs/argon2`). New hashes use the OWASP
 * parameters. A stored PHC string is trusted only when its cost reaches the hasher's floor (the
 * OWASP minimum in production): a record hashed more cheaply is refused when it is accepted
 * (records.ts, `acceptStaffRecords`), so a leaked configuration cannot be brute-forced cheaply.
 * The native module is loaded on first use, so importing core/staff loads no native code.
 */

export interface Argon2Params {
  /** Memory in KiB (`m=`). */
  readonly memoryCost: number;
  /** Passes (`t=`). */
  readonly timeCost: number;
  /** Lanes (`p=`). */
  readonly parallelism: number;
}

/** OWASP Password Storage Cheat Sheet, argon2id: m=19456 KiB (19 MiB), t=2, p=1. */
export const OWASP_ARGON2ID: Argon2Params = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

export interface PinHasher {
  /** The parameters new hashes get. */
  readonly params: Argon2Params;
  /** The least cost a stored hash must carry to be accepted (each of m, t and p at least this). */
  readonly floor: Argon2Params;
  /** An argon2id PHC string of the secret, with a fresh random salt. */
  hash(secret: string, params?: Argon2Params): Promise<string>;
  /** Whether the secret matches the PHC string. Throws only when hashing is unavailable. */
  verify(phc: string, secret: string): Promise<boolean>;
  /** The cost parameters a PHC string carries, or null when it is not argon2id. */
  paramsOf(phc: string): Argon2Params | null;
}

const ARGON2ID = 2 as Algorithm;

type Argon2Module = typeof import('@node-rs/argon2');
let loaded: Promise<Argon2Module> | undefined;
function argon2(): Promise<Argon2Module> {
  loaded ??= import('@node-rs/argon2');
  return loaded;
}

export function paramsOfPhc(phc: string): Argon2Params | null {
  const match = /^\$argon2id\$(?:v=\d+\$)?m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  if (!match) return null;
  return { memoryCost: Number(match[1]), timeCost: Number(match[2]), parallelism: Number(match[3]) };
}

/** Whether every cost parameter reaches the floor's. */
export function meetsFloor(params: Argon2Params, floor: Argon2Params): boolean {
  return (
    params.memoryCost >= floor.memoryCost &&
    params.timeCost >= floor.timeCost &&
    params.parallelism >= floor.parallelism
  );
}

/**
 * An argon2id hasher. `floor` is the least cost a stored hash may carry (default: `params`);
 * only tests lower it, to hash cheaply.
 */
export function createArgon2Hasher(
  params: Argon2Params = OWASP_ARGON2ID,
  floor: Argon2Params = params,
): PinHasher {
  const fixed: Argon2Params = Object.freeze({ ...params });
  return {
    params: fixed,
    floor: Object.freeze({ ...floor }),
    async hash(secret, cost = fixed) {
      const { hash } = await argon2();
      return hash(secret, {
        algorithm: ARGON2ID,
        memoryCost: cost.memoryCost,
        timeCost: cost.timeCost,
        parallelism: cost.parallelism,
        salt: randomBytes(16),
      });
    },
    async verify(phc, secret) {
      const { verify } = await argon2();
      if (paramsOfPhc(phc) === null) return false;
      try {
        return await verify(phc, secret);
      } catch {
        // a PHC string that does not decode matches nothing
        return false;
      }
    },
    paramsOf: paramsOfPhc,
  };
}

/** Whether a stored hash is argon2id with at least the hasher's floor cost. */
export function acceptsHash(hasher: Pick<PinHasher, 'floor' | 'paramsOf'>, phc: string): boolean {
  const params = hasher.paramsOf(phc);
  return params !== null && meetsFloor(params, hasher.floor);
}

/** The hasher the terminal uses: argon2id with the OWASP parameters. */
export const productionPinHasher: PinHasher = createArgon2Hasher(OWASP_ARGON2ID);
