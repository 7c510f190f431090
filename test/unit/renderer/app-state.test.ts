import { describe, expect, it } from 'vitest';
import type { JourneyResult, ServiceEntry } from '../../../api/contract.ts';
import type { JourneyState } from '../../../api/forms.ts';
import {
  type AppAction,
  type AppState,
  appReducer,
  emptySession,
  initialAppState,
  journeyHoldsData,
  readsEnrolmentCode,
  staffAtWork,
  type TerminalFacts,
} from '../../../renderer/app-state.ts';

/** The app's screen state machine as a pure function: actions in, state out. */

const facts: TerminalFacts = {
  languages: ['de', 'en', 'ar'],
  defaultLanguage: 'de',
  wedge: null,
  readerPlacement: 'left',
  portalUrl: 'https://portal.example',
  enrolled: true,
  outOfService: null,
};

const services = [
  { id: 'callback-request', signIn: false },
  { id: 'commitment-private', signIn: true },
] as unknown as ServiceEntry[];
const journey = { serviceId: 'callback-request', index: 0 } as unknown as JourneyState;
const result = { kind: 'receipt' } as unknown as JourneyResult;

const run = (actions: readonly AppAction[], from: AppState = initialAppState): AppState =>
  actions.reduce(appReducer, from);

/** A visitor in English on the menu. */
const atMenu = run([
  { type: 'terminal.status', facts },
  { type: 'attract.start' },
  { type: 'session.started', language: 'en' },
  { type: 'catalogue.loaded', services },
]);

describe('the screen state machine', () => {
  it('starts on the attract screen and takes the terminal status, its languages and default language', () => {
    expect(initialAppState.screen).toBe('attract');
    const state = run([{ type: 'terminal.status', facts }]);
    expect(state).toMatchObject({
      screen: 'attract',
      languages: ['de', 'en', 'ar'],
      language: 'de',
      portalUrl: 'https://portal.example',
      enrolled: true,
      readerPlacement: 'left',
    });
  });

  it('shows "out of service" at once on a terminal that is not enrolled', () => {
    const state = run([
      { type: 'terminal.status', facts: { ...facts, enrolled: false, outOfService: 'enrolment.missing' } },
    ]);
    expect(state.screen).toBe('outOfService');
    expect(state.outOfService).toBe('enrolment.missing');
    // and back to it, not the attract screen, whenever a visit would end
    expect(run([{ type: 'session.reset' }], state).screen).toBe('outOfService');
  });

  it('goes from the attract screen through the language choice to the menu', () => {
    const language = run([{ type: 'terminal.status', facts }, { type: 'attract.start' }]);
    expect(language.screen).toBe('language');
    // back without a session: the attract screen
    expect(run([{ type: 'language.back' }], language).screen).toBe('attract');
    const started = run([{ type: 'session.started', language: 'en' }], language);
    // the session and its language, before the catalogue is there
    expect(started).toMatchObject({ screen: 'language', language: 'en', session: { open: true } });
    expect(atMenu).toMatchObject({ screen: 'menu', language: 'en', errorCode: null });
    expect(atMenu.session.services).toEqual(services);
    // back from the language choice during a session: the menu
    expect(run([{ type: 'language.open' }, { type: 'language.back' }], atMenu).screen).toBe('menu');
  });

  it('asks for the service account once a session, before a service that offers it', () => {
    const identify = run([{ type: 'identify.ask', serviceId: 'commitment-private' }], atMenu);
    expect(identify.screen).toBe('identify');
    expect(identify.session.identifyFor).toBe('commitment-private');
    expect(run([{ type: 'identify.back' }], identify)).toMatchObject({
      screen: 'menu',
      session: { identifyFor: null, identified: false },
    });
    const answered = run([{ type: 'identify.answered' }], identify);
    expect(answered.session).toMatchObject({ identified: true, identifyFor: null });
  });

  it('runs a journey to its result, and leaves it for the menu', () => {
    const inJourney = run([{ type: 'journey.started', journey }], atMenu);
    expect(inJourney).toMatchObject({ screen: 'journey', session: { journey } });
    expect(run([{ type: 'journey.left' }], inJourney)).toMatchObject({
      screen: 'menu',
      session: { journey: null },
    });
    const done = run([{ type: 'staff.open' }, { type: 'journey.finished', result }], inJourney);
    // the result closes the clerk's overlay
    expect(done).toMatchObject({ screen: 'result', session: { journey: null, result, staffOpen: false } });
  });

  it('goes back to the journey after a change of language in the middle of it', () => {
    const state = run(
      [
        { type: 'journey.started', journey },
        { type: 'language.open' },
        { type: 'session.started', language: 'ar' },
        { type: 'catalogue.loaded', services },
      ],
      atMenu,
    );
    expect(state).toMatchObject({ screen: 'journey', language: 'ar', session: { journey } });
  });

  it('comes back from the language choice to the step and every value as the visitor left them', () => {
    const step = { id: 'contact', kind: 'form', fields: [] } as unknown as JourneyState['step'];
    const onStep = { serviceId: 'callback-request', index: 1, step, values: {}, errors: {} } as JourneyState;
    const typed = { lastName: 'Kovalenko', callLanguage: 'uk', consent: true };
    const state = run(
      [
        { type: 'journey.started', journey },
        { type: 'journey.progress', journey: onStep, values: typed },
        { type: 'language.open' },
        // Nothing the visitor does elsewhere is a journey's progress.
        { type: 'journey.progress', journey, values: {} },
        { type: 'session.started', language: 'ar' },
        // The host's state in Arabic: the same step, its values as the host last had them.
        {
          type: 'journey.relanguaged',
          journey: { ...onStep, values: { lastName: null, callLanguage: null }, checklist: ['عنصر'] },
        },
        { type: 'catalogue.loaded', services },
      ],
      atMenu,
    );
    expect(state).toMatchObject({ screen: 'journey', language: 'ar' });
    expect(state.session.journey).toMatchObject({ index: 1, values: typed, checklist: ['عنصر'] });
    // The host moved on meanwhile (a clerk): its state is not mixed with the values of another step.
    const moved = run(
      [{ type: 'journey.relanguaged', journey: { ...onStep, index: 2, step: { ...step, id: 'review' } } }],
      state,
    );
    expect(moved.session.journey).toBe(state.session.journey);
  });

  it('asks once before "finish and delete" ends a journey that holds data', () => {
    expect(journeyHoldsData(atMenu)).toBe(false);
    const fresh = run(
      [{ type: 'journey.started', journey: { ...journey, values: { topic: null, consent: false } } }],
      atMenu,
    );
    expect(journeyHoldsData(fresh)).toBe(false);
    const chosen = run([{ type: 'journey.progress', journey, values: { topic: 'appointment' } }], fresh);
    expect(journeyHoldsData(chosen)).toBe(true);
    expect(
      journeyHoldsData(run([{ type: 'journey.started', journey: { ...journey, index: 2 } }], atMenu)),
    ).toBe(true);
    const asked = run([{ type: 'exit.ask' }], chosen);
    expect(asked).toMatchObject({ screen: 'journey', session: { confirmExit: true } });
    expect(run([{ type: 'exit.cancel' }], asked).session).toMatchObject({
      confirmExit: false,
      journey: { values: { topic: 'appointment' } },
    });
    // Confirmed: the session ends, and the question goes with everything else.
    expect(run([{ type: 'session.ended', reason: 'visitor' }], asked).session).toEqual(emptySession);
  });

  it('restarts the journey screen from the host state when a clerk changed it, only on that screen', () => {
    const inJourney = run([{ type: 'journey.started', journey }], atMenu);
    const changed = { ...journey, index: 1 } as JourneyState;
    const after = run([{ type: 'journey.changedByClerk', journey: changed }], inJourney);
    expect(after.session.journey).toBe(changed);
    expect(after.session.journeyKey).toBe(inJourney.session.journeyKey + 1);
    expect(run([{ type: 'journey.changedByClerk', journey: changed }], atMenu)).toBe(atMenu);
  });

  it('forgets the session when it ends: the end screen for the visitor, the start for a timeout', () => {
    const busy = run(
      [
        { type: 'journey.started', journey },
        { type: 'display.changed', display: { largeText: true, highContrast: true, moreTime: true } },
        { type: 'staff.called' },
        { type: 'idle.warning', seconds: 20 },
        { type: 'call.failed', code: 'api.transport' },
      ],
      atMenu,
    );
    const ended = run([{ type: 'session.ended', reason: 'visitor' }], busy);
    expect(ended.screen).toBe('end');
    expect(ended.session).toEqual(emptySession);
    expect(ended.errorCode).toBeNull();
    // the end screen speaks the visitor's language until it times out
    expect(ended.language).toBe('en');
    expect(run([{ type: 'session.reset' }], ended)).toMatchObject({ screen: 'attract', language: 'de' });

    const timedOut = run([{ type: 'session.ended', reason: 'other' }], busy);
    expect(timedOut).toMatchObject({ screen: 'attract', language: 'de', session: emptySession });
  });

  it('leaves the administrator, enrolment and out-of-service screens alone when a session ends', () => {
    for (const open of ['admin.open', 'enrolment.open'] as const) {
      const state = run([{ type: 'terminal.status', facts }, { type: open }]);
      expect(run([{ type: 'session.ended', reason: 'other' }], state)).toBe(state);
    }
  });

  it('gives way to "out of service" when the terminal is wiped, except on the administrator screen', () => {
    const wiped = run([{ type: 'terminal.unenrolled' }], atMenu);
    expect(wiped).toMatchObject({
      screen: 'outOfService',
      enrolled: false,
      outOfService: 'enrolment.missing',
      session: emptySession,
    });
    const admin = run([{ type: 'terminal.status', facts }, { type: 'admin.open' }]);
    expect(run([{ type: 'terminal.unenrolled' }], admin).screen).toBe('admin');
    // the administrator's own wipe ends there
    expect(run([{ type: 'admin.wiped' }], admin)).toMatchObject({ screen: 'outOfService', enrolled: false });
    expect(run([{ type: 'admin.left' }], admin).screen).toBe('attract');
    // leaving the administrator screen only ever leaves that screen
    expect(run([{ type: 'admin.left' }], atMenu)).toBe(atMenu);
  });

  it('enrols: the scanner reads the code only with an administrator signed in on the enrolment screen', () => {
    const out = run([
      { type: 'terminal.status', facts: { ...facts, enrolled: false, outOfService: 'enrolment.missing' } },
    ]);
    const enrolment = run([{ type: 'enrolment.open' }], out);
    expect(enrolment.screen).toBe('enrolment');
    expect(readsEnrolmentCode(enrolment)).toBe(false);
    const signedIn = run([{ type: 'enrolment.adminSignedIn', signedIn: true }], enrolment);
    expect(readsEnrolmentCode(signedIn)).toBe(true);
    const scanned = run([{ type: 'enrolment.codeScanned', code: 'ABCD-EFGH', at: 5 }], signedIn);
    expect(scanned.scannedCode).toEqual({ code: 'ABCD-EFGH', at: 5 });
    expect(run([{ type: 'enrolment.left' }], scanned)).toMatchObject({
      screen: 'outOfService',
      scannedCode: null,
      enrolmentAdmin: false,
    });
    expect(run([{ type: 'enrolment.done' }], scanned)).toMatchObject({
      screen: 'attract',
      enrolled: true,
      outOfService: null,
      scannedCode: null,
      enrolmentAdmin: false,
    });
  });

  it('keeps the bar dialogs and the staff overlay in the session', () => {
    const state = run(
      [
        { type: 'display.open' },
        { type: 'staff.called' },
        { type: 'staff.open' },
        { type: 'idle.warning', seconds: 9 },
      ],
      atMenu,
    );
    expect(state.session).toMatchObject({
      displayOpen: true,
      staffCalled: true,
      staffOpen: true,
      idleWarning: 9,
    });
    expect(staffAtWork(state)).toBe(true);
    const closed = run(
      [
        { type: 'display.close' },
        { type: 'staff.calledClosed' },
        { type: 'staff.close' },
        { type: 'idle.continue' },
      ],
      state,
    );
    expect(closed.session).toMatchObject({
      displayOpen: false,
      staffCalled: false,
      staffOpen: false,
      idleWarning: null,
    });
    expect(staffAtWork(closed)).toBe(false);
    expect(staffAtWork(run([{ type: 'terminal.status', facts }, { type: 'admin.open' }]))).toBe(true);
  });

  it('shows the last failed call until a screen change clears it', () => {
    const failed = run([{ type: 'call.failed', code: 'journey.invalid' }], atMenu);
    expect(failed.errorCode).toBe('journey.invalid');
    expect(run([{ type: 'journey.started', journey }], failed).errorCode).toBeNull();
  });

  it('keeps the pinned portal it is told after an enrolment', () => {
    expect(run([{ type: 'terminal.portalUrl', url: 'https://other.example' }], atMenu).portalUrl).toBe(
      'https://other.example',
    );
  });
});
