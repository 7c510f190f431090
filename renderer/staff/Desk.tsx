import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { JourneyResult } from '../../api/contract.ts';
import type { JourneyState } from '../../api/forms.ts';
import type { StaffSession } from '../../api/staff.ts';
import type { Envelope } from '../../common/result.ts';
import { Decision } from './Decision.tsx';
import { problemText, type StaffProblem } from './errors.ts';
import { ManualEntry } from './ManualEntry.tsx';

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
  const [problem, setProblem] = useState<StaffProblem | null>(null);
  const [busy, setBusy] = useState(false);

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

  const run = async <T,>(call: () => Promise<Envelope<T>>): Promise<T | null> => {
    setBusy(true);
    setNotice(null);
    setProblem(null);
    const answer = await call();
    setBusy(false);
    if (answer.ok) return answer.value;
    setProblem(answer.error);
    return null;
  };

  const extend = async () => {
    const info = await run(() => api['staff.extendTimeout']({}));
    if (info) setNotice(t('desk.extended', { count: Math.round(info.idleTimeoutSeconds / 60) }));
  };
  const reprint = async () => {
    const printed = await run(() => api['staff.reprint']({}));
    if (printed) setNotice(t(`desk.reprinted.${printed.state}`));
  };
  const endSession = async () => {
    const ended = await run(() => api['session.end']({ reason: 'staff' }));
    if (ended && !ended.ended) setView('actions');
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
      {problem && (
        <p role="alert" className="staff-problem">
          {problemText(t, problem)}
        </p>
      )}
      {view === 'manual' && (
        <ManualEntry
          api={api}
          language={language}
          onCancel={() => setView('actions')}
          onProblem={setProblem}
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
            <button type="button" className="secondary" onClick={() => setView('actions')} disabled={busy}>
              {t('common.back')}
            </button>
            <button type="button" className="danger" onClick={endSession} disabled={busy}>
              {t('desk.endConfirm')}
            </button>
          </div>
        </section>
      )}
      {view === 'actions' && (
        <>
          {step === 'verification' && (
            <Decision
              api={api}
              verification={journey?.verification}
              onProblem={setProblem}
              onResult={onResult}
            />
          )}
          <div className="staff-actions">
            <button type="button" onClick={extend} disabled={busy}>
              {t('desk.extend')}
            </button>
            <button type="button" onClick={reprint} disabled={busy}>
              {t('desk.reprint')}
            </button>
            {step === 'document' && (
              <button type="button" onClick={() => setView('manual')} disabled={busy}>
                {t('desk.manual')}
              </button>
            )}
            <button type="button" className="danger" onClick={() => setView('confirmEnd')} disabled={busy}>
              {t('desk.end')}
            </button>
            <button type="button" className="secondary" onClick={signOut} disabled={busy}>
              {t('desk.signOut')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
