import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { Verification as VerificationState } from '../../api/forms.ts';

/**
 * What the terminal found when it compared the document with the service account, in the
 * visitor's words: each check with a mark, then what happens next. A clerk confirms in person
 * (the staff overlay); the visitor can call one from here.
 */
export function Verification({
  api,
  verification,
}: {
  api: KioskApi;
  verification: VerificationState | undefined;
}) {
  const { t } = useTranslation();
  const [called, setCalled] = useState(false);
  if (!verification || verification.state === 'checking') {
    return (
      <p className="verification checking" role="status" aria-live="polite">
        {t('verification.checking')}
      </p>
    );
  }
  const outcome = verification.outcome ?? 'offline';
  const callStaff = async () => {
    const answer = await api['staff.call']({});
    setCalled(answer.ok);
  };
  return (
    <section className={`verification ${outcome}`} aria-labelledby="verification-title" aria-live="polite">
      <h2 id="verification-title">{t(`verification.outcome.${outcome}`)}</h2>
      {verification.account && (
        <p className="verification-account">
          <span dir="auto">{verification.account.displayName}</span>{' '}
          <span dir="ltr">({verification.account.emailHint})</span>
        </p>
      )}
      {verification.checks.length > 0 && (
        <ul className="verification-checks">
          {verification.checks.map((check) => (
            <li key={check.id} className={check.ok ? 'ok' : 'failed'}>
              <span aria-hidden="true">{check.ok ? '✓' : '✗'}</span>{' '}
              {t(`verification.checks.${check.id}.${check.ok ? 'ok' : 'failed'}`)}
            </li>
          ))}
        </ul>
      )}
      <p>{t(`verification.next.${outcome}`)}</p>
      {called ? (
        <p role="status">{t('staff.calledText')}</p>
      ) : (
        <button type="button" onClick={callStaff}>
          {t('staff.call')}
        </button>
      )}
    </section>
  );
}
