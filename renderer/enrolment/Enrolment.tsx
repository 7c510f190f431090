import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { StaffSession } from '../../api/staff.ts';
import { staffLanguage } from '../i18n.ts';
import { ProblemAlert } from '../staff/ProblemAlert.tsx';
import { SignIn } from '../staff/SignIn.tsx';
import { StaffField } from '../staff/StaffField.tsx';
import { useCall } from '../staff/use-call.ts';

/**
 * Enrolment with the portal (first start, after a wipe): an administrator signs in with the
 * credentials provisioned at installation, then enters the one-time code from the portal's
 * administrators on the on-screen keyboard or scans its QR code (`scannedCode`). The portal is
 * the installation's (shown, not typed): the host refuses any other origin or signing key.
 */
export function Enrolment({
  api,
  language,
  portalUrl,
  scannedCode,
  onSignedIn,
  onEnrolled,
  onCancel,
}: {
  api: KioskApi;
  language: string;
  /** The portal the installation pins (shown only). */
  portalUrl: string;
  /** A code a reader delivered while this screen is shown (changes with every scan). */
  scannedCode: { code: string; at: number } | null;
  /** An administrator signed in (true) or their session ended (false): the scanner reads codes then. */
  onSignedIn: (signedIn: boolean) => void;
  onEnrolled: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('staff');
  const lang = staffLanguage(language);
  const [session, setSession] = useState<StaffSession | null>(null);
  const [code, setCode] = useState('');
  const [active, setActive] = useState(true);
  const { busy, problem, run, show } = useCall();
  const [scanned, setScanned] = useState(false);

  useEffect(() => {
    if (!scannedCode) return;
    setCode(scannedCode.code);
    setScanned(true);
    show(null);
  }, [scannedCode, show]);

  useEffect(() => {
    onSignedIn(session !== null);
  }, [session, onSignedIn]);

  // The administrator's session ended (idle time, signed out elsewhere): back to the sign-in.
  useEffect(() => {
    if (!session) return;
    return api.on('staff.ended', (event) => {
      if (event.role === 'admin') setSession(null);
    });
  }, [api, session]);

  const cancel = async () => {
    await api['staff.signOut']({});
    onCancel();
  };

  const enrol = async () => {
    setActive(false);
    if (code.trim().length < 6) return show({ code: 'enrolment.code_short', message: '' });
    const answer = await run(() => api['enrolment.enrol']({ code: code.trim() }));
    if (!answer.ok) return;
    await api['staff.signOut']({});
    onEnrolled();
  };

  if (!session) {
    return (
      <main className="enrolment" lang={lang} dir="ltr" aria-labelledby="enrolment-title">
        <h1 id="enrolment-title">{t('enrolment.title')}</h1>
        <p>{t('enrolment.signIn')}</p>
        <SignIn api={api} kind="admin" language={lang} onSignedIn={setSession} onCancel={cancel} />
      </main>
    );
  }

  return (
    <main className="enrolment" lang={lang} dir="ltr" aria-labelledby="enrolment-title">
      <h1 id="enrolment-title">{t('enrolment.title')}</h1>
      <p>{t('enrolment.text')}</p>
      <p className="staff-who">{t('desk.signedInAs', { name: session.name })}</p>
      <dl className="enrolment-portal">
        <dt>{t('enrolment.portal')}</dt>
        <dd>{portalUrl}</dd>
      </dl>
      <StaffField
        id="enrolment-code"
        label={t('enrolment.code')}
        value={code}
        onChange={(value) => {
          setCode(value);
          setScanned(false);
        }}
        fieldType="tracking"
        language={lang}
        active={active}
        onOpen={() => setActive(true)}
        onDone={() => setActive(false)}
        maxLength={40}
        hint={t('enrolment.codeHint')}
      />
      {scanned && (
        <p role="status" className="staff-notice">
          {t('enrolment.scanned')}
        </p>
      )}
      <ProblemAlert problem={problem} />
      {busy && <p role="status">{t('enrolment.busy')}</p>}
      <button type="button" onClick={enrol} disabled={busy}>
        {t('enrolment.submit')}
      </button>
      <button type="button" className="secondary" onClick={cancel} disabled={busy}>
        {t('enrolment.cancel')}
      </button>
    </main>
  );
}
