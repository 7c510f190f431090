import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { AdminStatus } from '../../api/staff.ts';
import { ProblemAlert } from '../staff/ProblemAlert.tsx';
import { useCall } from '../staff/use-call.ts';
import { formatDuration } from './format.ts';

/** How often the overview asks for the terminal's state while it is shown. */
export const statusPollMs = 5_000;

/**
 * The terminal at a glance: identity, enrolment, where its key is kept, versions, uptime,
 * memory, sessions and whether the audit log is intact. Counts and codes only: no personal data
 * exists in this status. Polled while shown.
 */
export function Overview({ api }: { api: KioskApi }) {
  const { t } = useTranslation('staff');
  const [status, setStatus] = useState<AdminStatus | null>(null);
  const { problem, read, show } = useCall();

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const status = await read(() => api['admin.status']({}));
      if (!live) return;
      if (status) {
        setStatus(status);
        show(null);
      }
      timer = setTimeout(poll, statusPollMs);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, read, show]);

  const yes = (value: boolean) => (value ? t('common.yes') : t('common.no'));
  return (
    <section className="admin-section" aria-labelledby="overview-title">
      <h2 id="overview-title">{t('admin.sections.overview')}</h2>
      <ProblemAlert problem={problem} />
      {!status && !problem && <p role="status">{t('common.loading')}</p>}
      {status && (
        <>
          <dl className="staff-facts">
            <Fact label={t('admin.overview.terminalId')} value={status.terminal.id ?? '–'} ltr />
            <Fact label={t('admin.overview.location')} value={status.terminal.location} />
            <Fact label={t('admin.overview.enrolled')} value={yes(status.terminal.enrolled)} />
            <Fact label={t('admin.overview.portal')} value={status.terminal.portalUrl} ltr />
            <Fact
              label={t('admin.overview.keyStorage')}
              value={`${status.terminal.keyStorage.backend} (${
                status.terminal.keyStorage.encrypted
                  ? t('admin.overview.encrypted')
                  : t('admin.overview.notEncrypted')
              })`}
            />
            <Fact
              label={t('admin.overview.configVersion')}
              value={status.terminal.configVersion === null ? '–' : String(status.terminal.configVersion)}
            />
            <Fact label={t('admin.overview.appVersion')} value={status.terminal.appVersion} ltr />
            <Fact
              label={t('admin.overview.uptime')}
              value={formatDuration(t, status.terminal.uptimeSeconds)}
            />
            <Fact
              label={t('admin.overview.memory')}
              value={t('admin.overview.memoryValue', {
                rss: status.memoryMb.rss,
                heap: status.memoryMb.heapUsed,
              })}
            />
            <Fact label={t('admin.overview.sessions')} value={String(status.sessionsSinceStart)} />
            <Fact
              label={t('admin.overview.audit')}
              value={
                status.audit === null
                  ? t('admin.overview.auditNone')
                  : status.audit.intact
                    ? t('admin.overview.auditIntact', { count: status.audit.entries })
                    : t('admin.overview.auditBroken', { count: status.audit.problems.length })
              }
            />
          </dl>
          {status.terminal.keyStorage.warning && (
            <p className="staff-warning" role="note">
              {t('admin.overview.keyWarning')}{' '}
              <span lang="en" dir="ltr">
                {status.terminal.keyStorage.warning}
              </span>
            </p>
          )}
          {status.audit && !status.audit.intact && (
            <ul className="staff-warning" aria-label={t('admin.overview.auditProblems')}>
              {status.audit.problems.map((text) => (
                <li key={text} lang="en" dir="ltr">
                  {text}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

export function Fact({ label, value, ltr = false }: { label: string; value: string; ltr?: boolean }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd dir={ltr ? 'ltr' : 'auto'}>{value}</dd>
    </div>
  );
}
