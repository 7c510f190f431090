/**
 * argon2id for the portal's secrets: service-account passwords and the demo staff's PINs
 * (`@node-rs/argon2`, loaded on first use). Verification takes whatever cost the PHC string
 * carries; an unknown account is checked against a dummy hash of the same cost, so a wrong name
 * takes as long as a wrong password.
 */
import { randomBytes } from 'node:crypto';
import type { Algorithm } from '@node-rs/argon2';

export interface Argon2Cost {
  /** KiB */
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1. */
export const OWASP_ARGON2ID: Argon2Cost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** The demo's cost: lower than OWASP's so a demo or test portal starts quickly. Not for real accounts. */
export const DEMO_ARGON2ID: Argon2Cost = { memoryCost: 8_192, timeCost: 2, parallelism: 1 };

const ARGON2ID = 2 as Algorithm;

type Argon2Module = typeof import('@node-rs/argon2');
let loaded: Promise<Argon2Module> | undefined;
function argon2(): Promise<Argon2Module> {
  loaded ??= import('@node-rs/argon2');
  return loaded;
}

export async function hashSecret(secret: string, cost: Argon2Cost = OWASP_ARGON2ID): Promise<string> {
  const { hash } = await argon2();
  return hash(secret, { algorithm: ARGON2ID, ...cost, salt: randomBytes(16) });
}

/** Whether `secret` matches the PHC string; a malformed string matches nothing. */
export async function verifySecret(phc: string, secret: string): Promise<boolean> {
  if (!phc.startsWith('$argon2id$')) return false;
  const { verify } = await argon2();
  try {
    return await verify(phc, secret);
  } catch {
    return false;
  }
}
