import { useTranslation } from 'react-i18next';
import { problemText, type StaffProblem } from './errors.ts';

/** The translated problem of a failed call, as an alert; nothing when there is none. */
export function ProblemAlert({ problem }: { problem: StaffProblem | null }) {
  const { t } = useTranslation('staff');
  if (!problem) return null;
  return (
    <p role="alert" className="staff-problem">
      {problemText(t, problem)}
    </p>
  );
}
