import type { i18n as I18n } from 'i18next';
import { useCallback, useEffect, useRef, useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { KioskApi } from '../api/client.ts';
import type { JourneyResult, ServiceEntry, ServiceId, SystemStatus } from '../api/contract.ts';
import type { JourneyState } from '../api/forms.ts';
import { AdminScreen } from './admin/AdminScreen.tsx';
import { enrolmentCodeFromScan } from './enrolment/code.ts';
import { Enrolment } from './enrolment/Enrolment.tsx';
import { OutOfService } from './enrolment/OutOfService.tsx';
import { applyAuthorityFacts, applyDocumentLanguage, locales } from './i18n.ts';
import { JourneyScreen } from './journey/JourneyScreen.tsx';
import { attachReaderWedge } from './reader-wedge/index.ts';
import { AccessibilityPanel, type DisplaySettings } from './screens/Accessibility.tsx';
import { Attract } from './screens/Attract.tsx';
import { End } from './screens/End.tsx';
import { Identify } from './screens/Identify.tsx';
import { IdleWarning } from './screens/IdleWarning.tsx';
import { LanguageChoice } from './screens/Language.tsx';
import { Menu } from './screens/Menu.tsx';
import { Result } from './screens/Result.tsx';
import { StaffControl, StaffOverlay } from './staff/StaffOverlay.tsx';

type Screen =
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

/** Touches closer together than this extend the session only once. */
const touchThrottleMs = 5_000;

export function App({ api, i18n }: { api: KioskApi; i18n: I18n }) {
  const [screen, setScreen] = useState<Screen>('attract');
  const [languages, setLanguages] = useState<string[]>([]);
  const [defaultLanguage, setDefaultLanguage] = useState('de');
  const [services, setServices] = useState<ServiceEntry[]>([]);
  const [inSession, setInSession] = useState(false);
  const [warning, setWarning] = useState<number | null>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [journey, setJourney] = useState<JourneyState | null>(null);
  const [result, setResult] = useState<JourneyResult | null>(null);
  /** The service waiting behind the identify screen; whether this session answered it already. */
  const [identifyFor, setIdentifyFor] = useState<ServiceId | null>(null);
  const [identified, setIdentified] = useState(false);
  const [language, setLanguage] = useState('de');
  const [wedge, setWedge] = useState<SystemStatus['wedge']>(null);
  const [display, setDisplay] = useState<DisplaySettings>({
    largeText: false,
    highContrast: false,
    moreTime: false,
  });
  const [showDisplay, setShowDisplay] = useState(false);
  const [staffCalled, setStaffCalled] = useState(false);
  const [staffOpen, setStaffOpen] = useState(false);
  /** Bumped when a clerk changed the journey: the journey screen starts again from the host's state. */
  const [journeyKey, setJourneyKey] = useState(0);
  const [portalUrl, setPortalUrl] = useState('');
  const [scannedCode, setScannedCode] = useState<{ code: string; at: number } | null>(null);
  /** Until the status says otherwise the terminal counts as enrolled (the attract screen shows). */
  const enrolled = useRef(true);
  /** Why the terminal is out of service (a code for the administrator), while it is. */
  const [outOfService, setOutOfService] = useState<string | null>(null);
  /** An administrator is signed in on the enrolment screen: the barcode scanner reads the code. */
  const [enrolAdmin, setEnrolAdmin] = useState(false);
  const enrolAdminRef = useRef(false);
  enrolAdminRef.current = enrolAdmin;
  const screenRef = useRef<Screen>(screen);
  screenRef.current = screen;
  const lastTouch = useRef(0);

  const showLanguage = useCallback(
    (code: string) => {
      void i18n.changeLanguage(code);
      applyDocumentLanguage(code);
      setLanguage(code);
    },
    [i18n],
  );

  /** Forgets everything of the session on this screen. */
  const wipe = useCallback(() => {
    setInSession(false);
    setDisplay({ largeText: false, highContrast: false, moreTime: false });
    setShowDisplay(false);
    setStaffCalled(false);
    setStaffOpen(false);
    window.speechSynthesis?.cancel();
    setServices([]);
    setWarning(null);
    setErrorCode(null);
    setJourney(null);
    setResult(null);
    setIdentifyFor(null);
    setIdentified(false);
  }, []);

  const reset = useCallback(() => {
    wipe();
    showLanguage(defaultLanguage);
    setScreen(enrolled.current ? 'attract' : 'outOfService');
  }, [defaultLanguage, showLanguage, wipe]);

  useEffect(() => {
    void api['system.status']({}).then((result) => {
      if (!result.ok) return setErrorCode(result.error.code);
      const offered = result.value.languages.filter((code) => code in locales);
      setLanguages(offered);
      setDefaultLanguage(result.value.defaultLanguage);
      setWedge(result.value.wedge);
      setPortalUrl(result.value.portal.url);
      // The city's facts ({{serviceCentrePhone}}, {{registerCourt}} …) in every text come from the terminal.
      applyAuthorityFacts(i18n, result.value.authority);
      showLanguage(result.value.defaultLanguage);
      // A terminal that is not enrolled is out of service: visitors get nothing to start.
      enrolled.current = result.value.enrolled;
      setOutOfService(result.value.outOfService);
      if (!result.value.enrolled && screenRef.current === 'attract') setScreen('outOfService');
    });
  }, [api, i18n, showLanguage]);

  useEffect(() => {
    document.documentElement.classList.toggle('large-text', display.largeText);
    document.documentElement.classList.toggle('high-contrast', display.highContrast);
  }, [display]);

  // Readers the operating system keeps as a keyboard: their keystroke bursts become reads and
  // never land in a field; the host decides whether the current step wants them.
  useEffect(() => {
    if (!wedge) return;
    return attachReaderWedge(window, {
      mode: wedge.mode,
      layout: wedge.layout,
      maxKeyGapMs: wedge.maxKeyGapMs,
      onEvent: (event) => {
        // On the enrolment screen a scanned QR code is the enrolment code; it goes nowhere else.
        if (event.kind === 'barcode' && screenRef.current === 'enrolment' && enrolAdminRef.current) {
          const code = enrolmentCodeFromScan(event.text);
          if (code) setScannedCode({ code, at: Date.now() });
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
    // A visitor who finishes is told that their data are gone, in their language; a timeout or
    // staff goes straight back to the start.
    const offEnded = api.on('session.ended', (event) => {
      if (['admin', 'enrolment', 'outOfService'].includes(screenRef.current)) return;
      if (event.reason !== 'visitor') return reset();
      wipe();
      setScreen('end');
    });
    const offWarning = api.on('session.idleWarning', (event) => setWarning(event.remainingSeconds));
    // Wiped (by an administrator here or by the portal): whatever is on screen gives way to
    // "out of service".
    const offEnrolment = api.on('terminal.enrolment', (event) => {
      if (event.enrolled) return;
      wipe();
      enrolled.current = false;
      setOutOfService('enrolment.missing');
      if (screenRef.current !== 'admin') setScreen('outOfService');
    });
    return () => {
      offEnded();
      offWarning();
      offEnrolment();
    };
  }, [api, reset, wipe]);

  // On the enrolment screen, once an administrator signed in, the barcode scanner reads the code's
  // QR (a reader the system keeps as a keyboard goes through the wedge above instead).
  useEffect(() => {
    if (screen !== 'enrolment' || !enrolAdmin) return;
    void api['enrolment.awaitCode']({});
    const off = api.on('enrolment.scanned', (event) => {
      const code = enrolmentCodeFromScan(event.text);
      if (code) setScannedCode({ code, at: Date.now() });
      void api['enrolment.awaitCode']({});
    });
    return off;
  }, [api, screen, enrolAdmin]);

  // A clerk or administrator working on the screen keeps their own session alive.
  const staffActive = staffOpen || screen === 'admin';
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
    if (!inSession) return;
    const onPointer = () => {
      const now = Date.now();
      if (now - lastTouch.current < touchThrottleMs) return;
      lastTouch.current = now;
      void api['session.touch']({});
    };
    window.addEventListener('pointerdown', onPointer, { capture: true });
    return () => window.removeEventListener('pointerdown', onPointer, { capture: true });
  }, [api, inSession]);

  const choose = async (code: string) => {
    const started = inSession
      ? await api['session.setLanguage']({ language: code })
      : await api['session.start']({ language: code });
    if (!started.ok) return setErrorCode(started.error.code);
    setInSession(true);
    showLanguage(code);
    const catalogue = await api['catalogue.list']({});
    if (!catalogue.ok) return setErrorCode(catalogue.error.code);
    setServices(catalogue.value);
    setErrorCode(null);
    setScreen(journey ? 'journey' : 'menu');
  };

  const open = async (serviceId: ServiceId) => {
    // Before an application: sign in with the service account or go on as a guest (once a session).
    if (!identified && services.find((s) => s.id === serviceId)?.signIn) {
      setIdentifyFor(serviceId);
      setScreen('identify');
      return;
    }
    await startJourney(serviceId);
  };

  const startJourney = async (serviceId: ServiceId) => {
    const started = await api['journey.start']({ serviceId });
    if (!started.ok) return setErrorCode(started.error.code);
    setErrorCode(null);
    setJourney(started.value);
    setScreen('journey');
  };

  const leaveJourney = async () => {
    await api['journey.cancel']({});
    setJourney(null);
    setErrorCode(null);
    setScreen('menu');
  };

  const finish = (value: JourneyResult) => {
    setStaffOpen(false);
    setJourney(null);
    setResult(value);
    setErrorCode(null);
    setScreen('result');
  };

  const done = async () => {
    await api['session.end']({ reason: 'visitor' });
  };

  const exit = async () => {
    const ended = await api['session.end']({ reason: 'visitor' });
    if (!ended.ok || !ended.value.ended) reset();
  };

  const callStaff = async () => {
    const called = await api['staff.call']({});
    if (called.ok) setStaffCalled(true);
    else setErrorCode(called.error.code);
  };

  /** A clerk typed the document data: the visitor's journey screen shows the host's new state. */
  const clerkChangedJourney = (state: JourneyState) => {
    if (screenRef.current !== 'journey') return;
    setJourney(state);
    setJourneyKey((n) => n + 1);
  };

  const closeStaff = useCallback(() => setStaffOpen(false), []);
  const leaveAdmin = useCallback(() => {
    if (screenRef.current === 'admin') setScreen('attract');
  }, []);
  const wiped = useCallback(() => {
    enrolled.current = false;
    setOutOfService('enrolment.missing');
    setScreen('outOfService');
  }, []);
  const enrolledNow = async () => {
    enrolled.current = true;
    setScannedCode(null);
    setEnrolAdmin(false);
    setOutOfService(null);
    setScreen('attract');
    const status = await api['system.status']({});
    if (status.ok) setPortalUrl(status.value.portal.url);
  };
  const leaveEnrolment = useCallback(() => {
    setScannedCode(null);
    setEnrolAdmin(false);
    setScreen('outOfService');
  }, []);

  const keepGoing = async () => {
    lastTouch.current = Date.now();
    setWarning(null);
    await api['session.touch']({});
  };

  return (
    <I18nextProvider i18n={i18n}>
      <div className="app">
        {inSession && (
          <header className="bar">
            <button type="button" className="secondary" onClick={() => setScreen('language')}>
              {i18n.t('common.language')}
            </button>
            <button type="button" className="secondary" onClick={() => setShowDisplay(true)}>
              {i18n.t('accessibility.open')}
            </button>
            <button type="button" className="secondary" onClick={callStaff}>
              {i18n.t('staff.call')}
            </button>
            <button type="button" className="danger" onClick={exit}>
              {i18n.t('common.exit')}
            </button>
            <StaffControl onOpen={() => setStaffOpen(true)} />
          </header>
        )}
        {errorCode && (
          <p role="alert" className="error">
            {i18n.exists(`errors.${errorCode}`) ? i18n.t(`errors.${errorCode}`) : i18n.t('errors.generic')}
          </p>
        )}
        {screen === 'attract' && (
          <Attract
            languages={languages}
            onStart={() => setScreen('language')}
            onAdmin={() => setScreen('admin')}
          />
        )}
        {screen === 'outOfService' && (
          <OutOfService languages={languages} code={outOfService} onStaff={() => setScreen('enrolment')} />
        )}
        {screen === 'enrolment' && (
          <Enrolment
            api={api}
            language={language}
            portalUrl={portalUrl}
            scannedCode={scannedCode}
            onSignedIn={setEnrolAdmin}
            onEnrolled={enrolledNow}
            onCancel={leaveEnrolment}
          />
        )}
        {screen === 'admin' && (
          <AdminScreen api={api} language={language} onExit={leaveAdmin} onWiped={wiped} />
        )}
        {screen === 'language' && (
          <LanguageChoice
            languages={languages}
            onChoose={choose}
            onBack={() => setScreen(inSession ? 'menu' : 'attract')}
          />
        )}
        {screen === 'menu' && <Menu services={services} onOpen={open} />}
        {screen === 'identify' && identifyFor && (
          <Identify
            api={api}
            language={language}
            serviceTitle={i18n.t(`services.${identifyFor}.title`)}
            onContinue={() => {
              setIdentified(true);
              setIdentifyFor(null);
              void startJourney(identifyFor);
            }}
            onBack={() => {
              setIdentifyFor(null);
              setScreen('menu');
            }}
          />
        )}
        {screen === 'journey' && journey && (
          <JourneyScreen
            key={`${journey.serviceId}-${journeyKey}`}
            api={api}
            initial={journey}
            language={language}
            onFinished={finish}
            onCancel={leaveJourney}
            onError={setErrorCode}
          />
        )}
        {screen === 'result' && result && <Result result={result} onDone={done} />}
        {screen === 'end' && <End onTimeout={reset} />}
        {showDisplay && (
          <AccessibilityPanel
            settings={display}
            onChange={async (next) => {
              if (next.moreTime !== display.moreTime) {
                const changed = await api['session.setSlowMode']({ slow: next.moreTime });
                if (!changed.ok) return setErrorCode(changed.error.code);
              }
              setDisplay(next);
            }}
            onClose={() => setShowDisplay(false)}
            language={language}
          />
        )}
        {staffCalled && (
          <div className="overlay">
            <div role="alertdialog" aria-modal="true" aria-labelledby="staff-title" className="dialog">
              <h2 id="staff-title">{i18n.t('staff.calledTitle')}</h2>
              <p>{i18n.t('staff.calledText')}</p>
              <button type="button" onClick={() => setStaffCalled(false)}>
                {i18n.t('menu.close')}
              </button>
            </div>
          </div>
        )}
        {staffOpen && inSession && (
          <StaffOverlay
            api={api}
            visitorLanguage={language}
            onResult={finish}
            onJourney={clerkChangedJourney}
            onClose={closeStaff}
          />
        )}
        {warning !== null && <IdleWarning seconds={warning} onContinue={keepGoing} />}
      </div>
    </I18nextProvider>
  );
}
