import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, systemClock } from '../common/clock.ts';
import type { HidTransport } from '../device/transport.ts';
import type { SimulatorTransport } from '../device/transports/simulator.ts';
import packageJson from '../package.json' with { type: 'json' };
import type { HealthReport } from '../sync/heartbeat.ts';
import type { KeyStore } from '../sync/keystore.ts';
import type { Terminal } from '../sync/terminal.ts';
import { type AdminDeps, createAdminCalls, type KeyStorageInfo } from './calls/admin-calls.ts';
import { composeAreas } from './calls/areas.ts';
import { createDeskCalls } from './calls/desk-calls.ts';
import { createDocumentsCalls } from './calls/documents-calls.ts';
import { createEnrolmentCalls } from './calls/enrolment-calls.ts';
import { createJourneyCalls } from './calls/journey-calls.ts';
import { createSessionCalls } from './calls/session-calls.ts';
import { createStatusCalls } from './calls/status-calls.ts';
import { ConfigError, type KioskConfig } from './config.ts';
import { DisposableStore } from './disposable.ts';
import { EventBus } from './events.ts';
import type { JourneyService } from './journeys.ts';
import { healthReport, observeTerminal, saveUsage } from './kiosk-health.ts';
import { type Logger, silentLogger } from './log.ts';
import { KioskMetrics, type MetricsServer, startMetricsServer } from './metrics/index.ts';
import { openPinnedTerminal } from './pinned-portal.ts';
import { PortalReachability } from './portal-reachability.ts';
import { type Printer, printerFromConfig } from './printing/index.ts';
import type { ReaderService } from './readers.ts';
import { createRouter, type Router } from './router.ts';
import { SessionService } from './session.ts';
import { type AppliedSiteConfig, applyTerminalSiteConfig } from './site-overlay.ts';
import { type PinHasher, productionPinHasher } from './staff/index.ts';
import { StaffAccess } from './staff-access.ts';
import { TerminalHolder } from './terminal-holder.ts';
import { createVisitorServices } from './visitor-services.ts';

export type { KeyStorageInfo } from './calls/admin-calls.ts';
export { OUT_OF_SERVICE } from './calls/areas.ts';

export interface KioskDeps {
  clock?: Clock;
  newId?: () => string;
  fetch?: typeof fetch;
  /** The HID transport; by default node-hid, or the simulator when `readers.simulate` is set. */
  hidTransport?: HidTransport;
  /** The printer; by default the one the configuration names. */
  printer?: Printer | null;
  /**
   * The enrolled terminal (sync/terminal.ts), null when not enrolled. The kiosk owns it from now
   * on: it binds its hooks, and its `close()` closes it. Starting it is the caller's
   * (`startKiosk` does).
   */
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
  /** Opens the terminal after an enrolment from the screen; by default as `startKiosk` does. */
  openTerminal?: () => Promise<Terminal | null>;
}

/** The running kiosk: one owner of everything it started, which its one `close()` ends. */
export interface Kiosk {
  readonly config: KioskConfig & { portal: { url: string } };
  readonly router: Router;
  readonly events: EventBus;
  readonly sessions: SessionService;
  readonly readers: ReaderService;
  readonly journeys: JourneyService;
  readonly metrics: KioskMetrics;
  /** The enrolled terminal, or null before enrolment and after a wipe. */
  terminal(): Terminal | null;
  /**
   * Why visitors are not served, as a code for the administrator (`enrolment.missing`,
   * `enrolment.foreign_origin`, ...), or null when the terminal is in service.
   */
  outOfService(): string | null;
  /** The kiosk's figures for the heartbeat (readers, printer, sessions, audit head, usage). */
  health(): Promise<HealthReport>;
  /** Where the Prometheus endpoint listens, once it does (null when switched off). */
  metricsUrl(): Promise<string | null>;
  /** The simulated readers, when the kiosk runs with them (npm start, end-to-end tests). */
  readonly simulator: SimulatorTransport | null;
  /** Resolves when the readers present at start are open. */
  readonly started: Promise<void>;
  /**
   * Ends everything the kiosk started: the visitor's and staff's sessions and their timers, the
   * readers, the metrics endpoint, listeners, and its terminal (delivery, heartbeat, database).
   */
  close(): Promise<void>;
}

const fileKeyStorage: KeyStorageInfo = {
  backend: 'file',
  encrypted: false,
  warning:
    'the device key (which also seals the stored configuration) is a file readable only by the kiosk user (no system keyring)',
};

/**
 * The composition root: builds the kiosk's services from a validated configuration and composes
 * the call areas (core/calls/). Every dependency that touches time, randomness, the network or
 * hardware can be passed in. Whatever is started here is registered with one store, which
 * `close()` empties, the last registered first.
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
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const owned = new DisposableStore();
  const startedAt = clock.monotonic();
  let sessionsStarted = 0;
  let configVersion = deps.site?.site.version ?? null;
  let closed = false;

  const events = new EventBus();
  owned.defer(
    events.subscribe((event) => {
      if (event.name === 'session.ended') log.info('session.ended', { reason: event.payload.reason });
    }),
  );
  const metrics = new KioskMetrics({ clock, languages: config.languages.enabled });
  owned.defer(() => metrics.close());
  const sessions = new SessionService({
    clock,
    events,
    newId: deps.newId ?? randomUUID,
    settings: config.session,
    defaultLanguage: config.languages.default,
  });

  // The terminal, held from the start or from an enrolment on the screen until a wipe.
  let staffAccess: StaffAccess | undefined;
  const holder = owned.add(
    new TerminalHolder({
      config,
      log,
      events,
      terminal: deps.terminal ?? null,
      hooks: {
        health: () => kiosk.health(),
        onSiteConfig: (site) => {
          log.info('terminal.config_applied', { version: site.version });
          try {
            const applied = applyTerminalSiteConfig(config, site);
            // who may sign in takes effect at once; languages, timeouts, services and readers at
            // the next start (the nightly restart)
            staffAccess?.applySite(applied);
            configVersion = applied.site.version;
            log.info('terminal.config_received', { version: applied.site.version });
          } catch {
            log.error('terminal.config_listener_failed', { version: site.version });
          }
        },
        onHeartbeatDelivered: (body) => metrics.usage.delivered(body.usage),
        onSyncAttempt: (outcome) => metrics.syncAttempt(outcome),
      },
      observe: (terminal) => observeTerminal(metrics, terminal, log),
      held: (terminal) => staffAccess?.terminalHeld(terminal),
      endSessions: () => {
        sessions.end('staff');
        staffAccess?.staff.endSession('shutdown');
      },
      dropped: () => {
        staffAccess?.terminalDropped();
        configVersion = null;
      },
    }),
  );
  const saveUsageNow = () => saveUsage(metrics, holder.current(), log);

  const visitor = owned.add(
    createVisitorServices({
      config,
      clock,
      log,
      events,
      sessions,
      metrics,
      printer,
      hidTransport: deps.hidTransport,
      terminal: () => holder.current(),
    }),
  );
  const { readers, journeys, activation, identify, started, simulator } = visitor;

  const access = owned.add(
    new StaffAccess({
      config,
      log,
      clock,
      events,
      sessions,
      hasher: deps.pinHasher ?? productionPinHasher,
      terminal: () => holder.current(),
      site: deps.site,
    }),
  );
  staffAccess = access;
  const { staff } = access;

  const portal = owned.add(
    new PortalReachability({
      url: portalUrl,
      timeoutMs: config.portal.timeoutMs,
      clock,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
  );
  const adminInfo: AdminDeps['info'] = () => ({
    terminalId: holder.current()?.terminalId ?? config.terminal.id,
    location: config.terminal.location,
    portalUrl,
    configVersion,
    appVersion: packageJson.version,
  });
  const openTerminal =
    deps.openTerminal ??
    (() =>
      openPinnedTerminal(config, log, {
        ...(deps.keyStore ? { keyStore: deps.keyStore } : {}),
        ...(deps.clock ? { clock: deps.clock } : {}),
      }));
  const areas = [
    createSessionCalls({
      config,
      sessions,
      readers,
      identify,
      metrics,
      printer,
      portal,
      log,
      terminalId: () => holder.current()?.terminalId ?? null,
      outOfService: () => holder.outOfService(),
      sessionStarted: () => {
        sessionsStarted += 1;
      },
    }),
    createJourneyCalls(journeys),
    createDocumentsCalls(visitor.documents),
    createStatusCalls(visitor.statusAnswers),
    owned.add(
      createDeskCalls({
        staff,
        sessions,
        journeys,
        activation,
        readers,
        printer: visitor.printer,
        events,
        audit: access.audit,
        signedIn: (role, outcome) => metrics.staffSignIn(role, outcome),
      }),
    ),
    owned.add(
      createAdminCalls({
        staff,
        readers,
        events,
        clock,
        printer,
        paper: config.printer.paper,
        authority: config.authority,
        terminal: () => holder.current(),
        info: adminInfo,
        keyStorage: deps.keyStorage ?? (() => fileKeyStorage),
        sessionsSinceStart: () => sessionsStarted,
        exportDir: config.exportDir ?? join(config.dataDir, 'exports'),
        wipe: (discardUndelivered) => holder.wipe(discardUndelivered),
        startedAt,
      }),
    ),
    owned.add(
      createEnrolmentCalls({
        config,
        staff,
        readers,
        events,
        log,
        holder,
        openTerminal: () => {
          access.releaseQueueDatabase();
          return openTerminal();
        },
        ...(deps.keyStore ? { keyStore: deps.keyStore } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      }),
    ),
  ];
  const router = createRouter(composeAreas(areas, () => holder.outOfService()).handlers, log);

  let metricsServer: MetricsServer | null = null;
  const metricsStarted = config.metrics.enabled
    ? startMetricsServer(metrics, { port: config.metrics.port }).then((result) => {
        if (result.ok) metricsServer = result.value;
        else log.error('metrics.unavailable', { code: result.error.code });
      })
    : Promise.resolve();
  owned.defer(async () => {
    await metricsStarted;
    await metricsServer?.close();
  });
  owned.defer(metrics.attach(events));
  // The first to go at close: the counts are saved while the terminal is open, after the
  // visitor's session (and a staff session on it) ended and was counted.
  owned.defer(saveUsageNow);
  owned.defer(() => {
    sessions.dispose();
    staff.endSession('shutdown');
  });

  const kiosk: Kiosk = {
    config: { ...config, portal: { ...config.portal, url: portalUrl } },
    router,
    events,
    sessions,
    readers,
    journeys,
    metrics,
    terminal: () => holder.current(),
    outOfService: () => holder.outOfService(),
    health() {
      // a closed kiosk's counts are saved already; an empty copy must not replace them
      if (!closed) saveUsageNow();
      const terminal = holder.current();
      return healthReport({ readers, printer, metrics, terminal, sessionsSinceStart: sessionsStarted });
    },
    async metricsUrl() {
      await metricsStarted;
      return metricsServer?.url ?? null;
    },
    simulator,
    started,
    async close() {
      closed = true;
      await owned.dispose();
    },
  };
  return kiosk;
}
