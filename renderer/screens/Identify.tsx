import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import { KeyboardField, OnScreenKeyboard, useKeyboardLabels } from '../keyboard/index.ts';

type Field = 'accountName' | 'password';

const knownErrors = new Set(['invalid_credentials', 'locked', 'portal_unavailable']);

/**
 * Before an application: sign in with the city service account (the application is then filed
 * under it and the birth date is filled in), or go on as a guest. The password is typed on the
 * on-screen keyboard, shown as dots, sent once and then forgotten here.
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
      setSignedIn(answer.value);
      setError(null);
    } else {
      const reason = answer.error.code.replace(/^account\./, '');
      setError(`identify.errors.${knownErrors.has(reason) ? reason : 'generic'}`);
    }
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
