import type { JourneyResult, ServiceEntry, ServiceId, SystemStatus } from '../api/contract.ts';
import type { FieldValues, JourneyState } from '../api/forms.ts';
import type { ReaderPlacement } from '../common/reader-placement.ts';

/**
 * The app's screens as one state machine: what is on screen and what the session on it holds
 * change only through `appReducer`, by typed actions. The component (App.tsx) turns the host's
 * answers and events and the visitor's taps into actions, and does what reaches outside the
 * state (calls to the host, the i18n language, timers) itself. Pure: no DOM, no host, no i18n.
 */

export type Screen =
  | 'attract'
  | 'language'
  | 'menu'
  | 'identify'
  | 'journey'
  | 'result'
  | 'end'
  | 'enrolment'
  | 'outOfService'
  | 'admin';

export interface DisplaySettings {
  readonly largeText: boolean;
  readonly highContrast: boolean;
  /** Three times the idle time (the host keeps the timers). */
  readonly moreTime: boolean;
}

export const plainDisplay: DisplaySettings = { largeText: false, highContrast: false, moreTime: false };

/** What one visitor session holds on this screen; all of it is forgotten when the session ends. */
export interface VisitorSession {
  /** A session is open with the host (the bar with language, display, staff and exit shows). */
  readonly open: boolean;
  readonly services: readonly ServiceEntry[];
  /**
   * The journey as the screen last showed it: the host's state of the step on screen with the
   * values as the visitor left them, typed or not yet sent. Another screen in between (the
   * language choice) comes back to exactly this.
   */
  readonly journey: JourneyState | null;
  /** Bumped when a clerk changed the journey: the journey screen starts again from the host's state. */
  readonly journeyKey: number;
  readonly result: JourneyResult | null;
  /** The service waiting behind the identify screen. */
  readonly identifyFor: ServiceId | null;
  /** This session answered the identify screen already (signed in or went on as a guest). */
  readonly identified: boolean;
  readonly display: DisplaySettings;
  readonly displayOpen: boolean;
  readonly staffCalled: boolean;
  readonly staffOpen: boolean;
  /** Seconds left before the idle timeout, while the host warns. */
  readonly idleWarning: number | null;
  /** "Finish and delete" was tapped while a journey holds data: the visitor is asked once. */
  readonly confirmExit: boolean;
}

export interface AppState {
  readonly screen: Screen;
  /** The languages the terminal offers (and the renderer has texts for). */
  readonly languages: readonly string[];
  readonly defaultLanguage: string;
  /** The language the screen speaks. */
  readonly language: string;
  readonly wedge: SystemStatus['wedge'];
  /** Where the document reader sits (the document steps show it). */
  readonly readerPlacement: ReaderPlacement;
  /** The portal the installation pins (shown on the enrolment screen). */
  readonly portalUrl: string;
  /** Until the status says otherwise the terminal counts as enrolled (the attract screen shows). */
  readonly enrolled: boolean;
  /** Why the terminal is out of service (a code for the administrator), while it is. */
  readonly outOfService: string | null;
  /** An administrator is signed in on the enrolment screen: the barcode scanner reads the code. */
  readonly enrolmentAdmin: boolean;
  /** The enrolment code a reader delivered (changes with every scan). */
  readonly scannedCode: { readonly code: string; readonly at: number } | null;
  /** The code of the last failed call, shown as a translated alert. */
  readonly errorCode: string | null;
  readonly session: VisitorSession;
}

export const emptySession: VisitorSession = {
  open: false,
  services: [],
  journey: null,
  journeyKey: 0,
  result: null,
  identifyFor: null,
  identified: false,
  display: plainDisplay,
  displayOpen: false,
  staffCalled: false,
  staffOpen: false,
  idleWarning: null,
  confirmExit: false,
};

export const initialAppState: AppState = {
  screen: 'attract',
  languages: [],
  defaultLanguage: 'de',
  language: 'de',
  wedge: null,
  readerPlacement: 'below-right',
  portalUrl: '',
  enrolled: true,
  outOfService: null,
  enrolmentAdmin: false,
  scannedCode: null,
  errorCode: null,
  session: emptySession,
};

/** The terminal's status as the app keeps it (`system.status`, languages already filtered). */
export interface TerminalFacts {
  readonly languages: readonly string[];
  readonly defaultLanguage: string;
  readonly wedge: SystemStatus['wedge'];
  readonly readerPlacement: ReaderPlacement;
  readonly portalUrl: string;
  readonly enrolled: boolean;
  readonly outOfService: string | null;
}

export type AppAction =
  // the terminal
  | { readonly type: 'terminal.status'; readonly facts: TerminalFacts }
  | { readonly type: 'terminal.portalUrl'; readonly url: string }
  | { readonly type: 'terminal.unenrolled' }
  | { readonly type: 'call.failed'; readonly code: string }
  // the visitor's way through the screens
  | { readonly type: 'attract.start' }
  | { readonly type: 'language.open' }
  | { readonly type: 'language.back' }
  | { readonly type: 'session.started'; readonly language: string }
  | { readonly type: 'catalogue.loaded'; readonly services: readonly ServiceEntry[] }
  | { readonly type: 'identify.ask'; readonly serviceId: ServiceId }
  | { readonly type: 'identify.answered' }
  | { readonly type: 'identify.back' }
  | { readonly type: 'journey.started'; readonly journey: JourneyState }
  | { readonly type: 'journey.left' }
  | { readonly type: 'journey.finished'; readonly result: JourneyResult }
  | { readonly type: 'journey.changedByClerk'; readonly journey: JourneyState }
  /** The journey screen's step and the values on it, as the visitor leaves them (typed or chosen). */
  | { readonly type: 'journey.progress'; readonly journey: JourneyState; readonly values: FieldValues }
  /** The host's state of the journey in the new language (a checklist's items), after a switch. */
  | { readonly type: 'journey.relanguaged'; readonly journey: JourneyState }
  | { readonly type: 'exit.ask' }
  | { readonly type: 'exit.cancel' }
  | { readonly type: 'session.ended'; readonly reason: 'visitor' | 'other' }
  | { readonly type: 'session.reset' }
  // the bar and its dialogs
  | { readonly type: 'idle.warning'; readonly seconds: number }
  | { readonly type: 'idle.continue' }
  | { readonly type: 'display.open' }
  | { readonly type: 'display.close' }
  | { readonly type: 'display.changed'; readonly display: DisplaySettings }
  | { readonly type: 'staff.called' }
  | { readonly type: 'staff.calledClosed' }
  | { readonly type: 'staff.open' }
  | { readonly type: 'staff.close' }
  // administration and enrolment
  | { readonly type: 'admin.open' }
  | { readonly type: 'admin.left' }
  | { readonly type: 'admin.wiped' }
  | { readonly type: 'enrolment.open' }
  | { readonly type: 'enrolment.adminSignedIn'; readonly signedIn: boolean }
  | { readonly type: 'enrolment.codeScanned'; readonly code: string; readonly at: number }
  | { readonly type: 'enrolment.done' }
  | { readonly type: 'enrolment.left' };

/** Screens of the authority's employees, bound to no visitor session. */
const staffScreens: ReadonlySet<Screen> = new Set(['admin', 'enrolment', 'outOfService']);

/** Forgets everything of the visitor session on this screen. */
function wipe(state: AppState): AppState {
  return { ...state, errorCode: null, session: emptySession };
}

/** The start: the attract screen in the default language, or "out of service". */
function reset(state: AppState): AppState {
  return {
    ...wipe(state),
    language: state.defaultLanguage,
    screen: state.enrolled ? 'attract' : 'outOfService',
  };
}

function withSession(state: AppState, change: Partial<VisitorSession>): AppState {
  return { ...state, session: { ...state.session, ...change } };
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'terminal.status': {
      const { facts } = action;
      return {
        ...state,
        languages: facts.languages,
        defaultLanguage: facts.defaultLanguage,
        language: facts.defaultLanguage,
        wedge: facts.wedge,
        readerPlacement: facts.readerPlacement,
        portalUrl: facts.portalUrl,
        enrolled: facts.enrolled,
        outOfService: facts.outOfService,
        // A terminal that is not enrolled is out of service: visitors get nothing to start.
        screen: !facts.enrolled && state.screen === 'attract' ? 'outOfService' : state.screen,
      };
    }
    case 'terminal.portalUrl':
      return { ...state, portalUrl: action.url };
    case 'terminal.unenrolled':
      // Wiped (by an administrator here or by the portal): whatever is on screen gives way to
      // "out of service", except the administrator's screens, which end by themselves.
      return {
        ...wipe(state),
        enrolled: false,
        outOfService: 'enrolment.missing',
        screen: state.screen === 'admin' ? 'admin' : 'outOfService',
      };
    case 'call.failed':
      return { ...state, errorCode: action.code };

    case 'attract.start':
    case 'language.open':
      return { ...state, screen: 'language' };
    case 'language.back':
      return { ...state, screen: state.session.open ? 'menu' : 'attract' };
    case 'session.started':
      return { ...withSession(state, { open: true }), language: action.language };
    case 'catalogue.loaded':
      // Back from the language choice in the middle of a journey: the journey goes on.
      return {
        ...withSession(state, { services: action.services }),
        errorCode: null,
        screen: state.session.journey ? 'journey' : 'menu',
      };
    case 'identify.ask':
      return { ...withSession(state, { identifyFor: action.serviceId }), screen: 'identify' };
    case 'identify.answered':
      return withSession(state, { identified: true, identifyFor: null });
    case 'identify.back':
      return { ...withSession(state, { identifyFor: null }), screen: 'menu' };
    case 'journey.started':
      return { ...withSession(state, { journey: action.journey }), errorCode: null, screen: 'journey' };
    case 'journey.left':
      return { ...withSession(state, { journey: null }), errorCode: null, screen: 'menu' };
    case 'journey.finished':
      return {
        ...withSession(state, { staffOpen: false, journey: null, result: action.result }),
        errorCode: null,
        screen: 'result',
      };
    case 'journey.progress':
      if (state.screen !== 'journey' || !state.session.journey) return state;
      return withSession(state, { journey: { ...action.journey, values: action.values } });
    case 'journey.relanguaged': {
      const shown = state.session.journey;
      if (!shown) return state;
      // The host's texts for the new language; the step and the values stay as the visitor left them.
      const sameStep = shown.index === action.journey.index && shown.step.id === action.journey.step.id;
      return withSession(state, {
        journey: sameStep
          ? { ...action.journey, values: { ...action.journey.values, ...shown.values } }
          : shown,
      });
    }
    case 'exit.ask':
      return withSession(state, { confirmExit: true });
    case 'exit.cancel':
      return withSession(state, { confirmExit: false });
    case 'journey.changedByClerk':
      if (state.screen !== 'journey') return state;
      return withSession(state, { journey: action.journey, journeyKey: state.session.journeyKey + 1 });
    case 'session.ended':
      if (staffScreens.has(state.screen)) return state;
      // A visitor who finishes is told that their data are gone, in their language; a timeout
      // or staff goes straight back to the start.
      return action.reason === 'visitor' ? { ...wipe(state), screen: 'end' } : reset(state);
    case 'session.reset':
      return reset(state);

    case 'idle.warning':
      return withSession(state, { idleWarning: action.seconds });
    case 'idle.continue':
      return withSession(state, { idleWarning: null });
    case 'display.open':
      return withSession(state, { displayOpen: true });
    case 'display.close':
      return withSession(state, { displayOpen: false });
    case 'display.changed':
      return withSession(state, { display: action.display });
    case 'staff.called':
      return withSession(state, { staffCalled: true });
    case 'staff.calledClosed':
      return withSession(state, { staffCalled: false });
    case 'staff.open':
      return withSession(state, { staffOpen: true });
    case 'staff.close':
      return withSession(state, { staffOpen: false });

    case 'admin.open':
      return { ...state, screen: 'admin' };
    case 'admin.left':
      return state.screen === 'admin' ? { ...state, screen: 'attract' } : state;
    case 'admin.wiped':
      return { ...state, enrolled: false, outOfService: 'enrolment.missing', screen: 'outOfService' };
    case 'enrolment.open':
      return { ...state, screen: 'enrolment' };
    case 'enrolment.adminSignedIn':
      return { ...state, enrolmentAdmin: action.signedIn };
    case 'enrolment.codeScanned':
      return { ...state, scannedCode: { code: action.code, at: action.at } };
    case 'enrolment.done':
      return {
        ...state,
        enrolled: true,
        scannedCode: null,
        enrolmentAdmin: false,
        outOfService: null,
        screen: 'attract',
      };
    case 'enrolment.left':
      return { ...state, scannedCode: null, enrolmentAdmin: false, screen: 'outOfService' };
  }
}

/** Whether a code a reader scanned is the enrolment code: the enrolment screen with an administrator signed in. */
export function readsEnrolmentCode(state: AppState): boolean {
  return state.screen === 'enrolment' && state.enrolmentAdmin;
}

/** A clerk or administrator is working on the screen (their session is kept alive by touches). */
export function staffAtWork(state: AppState): boolean {
  return state.session.staffOpen || state.screen === 'admin';
}

/**
 * Whether "Finish and delete" would delete a journey's data: a journey past its first step, or
 * with anything chosen or typed on it. The visitor is asked once before it goes.
 */
export function journeyHoldsData(state: AppState): boolean {
  const journey = state.session.journey;
  if (!journey) return false;
  if (journey.index > 0) return true;
  return Object.values(journey.values).some((value) => value !== null && value !== '' && value !== false);
}
