import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { AdminStatus } from '../../api/staff.ts';
import { problemText, type StaffProblem } from '../staff/errors.ts';
import { formatDuration, formatTime } from './format.ts';
import { Fact } from './Overview.tsx';

/** The queue to the portal: counts by state, the oldest waiting item's age, errors, alarms; sync now. */
export function Queue({ api, language }: { api: KioskApi; language: string }) {
  const { t } = useTranslation('staff');
  const [queue, setQueue] = useState<AdminStatus['queue'] | undefined>(undefined);
  const [synced, setSynced] = useState<string | null>(null);
  const [problem, setProblem] = useState<StaffProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    const status = await api['admin.status']({});
    if (status.ok) setQueue(status.value.queue);
    else setProblem(status.error);
  }, [api]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const syncNow = async () => {
    setBusy(true);
    setSynced(null);
    setProblem(null);
    const answer = await api['admin.syncNow']({});
    setBusy(false);
    if (answer.ok) setSynced(t('admin.queue.synced', answer.value));
    else setProblem(answer.error);
    await refresh();
  };

  return (
    <section className="admin-section" aria-labelledby="queue-title">
      <h2 id="queue-title">{t('admin.sections.queue')}</h2>
      {queue === null && <p>{t('admin.queue.notEnrolled')}</p>}
      {queue && (
        <>
          <dl className="staff-facts">
            <Fact label={t('admin.queue.queued')} value={String(queue.queued)} />
            <Fact label={t('admin.queue.sending')} value={String(queue.sending)} />
            <Fact label={t('admin.queue.delivered')} value={String(queue.delivered)} />
            <Fact label={t('admin.queue.rejected')} value={String(queue.rejected)} />
            <Fact
              label={t('admin.queue.oldest')}
              value={
                queue.oldestPendingAgeSeconds === null
                  ? '–'
                  : formatDuration(t, queue.oldestPendingAgeSeconds)
              }
            />
            <Fact label={t('admin.queue.lastError')} value={queue.lastError ?? '–'} ltr />
          </dl>
          <h3 id="alarms-title">{t('admin.queue.alarms')}</h3>
          {queue.alarms.length === 0 ? (
            <p>{t('admin.queue.noAlarms')}</p>
          ) : (
            <ul className="admin-list staff-warning" aria-labelledby="alarms-title">
              {queue.alarms.map((alarm) => (
                <li key={`${alarm.code}-${alarm.at}`}>
                  {formatTime(language, alarm.at)} · <span dir="ltr">{alarm.code}</span> ·{' '}
                  <span lang="en" dir="ltr">
                    {alarm.message}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {problem && (
        <p role="alert" className="staff-problem">
          {problemText(t, problem)}
        </p>
      )}
      {synced && (
        <p role="status" className="staff-notice">
          {synced}
        </p>
      )}
      <div className="staff-actions-row">
        <button type="button" className="secondary" onClick={refresh} disabled={busy}>
          {t('common.refresh')}
        </button>
        <button type="button" onClick={syncNow} disabled={busy}>
          {t('admin.queue.syncNow')}
        </button>
      </div>
    </section>
  );
}
