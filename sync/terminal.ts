/**
 * The terminal side of sync, assembled from a data folder: device key (via a `KeyStore`),
 * enrolment record, queue store, alarms, outbox, portal client, sync engine and heartbeat.
 *
 * The kiosk's core sees it as a `Terminal`: what the core needs (submit under a reserved
 * tracking number, lookup, the queue view, the audit log, the portal's account calls, the
 * heartbeat's hooks, wipe) and nothing of its parts, so sync never calls back into the core in
 * the middle of an enqueue. The `kiosk` commands, the chaos worker, the benches and the tests
 * work on the parts too (`AssembledTerminal`).
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { type Clock, type RandomUnit, type Scheduler, systemClock } from '../common/clock.ts';
import { err, ok, type Result } from '../common/result.ts';
import { type Alarm, Alarms } from './alarms.ts';
import { AuditLog } from './audit.ts';
import { verifyAuthorityKeySet } from './authority-keys.ts';
import { type VerifiedCase, verifyCaseAnswer, verifyQueueTicket, verifyTicket } from './case-answers.ts';
import { type ClientError, PortalClient } from './client.ts';
import type { DeliveryStep } from './delivery.ts';
import { type AttemptOutcome, type EngineOptions, type PassResult, SyncEngine } from './engine.ts';
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
import { type HealthSource, Heartbeat } from './heartbeat.ts';
import {
  BADGE_SECRET_FILE,
  DEVICE_KEY_FILE,
  type DeviceKey,
  FileKeyStore,
  type KeyStore,
  loadOrCreateDeviceKey,
} from './keystore.ts';
import {
  type EnqueueErrorCode,
  type EnqueueStep,
  Outbox,
  type OutboxItem,
  type QueueCounts,
} from './outbox.ts';
import type {
  AuthorityKey,
  CaseLookupRequest,
  CheckInRequest,
  HeartbeatRequest,
  QueueTicket,
  TerminalCommand,
  TerminalConfig,
  Ticket,
  TicketLookupRequest,
  TicketRequest,
  TrackingLookupResponse,
} from './protocol/index.ts';
import { type AttachmentInput, type AuthorityPublicKey, sealDocumentRef } from './sealing.ts';
import { SITE_CONFIG_STATE, SiteConfigStore, type StateStore, verifySiteConfig } from './site-config.ts';
import {
  carryOverLockoutFile,
  LOCKOUT_DB_FILE,
  type LockoutCarryErrorCode,
  type SqliteLockoutStore,
  sqliteLockoutStore,
} from './staff-lockout.ts';
import { SyncState } from './state.ts';
import { isSealedState, sealedStateStore, stateSealKey } from './state-seal.ts';
import { isDamagedCopy, openStore, type Store, type StoreAlarm, type StoreOpenErrorCode } from './store.ts';
import { makeTrackingNumber } from './tracking.ts';

/** The queue's database in the data folder. */
export const QUEUE_DB_FILE = 'kiosk.db';
const AUTHORITY_KEYS_STATE = 'authority_keys';

/**
 * Everything that makes a data folder this terminal: the queue, the device key, the enrolment,
 * and the staff lockout counters kept before enrolment. The one list a wipe deletes.
 */
export const TERMINAL_FILES = [
  QUEUE_DB_FILE,
  `${QUEUE_DB_FILE}-wal`,
  `${QUEUE_DB_FILE}-shm`,
  ENROLMENT_FILE,
  DEVICE_KEY_FILE,
  `${DEVICE_KEY_FILE}.enc`,
  BADGE_SECRET_FILE,
  LOCKOUT_DB_FILE,
  `${LOCKOUT_DB_FILE}-wal`,
  `${LOCKOUT_DB_FILE}-shm`,
] as const;

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

/** An application to queue: sealed for the authority under a tracking number reserved before. */
export interface Submission {
  readonly serviceId: string;
  readonly data: unknown;
  /** From `reserveTrackingNumber()`: the attachments (the summary) already show it. */
  readonly trackingNumber: string;
  readonly attachments: readonly AttachmentInput[];
}

export interface Submitted {
  readonly submissionId: string;
  readonly trackingNumber: string;
  /** The portal could not be reached lately: the application waits in the queue. */
  readonly queuedOffline: boolean;
}

/** A visitor's status lookup: still in the queue here, what the portal knows, or no answer. */
export type TrackingLookup =
  | { readonly kind: 'queued' }
  | {
      readonly kind: 'found';
      readonly status: TrackingLookupResponse['status'];
      readonly updatedAt: TrackingLookupResponse['updatedAt'];
    }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'offline' };

/** Why the portal's answer about a case or ticket cannot be shown. */
export type UnavailableReason = 'offline' | 'rate_limited' | 'unverified' | 'refused';

/** A visitor's case: still in the queue here, the portal's answer (checked), or none. */
export type CaseLookup =
  | { readonly kind: 'queued' }
  | { readonly kind: 'found'; readonly case: VerifiedCase }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'unavailable'; readonly reason: UnavailableReason };

/** A Service-Center ticket made or looked up: the portal's signed ticket (checked), or none. */
export type TicketAnswer =
  | { readonly kind: 'found'; readonly ticket: Ticket }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'unavailable'; readonly reason: UnavailableReason };

/** A check-in at the building: the portal's signed queue ticket (checked), or why there is none. */
export type CheckIn =
  | { readonly kind: 'ticket'; readonly ticket: QueueTicket }
  | {
      readonly kind: 'refused';
      readonly code: 'invitation.invalid' | 'invitation.not_today' | 'queue.walk_in_not_offered';
    }
  | { readonly kind: 'unavailable'; readonly reason: UnavailableReason };

/** The terminal as the administrator's overview shows it (no personal data). */
export interface TerminalStatus {
  readonly terminalId: string;
  readonly queue: QueueCounts;
  /** Items quarantined for the administrator (ids, states and codes only), oldest first. */
  readonly quarantined: readonly OutboxItem[];
  readonly alarms: readonly Alarm[];
  /** The portal could not be reached lately: deliveries wait. */
  readonly offline: boolean;
}

/** The portal's service-account calls, as the kiosk's activation and account sign-in make them. */
export type AccountCalls = Pick<
  PortalClient,
  'signInAccount' | 'confirmSignInCode' | 'pendingAccount' | 'findPendingAccount' | 'activateAccount'
>;

/** The hash-chained audit log in the queue's database, as the kiosk writes and shows it. */
export type TerminalAuditLog = Pick<AuditLog, 'append' | 'head' | 'verify' | 'export'>;

/** What the kiosk hands the terminal for its heartbeat and delivery; all optional. */
export interface TerminalHooks {
  /** The kiosk's figures for each heartbeat (readers, printer, sessions, audit head, usage). */
  readonly health?: HealthSource;
  /** Each newer configuration from the portal, once verified and stored. */
  readonly onSiteConfig?: (site: TerminalConfig) => void;
  /**
   * A verified command from the portal, before it is acknowledged: resolving means done
   * (acknowledged with the next heartbeat), throwing means not done (the portal offers it again).
   */
  readonly onCommand?: (command: TerminalCommand) => void | Promise<void>;
  /** A command whose acknowledgement the portal has taken (a remote wipe is carried out now). */
  readonly onCommandAcked?: (command: TerminalCommand) => void;
  /** Each heartbeat body the portal took (the usage figures in it are delivered). */
  readonly onHeartbeatDelivered?: (body: HeartbeatRequest) => void;
  /** The outcome of each delivery attempt. */
  readonly onSyncAttempt?: (outcome: AttemptOutcome) => void;
}

/**
 * What the kiosk's core needs of the enrolled terminal. The core calls it; the terminal tells the
 * core only through the hooks it was given (`bind`), never in the middle of an enqueue: an
 * application's papers are made before `submit`, under a number from `reserveTrackingNumber`.
 */
export interface Terminal {
  /** The id the portal gave this terminal at enrolment. */
  readonly terminalId: string;
  /** Problems the queue's database had at open (a damaged file moved aside). */
  readonly startupAlarms: readonly StoreAlarm[];
  /** The verified configuration from the portal in effect, if the terminal has one. */
  siteConfig(): TerminalConfig | undefined;
  /**
   * Fetches the authority's key set, verifies it with the enrolled portal key and keeps it for
   * sealing; a refused set (`authority_keys.*`) leaves the last good one in effect.
   */
  refreshAuthorityKeys(): Promise<Result<readonly AuthorityKey[], string>>;
  /** A fresh tracking number no item in the queue has, for the papers made before `submit`. */
  reserveTrackingNumber(): string;
  /**
   * Seals the application and commits it to the queue (the tracking number exists from then on),
   * then starts its delivery. On `storage.full` and the like nothing was written.
   */
  submit(submission: Submission): Promise<Result<Submitted, EnqueueErrorCode>>;
  /** A status lookup: an item still waiting here is `queued`; otherwise the portal is asked. */
  lookup(trackingNumber: string, birthDate: string): Promise<TrackingLookup>;
  /**
   * A case by tracking number or case reference plus birth date: an item still waiting here is
   * `queued`; otherwise the portal's signed summary and events, verified (sync/case-answers.ts).
   */
  lookupCase(request: CaseLookupRequest): Promise<CaseLookup>;
  /** Files an appointment wish as a Service-Center ticket; the signed ticket, verified. */
  createTicket(request: TicketRequest, idempotencyKey: string): Promise<TicketAnswer>;
  /** A ticket by number and birth date; the signed ticket, verified. */
  lookupTicket(request: TicketLookupRequest): Promise<TicketAnswer>;
  /** Check-in at the building (invitation QR or walk-in): the signed queue ticket, verified. */
  checkIn(request: CheckInRequest): Promise<CheckIn>;
  /** The queue, quarantined items, alarms and reachability, for the administrator. */
  status(): TerminalStatus;
  /** The queue's counts by state (read at every scrape of the metrics). */
  queueCounts(): QueueCounts;
  /** The open alarms (read at every scrape of the metrics). */
  openAlarms(): readonly Alarm[];
  /** Delivers what is due now, one pass (the administrator's "sync now"). */
  syncNow(): Promise<PassResult>;
  readonly auditLog: TerminalAuditLog;
  readonly accounts: AccountCalls;
  /** A document reference sealed to the authority's current key; undefined without one. */
  sealDocumentRef(reference: {
    readonly issuingState: string;
    readonly documentNumber: string;
  }): Promise<string | undefined>;
  /** Small values kept across restarts in the queue's database (counts, never personal data). */
  readonly state: StateStore;
  /** The staff lockout counters, in the queue's database. */
  lockoutStore(): SqliteLockoutStore;
  /** Moves counters kept before enrolment (their own small file) into the queue's database. */
  adoptLockoutFile(): Result<{ readonly carried: number }, LockoutCarryErrorCode>;
  /** Sets what the heartbeat and delivery tell the kiosk (replaces hooks set before). */
  bind(hooks: TerminalHooks): void;
  /** Starts delivery and, unless told not to, the heartbeat. */
  start(options?: { readonly heartbeat?: boolean }): void;
  /** Stops the heartbeat and the engine (no timers left) and closes the store. */
  close(): Promise<void>;
  /**
   * The terminal's data wipe: closes everything, then deletes `TERMINAL_FILES`, damaged copies of
   * the queue and the given folders. Returns the paths that could not be deleted. The terminal
   * must be enrolled again afterwards.
   */
  wipe(folders?: readonly string[]): Promise<string[]>;
}

/** The terminal with its parts, for the tools that work on them directly. */
export interface AssembledTerminal extends Terminal {
  readonly enrolment: EnrolmentRecord;
  readonly deviceKey: DeviceKey;
  readonly store: Store;
  readonly alarms: Alarms;
  readonly outbox: Outbox;
  readonly client: PortalClient;
  readonly engine: SyncEngine;
  /** Not started by `openTerminal`: the kiosk starts it (`kiosk` commands do not beat). */
  readonly heartbeat: Heartbeat;
  /** The authority key new items are sealed to now, if a good key set is held. */
  authorityKey(): AuthorityPublicKey | undefined;
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
  state: StateStore,
  record: EnrolmentRecord,
  now: number,
): Promise<Result<AuthorityKey[], string>> {
  const raw = state.getState(AUTHORITY_KEYS_STATE);
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
): Promise<Result<AssembledTerminal, TerminalOpenErrorCode>> {
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemClock;
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
  const state = new SyncState(store.db);
  const record = enrolment.value;
  const deviceKey = key.value;
  let authorityKeys: AuthorityKey[] = [];
  let hooks: TerminalHooks = {};
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
  const cached = await cachedAuthorityKeys(state, record, clock.now());
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
    onAttempt: (outcome) => hooks.onSyncAttempt?.(outcome),
  });
  // the configuration carries the badge secret: kept sealed under the device key (sync/state-seal.ts)
  const sealedState = sealedStateStore(state, stateSealKey(deviceKey, record.terminalId));
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
      const raw = state.getState(SITE_CONFIG_STATE);
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
    state,
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
  let lockout: SqliteLockoutStore | undefined;
  const signedFor = { terminalId: record.terminalId, portalSigningKey: record.portalSigningKey };
  const checkedTicket = async (jws: string, ticketNumber: string): Promise<TicketAnswer> => {
    const verified = await verifyTicket(jws, ticketNumber, signedFor);
    if (verified.ok) return { kind: 'found', ticket: verified.value };
    alarms.raise('sync.integrity', `A ticket from the portal was refused: ${verified.error.message}.`);
    return { kind: 'unavailable', reason: 'unverified' };
  };
  return ok({
    terminalId: record.terminalId,
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
      state.setState(AUTHORITY_KEYS_STATE, r.value.keySet);
      authorityKeys = verified.value;
      return ok(verified.value);
    },
    reserveTrackingNumber() {
      // 50 random bits: a number already in the queue is drawn again rather than refused later
      let trackingNumber = makeTrackingNumber();
      for (let tries = 0; tries < 3 && outbox.findByTracking(trackingNumber) !== undefined; tries++)
        trackingNumber = makeTrackingNumber();
      return trackingNumber;
    },
    async submit(submission) {
      const queued = await outbox.enqueue(submission);
      if (!queued.ok) return queued;
      engine.kick();
      const { submissionId, trackingNumber } = queued.value;
      return ok({ submissionId, trackingNumber, queuedOffline: engine.offline });
    },
    async lookup(trackingNumber, birthDate) {
      const local = outbox.findByTracking(trackingNumber);
      if (local && (local.state === 'queued' || local.state === 'sending')) return { kind: 'queued' };
      const answer = await client.trackingLookup({ trackingNumber, birthDate });
      if (answer.ok) return { kind: 'found', status: answer.value.status, updatedAt: answer.value.updatedAt };
      return answer.error.code === 'tracking.not_found' ? { kind: 'not_found' } : { kind: 'offline' };
    },
    async lookupCase(request) {
      if ('trackingNumber' in request) {
        const local = outbox.findByTracking(request.trackingNumber);
        if (local && (local.state === 'queued' || local.state === 'sending')) return { kind: 'queued' };
      }
      const answer = await client.caseLookup(request);
      if (!answer.ok)
        return answer.error.code === 'case.not_found' ? { kind: 'not_found' } : unavailable(answer.error);
      const verified = await verifyCaseAnswer(answer.value, request, signedFor);
      if (verified.ok) return { kind: 'found', case: verified.value };
      alarms.raise('sync.integrity', `A case answer from the portal was refused: ${verified.error.message}.`);
      return { kind: 'unavailable', reason: 'unverified' };
    },
    async createTicket(request, idempotencyKey) {
      const answer = await client.createTicket(request, idempotencyKey);
      if (!answer.ok) return unavailable(answer.error, 'refused');
      return checkedTicket(answer.value.ticket, answer.value.ticketNumber);
    },
    async lookupTicket(request) {
      const answer = await client.ticketLookup(request);
      if (!answer.ok)
        return answer.error.code === 'ticket.not_found' ? { kind: 'not_found' } : unavailable(answer.error);
      return checkedTicket(answer.value.ticket, request.ticketNumber);
    },
    async checkIn(request) {
      const answer = await client.checkIn(request);
      if (!answer.ok) {
        const code = answer.error.code;
        if (
          code === 'invitation.invalid' ||
          code === 'invitation.not_today' ||
          code === 'queue.walk_in_not_offered'
        )
          return { kind: 'refused', code };
        return unavailable(answer.error);
      }
      const verified = await verifyQueueTicket(answer.value.ticket, signedFor);
      if (verified.ok) return { kind: 'ticket', ticket: verified.value };
      alarms.raise(
        'sync.integrity',
        `A queue ticket from the portal was refused: ${verified.error.message}.`,
      );
      return { kind: 'unavailable', reason: 'unverified' };
    },
    status: () => ({
      terminalId: record.terminalId,
      queue: outbox.counts(clock.now()),
      quarantined: outbox.quarantined(),
      alarms: alarms.open(),
      offline: engine.offline,
    }),
    queueCounts: () => outbox.counts(clock.now()),
    openAlarms: () => alarms.open(),
    syncNow: () => engine.runPass(),
    auditLog: outbox.auditLog,
    accounts: {
      signInAccount: (body) => client.signInAccount(body),
      confirmSignInCode: (body) => client.confirmSignInCode(body),
      pendingAccount: (accountId) => client.pendingAccount(accountId),
      findPendingAccount: (search) => client.findPendingAccount(search),
      activateAccount: (accountId, request, idempotencyKey) =>
        client.activateAccount(accountId, request, idempotencyKey),
    },
    async sealDocumentRef(reference) {
      const key = currentAuthorityKey(authorityKeys, clock.now());
      if (key === undefined) return undefined;
      const sealed = await sealDocumentRef(reference, key);
      return sealed.ok ? sealed.value : undefined;
    },
    state,
    lockoutStore() {
      lockout ??= sqliteLockoutStore(store.db, () => clock.now());
      return lockout;
    },
    adoptLockoutFile: () => carryOverLockoutFile(options.dataDir, store.db, () => clock.now()),
    bind(next) {
      hooks = next;
      heartbeat.setHealth(next.health);
      heartbeat.onConfig(next.onSiteConfig);
      heartbeat.onCommand(next.onCommand);
      heartbeat.onAcked(next.onCommandAcked);
      heartbeat.onDelivered(next.onHeartbeatDelivered);
    },
    start(startOptions = {}) {
      if (closed) return;
      engine.start();
      if (startOptions.heartbeat !== false) heartbeat.start();
    },
    close,
    async wipe(folders = []) {
      await close();
      return deleteTerminalData(options.dataDir, folders);
    },
  });
}

/**
 * The audit log of a terminal not enrolled yet (an administrator signs in to enrol it): the same
 * hash chain in the queue's database, opened for the audit log alone until the terminal takes it
 * over. Never throws.
 */
export function openAuditLogOnly(
  dataDir: string,
  now: () => number,
): Result<{ readonly auditLog: TerminalAuditLog; close(): void }, StoreOpenErrorCode> {
  const opened = openStore({ path: join(dataDir, QUEUE_DB_FILE), now });
  if (!opened.ok) return opened;
  const store = opened.value;
  return ok({ auditLog: new AuditLog(store.db, { now }), close: () => store.close() });
}

/** Queue databases moved aside as damaged (with their -wal/-shm and salvage files). */
function damagedCopies(dataDir: string): string[] {
  try {
    return readdirSync(dataDir)
      .filter((name) => isDamagedCopy(QUEUE_DB_FILE, name))
      .map((name) => join(dataDir, name));
  } catch {
    return [];
  }
}

/**
 * Deletes the terminal's data from a data folder whose store is closed: `TERMINAL_FILES`, damaged
 * copies of the queue, and the given folders (log exports, a folder printer's papers). Returns
 * what could not be deleted; missing files are fine. Never throws.
 */
export function deleteTerminalData(dataDir: string, folders: readonly string[] = []): string[] {
  const failed: string[] = [];
  const paths = [...TERMINAL_FILES.map((name) => join(dataDir, name)), ...damagedCopies(dataDir), ...folders];
  for (const path of paths) {
    try {
      rmSync(path, { force: true, recursive: true });
    } catch {
      failed.push(path);
    }
  }
  return failed;
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
    scheduler: options.scheduler ?? systemClock,
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
  // the configuration that comes with the enrolment is checked like every later one, by the
  // portal's time: a terminal whose clock is minutes slow would otherwise refuse it as dated ahead
  const config = await verifySiteConfig(r.value.config, {
    portalSigningKey: r.value.portalSigningKey,
    terminalId: r.value.terminalId,
    now: clock.now() + client.portalDateOffsetMs,
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
  try {
    // a store left from an earlier enrolment may hold a newer version of the old terminal: replace it
    const state = sealedStateStore(new SyncState(store.db), stateSealKey(deviceKey, record.terminalId));
    state.setState(SITE_CONFIG_STATE, jws);
    return ok(undefined);
  } catch {
    return err('config.storage_failed', 'the configuration cannot be stored');
  } finally {
    store.close();
  }
}

/** A failed call about a case or ticket, as the visitor's screen says it. */
function unavailable(
  error: ClientError,
  otherwise: 'offline' | 'refused' = 'offline',
): { readonly kind: 'unavailable'; readonly reason: UnavailableReason } {
  if (error.code === 'rate_limited') return { kind: 'unavailable', reason: 'rate_limited' };
  return { kind: 'unavailable', reason: error.kind === 'permanent' ? otherwise : 'offline' };
}
