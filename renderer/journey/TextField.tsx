import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldDefinition } from '../../api/forms.ts';
import { KeyboardField, OnScreenKeyboard, useKeyboardLabels } from '../keyboard/index.ts';
import { countryName } from './format.ts';

/** Bounds a date pad offers: birth dates end today, arrival dates start today. */
function dateBounds(field: FieldDefinition, today: string): { minDate?: string; maxDate?: string } {
  if (field.dateRange === 'past') return { maxDate: today };
  if (field.dateRange === 'future') return { minDate: today };
  return {};
}

/** A field typed with the on-screen keyboard in the visitor's script (or a pad for numbers and dates). */
export function TextField({
  base,
  field,
  value,
  error,
  language,
  active,
  today,
  onActivate,
  onChange,
  onDone,
}: {
  base: string;
  field: FieldDefinition;
  value: string;
  error: string | undefined;
  language: string;
  active: boolean;
  today: string;
  onActivate: () => void;
  onChange: (value: string) => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const labels = useKeyboardLabels();
  // Account codes (`acc-…` on the letter) are typed on the e-mail page: Latin, digits, - . _;
  // so is a photo code when the reader cannot scan it.
  const fieldType =
    field.type === 'choice' || field.type === 'boolean'
      ? 'text'
      : field.type === 'account' || field.type === 'photoCode'
        ? 'email'
        : field.type;
  // A nationality is typed (or read) as its ICAO code; the visitor sees the country's name (D25).
  const country = field.type === 'country' && value !== '' ? countryName(value, language, t) : null;
  const countryHint = country !== null && country !== value ? country : null;
  const hintId = `field-${field.id}-country`;
  return (
    <div className="field text-field">
      <KeyboardField
        id={`field-${field.id}`}
        label={t(`${base}.fields.${field.id}.label`)}
        value={value}
        fieldType={fieldType}
        active={active}
        cursor={cursor}
        required={field.required}
        placeholder={t('journey.empty')}
        error={error ? t(`validation.${error}`) : undefined}
        onOpen={onActivate}
        onCursorChange={setCursor}
        {...(countryHint ? { describedBy: hintId } : {})}
      />
      {countryHint && (
        <p id={hintId} className="field-hint" dir="auto">
          {countryHint}
        </p>
      )}
      {active && (
        <OnScreenKeyboard
          language={language}
          fieldType={fieldType}
          value={value}
          onChange={onChange}
          onDone={onDone}
          labels={labels}
          cursor={cursor}
          onCursorChange={setCursor}
          {...(field.maxLength === undefined ? {} : { maxLength: field.maxLength })}
          {...dateBounds(field, today)}
        />
      )}
    </div>
  );
}
