import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import { ProblemAlert } from '../staff/ProblemAlert.tsx';
import { useCall } from '../staff/use-call.ts';

/** Writes the audit log and the terminal's state (no personal data) to the export folder. */
export function LogExport({ api }: { api: KioskApi }) {
  const { t } = useTranslation('staff');
  const [written, setWritten] = useState<{ file: string; entries: number } | null>(null);
  const call = useCall();

  const exportLog = async () => {
    setWritten(null);
    const answer = await call.run(() => api['admin.exportLog']({}));
    if (answer.ok) setWritten(answer.value);
  };

  return (
    <section className="admin-section" aria-labelledby="export-title">
      <h2 id="export-title">{t('admin.sections.export')}</h2>
      <p>{t('admin.export.text')}</p>
      <ProblemAlert problem={call.problem} />
      {written && (
        <div role="status" className="staff-notice">
          <p>{t('admin.export.done', { count: written.entries })}</p>
          <p className="admin-file" dir="ltr">
            {written.file}
          </p>
        </div>
      )}
      <button type="button" onClick={exportLog} disabled={call.busy}>
        {t('admin.export.button')}
      </button>
    </section>
  );
}
