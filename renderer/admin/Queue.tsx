import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { AdminStatus } from '../../api/staff.ts';
import { ProblemAlert } from '../staff/ProblemAlert.tsx';
import { useCall } from '../staff/use-call.ts';
import { formatDuration, formatTime } from './format.ts';
import { Fact } from './Overview.tsx';

/** The queue to the portal: counts by state, the oldest waiting item's age, errors, alarms; sync now. */
export function Queue({ api, language }: { api: KioskApi; language: string }) {
  const { t } = useTranslation('staff');
  const [queue, setQueue] = useState<AdminStatus['queue'] | undefined>(undefined);
  const [synced, setSynced] = useState<string | null>(null);
  const call = useCall();
  const { read } = call;

  const refresh = useCallback(async () => {
    const status = await read(() => api['admin.status']({}));
    if (status) setQueue(status.queue);
  }, [api, read]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const syncNow = async () => {
    setSynced(null);
    const answer = await call.run(() => api['admin.syncNow']({}));
    if (answer.ok) setSynced(t('admin.queue.synced', answer.value));
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
      <ProblemAlert problem={call.problem} />
      {synced && (
        <p role="status" className="staff-notice">
          {synced}
        </p>
      )}
      <div className="staff-actions-row">
        <button type="button" className="secondary" onClick={refresh} disabled={call.busy}>
          {t('common.refresh')}
        </button>
        <button type="button" onClick={syncNow} disabled={call.busy}>
          {t('admin.queue.syncNow')}
        </button>
      </div>
    </section>
  );
}
