import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import { ProblemAlert } from '../staff/ProblemAlert.tsx';
import { useCall } from '../staff/use-call.ts';

type Step = 'start' | 'confirm' | 'discard';

/** The number of undelivered items the host names in a `wipe.undelivered` refusal. */
export function undeliveredCount(message: string): number | null {
  const match = /^(\d+)\b/.exec(message.trim());
  return match ? Number(match[1]) : null;
}

/**
 * Deletes the terminal's queue, keys and enrolment, in two explicit steps; when applications are
 * still waiting for the portal, a third step names how many would be lost and asks again. The
 * terminal then has to be enrolled again.
 */
export function Wipe({
  api,
  onWiping,
  onWiped,
}: {
  api: KioskApi;
  /** Called before the wipe is sent: the administrator session ends during it. */
  onWiping: (wiping: boolean) => void;
  onWiped: () => void;
}) {
  const { t } = useTranslation('staff');
  const [step, setStep] = useState<Step>('start');
  const [undelivered, setUndelivered] = useState<number | null>(null);
  const call = useCall();

  const wipe = async (discardUndelivered: boolean) => {
    onWiping(true);
    const answer = await call.run(
      () => api['admin.wipe']({ confirm: 'WIPE', discardUndelivered }),
      ['wipe.undelivered'],
    );
    if (answer.ok) return onWiped();
    onWiping(false);
    if (answer.error.code === 'wipe.undelivered') {
      setUndelivered(undeliveredCount(answer.error.message));
      setStep('discard');
    }
  };
  const cancel = () => {
    setStep('start');
    setUndelivered(null);
    call.show(null);
  };

  return (
    <section className="admin-section admin-wipe" aria-labelledby="wipe-title">
      <h2 id="wipe-title">{t('admin.sections.wipe')}</h2>
      <p>{t('admin.wipe.text')}</p>
      <ProblemAlert problem={call.problem} />
      {step === 'start' && (
        <button type="button" className="danger" onClick={() => setStep('confirm')}>
          {t('admin.wipe.start')}
        </button>
      )}
      {step === 'confirm' && (
        <section className="staff-confirm" aria-labelledby="wipe-confirm-title">
          <h3 id="wipe-confirm-title">{t('admin.wipe.confirmTitle')}</h3>
          <p>{t('admin.wipe.confirmText')}</p>
          <div className="staff-actions-row">
            <button type="button" className="secondary" onClick={cancel} disabled={call.busy}>
              {t('common.cancel')}
            </button>
            <button type="button" className="danger" onClick={() => wipe(false)} disabled={call.busy}>
              {t('admin.wipe.confirm')}
            </button>
          </div>
        </section>
      )}
      {step === 'discard' && (
        <section className="staff-confirm" aria-labelledby="wipe-discard-title">
          <h3 id="wipe-discard-title">{t('admin.wipe.undeliveredTitle')}</h3>
          <p role="alert">
            {undelivered === null
              ? t('admin.wipe.undeliveredUnknown')
              : t('admin.wipe.undeliveredText', { count: undelivered })}
          </p>
          <div className="staff-actions-row">
            <button type="button" className="secondary" onClick={cancel} disabled={call.busy}>
              {t('common.cancel')}
            </button>
            <button type="button" className="danger" onClick={() => wipe(true)} disabled={call.busy}>
              {undelivered === null
                ? t('admin.wipe.discardUnknown')
                : t('admin.wipe.discard', { count: undelivered })}
            </button>
          </div>
        </section>
      )}
    </section>
  );
}
