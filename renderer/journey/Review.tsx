import { useTranslation } from 'react-i18next';
import type { FieldDefinition, FieldValue, JourneyState } from '../../api/forms.ts';

/** Everything entered, step by step, each with a link back to change it. */
export function Review({
  base,
  summary,
  wording,
  onEdit,
  formatValue,
}: {
  base: string;
  summary: NonNullable<JourneyState['summary']>;
  /** Whom the texts address (`JourneyState.wording`). */
  wording?: string | undefined;
  onEdit: (stepId: string) => void;
  /** Dates, money and countries as the visitor reads them (format.ts). */
  formatValue: (type: FieldDefinition['type'], value: string) => string;
}) {
  const { t } = useTranslation();
  const texts = wording === undefined ? {} : { context: wording };
  const show = (type: FieldDefinition['type'], id: string, value: FieldValue) => {
    if (value === null || value === '') return '—';
    if (typeof value === 'boolean') return t(value ? 'journey.yes' : 'journey.no');
    if (type === 'choice') return t(`${base}.fields.${id}.options.${value}`);
    return formatValue(type, value);
  };
  return (
    <div className="review">
      {summary.map((section) => (
        <section key={section.stepId} className="review-section" aria-labelledby={`review-${section.stepId}`}>
          <div className="review-head">
            <h3 id={`review-${section.stepId}`}>{t(`${base}.steps.${section.stepId}.title`, texts)}</h3>
            <button
              type="button"
              className="secondary"
              aria-label={t('journey.editStep', {
                step: t(`${base}.steps.${section.stepId}.title`, texts),
              })}
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
