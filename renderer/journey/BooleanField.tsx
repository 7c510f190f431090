import { useTranslation } from 'react-i18next';
import type { FieldDefinition, FieldValue } from '../../api/forms.ts';

/** A declaration or acknowledgement: a large checkbox with its full text as the label. */
export function BooleanField({
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
  onChange: (value: boolean) => void;
}) {
  const { t } = useTranslation();
  const errorId = `${field.id}-error`;
  return (
    <div className="field boolean">
      <label className={value === true ? 'check selected' : 'check'}>
        <input
          type="checkbox"
          checked={value === true}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => onChange(event.target.checked)}
        />
        <span>{t(`${base}.fields.${field.id}.label`)}</span>
      </label>
      {error && (
        <p id={errorId} className="field-error">
          {t(`validation.${error}`)}
        </p>
      )}
    </div>
  );
}
