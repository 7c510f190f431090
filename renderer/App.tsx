import type { i18n as I18n } from 'i18next';
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { KioskApi } from '../api/client.ts';
import type { JourneyResult, ServiceId } from '../api/contract.ts';
import type { FieldValues, JourneyState } from '../api/forms.ts';
import { AdminScreen } from './admin/AdminScreen.tsx';
import {
  type AppAction,
  type AppState,
  appReducer,
  type DisplaySettings,
  initialAppState,
  journeyHoldsData,
  readsEnrolmentCode,
  staffAtWork,
} from './app-state.ts';
import { enrolmentCodeFromScan } from './enrolment/code.ts';
import { Enrolment } from './enrolment/Enrolment.tsx';
import { OutOfService } from './enrolment/OutOfService.tsx';
import { applyAuthorityFacts, applyDocumentLanguage, locales } from './i18n.ts';
import { JourneyScreen } from './journey/JourneyScreen.tsx';
import { attachReaderWedge } from './reader-wedge/index.ts';
import { AccessibilityPanel } from './screens/Accessibility.tsx';
import { Attract } from './screens/Attract.tsx';
import { ConfirmExit } from './screens/ConfirmExit.tsx';
import { End } from './screens/End.tsx';
import { Identify } from './screens/Identify.tsx';
import { IdleWarning } from './screens/IdleWarning.tsx';
import { LanguageChoice } from './screens/Language.tsx';
import { Menu } from './screens/Menu.tsx';
import { Result } from './screens/Result.tsx';
import { StaffControl, StaffOverlay } from './staff/StaffOverlay.tsx';

/** Touches closer together than this extend the session only once. */
const touchThrottleMs = 5_000;

export function App({ api, i18n }: { api: KioskApi; i18n: I18n }) {
  return (
    <I18nextProvider i18n={i18n}>
      <Screens api={api} i18n={i18n} />
    </I18nextProvider>
  );
}

/**
 * The screens of app-state.ts on the host's API: turns answers, events and taps into actions, and
 * does what reaches outside the state (calls, the i18n language, listeners, timers).
 */
function Screens({ api, i18n }: { api: KioskApi; i18n: I18n }) {
  const { t } = useTranslation();
  const [state, dispatch] = useReducer(appReducer, initialAppState);
  const { screen, session, language } = state;
  /** The state as the last render saw it, for listeners that outlive a render. */
  const current = useRef<AppState>(state);
  current.current = state;
  const lastTouch = useRef(0);

  const fail = useCallback((code: string) => dispatch({ type: 'call.failed', code }), []);

  // The screen speaks the state's language: texts, `lang` and direction change before paint.
  useLayoutEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
    applyDocumentLanguage(language);
  }, [i18n, language]);

  // Nothing of a session that ended may go on speaking.
  useEffect(() => {
    if (!session.open) window.speechSynthesis?.cancel();
  }, [session.open]);

  useEffect(() => {
    void api['system.status']({}).then((result) => {
      if (!result.ok) return fail(result.error.code);
      const status = result.value;
      // The city's facts ({{serviceCentrePhone}}, {{registerCourt}} …) in every text come from the terminal.
      applyAuthorityFacts(i18n, status.authority);
      dispatch({
        type: 'terminal.status',
        facts: {
          languages: status.languages.filter((code) => code in locales),
          defaultLanguage: status.defaultLanguage,
          wedge: status.wedge,
          readerPlacement: status.readerPlacement,
          portalUrl: status.portal.url,
          enrolled: status.enrolled,
          outOfService: status.outOfService,
        },
      });
    });
  }, [api, i18n, fail]);

  useEffect(() => {
    document.documentElement.classList.toggle('large-text', session.display.largeText);
    document.documentElement.classList.toggle('high-contrast', session.display.highContrast);
  }, [session.display]);

  // Readers the operating system keeps as a keyboard: their keystroke bursts become reads and
  // never land in a field; the host decides whether the current step wants them.
  const { wedge } = state;
  useEffect(() => {
    if (!wedge) return;
    return attachReaderWedge(window, {
      mode: wedge.mode,
      layout: wedge.layout,
      maxKeyGapMs: wedge.maxKeyGapMs,
      onEvent: (event) => {
        // On the enrolment screen a scanned QR code is the enrolment code; it goes nowhere else.
        if (event.kind === 'barcode' && readsEnrolmentCode(current.current)) {
          const code = enrolmentCodeFromScan(event.text);
          if (code) dispatch({ type: 'enrolment.codeScanned', code, at: Date.now() });
          return;
        }
        if (event.kind === 'mrz') void api['reader.wedge']({ kind: 'mrz', lines: [...event.lines] });
        if (event.kind === 'barcode') {
          void api['reader.wedge']({ kind: 'barcode', symbology: event.symbology, text: event.text });
        }
      },
    });
  }, [api, wedge]);

  useEffect(() => {
    const offEnded = api.on('session.ended', (event) =>
      dispatch({ type: 'session.ended', reason: event.reason === 'visitor' ? 'visitor' : 'other' }),
    );
    const offWarning = api.on('session.idleWarning', (event) =>
      dispatch({ type: 'idle.warning', seconds: event.remainingSeconds }),
    );
    const offEnrolment = api.on('terminal.enrolment', (event) => {
      if (!event.enrolled) dispatch({ type: 'terminal.unenrolled' });
    });
    return () => {
      offEnded();
      offWarning();
      offEnrolment();
    };
  }, [api]);

  // On the enrolment screen, once an administrator signed in, the barcode scanner reads the code's
  // QR (a reader the system keeps as a keyboard goes through the wedge above instead).
  const readingCode = readsEnrolmentCode(state);
  useEffect(() => {
    if (!readingCode) return;
    void api['enrolment.awaitCode']({});
    return api.on('enrolment.scanned', (event) => {
      const code = enrolmentCodeFromScan(event.text);
      if (code) dispatch({ type: 'enrolment.codeScanned', code, at: Date.now() });
      void api['enrolment.awaitCode']({});
    });
  }, [api, readingCode]);

  // A clerk or administrator working on the screen keeps their own session alive.
  const staffActive = staffAtWork(state);
  useEffect(() => {
    if (!staffActive) return;
    let last = 0;
    const onPointer = () => {
      const now = Date.now();
      if (now - last < touchThrottleMs) return;
      last = now;
      void api['staff.touch']({});
    };
    window.addEventListener('pointerdown', onPointer, { capture: true });
    return () => window.removeEventListener('pointerdown', onPointer, { capture: true });
  }, [api, staffActive]);

  // Any touch during a session counts as activity; the host's idle timer starts again.
  useEffect(() => {
    if (!session.open) return;
    const onPointer = () => {
      const now = Date.now();
      if (now - lastTouch.current < touchThrottleMs) return;
      lastTouch.current = now;
      void api['session.touch']({});
    };
    window.addEventListener('pointerdown', onPointer, { capture: true });
    return () => window.removeEventListener('pointerdown', onPointer, { capture: true });
  }, [api, session.open]);

  const choose = async (code: string) => {
    const started = session.open
      ? await api['session.setLanguage']({ language: code })
      : await api['session.start']({ language: code });
    if (!started.ok) return fail(started.error.code);
    dispatch({ type: 'session.started', language: code });
    // In the middle of a journey: the host's texts in the new language (a checklist's items); the
    // step and every value stay as the visitor left them.
    if (session.open && session.journey) {
      const current = await api['journey.current']({});
      if (current.ok && current.value) dispatch({ type: 'journey.relanguaged', journey: current.value });
    }
    const catalogue = await api['catalogue.list']({});
    if (!catalogue.ok) return fail(catalogue.error.code);
    dispatch({ type: 'catalogue.loaded', services: catalogue.value });
  };

  const startJourney = async (serviceId: ServiceId) => {
    const started = await api['journey.start']({ serviceId });
    if (!started.ok) return fail(started.error.code);
    dispatch({ type: 'journey.started', journey: started.value });
  };

  const open = async (serviceId: ServiceId) => {
    // Before an application: sign in with the service account or go on as a guest (once a session).
    if (!session.identified && session.services.find((s) => s.id === serviceId)?.signIn) {
      dispatch({ type: 'identify.ask', serviceId });
      return;
    }
    await startJourney(serviceId);
  };

  const leaveJourney = async () => {
    await api['journey.cancel']({});
    dispatch({ type: 'journey.left' });
  };

  // A status lookup's "not found": back to its step with what was typed (D11).
  const correctLookup = async () => {
    const back = await api['journey.goto']({ stepId: 'lookup' });
    if (!back.ok) return fail(back.error.code);
    dispatch({ type: 'journey.started', journey: back.value });
  };

  const finish = useCallback((result: JourneyResult) => dispatch({ type: 'journey.finished', result }), []);

  const exit = async () => {
    // A journey with data in it is not deleted by one stray tap: the visitor is asked once.
    if (journeyHoldsData(current.current) && !current.current.session.confirmExit) {
      dispatch({ type: 'exit.ask' });
      return;
    }
    const ended = await api['session.end']({ reason: 'visitor' });
    if (!ended.ok || !ended.value.ended) dispatch({ type: 'session.reset' });
  };

  const callStaff = async () => {
    const called = await api['staff.call']({});
    if (called.ok) dispatch({ type: 'staff.called' });
    else fail(called.error.code);
  };

  const changeDisplay = async (next: DisplaySettings) => {
    if (next.moreTime !== session.display.moreTime) {
      const changed = await api['session.setSlowMode']({ slow: next.moreTime });
      if (!changed.ok) return fail(changed.error.code);
    }
    dispatch({ type: 'display.changed', display: next });
  };

  const keepGoing = async () => {
    lastTouch.current = Date.now();
    dispatch({ type: 'idle.continue' });
    await api['session.touch']({});
  };

  const enrolledNow = async () => {
    dispatch({ type: 'enrolment.done' });
    const status = await api['system.status']({});
    if (status.ok) dispatch({ type: 'terminal.portalUrl', url: status.value.portal.url });
  };

  /** Callbacks children keep in effects: the same function for the whole life of the app. */
  const on = useMemo(() => stableActions(dispatch), []);

  return (
    <div className="app">
      {session.open && (
        <header className="bar">
          <button type="button" className="secondary" onClick={on.languageOpen}>
            {t('common.language')}
          </button>
          <button type="button" className="secondary" onClick={on.displayOpen}>
            {t('accessibility.open')}
          </button>
          <button type="button" className="secondary" onClick={callStaff}>
            {t('staff.call')}
          </button>
          <button type="button" className="danger" onClick={exit}>
            {t('common.exit')}
          </button>
          <StaffControl onOpen={on.staffOpen} />
        </header>
      )}
      {state.errorCode && (
        <p role="alert" className="error">
          {i18n.exists(`errors.${state.errorCode}`) ? t(`errors.${state.errorCode}`) : t('errors.generic')}
        </p>
      )}
      {screen === 'attract' && (
        <Attract languages={state.languages} onStart={on.attractStart} onAdmin={on.adminOpen} />
      )}
      {screen === 'outOfService' && (
        <OutOfService languages={state.languages} code={state.outOfService} onStaff={on.enrolmentOpen} />
      )}
      {screen === 'enrolment' && (
        <Enrolment
          api={api}
          language={language}
          portalUrl={state.portalUrl}
          scannedCode={state.scannedCode}
          onSignedIn={on.enrolmentAdminSignedIn}
          onEnrolled={enrolledNow}
          onCancel={on.enrolmentLeft}
        />
      )}
      {screen === 'admin' && (
        <AdminScreen api={api} language={language} onExit={on.adminLeft} onWiped={on.adminWiped} />
      )}
      {screen === 'language' && (
        <LanguageChoice languages={state.languages} onChoose={choose} onBack={on.languageBack} />
      )}
      {screen === 'menu' && <Menu services={session.services} onOpen={open} />}
      {screen === 'identify' && session.identifyFor && (
        <Identify
          api={api}
          language={language}
          serviceTitle={t(`services.${session.identifyFor}.title`)}
          onContinue={() => {
            const serviceId = session.identifyFor;
            dispatch({ type: 'identify.answered' });
            if (serviceId) void startJourney(serviceId);
          }}
          onBack={on.identifyBack}
        />
      )}
      {screen === 'journey' && session.journey && (
        <JourneyScreen
          key={`${session.journey.serviceId}-${session.journeyKey}`}
          api={api}
          initial={session.journey}
          language={language}
          readerPlacement={state.readerPlacement}
          onFinished={finish}
          onProgress={on.journeyProgress}
          onCancel={leaveJourney}
          onError={fail}
        />
      )}
      {screen === 'result' && session.result && (
        <Result
          result={session.result}
          api={api}
          onDone={() => void api['session.end']({ reason: 'visitor' })}
          onMenu={() => void leaveJourney()}
          onCorrect={() => void correctLookup()}
          onStart={(serviceId) => void open(serviceId)}
        />
      )}
      {screen === 'end' && <End onTimeout={on.sessionReset} />}
      {session.displayOpen && (
        <AccessibilityPanel
          settings={session.display}
          onChange={changeDisplay}
          onClose={on.displayClose}
          language={language}
        />
      )}
      {session.staffCalled && (
        <div className="overlay">
          <div role="alertdialog" aria-modal="true" aria-labelledby="staff-title" className="dialog">
            <h2 id="staff-title">{t('staff.calledTitle')}</h2>
            <p>{t('staff.calledText')}</p>
            <button type="button" onClick={on.staffCalledClosed}>
              {t('menu.close')}
            </button>
          </div>
        </div>
      )}
      {session.staffOpen && session.open && (
        <StaffOverlay
          api={api}
          visitorLanguage={language}
          onResult={finish}
          onJourney={on.journeyChangedByClerk}
          onClose={on.staffClose}
        />
      )}
      {session.confirmExit && <ConfirmExit onConfirm={exit} onCancel={on.exitCancel} />}
      {session.idleWarning !== null && <IdleWarning seconds={session.idleWarning} onContinue={keepGoing} />}
    </div>
  );
}

/** The actions that need no host call, as callbacks that never change (children keep them in effects). */
function stableActions(dispatch: (action: AppAction) => void) {
  return {
    attractStart: () => dispatch({ type: 'attract.start' }),
    adminOpen: () => dispatch({ type: 'admin.open' }),
    adminLeft: () => dispatch({ type: 'admin.left' }),
    adminWiped: () => dispatch({ type: 'admin.wiped' }),
    enrolmentOpen: () => dispatch({ type: 'enrolment.open' }),
    enrolmentAdminSignedIn: (signedIn: boolean) => dispatch({ type: 'enrolment.adminSignedIn', signedIn }),
    enrolmentLeft: () => dispatch({ type: 'enrolment.left' }),
    languageOpen: () => dispatch({ type: 'language.open' }),
    languageBack: () => dispatch({ type: 'language.back' }),
    identifyBack: () => dispatch({ type: 'identify.back' }),
    journeyChangedByClerk: (journey: JourneyState) => dispatch({ type: 'journey.changedByClerk', journey }),
    journeyProgress: (journey: JourneyState, values: FieldValues) =>
      dispatch({ type: 'journey.progress', journey, values }),
    exitCancel: () => dispatch({ type: 'exit.cancel' }),
    sessionReset: () => dispatch({ type: 'session.reset' }),
    displayOpen: () => dispatch({ type: 'display.open' }),
    displayClose: () => dispatch({ type: 'display.close' }),
    staffOpen: () => dispatch({ type: 'staff.open' }),
    staffClose: () => dispatch({ type: 'staff.close' }),
    staffCalledClosed: () => dispatch({ type: 'staff.calledClosed' }),
  } as const;
}
