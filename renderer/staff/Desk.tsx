import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { JourneyResult } from '../../api/contract.ts';
import type { JourneyState } from '../../api/forms.ts';
import type { StaffSession } from '../../api/staff.ts';
import { Decision } from './Decision.tsx';
import { ManualEntry } from './ManualEntry.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';
import { type Answer, useCall } from './use-call.ts';

type View = 'actions' | 'manual' | 'confirmEnd';

/**
 * What a signed-in clerk can do on the visitor's session on screen, and nothing else: more time,
 * reprint, type the document data on a document step, decide an activation on its verification
 * step, end the session, sign out. The host audits each action.
 */
export function Desk({
  api,
  session,
  language,
  onResult,
  onJourney,
  onSignOut,
}: {
  api: KioskApi;
  session: StaffSession;
  language: string;
  onResult: (result: JourneyResult) => void;
  onJourney: (state: JourneyState) => void;
  onSignOut: () => void;
}) {
  const { t } = useTranslation('staff');
  const [journey, setJourney] = useState<JourneyState | null>(null);
  const [view, setView] = useState<View>('actions');
  const [notice, setNotice] = useState<string | null>(null);
  const call = useCall();

  useEffect(() => {
    let live = true;
    void api['journey.current']({}).then((answer) => {
      if (live && answer.ok) setJourney(answer.value);
    });
    const off = api.on('journey.updated', setJourney);
    return () => {
      live = false;
      off();
    };
  }, [api]);

  /** One of the desk's actions: the last notice gives way to its outcome. */
  const run = <T,>(action: () => Promise<Answer<T>>) => {
    setNotice(null);
    return call.run(action);
  };

  const extend = async () => {
    const info = await run(() => api['staff.extendTimeout']({}));
    if (info.ok) setNotice(t('desk.extended', { count: Math.round(info.value.idleTimeoutSeconds / 60) }));
  };
  const reprint = async () => {
    const printed = await run(() => api['staff.reprint']({}));
    if (printed.ok) setNotice(t(`desk.reprinted.${printed.value.state}`));
  };
  const endSession = async () => {
    const ended = await run(() => api['session.end']({ reason: 'staff' }));
    if (ended.ok && !ended.value.ended) setView('actions');
  };
  const acceptExpired = async () => {
    // The journey screen follows by the host's update; what the visitor typed on the step stays.
    const accepted = await run(() => api['staff.acceptDocument']({}));
    if (!accepted.ok) return;
    setJourney(accepted.value);
    setNotice(t('desk.acceptedExpired'));
  };
  const signOut = async () => {
    await api['staff.signOut']({});
    onSignOut();
  };

  const step = journey?.step.kind ?? null;
  return (
    <section className="staff-desk" aria-labelledby="desk-title">
      <h2 id="desk-title">{t('desk.title')}</h2>
      <p className="staff-who">{t('desk.signedInAs', { name: session.name })}</p>
      {notice && (
        <p role="status" className="staff-notice">
          {notice}
        </p>
      )}
      <ProblemAlert problem={call.problem} />
      {view === 'manual' && (
        <ManualEntry
          api={api}
          language={language}
          onCancel={() => setView('actions')}
          calls={call}
          onEntered={(state) => {
            setJourney(state);
            onJourney(state);
            setView('actions');
            setNotice(
              Object.keys(state.errors).length > 0 ? t('manual.enteredWithErrors') : t('manual.entered'),
            );
          }}
        />
      )}
      {view === 'confirmEnd' && (
        <section className="staff-confirm" aria-labelledby="end-title">
          <h3 id="end-title">{t('desk.endTitle')}</h3>
          <p>{t('desk.endText')}</p>
          <div className="staff-actions-row">
            <button
              type="button"
              className="secondary"
              onClick={() => setView('actions')}
              disabled={call.busy}
            >
              {t('common.back')}
            </button>
            <button type="button" className="danger" onClick={endSession} disabled={call.busy}>
              {t('desk.endConfirm')}
            </button>
          </div>
        </section>
      )}
      {view === 'actions' && (
        <>
          {journey?.document?.expired && !journey.document.accepted && (
            <section className="staff-confirm" aria-labelledby="expired-title">
              <h3 id="expired-title">{t('desk.acceptExpired')}</h3>
              <p>{t('desk.acceptExpiredText')}</p>
              <button type="button" onClick={acceptExpired} disabled={call.busy}>
                {t('desk.acceptExpired')}
              </button>
            </section>
          )}
          {step === 'verification' && (
            <Decision api={api} verification={journey?.verification} calls={call} onResult={onResult} />
          )}
          <div className="staff-actions">
            <button type="button" onClick={extend} disabled={call.busy}>
              {t('desk.extend')}
            </button>
            <button type="button" onClick={reprint} disabled={call.busy}>
              {t('desk.reprint')}
            </button>
            {step === 'document' && (
              <button type="button" onClick={() => setView('manual')} disabled={call.busy}>
                {t('desk.manual')}
              </button>
            )}
            <button
              type="button"
              className="danger"
              onClick={() => setView('confirmEnd')}
              disabled={call.busy}
            >
              {t('desk.end')}
            </button>
            <button type="button" className="secondary" onClick={signOut} disabled={call.busy}>
              {t('desk.signOut')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
