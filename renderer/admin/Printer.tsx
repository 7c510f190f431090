import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { SystemStatus } from '../../api/contract.ts';
import { problemText, type StaffProblem } from '../staff/errors.ts';

/** The printer's state and a test page (a sample receipt without personal data). */
export function Printer({ api }: { api: KioskApi }) {
  const { t } = useTranslation('staff');
  const [printer, setPrinter] = useState<SystemStatus['printer'] | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);
  const [problem, setProblem] = useState<StaffProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = async () => {
    const status = await api['system.status']({});
    if (status.ok) setPrinter(status.value.printer);
    else setProblem(status.error);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: asked once when the screen opens
  useEffect(() => {
    void refresh();
  }, [api]);

  const test = async () => {
    setBusy(true);
    setPrinted(null);
    setProblem(null);
    const answer = await api['admin.printTest']({});
    setBusy(false);
    if (!answer.ok) return setProblem(answer.error);
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
      {problem && (
        <p role="alert" className="staff-problem">
          {problemText(t, problem)}
        </p>
      )}
      {printed && (
        <p role="status" className="staff-notice">
          {printed}
        </p>
      )}
      <button type="button" onClick={test} disabled={busy}>
        {t('admin.printer.test')}
      </button>
    </section>
  );
}
