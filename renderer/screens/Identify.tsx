import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import { KeyboardField, OnScreenKeyboard, useKeyboardLabels } from '../keyboard/index.ts';

type Field = 'accountName' | 'password';

const knownErrors = new Set([
  'invalid_credentials',
  'locked',
  'portal_unavailable',
  'code_invalid',
  'code_expired',
  'no_second_factor',
  'second_factor_required',
]);

const errorKey = (code: string): string => {
  const reason = code.replace(/^account\./, '');
  return `identify.errors.${knownErrors.has(reason) ? reason : 'generic'}`;
};

/**
 * Before an application: sign in with the city service account (the application is then filed
 * under it and the birth date is filled in), or go on as a guest. The password is typed on the
 * on-screen keyboard, shown as dots, sent once and then forgotten here. Then, as the city's own
 * account login asks, the one-time code the portal sent to the account's phone, on the digit pad.
 */
export function Identify({
  api,
  language,
  serviceTitle,
  onContinue,
  onBack,
}: {
  api: KioskApi;
  language: string;
  serviceTitle: string;
  onContinue: () => void;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const [signingIn, setSigningIn] = useState(false);
  const [values, setValues] = useState<Record<Field, string>>({ accountName: '', password: '' });
  const [active, setActive] = useState<Field | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [signedIn, setSignedIn] = useState<{ displayName: string; emailHint: string } | null>(null);
  /** The masked phone a one-time code went to, while the sign-in waits for it. */
  const [codeSentTo, setCodeSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [codeOpen, setCodeOpen] = useState(false);
  const labels = useKeyboardLabels();

  const signIn = async () => {
    if (values.accountName.trim() === '' || values.password === '') {
      setError('identify.errors.missing');
      return;
    }
    setBusy(true);
    const answer = await api['account.signIn'](values);
    setBusy(false);
    // The password is not kept in the screen's state after the attempt, whatever its outcome.
    setValues((v) => ({ ...v, password: '' }));
    setActive(null);
    if (answer.ok) {
      if ('secondFactor' in answer.value) setCodeSentTo(answer.value.phoneHint);
      else setSignedIn(answer.value);
      setError(null);
    } else setError(errorKey(answer.error.code));
  };

  const confirmCode = async () => {
    if (code === '') {
      setError('identify.errors.code_invalid');
      return;
    }
    setBusy(true);
    const answer = await api['account.confirmCode']({ code });
    setBusy(false);
    setCode('');
    setCodeOpen(false);
    if (answer.ok) {
      setSignedIn(answer.value);
      setCodeSentTo(null);
      setError(null);
      return;
    }
    setError(errorKey(answer.error.code));
    // Only a mistyped code may be typed again; otherwise the visitor signs in anew for a new code.
    if (answer.error.code !== 'account.code_invalid') setCodeSentTo(null);
  };

  if (signedIn) {
    return (
      <main className="identify" aria-labelledby="identify-title">
        <p className="journey-service">{serviceTitle}</p>
        <h1 id="identify-title">{t('identify.signedInTitle')}</h1>
        <p role="status">
          <span dir="auto">{signedIn.displayName}</span> <span dir="ltr">({signedIn.emailHint})</span>
        </p>
        <p>{t('identify.signedInText')}</p>
        {/* A password alone proves no identity; the application records that (core/identify.ts). */}
        <p>{t('identify.notProof')}</p>
        <nav className="journey-nav" aria-label={t('journey.navigation')}>
          <button type="button" className="secondary" onClick={onBack}>
            {t('journey.back')}
          </button>
          <button type="button" onClick={onContinue}>
            {t('journey.next')}
          </button>
        </nav>
      </main>
    );
  }

  if (codeSentTo !== null) {
    return (
      <main className="identify" aria-labelledby="identify-title">
        <p className="journey-service">{serviceTitle}</p>
        <h1 id="identify-title">{t('identify.code.title')}</h1>
        <p className="journey-text">{t('identify.code.text', { phoneHint: codeSentTo })}</p>
        <div className="fields">
          <div className="field text-field">
            <KeyboardField
              id="identify-code"
              label={t('identify.code.label')}
              value={code}
              fieldType="number"
              active={codeOpen}
              required
              placeholder={t('journey.empty')}
              onOpen={() => setCodeOpen(true)}
            />
            {codeOpen && (
              <OnScreenKeyboard
                language={language}
                fieldType="number"
                value={code}
                onChange={(value) => setCode(value.replace(/[^0-9]/g, ''))}
                onDone={() => setCodeOpen(false)}
                labels={labels}
                maxLength={10}
              />
            )}
          </div>
          {error && (
            <p className="field-error" role="alert">
              {t(error)}
            </p>
          )}
          <div className="identify-choices">
            <button type="button" onClick={confirmCode} disabled={busy}>
              {t('identify.code.submit')}
            </button>
            <button type="button" className="secondary" onClick={onContinue} disabled={busy}>
              {t('identify.guest')}
            </button>
          </div>
        </div>
      </main>
    );
  }

  return (
    <main className="identify" aria-labelledby="identify-title">
      <p className="journey-service">{serviceTitle}</p>
      <h1 id="identify-title">{t('identify.title')}</h1>
      <p className="journey-text">{t('identify.text')}</p>
      {!signingIn ? (
        <div className="identify-choices">
          <button type="button" onClick={() => setSigningIn(true)}>
            {t('identify.signIn')}
          </button>
          <button type="button" className="secondary" onClick={onContinue}>
            {t('identify.guest')}
          </button>
        </div>
      ) : (
        <div className="fields">
          {(['accountName', 'password'] as const).map((field) => (
            <div className="field text-field" key={field}>
              <KeyboardField
                id={`identify-${field}`}
                label={t(`identify.${field}`)}
                value={values[field]}
                fieldType="email"
                masked={field === 'password'}
                active={active === field}
                required
                placeholder={t('journey.empty')}
                onOpen={() => setActive(field)}
              />
              {active === field && (
                <OnScreenKeyboard
                  language={language}
                  fieldType={field === 'password' ? 'name' : 'email'}
                  value={values[field]}
                  onChange={(value) => setValues((v) => ({ ...v, [field]: value }))}
                  onDone={() => setActive(null)}
                  labels={labels}
                  maxLength={field === 'password' ? 200 : 100}
                />
              )}
            </div>
          ))}
          {error && (
            <p className="field-error" role="alert">
              {t(error)}
            </p>
          )}
          <div className="identify-choices">
            <button type="button" onClick={signIn} disabled={busy}>
              {t('identify.submit')}
            </button>
            <button type="button" className="secondary" onClick={onContinue} disabled={busy}>
              {t('identify.guest')}
            </button>
          </div>
        </div>
      )}
      {!signingIn && (
        <nav className="journey-nav" aria-label={t('journey.navigation')}>
          <button type="button" className="secondary" onClick={onBack}>
            {t('journey.back')}
          </button>
        </nav>
      )}
    </main>
  );
}
