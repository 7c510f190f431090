import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { JourneyState } from '../../api/forms.ts';
import {
  type ManualDocument,
  type ManualEntryReason,
  manualDocumentSchema,
  manualEntryReasonSchema,
} from '../../api/staff.ts';
import { berlinDate } from '../../common/clock.ts';
import type { KeyboardFieldType } from '../keyboard/index.ts';
import { StaffField } from './StaffField.tsx';
import type { Calls } from './use-call.ts';

type TextKey = Exclude<keyof ManualDocument, 'reason' | 'documentCode'>;

const documentCodes = manualDocumentSchema.shape.documentCode.options;

/** The typed fields in the order they stand on a document, with the keyboard each needs. */
const textFields: readonly { id: TextKey; type: KeyboardFieldType; maxLength: number }[] = [
  { id: 'issuingState', type: 'tracking', maxLength: 3 },
  { id: 'documentNumber', type: 'tracking', maxLength: 20 },
  { id: 'lastName', type: 'name', maxLength: 80 },
  { id: 'firstNames', type: 'name', maxLength: 80 },
  { id: 'birthDate', type: 'date', maxLength: 10 },
  { id: 'expiryDate', type: 'date', maxLength: 10 },
  { id: 'nationality', type: 'tracking', maxLength: 3 },
];

const empty: Record<TextKey, string> = {
  issuingState: '',
  documentNumber: '',
  lastName: '',
  firstNames: '',
  birthDate: '',
  expiryDate: '',
  nationality: '',
};

/**
 * The clerk types the document data when the reader cannot read them, with the reason. The
 * format hints come from the contract's own schema; the host checks everything again and fills
 * the visitor's document step as a read would. Nothing typed here outlives the form.
 */
export function ManualEntry({
  api,
  language,
  onEntered,
  onCancel,
  calls,
}: {
  api: KioskApi;
  language: string;
  onEntered: (state: JourneyState) => void;
  onCancel: () => void;
  /** The desk's calls: its buttons wait and its problem line speaks for this one too. */
  calls: Calls;
}) {
  const { t } = useTranslation('staff');
  const [reason, setReason] = useState<ManualEntryReason | null>(null);
  const [documentCode, setDocumentCode] = useState<ManualDocument['documentCode'] | null>(null);
  const [values, setValues] = useState(empty);
  const [active, setActive] = useState<TextKey | null>(null);
  const [invalid, setInvalid] = useState<ReadonlySet<string>>(new Set());
  const { busy } = calls;
  const today = berlinDate(Date.now());

  const submit = async () => {
    setActive(null);
    const parsed = manualDocumentSchema.safeParse({ reason, documentCode, ...values });
    if (!parsed.success) {
      setInvalid(new Set(parsed.error.issues.map((issue) => String(issue.path[0]))));
      return;
    }
    setInvalid(new Set());
    const result = await calls.run(() => api['staff.enterDocument'](parsed.data));
    if (result.ok) onEntered(result.value);
  };

  return (
    <section className="staff-manual" aria-labelledby="manual-title">
      <h3 id="manual-title">{t('manual.title')}</h3>
      <fieldset className="field staff-choice" aria-invalid={invalid.has('reason') || undefined}>
        <legend>{t('manual.reason')}</legend>
        <div className="choice-options">
          {manualEntryReasonSchema.options.map((id) => (
            <label key={id} className={`choice-option${reason === id ? ' selected' : ''}`}>
              <input
                type="radio"
                name="manual-reason"
                checked={reason === id}
                onChange={() => setReason(id)}
              />
              <span>{t(`manualReasons.${id}`)}</span>
            </label>
          ))}
        </div>
        {invalid.has('reason') && <p className="field-error">{t('manual.chooseOne')}</p>}
      </fieldset>
      <fieldset className="field staff-choice">
        <legend>{t('manual.fields.documentCode')}</legend>
        <div className="choice-options">
          {documentCodes.map((code) => (
            <label key={code} className={`choice-option${documentCode === code ? ' selected' : ''}`}>
              <input
                type="radio"
                name="manual-document-code"
                checked={documentCode === code}
                onChange={() => setDocumentCode(code)}
              />
              <span>{t(`documentCodes.${code}`)}</span>
            </label>
          ))}
        </div>
        {invalid.has('documentCode') && <p className="field-error">{t('manual.chooseOne')}</p>}
      </fieldset>
      {textFields.map((field) => (
        <StaffField
          key={field.id}
          id={`manual-${field.id}`}
          label={t(`manual.fields.${field.id}`)}
          value={values[field.id]}
          onChange={(value) => setValues((current) => ({ ...current, [field.id]: value }))}
          fieldType={field.type}
          language={language}
          active={active === field.id}
          onOpen={() => setActive(field.id)}
          onDone={() => setActive(null)}
          maxLength={field.maxLength}
          required={field.id !== 'firstNames'}
          hint={t(`manual.hints.${field.id}`)}
          error={invalid.has(field.id) ? t('manual.invalid') : undefined}
          {...(field.id === 'birthDate' ? { maxDate: today } : {})}
        />
      ))}
      <div className="staff-actions-row">
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          {t('common.back')}
        </button>
        <button type="button" onClick={submit} disabled={busy}>
          {t('manual.submit')}
        </button>
      </div>
    </section>
  );
}
