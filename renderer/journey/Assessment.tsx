import { useTranslation } from 'react-i18next';
import type { AssessmentNote } from '../../api/forms.ts';

/**
 * What the terminal estimates from the answers so far (the core's notes: codes, amounts in cents,
 * dates), said in the visitor's language under `assessment.<code>`. Lists are codes too
 * (`assessment.items.<item>`). An estimate, never a decision: the heading says so.
 */
export function Assessment({
  notes,
  language,
  formatDate,
}: {
  notes: readonly AssessmentNote[];
  language: string;
  formatDate: (iso: string) => string;
}) {
  const { t } = useTranslation();
  const money = new Intl.NumberFormat(language, { style: 'currency', currency: 'EUR' });
  const count = new Intl.NumberFormat(language);
  const params = (note: AssessmentNote): Record<string, string> => ({
    ...Object.fromEntries(Object.entries(note.amounts ?? {}).map(([k, v]) => [k, money.format(v / 100)])),
    ...Object.fromEntries(Object.entries(note.dates ?? {}).map(([k, v]) => [k, formatDate(v)])),
    ...Object.fromEntries(Object.entries(note.counts ?? {}).map(([k, v]) => [k, count.format(v)])),
    ...note.facts,
  });
  return (
    <section className="assessment" aria-labelledby="assessment-title">
      <h2 id="assessment-title">{t('assessment.title')}</h2>
      {notes.map((note, index) => (
        <div
          // the same code can come twice (two cautions): the position tells them apart
          // biome-ignore lint/suspicious/noArrayIndexKey: notes are replaced as a whole, never reordered
          key={`${note.code}-${index}`}
          className={`assessment-note ${note.tone}`}
          role={note.tone === 'stop' ? 'alert' : undefined}
        >
          <p>{t(`assessment.${note.code}`, params(note))}</p>
          {note.items && note.items.length > 0 && (
            <ul>
              {note.items.map((item) => (
                <li key={item}>{t(`assessment.items.${item}`, params(note))}</li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}
