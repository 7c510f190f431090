import { useTranslation } from 'react-i18next';
import type { FieldDefinition, FieldValue } from '../../api/forms.ts';

/** A choice as large radio tiles: one tap selects, no list to scroll or open. */
export function ChoiceField({
  base,
  field,
  value,
  error,
  onChange,
}: {
  base: string;
  field: FieldDefinition;
  value: FieldValue;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const labelId = `${field.id}-label`;
  const errorId = `${field.id}-error`;
  return (
    <fieldset
      className="field choice"
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
    >
      <legend id={labelId}>{t(`${base}.fields.${field.id}.label`)}</legend>
      <div className="choice-options">
        {(field.options ?? []).map((option) => (
          <label key={option} className={value === option ? 'choice-option selected' : 'choice-option'}>
            <input
              type="radio"
              name={field.id}
              value={option}
              checked={value === option}
              onChange={() => onChange(option)}
            />
            <span>{t(`${base}.fields.${field.id}.options.${option}`)}</span>
          </label>
        ))}
      </div>
      {error && (
        <p id={errorId} className="field-error">
          {t(`validation.${error}`)}
        </p>
      )}
    </fieldset>
  );
}
