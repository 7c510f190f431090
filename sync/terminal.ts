/**
 * The terminal side of sync, assembled from a data folder: device key (via a `KeyStore`),
 * enrolment record, queue store, alarms, outbox, portal client and sync engine. The composition
 * root of the kiosk, the `kiosk` commands, the chaos worker and the benches all build it here.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { Alarms } from './alarms.ts';
import { verifyAuthorityKeySet } from './authority-keys.ts';
import { PortalClient } from './client.ts';
import { type Clock, type RandomUnit, type Scheduler, systemClock, systemScheduler } from './clock.ts';
import { type DeliveryStep, type EngineOptions, SyncEngine } from './engine.ts';
import {
  checkEnrolmentPin,
  checkSigningKey,
  ENROLMENT_FILE,
  type EnrolmentRecord,
  isPinnedOrigin,
  type PortalPin,
  readEnrolment,
  writeEnrolment,
} from './enrolment.ts';
import { Heartbeat } from './heartbeat.ts';
import {
  DEVICE_KEY_FILE,
  type DeviceKey,
  FileKeyStore,
  type KeyStore,
  loadOrCreateDeviceKey,
} from './keystore.ts';
import { type EnqueueStep, Outbox } from './outbox.ts';
import type { AuthorityKey, TerminalConfig } from './protocol/index.ts';
import { err, ok, type Result } from './result.ts';
import type { AuthorityPublicKey } from './sealing.ts';
import { SITE_CONFIG_STATE, SiteConfigStore, verifySiteConfig } from './site-config.ts';
import { isSealedState, sealedStateStore, stateSealKey } from './state-seal.ts';
import { openStore, type Store, type StoreAlarm } from './store.ts';

/** The same file the kiosk's core opens (core/paths.ts storePath). */
export const QUEUE_DB_FILE = 'kiosk.db';
const AUTHORITY_KEYS_STATE = 'authority_keys';

export interface TerminalOptions {
  readonly dataDir: string;
  /** Overrides the enrolled portal URL (same origin; the path may differ). */
  readonly portalUrl?: string;
  /**
   * The installation's portal and signing key: an enrolment record naming another origin or key
   * is refused (`enrolment.foreign_origin`, `enrolment.foreign_key`). The kiosk always passes it.
   */
  readonly pin?: PortalPin;
  readonly keyStore?: KeyStore;
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
  readonly random?: RandomUnit;
  readonly fetch?: typeof fetch;
  readonly requestTimeoutMs?: number;
  readonly engine?: EngineOptions;
  readonly retentionMs?: number;
  readonly onDeliveryStep?: (step: DeliveryStep, submissionId: string) => void;
  readonly onEnqueueStep?: (step: EnqueueStep) => void;
  /** Sent in every heartbeat (default `0.0.0`; the kiosk passes its package version). */
  readonly appVersion?: string;
  /** Heartbeat rhythm before a configuration sets one, and its first retry delay. */
  readonly heartbeat?: { readonly defaultIntervalMs?: number; readonly retryBaseMs?: number };
}

export interface Terminal {
  readonly enrolment: EnrolmentRecord;
  readonly deviceKey: DeviceKey;
  readonly store: Store;
  readonly startupAlarms: readonly StoreAlarm[];
  readonly alarms: Alarms;
  readonly outbox: Outbox;
  readonly client: PortalClient;
  readonly engine: SyncEngine;
  /** Not started here: the kiosk starts it (`kiosk` commands do not beat). */
  readonly heartbeat: Heartbeat;
  /** The verified configuration from the portal in effect, if the terminal has one. */
  siteConfig(): TerminalConfig | undefined;
  /**
   * Fetches the authority's key set, verifies it with the enrolled portal key and keeps it for
   * sealing; a refused set (`authority_keys.*`) leaves the last good one in effect.
   */
  refreshAuthorityKeys(): Promise<Result<readonly AuthorityKey[], string>>;
  /** The authority key new items are sealed to now, if a good key set is held. */
  authorityKey(): AuthorityPublicKey | undefined;
  /** Stops the heartbeat and the engine (no timers left) and closes the store. */
  close(): Promise<void>;
  /**
   * A remote wipe: closes everything, then deletes the queue database, the enrolment and the
   * device key (a key kept by another `KeyStore` is that store's to delete). The terminal must
   * be enrolled again afterwards.
   */
  wipe(): Promise<Result<void, 'terminal.wipe_failed'>>;
}

export type TerminalOpenErrorCode =
  | 'enrolment.missing'
  | 'enrolment.malformed'
  | 'enrolment.foreign_origin'
  | 'enrolment.foreign_key'
  | 'keystore.read_failed'
  | 'keystore.write_failed'
  | 'keystore.malformed'
  | 'store.open_failed'
  | 'store.migration_failed';

/**
 * The last good authority key set, kept as the signed JWS and verified again on load (its `exp`
 * only mattered when it was fetched): a key swapped in the database is not sealed to.
 */
async function cachedAuthorityKeys(
  outbox: Outbox,
  record: EnrolmentRecord,
  now: number,
): Promise<Result<AuthorityKey[], string>> {
  const raw = outbox.getState(AUTHORITY_KEYS_STATE);
  if (raw === undefined) return ok([]);
  return verifyAuthorityKeySet(raw, {
    portalSigningKey: record.portalSigningKey,
    now,
    ignoreExpiry: true,
  });
}

/** The newest key valid at `now` (the portal lists them newest first). */
export function currentAuthorityKey(
  keys: readonly AuthorityKey[],
  now: number,
): AuthorityPublicKey | undefined {
  const valid = keys.find((k) => Date.parse(k.notBefore) <= now && now <= Date.parse(k.notAfter));
  return valid === undefined ? undefined : { kid: valid.kid, key: valid.jwk as JWK };
}

export async function openTerminal(
  options: TerminalOptions,
): Promise<Result<Terminal, TerminalOpenErrorCode>> {
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemScheduler;
  const enrolment = readEnrolment(options.dataDir);
  if (!enrolment.ok) return enrolment as Result<never, TerminalOpenErrorCode>;
  if (options.pin) {
    const pinned = checkEnrolmentPin(enrolment.value, options.pin);
    if (!pinned.ok) return pinned;
  }
  const keyStore = options.keyStore ?? new FileKeyStore(options.dataDir);
  const key = await loadOrCreateDeviceKey(keyStore);
  if (!key.ok) return key;
  const opened = openStore({ path: join(options.dataDir, QUEUE_DB_FILE), now: () => clock.now() });
  if (!opened.ok) return opened;
  const store = opened.value;
  const alarms = new Alarms(store.db, () => clock.now());
  const record = enrolment.value;
  const deviceKey = key.value;
  let authorityKeys: AuthorityKey[] = [];
  const outbox = new Outbox({
    store,
    alarms,
    clock,
    sealing: {
      terminalId: record.terminalId,
      deviceKey: { kid: record.keyId, privateKey: deviceKey.privateJwk },
      authorityKey: () => currentAuthorityKey(authorityKeys, clock.now()),
    },
    ...(options.retentionMs === undefined ? {} : { retentionMs: options.retentionMs }),
    ...(options.onEnqueueStep === undefined ? {} : { onStep: options.onEnqueueStep }),
  });
  const cached = await cachedAuthorityKeys(outbox, record, clock.now());
  if (cached.ok) authorityKeys = cached.value;
  else
    alarms.raise(
      'sync.integrity',
      `The stored authority keys failed their check (${cached.error.code}); they are fetched from the portal again.`,
    );
  const client = new PortalClient({
    baseUrl: options.portalUrl ?? record.portalUrl,
    clock,
    scheduler,
    credentials: {
      terminalId: record.terminalId,
      keyId: record.keyId,
      audience: record.audience,
      privateJwk: deviceKey.privateJwk,
    },
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs }),
  });
  const engine = new SyncEngine({
    outbox,
    alarms,
    api: client,
    clock,
    scheduler,
    random: options.random ?? Math.random,
    terminalId: record.terminalId,
    devicePublicKey: deviceKey.publicJwk,
    portalSigningKey: record.portalSigningKey as JWK,
    ...(options.engine === undefined ? {} : { options: options.engine }),
    ...(options.onDeliveryStep === undefined ? {} : { onStep: options.onDeliveryStep }),
  });
  // the configuration carries the badge secret: kept sealed under the device key (sync/state-seal.ts)
  const sealedState = sealedStateStore(outbox, stateSealKey(deviceKey, record.terminalId));
  const siteConfig = new SiteConfigStore({
    state: sealedState,
    portalSigningKey: record.portalSigningKey,
    terminalId: record.terminalId,
    now: () => clock.now(),
    clockOffsetMs: () => client.clockOffsetMs,
  });
  const loaded = await siteConfig.load();
  if (loaded.ok && loaded.value !== undefined) {
    // a configuration stored before sealing: sealed now
    try {
      const raw = outbox.getState(SITE_CONFIG_STATE);
      if (raw !== undefined && !isSealedState(raw)) sealedState.setState(SITE_CONFIG_STATE, raw);
    } catch {
      // left as it was; sealed with the next configuration stored
    }
  }
  if (!loaded.ok) {
    alarms.raise(
      'sync.integrity',
      `The stored configuration failed its check (${loaded.error.code}); it is fetched from the portal again.`,
    );
  }
  const heartbeat = new Heartbeat({
    api: client,
    siteConfig,
    queue: outbox,
    alarms,
    state: outbox,
    clock,
    scheduler,
    ...(options.random === undefined ? {} : { random: options.random }),
    terminalId: record.terminalId,
    portalSigningKey: record.portalSigningKey,
    appVersion: options.appVersion ?? '0.0.0',
    ...(options.heartbeat?.defaultIntervalMs === undefined
      ? {}
      : { defaultIntervalMs: options.heartbeat.defaultIntervalMs }),
    ...(options.heartbeat?.retryBaseMs === undefined ? {} : { retryBaseMs: options.heartbeat.retryBaseMs }),
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await heartbeat.dispose();
    await engine.dispose();
    alarms.dispose();
    store.close();
  };
  return ok({
    enrolment: record,
    deviceKey,
    store,
    startupAlarms: store.startupAlarms,
    alarms,
    outbox,
    client,
    engine,
    heartbeat,
    siteConfig: () => siteConfig.current(),
    authorityKey: () => currentAuthorityKey(authorityKeys, clock.now()),
    async refreshAuthorityKeys() {
      const r = await client.authorityKeys();
      if (!r.ok) return err(r.error.code, r.error.message);
      const verified = await verifyAuthorityKeySet(r.value.keySet, {
        portalSigningKey: record.portalSigningKey,
        now: clock.now() + client.clockOffsetMs,
      });
      if (!verified.ok) {
        // the last good set stays in effect
        alarms.raise(
          'sync.integrity',
          `The authority keys from the portal were refused (${verified.error.code}); the last good ones stay in use.`,
        );
        return verified;
      }
      outbox.setState(AUTHORITY_KEYS_STATE, r.value.keySet);
      authorityKeys = verified.value;
      return ok(verified.value);
    },
    close,
    async wipe() {
      await close();
      const ownKeyFile = options.keyStore === undefined || options.keyStore instanceof FileKeyStore;
      return wipeTerminalData(options.dataDir, { deviceKey: ownKeyFile });
    },
  });
}

/** Deletes the queue database (with -wal and -shm), the enrolment and, unless told not to, the device key file. */
export function wipeTerminalData(
  dataDir: string,
  options: { readonly deviceKey?: boolean } = {},
): Result<void, 'terminal.wipe_failed'> {
  const files = [QUEUE_DB_FILE, `${QUEUE_DB_FILE}-wal`, `${QUEUE_DB_FILE}-shm`, ENROLMENT_FILE];
  if (options.deviceKey !== false) files.push(DEVICE_KEY_FILE);
  try {
    for (const f of files) rmSync(join(dataDir, f), { force: true });
    return ok(undefined);
  } catch {
    return err('terminal.wipe_failed', 'the terminal data could not be deleted');
  }
}

export interface EnrolOptions {
  readonly dataDir: string;
  readonly portalUrl: string;
  /**
   * The installation's portal and signing key: a `portalUrl` of another origin is refused before
   * anything is sent, a portal that answers with another signing key before anything is stored.
   * The kiosk and `kiosk enroll` always pass it; tools and tests with their own portal may not.
   */
  readonly pin?: PortalPin;
  readonly code: string;
  readonly label?: string;
  readonly keyStore?: KeyStore;
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
  readonly fetch?: typeof fetch;
}

/** Enrols the terminal's device key with a portal using a one-time code; writes the record. */
export async function enrolTerminal(options: EnrolOptions): Promise<Result<EnrolmentRecord, string>> {
  if (options.pin !== undefined && !isPinnedOrigin(options.portalUrl, options.pin))
    return err('enrolment.foreign_origin', 'enrolment is allowed only with the portal of this installation');
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  } catch {
    return err('enrolment.write_failed', 'the data folder cannot be created');
  }
  const keyStore = options.keyStore ?? new FileKeyStore(options.dataDir);
  const key = await loadOrCreateDeviceKey(keyStore);
  if (!key.ok) return key;
  const { kty, crv, x, y } = key.value.publicJwk;
  if (kty !== 'EC' || crv !== 'P-256') return err('keystore.malformed', 'the device key is not EC P-256');
  const clock = options.clock ?? systemClock;
  const client = new PortalClient({
    baseUrl: options.portalUrl,
    clock,
    scheduler: options.scheduler ?? systemScheduler,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const r = await client.enrol({
    code: options.code,
    publicKey: {
      kty: 'EC',
      crv: 'P-256',
      x: String(x),
      y: String(y),
      kid: key.value.thumbprint,
      alg: 'ES256',
    },
    ...(options.label === undefined ? {} : { label: options.label }),
  });
  if (!r.ok) return err(r.error.code, r.error.message);
  if (options.pin !== undefined) {
    // nothing from a portal with another key is kept: no record, no configuration
    const pinned = checkSigningKey(r.value.portalSigningKey, options.pin);
    if (!pinned.ok) return pinned;
  }
  // the configuration that comes with the enrolment is checked like every later one
  const config = await verifySiteConfig(r.value.config, {
    portalSigningKey: r.value.portalSigningKey,
    terminalId: r.value.terminalId,
    now: clock.now(),
  });
  if (!config.ok) return config;
  const record: EnrolmentRecord = {
    portalUrl: options.portalUrl,
    terminalId: r.value.terminalId,
    keyId: r.value.keyId,
    audience: r.value.audience,
    portalSigningKey: r.value.portalSigningKey,
    enrolledAt: new Date(clock.now()).toISOString(),
  };
  const stored = storeEnrolmentConfig(options.dataDir, record, key.value, r.value.config, clock);
  if (!stored.ok) return stored;
  const written = writeEnrolment(options.dataDir, record);
  return written.ok ? ok(record) : written;
}

/** Puts the enrolment's configuration into the queue store's `sync_state`, where `openTerminal` loads it. */
function storeEnrolmentConfig(
  dataDir: string,
  record: EnrolmentRecord,
  deviceKey: DeviceKey,
  jws: string,
  clock: Clock,
): Result<void, string> {
  const opened = openStore({ path: join(dataDir, QUEUE_DB_FILE), now: () => clock.now() });
  if (!opened.ok) return opened;
  const store = opened.value;
  const alarms = new Alarms(store.db, () => clock.now());
  try {
    const outbox = new Outbox({
      store,
      alarms,
      clock,
      sealing: {
        terminalId: record.terminalId,
        deviceKey: { kid: record.keyId, privateKey: deviceKey.privateJwk },
        authorityKey: () => undefined,
      },
    });
    // a store left from an earlier enrolment may hold a newer version of the old terminal: replace it
    sealedStateStore(outbox, stateSealKey(deviceKey, record.terminalId)).setState(SITE_CONFIG_STATE, jws);
    return ok(undefined);
  } catch {
    return err('config.storage_failed', 'the configuration cannot be stored');
  } finally {
    alarms.dispose();
    store.close();
  }
}
