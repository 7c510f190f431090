import type { FieldValues } from '../api/forms.ts';
import type { Clock } from '../common/clock.ts';
import type { KeyboardLayoutId } from '../common/keyboard-layouts.ts';
import { keyboardCodec } from '../device/keyboard-codec.ts';
import { builtinProfiles } from '../device/profiles.ts';
import type { HidTransport } from '../device/transport.ts';
import { loadNodeHid, NodeHidTransport } from '../device/transports/node-hid.ts';
import { SimulatorTransport, simulatorProfiles } from '../device/transports/simulator.ts';
import { parseAccountQr } from '../sync/protocol/index.ts';
import type { Terminal } from '../sync/terminal.ts';
import { portalAccounts } from './activation/portal.ts';
import { ActivationService } from './activation/service.ts';
import type { KioskConfig } from './config.ts';
import type { Disposable } from './disposable.ts';
import { buildActivationConfirmation, parseTrackingQr } from './documents/index.ts';
import type { EventBus } from './events.ts';
import { IdentifyService } from './identify.ts';
import { JourneyService } from './journeys.ts';
import type { Logger } from './log.ts';
import type { KioskMetrics } from './metrics/index.ts';
import { buildAndPrint, type Printer, SessionPrinter } from './printing/index.ts';
import { ReaderService } from './readers.ts';
import type { SessionService } from './session.ts';
import { journeyChecklist, KioskSubmitter } from './submit.ts';

/**
 * What serves the visitor at the screen: the readers (node-hid, or the simulator), the journeys
 * through the services, account activation and sign-in with a service account, and what turns a
 * finished journey into papers and a queued application. Built from the configuration; the
 * readers start at once (`started`), and `dispose()` ends the journeys and closes the readers.
 */
export interface VisitorServicesDeps {
  readonly config: KioskConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly events: EventBus;
  readonly sessions: SessionService;
  readonly metrics: KioskMetrics;
  readonly printer: Printer | null;
  /** The HID transport; by default node-hid, or the simulator when `readers.simulate` is set. */
  readonly hidTransport?: HidTransport | undefined;
  /** The enrolled terminal, or null. */
  readonly terminal: () => Terminal | null;
}

export interface VisitorServices extends Disposable {
  readonly readers: ReaderService;
  /** The simulated readers, when the kiosk runs with them. */
  readonly simulator: SimulatorTransport | null;
  /** Resolves when the readers present at start are open. */
  readonly started: Promise<void>;
  /** The printer as a visitor's session uses it (the last receipt kept for a reprint), or null. */
  readonly printer: SessionPrinter | null;
  readonly activation: ActivationService;
  readonly identify: IdentifyService;
  readonly journeys: JourneyService;
}

export function createVisitorServices(deps: VisitorServicesDeps): VisitorServices {
  const { config, clock, log, events, sessions, metrics } = deps;
  const layout = config.readers.layout as KeyboardLayoutId;
  const simulator =
    deps.hidTransport === undefined && config.readers.simulate
      ? new SimulatorTransport({ clock, codec: keyboardCodec(layout) })
      : null;
  const readers = new ReaderService({
    openTransport: async () => {
      const given = deps.hidTransport ?? simulator;
      if (given) return given;
      const hid = await loadNodeHid();
      return hid.ok ? new NodeHidTransport({ hid: hid.value, clock }) : { error: hid.error.code };
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
  const started = readers.start().catch((error: unknown) => {
    log.error('readers.start_failed', { error: error instanceof Error ? error.name : 'unknown' });
  });

  const printer = deps.printer ? new SessionPrinter(deps.printer, sessions) : null;
  const paper = config.printer.paper;
  const activation = new ActivationService({
    sessions,
    clock,
    log,
    accounts: () => {
      const terminal = deps.terminal();
      return terminal ? portalAccounts(terminal) : null;
    },
    printConfirmation: ({ displayName, activatedAt, language }) =>
      buildAndPrint(
        printer,
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
  const identify = new IdentifyService({
    sessions,
    accounts: () => deps.terminal()?.accounts ?? null,
    secondFactor: config.accounts.secondFactor,
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
      terminal: deps.terminal,
      account: () => identify.current(),
      printer,
      paper,
      clock,
      location: config.terminal.location,
      authority: config.authority,
      log,
    }),
  });

  return {
    readers,
    simulator,
    started,
    printer,
    activation,
    identify,
    journeys,
    async dispose() {
      journeys.dispose();
      await started;
      await readers.close();
    },
  };
}
