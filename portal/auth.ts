/**
 * Terminal authentication: `Authorization: Bearer <JWT>` signed with the enrolled device key
 * (ES256 or EdDSA; iss = terminalId, aud = portal, exp - iat ≤ 60 s, jti). A token whose iat is
 * more than 120 s behind or 30 s ahead of the portal's clock is `auth.clock_skew`, answered with
 * a `Date` header so the terminal sees the portal's time. Each `jti` is accepted once: the ids
 * seen are kept in the database (a restart does not forget them) until their token could no
 * longer be accepted anyway, and a second use is `auth.replayed`. Everything else wrong is
 * `auth.invalid`.
 */
import { type CryptoKey, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { Clock } from '../common/clock.ts';
import {
  type DevicePublicJwk,
  MAX_CLOCK_SKEW_SECONDS,
  MAX_FUTURE_IAT_SECONDS,
  PORTAL_AUDIENCE,
  TOKEN_MAX_LIFETIME_SECONDS,
  terminalTokenClaimsSchema,
} from '../sync/protocol/index.ts';
import type { Db } from './db.ts';
import { type Answer, failure } from './http.ts';

export interface Terminal {
  readonly terminalId: string;
  readonly keyId: string;
  readonly publicJwk: DevicePublicJwk;
}

interface TerminalRow {
  terminal_id: string;
  key_id: string;
  public_jwk: string;
  revoked_at: number | null;
}

export function algorithmOf(jwk: DevicePublicJwk): 'ES256' | 'EdDSA' {
  return jwk.kty === 'EC' ? 'ES256' : 'EdDSA';
}

export type AuthResult =
  | { readonly ok: true; readonly terminal: Terminal }
  | { readonly ok: false; readonly answer: Answer };

const decoder = new TextDecoder('utf-8', { fatal: true });

export class TerminalAuth {
  private readonly keys = new Map<string, CryptoKey>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  find(terminalId: string): Terminal | undefined {
    const row = this.db
      .prepare('SELECT terminal_id, key_id, public_jwk, revoked_at FROM terminals WHERE terminal_id = ?')
      .get(terminalId) as TerminalRow | undefined;
    if (row === undefined || row.revoked_at !== null) return undefined;
    return {
      terminalId: row.terminal_id,
      keyId: row.key_id,
      publicJwk: JSON.parse(row.public_jwk) as DevicePublicJwk,
    };
  }

  async publicKey(terminal: Terminal): Promise<CryptoKey> {
    let key = this.keys.get(terminal.terminalId);
    if (key === undefined) {
      key = (await importJWK(terminal.publicJwk as JWK, algorithmOf(terminal.publicJwk))) as CryptoKey;
      this.keys.set(terminal.terminalId, key);
    }
    return key;
  }

  /** Forgets cached keys (after a revocation). */
  forget(terminalId: string): void {
    this.keys.delete(terminalId);
  }

  async authenticate(authorization: string | undefined): Promise<AuthResult> {
    const invalid = (message: string): AuthResult => ({
      ok: false,
      answer: failure(401, 'auth.invalid', message, { retryable: false }),
    });
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
    const token = match?.[1];
    if (token === undefined) return invalid('A terminal token is required (Authorization: Bearer).');
    const parts = token.split('.');
    if (parts.length !== 3) return invalid('The token is not a compact JWS.');
    let claimsJson: unknown;
    try {
      decodeProtectedHeader(token);
      claimsJson = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    } catch {
      return invalid('The token cannot be read.');
    }
    const claims = terminalTokenClaimsSchema.safeParse(claimsJson);
    if (!claims.success) return invalid('The token claims are incomplete or wrong.');
    const terminal = this.find(claims.data.iss);
    if (terminal === undefined) return invalid('The terminal is not enrolled.');
    const header = decodeProtectedHeader(token);
    if (header.kid !== undefined && header.kid !== terminal.keyId)
      return invalid('The token names another key.');
    const alg = algorithmOf(terminal.publicJwk);
    try {
      const { payload } = await compactVerify(token, await this.publicKey(terminal), { algorithms: [alg] });
      // the signed payload must be the one whose claims were checked
      if (decoder.decode(payload) !== Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) {
        return invalid('The token payload is inconsistent.');
      }
    } catch {
      return invalid('The token signature does not verify.');
    }
    const { iat, exp } = claims.data;
    if (claims.data.aud !== PORTAL_AUDIENCE) return invalid('The token is for another audience.');
    if (exp <= iat || exp - iat > TOKEN_MAX_LIFETIME_SECONDS) {
      return invalid(`A token may live at most ${TOKEN_MAX_LIFETIME_SECONDS} s.`);
    }
    const nowMs = this.clock.now();
    const now = Math.floor(nowMs / 1000);
    if (now - iat > MAX_CLOCK_SKEW_SECONDS || iat - now > MAX_FUTURE_IAT_SECONDS) {
      return {
        ok: false,
        answer: failure(
          401,
          'auth.clock_skew',
          `The terminal's clock differs from the portal's by ${Math.abs(iat - now)} s.`,
          { retryable: true },
          { date: new Date(nowMs).toUTCString() },
        ),
      };
    }
    if (now > exp + MAX_CLOCK_SKEW_SECONDS) return invalid('The token has expired.');
    if (!this.#firstUse(terminal.terminalId, claims.data.jti, exp + MAX_CLOCK_SKEW_SECONDS, now)) {
      return {
        ok: false,
        answer: failure(401, 'auth.replayed', 'This token was used before.', { retryable: false }),
      };
    }
    return { ok: true, terminal };
  }

  /**
   * Records a token id; false when it was seen before. A row is kept until `until` (seconds),
   * after which the token fails the expiry check by itself; older rows are dropped here.
   */
  #firstUse(terminalId: string, jti: string, until: number, now: number): boolean {
    // one transaction, one commit: every request of a chunked upload passes here
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM seen_tokens WHERE expires_at < ?').run(now);
      return (
        this.db
          .prepare('INSERT OR IGNORE INTO seen_tokens (terminal_id, jti, expires_at) VALUES (?, ?, ?)')
          .run(terminalId, jti, until).changes === 1
      );
    })();
  }
}
