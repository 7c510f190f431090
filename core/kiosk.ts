import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { errorCodes, fail, ok } from '../api/envelope.ts';
import { type KeyboardLayoutId, keyboardCodec } from '../api/keyboard-layouts.ts';
import { builtinProfiles } from '../device/profiles.ts';
import type { HidTransport } from '../device/transport.ts';
import { loadNodeHid, NodeHidTransport } from '../device/transports/node-hid.ts';
import { SimulatorTransport, simulatorProfiles } from '../device/transports/simulator.ts';
import type { Terminal } from '../sync/terminal.ts';
import { listServices } from './catalogue.ts';
import { type Clock, systemClock } from './clock.ts';
import { ConfigError, type KioskConfig } from './config.ts';
import { parseTrackingQr } from './documents/index.ts';
import { EventBus } from './events.ts';
import { JourneyService } from './journeys.ts';
import { type Logger, silentLogger } from './log.ts';
import { KioskMetrics, type MetricsServer, startMetricsServer } from './metrics/index.ts';
import { CupsPrinter, FilePrinter, type Printer, WindowsPrinter } from './printing/index.ts';
import { deviceClock, ReaderService } from './readers.ts';
import { createRouter, type Router } from './router.ts';
import { SessionService } from './session.ts';
import { PortalReachability } from './status.ts';
import { KioskSubmitter } from './submit.ts';

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
}

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
  const terminal = deps.terminal ?? null;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });

  const events = new EventBus();
  const sessions = new SessionService({
    clock,
    events,
    newId: deps.newId ?? randomUUID,
    settings: config.session,
    defaultLanguage: config.languages.default,
  });
  const portal = new PortalReachability({
    url: portalUrl,
    timeoutMs: config.portal.timeoutMs,
    clock,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
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
    submitter: new KioskSubmitter({
      terminal: () => terminal,
      printer,
      paper: config.printer.paper,
      clock,
      location: config.terminal.location,
      log,
    }),
  });
  const metrics = new KioskMetrics({ clock });
  const detachMetrics = metrics.attach(events);
  if (terminal) {
    metrics.observeQueue(() => terminal.outbox.counts(clock.now()));
    metrics.observeAlarms(() => terminal.alarms.open());
  }
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
          terminal: { id: config.terminal.id, location: config.terminal.location },
          portal: { url: portalUrl, ...reach },
          readers: readers.status(),
          printer: {
            name: config.printer.name,
            state: printerState,
          },
          languages: config.languages.enabled,
          defaultLanguage: config.languages.default,
          wedge: config.readers.wedge,
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
      journeys.dispose();
      await started;
      await metricsStarted;
      await metricsServer?.close();
      detachMetrics();
      metrics.close();
      await readers.close();
      unsubscribeLog();
    },
  };
}
