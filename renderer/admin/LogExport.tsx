import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import { problemText, type StaffProblem } from '../staff/errors.ts';

/** Writes the audit log and the terminal's state (no personal data) to the export folder. */
export function LogExport({ api }: { api: KioskApi }) {
  const { t } = useTranslation('staff');
  const [written, setWritten] = useState<{ file: string; entries: number } | null>(null);
  const [problem, setProblem] = useState<StaffProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const exportLog = async () => {
    setBusy(true);
    setWritten(null);
    setProblem(null);
    const answer = await api['admin.exportLog']({});
    setBusy(false);
    if (answer.ok) setWritten(answer.value);
    else setProblem(answer.error);
  };

  return (
    <section className="admin-section" aria-labelledby="export-title">
      <h2 id="export-title">{t('admin.sections.export')}</h2>
      <p>{t('admin.export.text')}</p>
      {problem && (
        <p role="alert" className="staff-problem">
          {problemText(t, problem)}
        </p>
      )}
      {written && (
        <div role="status" className="staff-notice">
          <p>{t('admin.export.done', { count: written.entries })}</p>
          <p className="admin-file" dir="ltr">
            {written.file}
          </p>
        </div>
      )}
      <button type="button" onClick={exportLog} disabled={busy}>
        {t('admin.export.button')}
      </button>
    </section>
  );
}
