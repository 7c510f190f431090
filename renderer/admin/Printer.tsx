import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { SystemStatus } from '../../api/contract.ts';
import { ProblemAlert } from '../staff/ProblemAlert.tsx';
import { useCall } from '../staff/use-call.ts';

/** The printer's state and a test page (a sample receipt without personal data). */
export function Printer({ api }: { api: KioskApi }) {
  const { t } = useTranslation('staff');
  const [printer, setPrinter] = useState<SystemStatus['printer'] | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);
  const call = useCall();
  const { read } = call;

  const refresh = useCallback(async () => {
    const status = await read(() => api['system.status']({}));
    if (status) setPrinter(status.printer);
  }, [api, read]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const test = async () => {
    setPrinted(null);
    const answer = await call.run(() => api['admin.printTest']({}));
    if (!answer.ok) return;
    setPrinted(
      answer.value.state === 'failed'
        ? t('admin.printer.failed', { code: answer.value.code ?? '–' })
        : t(`admin.printer.${answer.value.state}`),
    );
    void refresh();
  };

  return (
    <section className="admin-section" aria-labelledby="printer-title">
      <h2 id="printer-title">{t('admin.sections.printer')}</h2>
      {printer && (
        <dl className="staff-facts">
          <div>
            <dt>{t('admin.printer.name')}</dt>
            <dd dir="auto">{printer.name ?? '–'}</dd>
          </div>
          <div>
            <dt>{t('admin.printer.state')}</dt>
            <dd>{t(`admin.printer.states.${printer.state}`)}</dd>
          </div>
        </dl>
      )}
      <ProblemAlert problem={call.problem} />
      {printed && (
        <p role="status" className="staff-notice">
          {printed}
        </p>
      )}
      <button type="button" onClick={test} disabled={call.busy}>
        {t('admin.printer.test')}
      </button>
    </section>
  );
}
