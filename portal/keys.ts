/**
 * The portal's keys, persisted in its database: one ES256 signing key (configuration and status
 * events) and the authority's RSA-OAEP-256 encryption keys, several valid at once so that items
 * sealed before a rotation are still opened afterwards.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type JsonWebKey,
  type KeyObject,
  sign,
} from 'node:crypto';
import { promisify } from 'node:util';
import {
  AUTHORITY_KEYS_JWS_TYPE,
  type AuthorityKey,
  type AuthorityKeySet,
  type AuthorityPublicJwk,
  type PortalSigningJwk,
} from '../sync/protocol/index.ts';
import type { AuthorityPrivateKey } from '../sync/sealing.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a new authority key is published. */
export const AUTHORITY_KEY_VALIDITY_MS = 365 * DAY_MS;
/** After a rotation, the previous keys stay valid this long (items sealed to them are still opened later). */
export const ROTATION_OVERLAP_MS = 30 * DAY_MS;

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: PortalSigningJwk;
}

function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/** RFC 7638 thumbprint (SHA-256, base64url) of a public JWK. */
export function jwkThumbprint(jwk: Readonly<Record<string, unknown>>): string {
  const members: Record<string, readonly string[]> = {
    EC: ['crv', 'kty', 'x', 'y'],
    OKP: ['crv', 'kty', 'x'],
    RSA: ['e', 'kty', 'n'],
  };
  const names = members[String(jwk.kty)] ?? [];
  const canonical = `{${names.map((n) => `${JSON.stringify(n)}:${JSON.stringify(jwk[n])}`).join(',')}}`;
  return b64url(createHash('sha256').update(canonical).digest());
}

/** Compact JWS with ES256, synchronously (so it can be made inside a database transaction). */
export function signCompactEs256(key: SigningKey, payload: unknown, typ: string): string {
  const header = b64url(JSON.stringify({ alg: 'ES256', kid: key.kid, typ }));
  const body = b64url(JSON.stringify(payload));
  const input = `${header}.${body}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

/** Loads the signing key, creating it on first start. */
export async function loadSigningKey(db: Db, now: number): Promise<SigningKey> {
  let row = db.prepare('SELECT kid, private_jwk FROM signing_keys ORDER BY created_at DESC LIMIT 1').get() as
    | { kid: string; private_jwk: string }
    | undefined;
  if (row === undefined) {
    const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-256' });
    const priv = privateKey.export({ format: 'jwk' });
    const pub = createPublicKey(privateKey).export({ format: 'jwk' });
    const kid = `portal-${jwkThumbprint(pub).slice(0, 16)}`;
    db.prepare('INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?)').run(
      kid,
      JSON.stringify(priv),
      JSON.stringify(pub),
      now,
    );
    row = { kid, private_jwk: JSON.stringify(priv) };
  }
  const privateJwk = JSON.parse(row.private_jwk) as JsonWebKey;
  const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const pub = createPublicKey(privateKey).export({ format: 'jwk' });
  return {
    kid: row.kid,
    privateKey,
    publicJwk: {
      kty: 'EC',
      crv: 'P-256',
      x: String(pub.x),
      y: String(pub.y),
      kid: row.kid,
      alg: 'ES256',
      use: 'sig',
    },
  };
}

interface AuthorityRow {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  not_before: number;
  not_after: number;
}

/** Makes a new RSA private key of `modulusLength` bits (tests pass one that hands out pre-made keys). */
export type RsaKeySource = (modulusLength: number) => Promise<KeyObject>;

export const generateRsaKey: RsaKeySource = async (modulusLength) =>
  (await generateKeyPairAsync('rsa', { modulusLength })).privateKey;

/** How long a signed authority key set may be presented as current. */
export const AUTHORITY_KEY_SET_TTL_SECONDS = 24 * 60 * 60;

/** The authority's key ring: publishes the valid public keys and opens with every private key held. */
export class AuthorityKeyRing {
  private readonly privateCache = new Map<string, KeyObject>();

  constructor(
    private readonly db: Db,
    private readonly modulusLength: number,
    private readonly source: RsaKeySource = generateRsaKey,
  ) {}

  /** On first start: two valid keys, so rotation is exercised from day one. */
  async ensureKeys(now: number): Promise<void> {
    const count = (this.db.prepare('SELECT COUNT(*) AS n FROM authority_keys').get() as { n: number }).n;
    if (count > 0) return;
    await this.addKey(now - DAY_MS, now - DAY_MS + AUTHORITY_KEY_VALIDITY_MS, now);
    await this.addKey(now, now + AUTHORITY_KEY_VALIDITY_MS, now);
  }

  /**
   * Adds a new key valid from `now`; keys that were valid stay valid for the overlap period at
   * most. Returns the new kid.
   */
  async rotate(now: number): Promise<string> {
    const kid = await this.addKey(now, now + AUTHORITY_KEY_VALIDITY_MS, now);
    this.db
      .prepare('UPDATE authority_keys SET not_after = MIN(not_after, ?) WHERE kid <> ? AND not_after > ?')
      .run(now + ROTATION_OVERLAP_MS, kid, now);
    return kid;
  }

  /** Keys valid at `now`, newest first (seal new items to the first). */
  published(now: number): AuthorityKey[] {
    const rows = this.db
      .prepare(
        'SELECT kid, public_jwk, not_before, not_after FROM authority_keys WHERE not_before <= ? AND not_after > ? ORDER BY not_before DESC, rowid DESC',
      )
      .all(now, now) as AuthorityRow[];
    return rows.map((r) => ({
      kid: r.kid,
      jwk: JSON.parse(r.public_jwk) as AuthorityPublicJwk,
      notBefore: iso(r.not_before),
      notAfter: iso(r.not_after),
    }));
  }

  /**
   * The keys valid at `now` as a key set signed with the portal signing key: a terminal seals
   * only to keys that come with the signature of the portal it was enrolled with.
   */
  signedSet(signingKey: SigningKey, now: number): string {
    const iat = Math.floor(now / 1000);
    const set: AuthorityKeySet = {
      keys: this.published(now),
      iat,
      exp: iat + AUTHORITY_KEY_SET_TTL_SECONDS,
    };
    return signCompactEs256(signingKey, set, AUTHORITY_KEYS_JWS_TYPE);
  }

  /** Every private key held, expired ones included: an item sealed long ago is still opened. */
  privateKeys(): AuthorityPrivateKey[] {
    const rows = this.db.prepare('SELECT kid, private_jwk FROM authority_keys').all() as AuthorityRow[];
    return rows.map((r) => {
      let key = this.privateCache.get(r.kid);
      if (key === undefined) {
        key = createPrivateKey({ key: JSON.parse(r.private_jwk) as JsonWebKey, format: 'jwk' });
        this.privateCache.set(r.kid, key);
      }
      return { kid: r.kid, key };
    });
  }

  private async addKey(notBefore: number, notAfter: number, createdAt: number): Promise<string> {
    const privateKey = await this.source(this.modulusLength);
    const pub = createPublicKey(privateKey).export({ format: 'jwk' });
    const kid = `authority-${jwkThumbprint(pub).slice(0, 16)}`;
    const publicJwk: AuthorityPublicJwk = {
      kty: 'RSA',
      n: String(pub.n),
      e: String(pub.e),
      kid,
      alg: 'RSA-OAEP-256',
      use: 'enc',
    };
    this.db
      .prepare(
        'INSERT INTO authority_keys (kid, private_jwk, public_jwk, not_before, not_after, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        kid,
        JSON.stringify(privateKey.export({ format: 'jwk' })),
        JSON.stringify(publicJwk),
        notBefore,
        notAfter,
        createdAt,
      );
    return kid;
  }
}
