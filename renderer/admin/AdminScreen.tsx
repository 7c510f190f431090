import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { StaffSession } from '../../api/staff.ts';
import { staffLanguage } from '../i18n.ts';
import { SignIn } from '../staff/SignIn.tsx';
import { Checklist } from './Checklist.tsx';
import { LogExport } from './LogExport.tsx';
import { Overview } from './Overview.tsx';
import { Printer } from './Printer.tsx';
import { Queue } from './Queue.tsx';
import { Readers } from './Readers.tsx';
import { Wipe } from './Wipe.tsx';

export const adminSections = [
  'overview',
  'readers',
  'printer',
  'queue',
  'export',
  'checklist',
  'wipe',
] as const;
type Section = (typeof adminSections)[number];

/**
 * The administrators' screens, behind their own sign-in (badge and password), bound to no
 * visitor session. The screen signs out by itself after the session's idle time without a touch:
 * the overview's polling keeps the host's session alive, so the screen decides what "idle" is.
 */
export function AdminScreen({
  api,
  language,
  onExit,
  onWiped,
}: {
  api: KioskApi;
  /** The app's language; the screens speak German or English. */
  language: string;
  onExit: () => void;
  onWiped: () => void;
}) {
  const { t } = useTranslation('staff');
  const lang = staffLanguage(language);
  const [session, setSession] = useState<StaffSession | null>(null);
  const [section, setSection] = useState<Section>('overview');
  const wiping = useRef(false);

  useEffect(() => {
    if (!session) return;
    return api.on('staff.ended', (event) => {
      if (event.role === 'admin' && !wiping.current) onExit();
    });
  }, [api, session, onExit]);

  const signOut = useCallback(async () => {
    await api['staff.signOut']({});
    onExit();
  }, [api, onExit]);

  useEffect(() => {
    if (!session) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void signOut(), session.idleSeconds * 1000);
    };
    arm();
    window.addEventListener('pointerdown', arm, { capture: true });
    window.addEventListener('keydown', arm, { capture: true });
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointerdown', arm, { capture: true });
      window.removeEventListener('keydown', arm, { capture: true });
    };
  }, [session, signOut]);

  if (!session) {
    return (
      <main className="admin admin-signin" lang={lang} dir="ltr">
        <h1>{t('admin.title')}</h1>
        <SignIn
          api={api}
          kind="admin"
          language={lang}
          onSignedIn={setSession}
          onCancel={async () => {
            await api['staff.signOut']({});
            onExit();
          }}
        />
      </main>
    );
  }

  return (
    <main className="admin" lang={lang} dir="ltr" aria-labelledby="admin-title">
      <header className="admin-head">
        <h1 id="admin-title">{t('admin.title')}</h1>
        <p className="staff-who">{t('desk.signedInAs', { name: session.name })}</p>
        <button type="button" className="secondary" onClick={signOut}>
          {t('desk.signOut')}
        </button>
      </header>
      <nav className="admin-nav" aria-label={t('admin.navigation')}>
        {adminSections.map((id) => (
          <button
            key={id}
            type="button"
            className={section === id ? '' : 'secondary'}
            aria-current={section === id ? 'page' : undefined}
            onClick={() => setSection(id)}
          >
            {t(`admin.sections.${id}`)}
          </button>
        ))}
      </nav>
      {section === 'overview' && <Overview api={api} />}
      {section === 'readers' && <Readers api={api} language={lang} />}
      {section === 'printer' && <Printer api={api} />}
      {section === 'queue' && <Queue api={api} language={lang} />}
      {section === 'export' && <LogExport api={api} />}
      {section === 'checklist' && <Checklist api={api} />}
      {section === 'wipe' && (
        <Wipe
          api={api}
          onWiping={(value) => {
            wiping.current = value;
          }}
          onWiped={onWiped}
        />
      )}
    </main>
  );
}
