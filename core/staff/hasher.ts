import { randomBytes } from 'node:crypto';
import type { Algorithm } from '@node-rs/argon2';

/**
 * PIN and password hashing with argon2id (`@node-rs/argon2`). New hashes use the OWASP
 * parameters; verification accepts whatever parameters the stored PHC string carries. The native
 * module is loaded on first use, so importing core/staff loads no native code.
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

export function createArgon2Hasher(params: Argon2Params = OWASP_ARGON2ID): PinHasher {
  const fixed: Argon2Params = Object.freeze({ ...params });
  return {
    params: fixed,
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

/** The hasher the terminal uses: argon2id with the OWASP parameters. */
export const productionPinHasher: PinHasher = createArgon2Hasher(OWASP_ARGON2ID);
