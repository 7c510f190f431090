import { useTranslation } from 'react-i18next';
import type { FieldValue, JourneyState } from '../../api/forms.ts';

/** Everything entered, step by step, each with a link back to change it. */
export function Review({
  base,
  summary,
  onEdit,
  formatDate,
}: {
  base: string;
  summary: NonNullable<JourneyState['summary']>;
  onEdit: (stepId: string) => void;
  formatDate: (iso: string) => string;
}) {
  const { t } = useTranslation();
  const show = (type: string, id: string, value: FieldValue) => {
    if (value === null || value === '') return '—';
    if (typeof value === 'boolean') return t(value ? 'journey.yes' : 'journey.no');
    if (type === 'choice') return t(`${base}.fields.${id}.options.${value}`);
    if (type === 'date') return formatDate(value);
    return value;
  };
  return (
    <div className="review">
      {summary.map((section) => (
        <section key={section.stepId} className="review-section" aria-labelledby={`review-${section.stepId}`}>
          <div className="review-head">
            <h3 id={`review-${section.stepId}`}>{t(`${base}.steps.${section.stepId}.title`)}</h3>
            <button
              type="button"
              className="secondary"
              aria-label={t('journey.editStep', { step: t(`${base}.steps.${section.stepId}.title`) })}
              onClick={() => onEdit(section.stepId)}
            >
              {t('journey.edit')}
            </button>
          </div>
          <dl>
            {section.fields.map((field) => (
              <div key={field.id} className="review-row">
                <dt>{t(`${base}.fields.${field.id}.label`)}</dt>
                <dd dir="auto">{show(field.type, field.id, field.value)}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
