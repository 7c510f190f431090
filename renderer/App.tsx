import type { i18n as I18n } from 'i18next';
import { useCallback, useEffect, useRef, useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { KioskApi } from '../api/client.ts';
import type { ServiceEntry } from '../api/contract.ts';
import { applyDocumentLanguage, locales } from './i18n.ts';
import { Attract } from './screens/Attract.tsx';
import { IdleWarning } from './screens/IdleWarning.tsx';
import { LanguageChoice } from './screens/Language.tsx';
import { Menu } from './screens/Menu.tsx';

type Screen = 'attract' | 'language' | 'menu';

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
  const lastTouch = useRef(0);

  const showLanguage = useCallback(
    (code: string) => {
      void i18n.changeLanguage(code);
      applyDocumentLanguage(code);
    },
    [i18n],
  );

  const reset = useCallback(() => {
    setInSession(false);
    setServices([]);
    setWarning(null);
    setErrorCode(null);
    showLanguage(defaultLanguage);
    setScreen('attract');
  }, [defaultLanguage, showLanguage]);

  useEffect(() => {
    void api['system.status']({}).then((result) => {
      if (!result.ok) return setErrorCode(result.error.code);
      const offered = result.value.languages.filter((code) => code in locales);
      setLanguages(offered);
      setDefaultLanguage(result.value.defaultLanguage);
      showLanguage(result.value.defaultLanguage);
    });
  }, [api, showLanguage]);

  useEffect(() => {
    const offEnded = api.on('session.ended', reset);
    const offWarning = api.on('session.idleWarning', (event) => setWarning(event.remainingSeconds));
    return () => {
      offEnded();
      offWarning();
    };
  }, [api, reset]);

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
    setScreen('menu');
  };

  const exit = async () => {
    await api['session.end']({ reason: 'visitor' });
    reset();
  };

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
            <button type="button" className="danger" onClick={exit}>
              {i18n.t('common.exit')}
            </button>
          </header>
        )}
        {errorCode && (
          <p role="alert" className="error">
            {i18n.exists(`errors.${errorCode}`) ? i18n.t(`errors.${errorCode}`) : i18n.t('errors.generic')}
          </p>
        )}
        {screen === 'attract' && <Attract languages={languages} onStart={() => setScreen('language')} />}
        {screen === 'language' && (
          <LanguageChoice
            languages={languages}
            onChoose={choose}
            onBack={() => setScreen(inSession ? 'menu' : 'attract')}
          />
        )}
        {screen === 'menu' && <Menu services={services} onOpen={() => undefined} />}
        {warning !== null && <IdleWarning seconds={warning} onContinue={keepGoing} />}
      </div>
    </I18nextProvider>
  );
}
