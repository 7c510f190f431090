import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorCodes, fail, ok } from '../api/envelope.ts';
import type { FieldValues } from '../api/forms.ts';
import { type KeyboardLayoutId, keyboardCodec } from '../api/keyboard-layouts.ts';
import { builtinProfiles } from '../device/profiles.ts';
import type { HidTransport } from '../device/transport.ts';
import { loadNodeHid, NodeHidTransport } from '../device/transports/node-hid.ts';
import { SimulatorTransport, simulatorProfiles } from '../device/transports/simulator.ts';
import packageJson from '../package.json' with { type: 'json' };
import type { HealthReport } from '../sync/heartbeat.ts';
import type { KeyStore } from '../sync/keystore.ts';
import { parseAccountQr } from '../sync/protocol/index.ts';
import { enrolTerminal, type Terminal } from '../sync/terminal.ts';
import { portalAccounts } from './activation/portal.ts';
import { ActivationService } from './activation/service.ts';
import { createAdmin, type KeyStorageInfo } from './admin.ts';
import { listServices } from './catalogue.ts';
import { type Clock, systemClock } from './clock.ts';
import { ConfigError, type KioskConfig } from './config.ts';
import { createDesk } from './desk.ts';
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
import { createRouter, type Router } from './router.ts';
import { SessionService } from './session.ts';
import {
  type AuditSink,
  type PinHasher,
  parseBadgeSecret,
  productionPinHasher,
  type StaffConfig,
  type StaffCredentials,
  StaffService,
} from './staff/index.ts';
import { PortalReachability } from './status.ts';
import { journeyChecklist, KioskSubmitter } from './submit.ts';
import { type AppliedSiteConfig, openKioskTerminal } from './terminal.ts';
import { deleteTerminalFiles } from './wipe.ts';

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

/** Who may sign in: the records and the parsed badge secret of a staff section. */
function staffCredentials(staff: StaffConfig): StaffCredentials {
  const secret = staff.badgeSecret ? parseBadgeSecret(staff.badgeSecret) : null;
  return { badgeSecret: secret?.ok ? secret.value : null, records: staff.records };
}

const fileKeyStorage: KeyStorageInfo = {
  backend: 'file',
  encrypted: false,
  warning: 'the device key is a file readable only by the kiosk user (no system keyring)',
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
  const printer = deps.printer === undefined ? printerFromConfig(config.printer, clock) : deps.printer;
  let terminal = deps.terminal ?? null;
  /** A terminal enrolled from the screen is the kiosk's to close; one passed in is the host's. */
  let ownTerminal: Terminal | null = null;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const startedAt = clock.monotonic();
  let sessionsStarted = 0;

  const events = new EventBus();
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
    accounts: () => (terminal ? portalAccounts(terminal.client) : null),
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
  const staffFrom = (site: AppliedSiteConfig | undefined) =>
    staffCredentials(config.staff.records.length > 0 ? config.staff : (site?.staff ?? config.staff));
  let credentials = staffFrom(deps.site);
  let configVersion = deps.site?.site.version ?? null;
  // Staff access exists only where the audit log can record it (fail closed).
  const audit: AuditSink = (event, fields) => {
    if (!terminal) throw new Error('no audit log before enrolment');
    terminal.outbox.auditLog.append(event, fields);
  };
  const staff = new StaffService({
    clock,
    events,
    hasher: deps.pinHasher ?? productionPinHasher,
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
    const failed = deleteTerminalFiles(config.dataDir, [
      config.exportDir ?? join(config.dataDir, 'exports'),
      ...(config.printer.kind === 'file' && config.printer.dir ? [config.printer.dir] : []),
    ]);
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
  const awaitCode = () => {
    if (terminal) return fail('enrolment.already_enrolled', 'this terminal is enrolled already');
    stopAwaitingCode();
    stopAwaitingCode = readers.captureBarcode((text) => events.emit('enrolment.scanned', { text }));
    return ok({ waiting: true });
  };
  const enrol = async (url: string, code: string) => {
    if (terminal) return fail('enrolment.already_enrolled', 'this terminal is enrolled already');
    const enrolled = await enrolTerminal({
      dataDir: config.dataDir,
      portalUrl: url,
      code,
      label: config.terminal.location,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.keyStore ? { keyStore: deps.keyStore } : {}),
    });
    if (!enrolled.ok) {
      log.warn('terminal.enrolment_failed', { code: enrolled.error.code });
      return fail(enrolled.error.code, enrolled.error.message);
    }
    terminal = await openTerminal(url);
    ownTerminal = terminal;
    if (!terminal) return fail('enrolment.not_opened', 'enrolled, but the queue could not be opened');
    currentPortalUrl = url;
    portal = reachability(url);
    observeTerminal(terminal);
    stopAwaitingCode();
    log.info('terminal.enrolled');
    events.emit('terminal.enrolment', { enrolled: true });
    return ok({ terminalId: enrolled.value.terminalId });
  };

  const metrics = new KioskMetrics({ clock });
  const detachMetrics = metrics.attach(events);
  const observeTerminal = (t: Terminal) => {
    metrics.observeQueue(() => t.outbox.counts(clock.now()));
    metrics.observeAlarms(() => t.alarms.open());
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

  const router = createRouter(
    {
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
    },
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
    async health() {
      return {
        readers: readers.status().map((r) => ({
          kind: r.kind === 'document' ? 'mrz' : 'barcode',
          status: r.connected ? ('present' as const) : ('missing' as const),
        })),
        printer: { status: printer ? (await printer.state()).status : 'none' },
        sessionsSinceStart: sessionsStarted,
        ...(terminal ? { auditHead: terminal.outbox.auditLog.head() ?? undefined } : {}),
        appVersion: packageJson.version,
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
      await ownTerminal?.close();
      unsubscribeLog();
    },
  };
}
