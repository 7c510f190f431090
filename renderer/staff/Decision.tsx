import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { JourneyResult } from '../../api/contract.ts';
import type { Verification } from '../../api/forms.ts';
import { type RefuseReason, refuseReasonSchema } from '../../api/staff.ts';
import type { Calls } from './use-call.ts';

/**
 * The clerk's decision on an account activation: what the terminal found (the account, each
 * check, where the document data came from), then confirm — only when every check held and the
 * clerk has compared the person with the document in hand — or refuse with a reason. The host
 * answers with the visitor's result, which the app shows as the result screen.
 */
export function Decision({
  api,
  verification,
  onResult,
  calls,
}: {
  api: KioskApi;
  verification: Verification | undefined;
  onResult: (result: JourneyResult) => void;
  /** The desk's calls: its buttons wait and its problem line speaks for this one too. */
  calls: Calls;
}) {
  const { t } = useTranslation('staff');
  const [inPerson, setInPerson] = useState(false);
  const [reason, setReason] = useState<RefuseReason | null>(null);
  const { busy } = calls;

  if (!verification || verification.state === 'checking') {
    return (
      <section className="staff-decision" aria-labelledby="decision-title">
        <h3 id="decision-title">{t('decision.title')}</h3>
        <p role="status">{t('decision.checking')}</p>
      </section>
    );
  }
  const outcome = verification.outcome ?? 'offline';
  const decided = verification.decision !== null;
  const canConfirm = outcome === 'match' && !decided && inPerson && !busy;

  const decide = async (
    input: { decision: 'confirm' } | { decision: 'refuse'; reason: RefuseReason },
  ): Promise<void> => {
    const result = await calls.run(() => api['staff.decideActivation'](input));
    if (result.ok) onResult(result.value);
  };

  return (
    <section className="staff-decision" aria-labelledby="decision-title">
      <h3 id="decision-title">{t('decision.title')}</h3>
      <p className={`staff-outcome ${outcome}`}>{t(`decision.outcome.${outcome}`)}</p>
      {verification.account && (
        <dl className="staff-facts">
          <div>
            <dt>{t('decision.account')}</dt>
            <dd dir="auto">{verification.account.displayName}</dd>
          </div>
          <div>
            <dt>{t('decision.email')}</dt>
            <dd dir="ltr">{verification.account.emailHint}</dd>
          </div>
        </dl>
      )}
      {verification.checks.length > 0 && (
        <ul className="staff-checks">
          {verification.checks.map((check) => (
            <li key={check.id} className={check.ok ? 'ok' : 'failed'}>
              <span aria-hidden="true">{check.ok ? '✓' : '✗'}</span> {t(`decision.checks.${check.id}`)}:{' '}
              {check.ok ? t('decision.checkOk') : t('decision.checkFailed')}
            </li>
          ))}
        </ul>
      )}
      <p>
        {t('decision.source')}:{' '}
        {verification.documentSource ? t(`decision.sources.${verification.documentSource}`) : '–'}
      </p>
      {decided ? (
        <p role="status">{t(`decision.already.${verification.decision}`)}</p>
      ) : (
        <>
          {outcome === 'match' && (
            <>
              <label className="check staff-check">
                <input type="checkbox" checked={inPerson} onChange={(e) => setInPerson(e.target.checked)} />
                <span>{t('decision.inPerson')}</span>
              </label>
              <button type="button" onClick={() => decide({ decision: 'confirm' })} disabled={!canConfirm}>
                {t('decision.confirm')}
              </button>
            </>
          )}
          <fieldset className="field staff-choice">
            <legend>{t('decision.refuseReason')}</legend>
            <div className="choice-options">
              {refuseReasonSchema.options.map((id) => (
                <label key={id} className={`choice-option${reason === id ? ' selected' : ''}`}>
                  <input
                    type="radio"
                    name="refuse-reason"
                    checked={reason === id}
                    onChange={() => setReason(id)}
                  />
                  <span>{t(`refuseReasons.${id}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <button
            type="button"
            className="danger"
            disabled={reason === null || busy}
            onClick={() => reason && decide({ decision: 'refuse', reason })}
          >
            {t('decision.refuse')}
          </button>
        </>
      )}
    </section>
  );
}
