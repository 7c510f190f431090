import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import { staffLanguage } from '../i18n.ts';
import { problemText, type StaffProblem } from '../staff/errors.ts';
import { StaffField } from '../staff/StaffField.tsx';
import { looksLikeUrl } from './code.ts';

/** Keys the URL needs that the e-mail keyboard lacks. */
const urlKeys = ['https://', ':', '/'] as const;

/**
 * First start (and after a wipe): the terminal registers with the portal, with the portal's URL
 * and a one-time code from the portal's administrators, typed on the on-screen keyboard or, with
 * a reader the system keeps as a keyboard, scanned from its QR code (`scannedCode`).
 */
export function Enrolment({
  api,
  language,
  portalUrl,
  scannedCode,
  onEnrolled,
}: {
  api: KioskApi;
  language: string;
  /** Prefilled: the portal the configuration names. */
  portalUrl: string;
  /** A code a reader delivered while this screen is shown (changes with every scan). */
  scannedCode: { code: string; at: number } | null;
  onEnrolled: () => void;
}) {
  const { t } = useTranslation('staff');
  const lang = staffLanguage(language);
  const [url, setUrl] = useState(portalUrl);
  const [code, setCode] = useState('');
  const [active, setActive] = useState<'url' | 'code' | null>('code');
  const [problem, setProblem] = useState<StaffProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [scanned, setScanned] = useState(false);

  useEffect(() => {
    if (!scannedCode) return;
    setCode(scannedCode.code);
    setScanned(true);
    setProblem(null);
  }, [scannedCode]);
  useEffect(() => {
    setUrl((current) => (current === '' ? portalUrl : current));
  }, [portalUrl]);

  const enrol = async () => {
    setActive(null);
    if (!looksLikeUrl(url)) return setProblem({ code: 'enrolment.url_invalid', message: '' });
    if (code.trim().length < 6) return setProblem({ code: 'enrolment.code_short', message: '' });
    setBusy(true);
    setProblem(null);
    const answer = await api['enrolment.enrol']({ portalUrl: url.trim(), code: code.trim() });
    setBusy(false);
    if (answer.ok) return onEnrolled();
    setProblem(answer.error);
  };

  return (
    <main className="enrolment" lang={lang} dir="ltr" aria-labelledby="enrolment-title">
      <h1 id="enrolment-title">{t('enrolment.title')}</h1>
      <p>{t('enrolment.text')}</p>
      <StaffField
        id="enrolment-url"
        label={t('enrolment.url')}
        value={url}
        onChange={setUrl}
        fieldType="email"
        language={lang}
        active={active === 'url'}
        onOpen={() => setActive('url')}
        onDone={() => setActive('code')}
        maxLength={300}
        hint={t('enrolment.urlHint')}
        extraKeys={urlKeys}
      />
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
        active={active === 'code'}
        onOpen={() => setActive('code')}
        onDone={() => setActive(null)}
        maxLength={40}
        hint={t('enrolment.codeHint')}
      />
      {scanned && (
        <p role="status" className="staff-notice">
          {t('enrolment.scanned')}
        </p>
      )}
      {problem && (
        <p role="alert" className="staff-problem">
          {problemText(t, problem)}
        </p>
      )}
      {busy && <p role="status">{t('enrolment.busy')}</p>}
      <button type="button" onClick={enrol} disabled={busy}>
        {t('enrolment.submit')}
      </button>
    </main>
  );
}
