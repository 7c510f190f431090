import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { JourneyResult } from '../../api/contract.ts';
import type { JourneyState } from '../../api/forms.ts';
import type { StaffSession } from '../../api/staff.ts';
import { locales, staffLanguage } from '../i18n.ts';
import { Desk } from './Desk.tsx';
import { SignIn } from './SignIn.tsx';

/** Touch the visitor session at least this often while the overlay is open (seconds). */
const minTouchSeconds = 5;

/**
 * The counter clerk's overlay on the visitor's session. It always starts with a fresh sign-in
 * (a session left from before is signed out), so whoever opens it must show a badge and a PIN.
 * While it is open the visitor session is kept alive; it closes when the clerk signs out, when
 * the staff session ends (timeout, replaced) and, through the app, when the visitor session ends.
 */
export function StaffOverlay({
  api,
  visitorLanguage,
  onResult,
  onJourney,
  onClose,
}: {
  api: KioskApi;
  visitorLanguage: string;
  /** A decision's result, for the visitor's result screen. */
  onResult: (result: JourneyResult) => void;
  /** The journey changed under the clerk's hands (typed document data). */
  onJourney: (state: JourneyState) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('staff');
  const [phase, setPhase] = useState<'starting' | 'signIn' | 'desk'>('starting');
  const [session, setSession] = useState<StaffSession | null>(null);
  const language = staffLanguage(visitorLanguage);

  useEffect(() => {
    let live = true;
    void api['staff.signOut']({}).then(() => {
      if (live) setPhase('signIn');
    });
    return () => {
      live = false;
    };
  }, [api]);

  // The visitor session must not time out while the clerk works on it.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const touch = async () => {
      const answer = await api['session.touch']({});
      if (!live) return;
      const remaining = answer.ok ? answer.value.remainingSeconds : minTouchSeconds * 3;
      timer = setTimeout(touch, Math.max(minTouchSeconds, remaining / 3) * 1000);
    };
    void touch();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api]);

  useEffect(() => {
    if (phase !== 'desk') return;
    return api.on('staff.ended', (event) => {
      if (event.role === 'staff') onClose();
    });
  }, [api, phase, onClose]);

  const signedOut = () => {
    setSession(null);
    onClose();
  };
  const cancel = async () => {
    // Forgets a badge scanned for this sign-in, too.
    await api['staff.signOut']({});
    onClose();
  };
  const decided = async (result: JourneyResult) => {
    onResult(result);
    await api['staff.signOut']({});
    onClose();
  };

  const helping = i18n.exists('staff.helping', { ns: 'translation' });
  return (
    <div className="overlay staff-overlay">
      <div
        role="dialog"
        aria-modal="true"
        aria-label={t('overlay.title')}
        className="dialog staff-panel"
        lang={language}
        dir="ltr"
      >
        {helping && (
          <p
            className="staff-visitor-line"
            lang={visitorLanguage}
            dir={locales[visitorLanguage]?.dir ?? 'ltr'}
          >
            {i18n.t('staff.helping', { ns: 'translation' })}
          </p>
        )}
        {phase === 'signIn' && (
          <SignIn
            api={api}
            kind="staff"
            language={language}
            onCancel={cancel}
            onSignedIn={(value) => {
              setSession(value);
              setPhase('desk');
            }}
          />
        )}
        {phase === 'desk' && session && (
          <Desk
            api={api}
            session={session}
            language={language}
            onResult={decided}
            onJourney={onJourney}
            onSignOut={signedOut}
          />
        )}
      </div>
    </div>
  );
}

/** The small key in the visitor's bar that opens the clerk's sign-in; not the visitor's "call staff". */
export function StaffControl({ onOpen }: { onOpen: () => void }) {
  const { t, i18n } = useTranslation('staff');
  return (
    <button
      type="button"
      className="staff-key"
      aria-label={t('control.open')}
      lang={staffLanguage(i18n.language)}
      onClick={onOpen}
    >
      <KeyIcon />
    </button>
  );
}

export function KeyIcon() {
  return (
    <svg className="staff-key-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M3 12a4 4 0 1 0 8 0a4 4 0 1 0 -8 0 M11 12h10 M17 12v3 M20 12v4" />
    </svg>
  );
}
