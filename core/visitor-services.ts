import type { FieldValues } from '../api/forms.ts';
import type { Clock } from '../common/clock.ts';
import type { KeyboardLayoutId } from '../common/keyboard-layouts.ts';
import { serviceIds } from '../common/vocabulary.ts';
import { keyboardCodec } from '../device/keyboard-codec.ts';
import { builtinProfiles } from '../device/profiles.ts';
import type { HidTransport } from '../device/transport.ts';
import { loadNodeHid, NodeHidTransport } from '../device/transports/node-hid.ts';
import { SimulatorTransport, simulatorProfiles } from '../device/transports/simulator.ts';
import { parseAccountQr } from '../sync/protocol/index.ts';
import type { Terminal } from '../sync/terminal.ts';
import { portalAccounts } from './activation/portal.ts';
import { ActivationService } from './activation/service.ts';
import { journeyNotes } from './assessments/journey-notes.ts';
import { isOffered } from './catalogue.ts';
import type { KioskConfig } from './config.ts';
import type { Disposable } from './disposable.ts';
import { buildActivationConfirmation, parseTrackingQr } from './documents/index.ts';
import { paperItemText } from './documents/paper-items.ts';
import type { EventBus } from './events.ts';
import { FOLLOW_UP_CASE_STEP, FollowUps, followUpsFirst } from './follow-up.ts';
import type { Journey } from './forms/journey.ts';
import { HandedDocuments } from './handed-documents.ts';
import { IdentifyService } from './identify.ts';
import { JourneyService } from './journeys.ts';
import { ScannedInvitations } from './letter-qr.ts';
import type { Logger } from './log.ts';
import type { KioskMetrics } from './metrics/index.ts';
import { buildAndPrint, type Printer, SessionPrinter } from './printing/index.ts';
import { ReaderService } from './readers.ts';
import type { SessionService } from './session.ts';
import { StatusAnswers } from './status-answers.ts';
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
  /** The documents handed in with the application on screen (pages in memory). */
  readonly documents: HandedDocuments;
  /** The status answer on screen, printed on request. */
  readonly statusAnswers: StatusAnswers;
}

/**
 * The service that takes documents a case misses (the follow-up hand-in journey). A status answer
 * "documents missing" offers it where this terminal offers it; until it exists, the paper list.
 */
export const DOCUMENTS_FOLLOW_UP = 'documents-followup';

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
  const documents: HandedDocuments = new HandedDocuments({
    sessions,
    // called only once the journeys below exist (at a visitor's call)
    journey: (): Journey | null => journeys.journey(),
    config: config.capture,
    label: (item, language) => paperItemText(item, language, config.authority),
    log,
    items: (journey) => followUps.items(journey),
  });
  const statusAnswers = new StatusAnswers({ sessions, printer, paper, clock });
  const invitations = new ScannedInvitations(sessions);
  const followUps = new FollowUps({
    sessions,
    terminal: deps.terminal,
    documents,
    clock,
    log,
    print: (view, language, qr) => statusAnswers.printView(view, language, qr),
  });
  const handInService = serviceIds.find((id: string) => id === DOCUMENTS_FOLLOW_UP);
  const identify = new IdentifyService({
    sessions,
    accounts: () => deps.terminal()?.accounts ?? null,
    secondFactor: config.accounts.secondFactor,
  });
  const journeys: JourneyService = new JourneyService({
    sessions,
    readers,
    events,
    clock,
    disabled: config.services.disabled,
    // a receipt's code, or an invitation letter's (its case reference)
    parseTrackingQr: (text) => {
      const parsed = parseTrackingQr(text);
      return parsed.ok ? parsed.value.trackingNumber : invitations.read(text);
    },
    parseAccountQr: (text) => {
      const parsed = parseAccountQr(text);
      return parsed.ok ? parsed.value.accountId : null;
    },
    activation,
    usage: metrics.usage,
    signedIn: () => identify.current() !== null,
    prefill: (serviceId): FieldValues => {
      const account = identify.current();
      return {
        ...(account ? { birthDate: account.birthDate } : {}),
        ...(serviceId === DOCUMENTS_FOLLOW_UP ? followUps.named() : {}),
      };
    },
    checklist: (serviceId, values, language) =>
      journeyChecklist(serviceId, values, language, config.authority),
    assess: (serviceId, stepId, values) =>
      journeyNotes(serviceId, stepId, values, { at: clock.now(), authority: config.authority }),
    afterStep: async (journey, stepId) => {
      if (!FollowUps.is(journey) || stepId !== FOLLOW_UP_CASE_STEP) return null;
      const code = await followUps.find(journey);
      return code === null ? null : { field: 'trackingNumber', code };
    },
    submitter: followUpsFirst(
      followUps,
      new KioskSubmitter({
        terminal: deps.terminal,
        account: () => identify.current(),
        printer,
        paper,
        clock,
        location: config.terminal.location,
        authority: config.authority,
        log,
        documents,
        answers: statusAnswers,
        invitations,
        portalUrl: config.portal.url ?? null,
        handInService: () =>
          handInService !== undefined && isOffered(handInService, config.services.disabled)
            ? handInService
            : null,
      }),
    ),
  });

  return {
    readers,
    simulator,
    started,
    printer,
    activation,
    identify,
    journeys,
    documents,
    statusAnswers,
    async dispose() {
      journeys.dispose();
      await documents.dispose();
      await started;
      await readers.close();
    },
  };
}
