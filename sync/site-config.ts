/**
 * The terminal's signed configuration: a compact JWS from the portal (ES256, the portal signing
 * key from enrolment, `typ: config+jwt`). Nothing of it is used before it is verified, and it is
 * verified again every time it is loaded from the store, so a changed row in the database is
 * noticed rather than obeyed. A version older than the one in effect is refused (a replayed
 * configuration cannot bring back staff who were removed).
 */
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { err, ok, type Result } from '../common/result.ts';
import {
  CONFIG_JWS_TYPE,
  MAX_CLOCK_SKEW_SECONDS,
  type PortalSigningJwk,
  type TerminalConfig,
  terminalConfigSchema,
} from './protocol/index.ts';

export type SiteConfigErrorCode =
  | 'config.malformed'
  | 'config.bad_signature'
  | 'config.wrong_type'
  | 'config.wrong_terminal'
  | 'config.rollback'
  | 'config.future'
  | 'config.storage_failed';

export interface VerifyConfigOptions {
  readonly portalSigningKey: PortalSigningJwk;
  readonly terminalId: string;
  /** Wall clock now, epoch ms. */
  readonly now: number;
  /** The version in effect: an older one is refused; the same one is accepted (fetched again). */
  readonly minVersion?: number;
  /** How far `issuedAt` may lie ahead of `now` (default the protocol's clock skew, 120 s). */
  readonly maxSkewMs?: number;
  /** Skip the `issuedAt` check (re-verifying a stored configuration after the clock moved). */
  readonly ignoreIssuedAt?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Verifies a configuration JWS and returns its payload; every failure is a coded error. */
export async function verifySiteConfig(
  jws: string,
  options: VerifyConfigOptions,
): Promise<Result<TerminalConfig, SiteConfigErrorCode>> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return err('config.malformed', 'the configuration is not a compact JWS');
  }
  if (header.typ !== CONFIG_JWS_TYPE) {
    return err('config.wrong_type', `the signed object is a ${String(header.typ)}, not a configuration`);
  }
  let payload: Uint8Array;
  try {
    const key = await importJWK(options.portalSigningKey as JWK, 'ES256');
    ({ payload } = await compactVerify(jws, key, { algorithms: ['ES256'] }));
  } catch {
    return err('config.bad_signature', "the configuration's signature does not verify with the portal key");
  }
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(payload));
  } catch {
    return err('config.malformed', 'the configuration payload is not JSON');
  }
  const parsed = terminalConfigSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => i.path.join('.') || '(root)')
      .join(', ');
    return err('config.malformed', `the configuration does not match the protocol (${where})`);
  }
  const config = parsed.data;
  if (config.terminalId !== options.terminalId) {
    return err('config.wrong_terminal', 'the configuration was issued for another terminal');
  }
  if (options.minVersion !== undefined && config.version < options.minVersion) {
    return err(
      'config.rollback',
      `configuration version ${config.version} is older than version ${options.minVersion} in effect`,
    );
  }
  const skewMs = options.maxSkewMs ?? MAX_CLOCK_SKEW_SECONDS * 1000;
  if (options.ignoreIssuedAt !== true && Date.parse(config.issuedAt) > options.now + skewMs) {
    return err('config.future', 'the configuration is dated in the future');
  }
  return ok(config);
}

/** Where the verified JWS is kept: the store's `sync_state` (the Outbox offers exactly this). */
export interface StateStore {
  getState(key: string): string | undefined;
  setState(key: string, value: string): void;
}

export const SITE_CONFIG_STATE = 'site_config';

export interface SiteConfigStoreOptions {
  readonly state: StateStore;
  readonly portalSigningKey: PortalSigningJwk;
  readonly terminalId: string;
  /** The terminal's wall clock. */
  readonly now: () => number;
  /**
   * Portal time minus terminal time as the portal client learned it (from the portal's `Date`
   * on a clock-skew answer): a configuration's `issuedAt` is judged by the portal's clock, so a
   * terminal whose clock is minutes slow still accepts a fresh one, as its tokens are.
   */
  readonly clockOffsetMs?: () => number;
}

/** The configuration in effect: loaded and re-verified on open, replaced only by a verified newer one. */
export class SiteConfigStore {
  readonly #options: SiteConfigStoreOptions;
  #current: TerminalConfig | undefined;
  #jws: string | undefined;

  constructor(options: SiteConfigStoreOptions) {
    this.#options = options;
  }

  /** The verified configuration in effect, if any. */
  current(): TerminalConfig | undefined {
    return this.#current;
  }

  get version(): number | undefined {
    return this.#current?.version;
  }

  /**
   * Loads the stored JWS and verifies it again. A stored value that fails is left unused (the
   * error says why) and the next accepted configuration replaces it. `issuedAt` is not checked
   * here: it was when the configuration was accepted, and a terminal's clock may have gone back.
   */
  async load(): Promise<Result<TerminalConfig | undefined, SiteConfigErrorCode>> {
    let stored: string | undefined;
    try {
      stored = this.#options.state.getState(SITE_CONFIG_STATE);
    } catch {
      return err('config.storage_failed', 'the stored configuration cannot be read');
    }
    if (stored === undefined) return ok(undefined);
    const r = await verifySiteConfig(stored, {
      portalSigningKey: this.#options.portalSigningKey,
      terminalId: this.#options.terminalId,
      now: this.#options.now(),
      ignoreIssuedAt: true,
    });
    if (!r.ok) return r;
    this.#current = r.value;
    this.#jws = stored;
    return ok(r.value);
  }

  /** Verifies a JWS from the portal and, when it is good and not older, stores it and puts it in effect. */
  async accept(jws: string): Promise<Result<TerminalConfig, SiteConfigErrorCode>> {
    const r = await verifySiteConfig(jws, {
      portalSigningKey: this.#options.portalSigningKey,
      terminalId: this.#options.terminalId,
      now: this.#options.now() + (this.#options.clockOffsetMs?.() ?? 0),
      ...(this.#current === undefined ? {} : { minVersion: this.#current.version }),
    });
    if (!r.ok) return r;
    if (jws !== this.#jws) {
      try {
        this.#options.state.setState(SITE_CONFIG_STATE, jws);
      } catch {
        return err('config.storage_failed', 'the configuration cannot be stored');
      }
    }
    this.#current = r.value;
    this.#jws = jws;
    return ok(r.value);
  }
}
