import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CallName } from '../api/contract.ts';
import { errorCodes, fail, ok } from '../api/envelope.ts';
import type { FieldValues } from '../api/forms.ts';
import { type KeyboardLayoutId, keyboardCodec } from '../api/keyboard-layouts.ts';
import { builtinProfiles } from '../device/profiles.ts';
import type { HidTransport } from '../device/transport.ts';
import { loadNodeHid, NodeHidTransport } from '../device/transports/node-hid.ts';
import { SimulatorTransport, simulatorProfiles } from '../device/transports/simulator.ts';
import packageJson from '../package.json' with { type: 'json' };
import { AuditLog } from '../sync/audit.ts';
import { isPinnedOrigin } from '../sync/enrolment.ts';
import type { HealthReport } from '../sync/heartbeat.ts';
import type { KeyStore } from '../sync/keystore.ts';
import { parseAccountQr } from '../sync/protocol/index.ts';
import {
  carryOverLockoutFile,
  openLockoutFile,
  type SqliteLockoutStore,
  sqliteLockoutStore,
} from '../sync/staff-lockout.ts';
import { openStore, type Store } from '../sync/store.ts';
import { enrolTerminal, QUEUE_DB_FILE, type Terminal } from '../sync/terminal.ts';
import { portalAccounts } from './activation/portal.ts';
import { ActivationService } from './activation/service.ts';
import { createAdmin, type KeyStorageInfo } from './admin.ts';
import { listServices } from './catalogue.ts';
import { type Clock, systemClock } from './clock.ts';
import { ConfigError, type KioskConfig } from './config.ts';
import { createDesk, staffFailure } from './desk.ts';
import { buildActivationConfirmation, parseTrackingQr } from './documents/index.ts';
import { EventBus } from './events.ts';
import { IdentifyService } from './identify.ts';
import { JourneyService } from './journeys.ts';
import { type Logger, silentLogger } from './log.ts';
import { KioskMetrics, type MetricsServer, startMetricsServer } from './metrics/index.ts';
import {
  buildAndPrint,
  CupsPrinter,
  FilePrinter,
  type Printer,
  SessionPrinter,
  WindowsPrinter,
} from './printing/index.ts';
import { deviceClock, ReaderService } from './readers.ts';
import { createRouter, type Handlers, type Router } from './router.ts';
import { SessionService } from './session.ts';
import {
  type AuditSink,
  acceptStaffRecords,
  acceptsHash,
  type PinHasher,
  parseBadgeSecret,
  productionPinHasher,
  type StaffConfig,
  type StaffCredentials,
  StaffService,
} from './staff/index.ts';
import { PortalReachability } from './status.ts';
import { journeyChecklist, KioskSubmitter } from './submit.ts';
import { type AppliedSiteConfig, enrolmentProblem, openKioskTerminal, portalPin } from './terminal.ts';
import { deleteTerminalFiles, wipeFolders } from './wipe.ts';

/** Where the usage counts wait across a restart (the terminal's key-value state). */
const USAGE_STATE = 'usage_hours';

export interface KioskDeps {
  clock?: Clock;
  newId?: () => string;
  fetch?: typeof fetch;
  /** The HID transport; by default node-hid, or the simulator when `readers.simulate` is set. */
  hidTransport?: HidTransport;
  /** The printer; by default the one the configuration names. */
  printer?: Printer | null;
  /** The enrolled terminal's queue and portal client (sync/terminal.ts); null when not enrolled. */
  terminal?: Terminal | null;
  log?: Logger;
  /** How staff PINs are checked; argon2id with the OWASP parameters unless a test passes another. */
  pinHasher?: PinHasher;
  /** Where the device key is kept (the Electron host uses safeStorage); shown to administrators. */
  keyStorage?: () => KeyStorageInfo;
  /** Where an enrolment from the screen keeps the device key (default: a 0600 file). */
  keyStore?: KeyStore;
  /** The portal's verified configuration as laid over `config` (core/start.ts), if there is one. */
  site?: AppliedSiteConfig;
  /** Opens the terminal after an enrolment from the screen; by default as `npm start` does. */
  openTerminal?: (portalUrl: string) => Promise<Terminal | null>;
}

/**
 * Who may sign in: the records and the parsed badge secret of a staff section. A record hashed
 * below the hasher's cost floor is refused on its own with a logged code; the others are kept.
 */
function staffCredentials(
  staff: StaffConfig,
  hasher: PinHasher,
  log: Logger,
  source: 'local' | 'portal',
): StaffCredentials {
  const secret = staff.badgeSecret ? parseBadgeSecret(staff.badgeSecret) : null;
  const { accepted, refused } = acceptStaffRecords(staff.records, (phc) => acceptsHash(hasher, phc));
  for (const r of refused) log.warn(r.code, { source, index: r.index, role: r.role });
  return { badgeSecret: secret?.ok ? secret.value : null, records: accepted };
}

const fileKeyStorage: KeyStorageInfo = {
  backend: 'file',
  encrypted: false,
  warning:
    'the device key (which also seals the stored configuration) is a file readable only by the kiosk user (no system keyring)',
};

/** The printer the configuration names, or null when the terminal has none. */
export function printerFromConfig(
  config: KioskConfig['printer'],
  clock: Clock = systemClock,
): Printer | null {
  switch (config.kind) {
    case 'cups':
      return config.name ? new CupsPrinter({ name: config.name }) : null;
    case 'windows':
      return config.name
        ? new WindowsPrinter({ name: config.name, uniqueSuffix: () => randomUUID().slice(0, 8) })
        : null;
    case 'file':
      return config.dir ? new FilePrinter({ dir: config.dir, now: () => new Date(clock.now()) }) : null;
    case 'none':
      return null;
  }
}

/**
 * What a visitor can reach; refused with `terminal.out_of_service` while the terminal is not
 * enrolled with the installation's portal (nothing a visitor enters could be delivered safely).
 */
const visitorCalls: ReadonlySet<CallName> = new Set<CallName>([
  'session.start',
  'session.end',
  'session.touch',
  'session.setLanguage',
  'session.current',
  'session.setSlowMode',
  'catalogue.list',
  'reader.expect',
  'reader.wedge',
  'staff.call',
  'journey.start',
  'journey.current',
  'journey.step',
  'journey.back',
  'journey.goto',
  'journey.cancel',
  'journey.submit',
  'account.signIn',
  'account.signOut',
  'account.current',
]);

export const OUT_OF_SERVICE = 'terminal.out_of_service';

export interface Kiosk {
  readonly config: KioskConfig & { portal: { url: string } };
  readonly router: Router;
  readonly events: EventBus;
  readonly sessions: SessionService;
  readonly readers: ReaderService;
  readonly journeys: JourneyService;
  readonly metrics: KioskMetrics;
  /** The enrolled terminal (queue, portal client), or null before enrolment and after a wipe. */
  terminal(): Terminal | null;
  /**
   * Why visitors are not served, as a code for the administrator (`enrolment.missing`,
   * `enrolment.foreign_origin`, ...), or null when the terminal is in service.
   */
  outOfService(): string | null;
  /** The kiosk's figures for the heartbeat (readers, printer, sessions, audit head). */
  health(): Promise<HealthReport>;
  /**
   * A newer configuration from the portal: who may sign in takes effect at once; languages,
   * timeouts, services and readers at the next start (the nightly restart).
   */
  applySite(applied: AppliedSiteConfig): void;
  /** A remote wipe: ends every session and deletes the terminal's data, undelivered items too. */
  wipe(): Promise<void>;
  /** Where the Prometheus endpoint listens, once it does (null when switched off). */
  metricsUrl(): Promise<string | null>;
  /** The simulated readers, when the kiosk runs with them (npm start, end-to-end tests). */
  readonly simulator: SimulatorTransport | null;
  /** Resolves when the readers present at start are open. */
  readonly started: Promise<void>;
  close(): Promise<void>;
}

/**
 * The composition root: builds the kiosk's services from a validated configuration. Every
 * dependency that touches time, randomness, the network or hardware can be passed in.
 */
export function createKiosk(config: KioskConfig, deps: KioskDeps = {}): Kiosk {
  const portalUrl = config.portal.url;
  if (!portalUrl)
    throw new ConfigError('Invalid kiosk configuration:\n  portal.url: not set (KIOSK_PORTAL_URL)');
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? silentLogger;
  // a host without a key store (the plain Node web host) keeps the device key, and with it the
  // key that seals the stored configuration and its badge secret, in a 0600 file
  if (!deps.keyStorage) log.warn('keystore.unencrypted', { backend: fileKeyStorage.backend });
  const printer = deps.printer === undefined ? printerFromConfig(config.printer, clock) : deps.printer;
  let terminal = deps.terminal ?? null;
  /** Why visitors are refused (a code for the administrator); null while the terminal serves. */
  let outOfServiceCode: string | null = terminal ? null : (enrolmentProblem(config) ?? 'terminal.not_ready');
  /** A terminal enrolled from the screen is the kiosk's to close; one passed in is the host's. */
  let ownTerminal: Terminal | null = null;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const startedAt = clock.monotonic();
  let sessionsStarted = 0;

  const events = new EventBus();
  const metrics = new KioskMetrics({ clock, languages: config.languages.enabled });
  const sessions = new SessionService({
    clock,
    events,
    newId: deps.newId ?? randomUUID,
    settings: config.session,
    defaultLanguage: config.languages.default,
  });
  let currentPortalUrl = portalUrl;
  const reachability = (url: string) =>
    new PortalReachability({
      url,
      timeoutMs: config.portal.timeoutMs,
      clock,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  let portal = reachability(portalUrl);
  const layout = config.readers.layout as KeyboardLayoutId;
  const simulator =
    deps.hidTransport === undefined && config.readers.simulate
      ? new SimulatorTransport({ clock: deviceClock(clock), codec: keyboardCodec(layout) })
      : null;
  const readers = new ReaderService({
    openTransport: async () => {
      const given = deps.hidTransport ?? simulator;
      if (given) return given;
      const hid = await loadNodeHid();
      return hid.ok
        ? new NodeHidTransport({ hid: hid.value, clock: deviceClock(clock) })
        : { error: hid.error.code };
    },
    profiles: [
      ...config.readers.profiles,
      ...(simulator ? simulatorProfiles(layout) : []),
      ...builtinProfiles,
    ],
    defaultLayout: layout,
    clock,
    events,
    sessions,
    log,
  });
  const sessionPrinter = printer ? new SessionPrinter(printer, sessions) : null;
  const paper = config.printer.paper;
  const activation = new ActivationService({
    sessions,
    clock,
    log,
    accounts: () => {
      const t = terminal;
      return t ? portalAccounts(t.client, () => t.authorityKey()) : null;
    },
    printConfirmation: ({ displayName, activatedAt, language }) =>
      buildAndPrint(
        sessionPrinter,
        () =>
          buildActivationConfirmation({
            accountName: displayName,
            activatedAt,
            terminalLocation: config.terminal.location,
            language,
            paper,
            authority: config.authority,
          }),
        { jobName: 'Aktivierung' },
      ),
  });
  const identify = new IdentifyService({ sessions, client: () => terminal?.client ?? null });
  const journeys = new JourneyService({
    sessions,
    readers,
    events,
    clock,
    disabled: config.services.disabled,
    parseTrackingQr: (text) => {
      const parsed = parseTrackingQr(text);
      return parsed.ok ? parsed.value.trackingNumber : null;
    },
    parseAccountQr: (text) => {
      const parsed = parseAccountQr(text);
      return parsed.ok ? parsed.value.accountId : null;
    },
    activation,
    usage: metrics.usage,
    signedIn: () => identify.current() !== null,
    prefill: (): FieldValues => {
      const account = identify.current();
      return account ? { birthDate: account.birthDate } : {};
    },
    checklist: (serviceId, values, language) =>
      journeyChecklist(serviceId, values, language, config.authority),
    submitter: new KioskSubmitter({
      terminal: () => terminal,
      accountId: () => identify.current()?.accountId ?? null,
      printer: sessionPrinter,
      paper,
      clock,
      location: config.terminal.location,
      authority: config.authority,
      log,
    }),
  });

  // Records in the local configuration win (set up by hand, e.g. before the portal has any);
  // otherwise the portal's signed configuration says who may sign in.
  const pinHasher = deps.pinHasher ?? productionPinHasher;
  const staffFrom = (site: AppliedSiteConfig | undefined) =>
    config.staff.records.length > 0
      ? staffCredentials(config.staff, pinHasher, log, 'local')
      : staffCredentials(site?.staff ?? config.staff, pinHasher, log, site?.staff ? 'portal' : 'local');
  let credentials = staffFrom(deps.site);
  let configVersion = deps.site?.site.version ?? null;
  // Staff access exists only where the audit log can record it (fail closed). Before enrolment
  // (an administrator signs in to enrol) the entries go into the same hash chain in the queue's
  // database, opened for the audit log alone until the terminal takes it over.
  let standby: { store: Store; log: AuditLog } | null = null;
  const closeStandby = () => {
    standby?.store.close();
    standby = null;
  };
  const audit: AuditSink = (event, fields) => {
    if (terminal) {
      terminal.outbox.auditLog.append(event, fields);
      return;
    }
    if (!standby) {
      const opened = openStore({ path: join(config.dataDir, QUEUE_DB_FILE), now: () => clock.now() });
      if (!opened.ok) throw new Error(`no audit log: ${opened.error.code}`);
      standby = { store: opened.value, log: new AuditLog(opened.value.db, { now: () => clock.now() }) };
    }
    standby.log.append(event, fields);
  };
  // Lockout counters outlive a restart: in the queue database of the enrolled terminal, before
  // enrolment in a small database of their own in the data folder (sync/staff-lockout.ts).
  let lockoutFile: { store: SqliteLockoutStore; file: Store } | null = null;
  let queueLockout: { terminal: Terminal; store: SqliteLockoutStore } | null = null;
  const lockoutStore = (): SqliteLockoutStore => {
    if (terminal) {
      if (queueLockout?.terminal !== terminal)
        queueLockout = { terminal, store: sqliteLockoutStore(terminal.store.db, () => clock.now()) };
      return queueLockout.store;
    }
    if (!lockoutFile) {
      const opened = openLockoutFile(config.dataDir, () => clock.now());
      if (!opened.ok) throw new Error(opened.error.code);
      lockoutFile = opened.value;
    }
    return lockoutFile.store;
  };
  /** Counters kept before enrolment go into the queue, so that a restart still reads them. */
  const carryOverLockout = (into: Terminal) => {
    lockoutFile?.file.close();
    lockoutFile = null;
    const carried = carryOverLockoutFile(config.dataDir, into.store.db, () => clock.now());
    if (!carried.ok) log.error('staff.lockout_carry_failed', { code: carried.error.code });
  };
  // a terminal enrolled while the kiosk was not running (`kiosk enroll`), or a carry-over that failed
  if (terminal) carryOverLockout(terminal);
  const staff = new StaffService({
    clock,
    events,
    hasher: pinHasher,
    lockoutStore: {
      load: () => lockoutStore().load(),
      save: (entry) => lockoutStore().save(entry),
      remove: (key) => lockoutStore().remove(key),
    },
    onLockoutStoreError: (operation) => log.error('staff.lockout_store_failed', { operation }),
    credentials: () => credentials,
    currentVisitorSessionId: () => sessions.current()?.id ?? null,
    idleSeconds: config.staff.sessionIdleSeconds,
    audit,
  });
  const desk = createDesk({
    staff,
    sessions,
    journeys,
    activation,
    readers,
    printer: sessionPrinter,
    events,
    audit,
  });

  const wipe = async (discardUndelivered: boolean) => {
    const current = terminal;
    const pending = current ? current.outbox.counts(clock.now()).pending : 0;
    if (current) {
      if (pending > 0 && !discardUndelivered)
        return fail('wipe.undelivered', `${pending} applications are not delivered yet`);
      sessions.end('staff');
      staff.endSession('shutdown');
      terminal = null;
      await current.close();
    }
    closeStandby();
    lockoutFile?.file.close();
    lockoutFile = null;
    outOfServiceCode = portalPin(config) ? 'enrolment.missing' : 'enrolment.not_pinned';
    // the portal's configuration went with the wipe: only the installation's records let anyone
    // in now (an administrator who enrols the terminal again)
    credentials = staffFrom(undefined);
    configVersion = null;
    const failed = deleteTerminalFiles(config.dataDir, wipeFolders(config));
    if (failed.length > 0) {
      log.error('terminal.wipe_incomplete', { files: failed.length });
      return fail('wipe.incomplete', 'some files of the terminal could not be deleted');
    }
    log.warn('terminal.wiped');
    events.emit('terminal.enrolment', { enrolled: false });
    return ok({ discarded: pending });
  };
  const admin = createAdmin({
    staff,
    readers,
    events,
    clock,
    printer,
    paper,
    authority: config.authority,
    terminal: () => terminal,
    info: () => ({
      terminalId: terminal?.enrolment.terminalId ?? config.terminal.id,
      location: config.terminal.location,
      portalUrl: currentPortalUrl,
      configVersion,
      appVersion: packageJson.version,
    }),
    keyStorage: deps.keyStorage ?? (() => fileKeyStorage),
    sessionsSinceStart: () => sessionsStarted,
    exportDir: config.exportDir ?? join(config.dataDir, 'exports'),
    wipe,
    startedAt,
  });

  const openTerminal =
    deps.openTerminal ??
    ((url: string) => openKioskTerminal({ ...config, portal: { ...config.portal, url } }, log));
  let stopAwaitingCode: () => void = () => {};
  /** The next barcode read is the enrolment code's QR: only for a signed-in administrator. */
  const awaitCode = () => {
    if (terminal) return fail('enrolment.already_enrolled', 'this terminal is enrolled already');
    if (staff.current()?.role !== 'admin')
      return fail('staff.no_session', 'reading an enrolment code needs an administrator signed in');
    stopAwaitingCode();
    stopAwaitingCode = readers.captureBarcode((text) => events.emit('enrolment.scanned', { text }));
    return ok({ waiting: true });
  };
  /**
   * Enrolment from the screen: only in an administrator's session (credentials provisioned at
   * installation), only with the portal and signing key the installation pins. A URL sent with
   * the call must have the pinned origin; none is needed.
   */
  const enrol = async (requestedUrl: string | undefined, code: string) => {
    if (terminal) return fail('enrolment.already_enrolled', 'this terminal is enrolled already');
    const current = staff.current();
    if (current?.role !== 'admin')
      return fail('staff.no_session', 'enrolment needs an administrator signed in at this terminal');
    const pin = portalPin(config);
    const refused = !pin
      ? 'enrolment.not_pinned'
      : requestedUrl !== undefined && !isPinnedOrigin(requestedUrl, pin)
        ? 'enrolment.foreign_origin'
        : null;
    const allowed = staff.authorizeAdmin(current.id, 'enrolment.enrol', refused ? { refused } : {});
    if (!allowed.ok) return staffFailure(allowed.error);
    if (!pin || refused) {
      log.warn('terminal.enrolment_refused', { code: refused ?? 'enrolment.not_pinned' });
      return refused === 'enrolment.foreign_origin'
        ? fail(refused, 'enrolment is allowed only with the portal of this installation')
        : fail(
            'enrolment.not_pinned',
            'the installation names no portal signing key (portal.signingKeyThumbprint)',
          );
    }
    const url = pin.url;
    const enrolled = await enrolTerminal({
      dataDir: config.dataDir,
      portalUrl: url,
      pin,
      code,
      label: config.terminal.location,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.keyStore ? { keyStore: deps.keyStore } : {}),
    });
    if (!enrolled.ok) {
      log.warn('terminal.enrolment_failed', { code: enrolled.error.code });
      return fail(enrolled.error.code, enrolled.error.message);
    }
    closeStandby();
    terminal = await openTerminal(url);
    ownTerminal = terminal;
    if (!terminal) {
      outOfServiceCode = enrolmentProblem(config) ?? 'terminal.not_ready';
      return fail('enrolment.not_opened', 'enrolled, but the queue could not be opened');
    }
    carryOverLockout(terminal);
    outOfServiceCode = null;
    currentPortalUrl = url;
    portal = reachability(url);
    observeTerminal(terminal);
    stopAwaitingCode();
    log.info('terminal.enrolled');
    events.emit('terminal.enrolment', { enrolled: true });
    return ok({ terminalId: enrolled.value.terminalId });
  };

  const detachMetrics = metrics.attach(events);
  const observeTerminal = (t: Terminal) => {
    metrics.observeQueue(() => t.outbox.counts(clock.now()));
    metrics.observeAlarms(() => t.alarms.open());
    t.heartbeat.onDelivered((body) => metrics.usage.delivered(body.usage));
    // the counts of the run before a restart, kept in the terminal's store (counts only)
    try {
      const saved = t.outbox.getState(USAGE_STATE);
      if (saved !== undefined && !metrics.usage.restore(saved)) log.warn('usage.not_restored');
    } catch {
      log.warn('usage.not_restored');
    }
  };
  const saveUsage = () => {
    try {
      terminal?.outbox.setState(USAGE_STATE, metrics.usage.save());
    } catch {
      log.warn('usage.not_saved');
    }
  };
  if (terminal) observeTerminal(terminal);
  let metricsServer: MetricsServer | null = null;
  const metricsStarted = config.metrics.enabled
    ? startMetricsServer(metrics, { port: config.metrics.port }).then((result) => {
        if (result.ok) metricsServer = result.value;
        else log.error('metrics.unavailable', { code: result.error.code });
      })
    : Promise.resolve();
  const started = readers.start().catch((error: unknown) => {
    log.error('readers.start_failed', { error: error instanceof Error ? error.name : 'unknown' });
  });
  const offered = (language: string) => config.languages.enabled.includes(language);
  const notOffered = () => fail(errorCodes.languageNotOffered, 'language not offered at this terminal');

  /** Visitor calls answer `terminal.out_of_service` while the terminal is not in service. */
  const inService = (handlers: Handlers): Handlers => {
    const guarded: Record<string, (input: never) => unknown> = { ...handlers };
    for (const name of visitorCalls) {
      const handler = handlers[name] as (input: never) => unknown;
      guarded[name] = (input) => {
        if (outOfServiceCode !== null)
          return fail(OUT_OF_SERVICE, `this terminal is out of service (${outOfServiceCode})`);
        return handler(input);
      };
    }
    return guarded as unknown as Handlers;
  };

  const router = createRouter(
    inService({
      'session.start': ({ language }) => {
        if (language !== undefined && !offered(language)) return notOffered();
        const info = sessions.start(language);
        sessionsStarted += 1;
        metrics.sessionStarted(info.id);
        log.info('session.started');
        return ok(info);
      },
      'session.end': ({ reason }) => ok({ ended: sessions.end(reason) }),
      'session.touch': () => {
        const remaining = sessions.touch();
        return remaining === null
          ? fail(errorCodes.noSession, 'no session')
          : ok({ remainingSeconds: remaining });
      },
      'session.setLanguage': ({ language }) => {
        if (!offered(language)) return notOffered();
        const info = sessions.setLanguage(language);
        return info ? ok(info) : fail(errorCodes.noSession, 'no session');
      },
      'session.current': () => ok(sessions.current()),
      'session.setSlowMode': ({ slow }) => {
        const info = sessions.setSlowMode(slow);
        return info ? ok(info) : fail(errorCodes.noSession, 'no session');
      },
      'catalogue.list': () => ok(listServices(config.services.disabled)),
      'system.status': async () => {
        const reach = await portal.check();
        const printerState = printer ? (await printer.state()).status : 'none';
        if (printerState !== 'none') metrics.setPrinterState(printerState);
        return ok({
          terminal: {
            id: terminal?.enrolment.terminalId ?? config.terminal.id,
            location: config.terminal.location,
          },
          portal: { url: currentPortalUrl, ...reach },
          readers: readers.status(),
          printer: {
            name: config.printer.name,
            state: printerState,
          },
          languages: config.languages.enabled,
          defaultLanguage: config.languages.default,
          enrolled: terminal !== null,
          outOfService: outOfServiceCode,
          wedge: config.readers.wedge,
          authority: {
            serviceCentrePhone: config.authority.serviceCentre.phone,
            phoneExample: config.authority.phoneExample,
            registerCourt: config.authority.registerCourt,
            portalName: config.authority.portal.name,
            portalUrl: config.authority.portal.url,
          },
        });
      },
      'reader.expect': ({ kinds }) =>
        readers.expect(kinds) ? ok({ readers: readers.status() }) : fail(errorCodes.noSession, 'no session'),
      'reader.cancel': () => ok({ cancelled: readers.cancel() }),
      'reader.wedge': (read) => ok({ accepted: readers.injectWedgeRead(read) }),
      'staff.call': () => {
        metrics.staffCalled();
        log.warn('staff.called', { inSession: sessions.current() !== null });
        return ok({ called: true });
      },
      'journey.start': ({ serviceId }) => journeys.start(serviceId),
      'journey.current': () => ok(journeys.current()),
      'journey.step': ({ values }) => journeys.step(values),
      'journey.back': () => journeys.back(),
      'journey.goto': ({ stepId }) => journeys.goto(stepId),
      'journey.cancel': () => ok({ cancelled: journeys.cancel() }),
      'journey.submit': () => journeys.submit(),
      'account.signIn': (input) => identify.signIn(input),
      'account.signOut': () => ok({ signedOut: identify.signOut() }),
      'account.current': () => {
        const account = identify.current();
        return ok(account ? { displayName: account.displayName, emailHint: account.emailHint } : null);
      },
      ...desk.handlers,
      ...admin.handlers,
      'enrolment.awaitCode': () => awaitCode(),
      'enrolment.enrol': ({ portalUrl: url, code }) => enrol(url, code),
    }),
    log,
  );

  const unsubscribeLog = events.subscribe((event) => {
    if (event.name === 'session.ended') log.info('session.ended', { reason: event.payload.reason });
  });

  let closed = false;
  return {
    config: { ...config, portal: { ...config.portal, url: portalUrl } },
    router,
    events,
    sessions,
    readers,
    journeys,
    metrics,
    terminal: () => terminal,
    outOfService: () => outOfServiceCode,
    async health() {
      // a closed kiosk's counts are saved already; an empty copy must not replace them
      if (!closed) saveUsage();
      const usage = metrics.usage.report();
      return {
        readers: readers.status().map((r) => ({
          kind: r.kind === 'document' ? 'mrz' : 'barcode',
          status: r.connected ? ('present' as const) : ('missing' as const),
        })),
        printer: { status: printer ? (await printer.state()).status : 'none' },
        sessionsSinceStart: sessionsStarted,
        ...(terminal ? { auditHead: terminal.outbox.auditLog.head() ?? undefined } : {}),
        appVersion: packageJson.version,
        ...(usage ? { usage } : {}),
      };
    },
    applySite(applied) {
      credentials = staffFrom(applied);
      configVersion = applied.site.version;
      log.info('terminal.config_received', { version: applied.site.version });
    },
    async wipe() {
      const wiped = await wipe(true);
      if (!wiped.ok) log.error('terminal.remote_wipe_failed', { code: wiped.error.code });
    },
    async metricsUrl() {
      await metricsStarted;
      return metricsServer?.url ?? null;
    },
    simulator,
    started,
    async close() {
      if (closed) return;
      closed = true;
      sessions.dispose();
      saveUsage();
      staff.dispose();
      desk.dispose();
      admin.dispose();
      journeys.dispose();
      await started;
      await metricsStarted;
      await metricsServer?.close();
      detachMetrics();
      metrics.close();
      await readers.close();
      lockoutFile?.file.close();
      await ownTerminal?.close();
      closeStandby();
      unsubscribeLog();
    },
  };
}
