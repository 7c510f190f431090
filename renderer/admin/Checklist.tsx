import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import { type A11yCheckId, a11yCheckIds } from '../../api/staff.ts';
import { ProblemAlert } from '../staff/ProblemAlert.tsx';
import { useCall } from '../staff/use-call.ts';

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
  const call = useCall();

  const record = async () => {
    const answer = await call.run(() => api['admin.recordChecklist']({ results }));
    if (answer.ok) setRecorded(answer.value.recorded);
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
      <ProblemAlert problem={call.problem} />
      {recorded && (
        <p role="status" className="staff-notice">
          {t('admin.checklist.recorded')}
        </p>
      )}
      <button type="button" onClick={record} disabled={call.busy}>
        {t('admin.checklist.record')}
      </button>
    </section>
  );
}
