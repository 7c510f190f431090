import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import { type A11yCheckId, a11yCheckIds } from '../../api/staff.ts';
import { problemText, type StaffProblem } from '../staff/errors.ts';

type Verdict = 'pass' | 'fail' | 'not_checked';
const verdicts: readonly Verdict[] = ['pass', 'fail', 'not_checked'];

/**
 * The accessibility self-test an administrator walks through at the terminal: each check passed,
 * failed or not checked, recorded in the audit log by id (no free text: it could carry personal data).
 */
export function Checklist({ api }: { api: KioskApi }) {
  const { t } = useTranslation('staff');
  const [results, setResults] = useState<Record<A11yCheckId, Verdict>>(
    () => Object.fromEntries(a11yCheckIds.map((id) => [id, 'not_checked'])) as Record<A11yCheckId, Verdict>,
  );
  const [recorded, setRecorded] = useState(false);
  const [problem, setProblem] = useState<StaffProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const record = async () => {
    setBusy(true);
    setProblem(null);
    const answer = await api['admin.recordChecklist']({ results });
    setBusy(false);
    if (answer.ok) setRecorded(answer.value.recorded);
    else setProblem(answer.error);
  };
  const counts = verdicts.map((v) => Object.values(results).filter((r) => r === v).length);

  return (
    <section className="admin-section" aria-labelledby="checklist-title">
      <h2 id="checklist-title">{t('admin.sections.checklist')}</h2>
      <p>{t('admin.checklist.text')}</p>
      {a11yCheckIds.map((id) => (
        <fieldset key={id} className="field admin-check">
          <legend>{t(`a11yChecks.${id}`)}</legend>
          <div className="admin-verdicts">
            {verdicts.map((verdict) => (
              <label key={verdict} className={`choice-option${results[id] === verdict ? ' selected' : ''}`}>
                <input
                  type="radio"
                  name={`check-${id}`}
                  checked={results[id] === verdict}
                  onChange={() => {
                    setRecorded(false);
                    setResults((current) => ({ ...current, [id]: verdict }));
                  }}
                />
                <span>{t(`admin.checklist.verdicts.${verdict}`)}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <p>{t('admin.checklist.summary', { pass: counts[0], fail: counts[1], notChecked: counts[2] })}</p>
      {problem && (
        <p role="alert" className="staff-problem">
          {problemText(t, problem)}
        </p>
      )}
      {recorded && (
        <p role="status" className="staff-notice">
          {t('admin.checklist.recorded')}
        </p>
      )}
      <button type="button" onClick={record} disabled={busy}>
        {t('admin.checklist.record')}
      </button>
    </section>
  );
}
