import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { JourneyResult } from '../../api/contract.ts';
import type { FieldDefinition, FieldValue, FieldValues, JourneyState } from '../../api/forms.ts';
import { berlinDate } from '../../common/clock.ts';
import type { Envelope } from '../../common/result.ts';
import { isVisible } from '../../common/visibility.ts';
import { Assessment } from './Assessment.tsx';
import { BooleanField } from './BooleanField.tsx';
import { ChoiceField } from './ChoiceField.tsx';
import { Review } from './Review.tsx';
import { TextField } from './TextField.tsx';
import { Verification } from './Verification.tsx';

const textTypes = new Set<FieldDefinition['type']>([
  'text',
  'name',
  'date',
  'phone',
  'email',
  'number',
  'money',
  'country',
  'postcode',
  'tracking',
  'account',
  'photoCode',
]);

/**
 * One form engine for every service: renders the current step of the journey from its
 * definition, in the visitor's language, and hands the values to the host, which validates them.
 */
export function JourneyScreen({
  api,
  initial,
  language,
  onFinished,
  onCancel,
  onError,
}: {
  api: KioskApi;
  initial: JourneyState;
  language: string;
  onFinished: (result: JourneyResult) => void;
  onCancel: () => void;
  onError: (code: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState(initial);
  const [values, setValues] = useState<FieldValues>(initial.values);
  const [activeField, setActiveField] = useState<string | null>(null);
  const [typing, setTyping] = useState(false);
  const [readerError, setReaderError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `services.${state.serviceId}`;
  const step = state.step;
  const isLast = state.index === state.steps.length - 1;
  // Always the Gregorian calendar (Persian would default to the Solar Hijri one); the digits are
  // the language's own (Persian ۱۹۸۸), as the visitor reads them.
  const dateFormat = useMemo(
    () => new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC', calendar: 'gregory' }),
    [language],
  );
  const today = berlinDate(Date.now());
  const formatDate = (iso: string) => {
    const date = new Date(`${iso}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
  };

  const show = (next: JourneyState) => {
    if (next.step.id !== state.step.id) {
      setTyping(false);
      setReaderError(null);
    }
    setState(next);
    setValues(next.values);
    setActiveField(null);
  };

  useEffect(() => {
    const offUpdated = api.on('journey.updated', (next) => {
      setState(next);
      setValues((current) => ({ ...current, ...next.values }));
      setReaderError(null);
    });
    const offRead = api.on('device.read', (read) => {
      if (read.kind === 'error') setReaderError('reader.unreadable');
      else if (read.kind === 'mrz' && !read.document.valid) setReaderError('reader.invalidDocument');
      else if (read.kind === 'mrz' && read.document.warnings.includes('mrz.document_expired')) {
        setReaderError('reader.expired');
      }
    });
    return () => {
      offUpdated();
      offRead();
    };
  }, [api]);

  const setValue = (id: string, value: FieldValue) => setValues((current) => ({ ...current, [id]: value }));

  const run = async <T,>(call: () => Promise<Envelope<T>>) => {
    setBusy(true);
    try {
      const result = await call();
      if (!result.ok) {
        onError(result.error.code);
        return null;
      }
      return result.value;
    } finally {
      setBusy(false);
    }
  };

  const next = async () => {
    const answer = await run(() => api['journey.step']({ values }));
    if (!answer) return;
    if (Object.keys(answer.errors).length > 0 || answer.index !== state.index || !isLast) {
      show(answer);
      return;
    }
    const result = await run(() => api['journey.submit']({}));
    if (result) onFinished(result);
  };

  const back = async () => {
    if (state.index === 0) return onCancel();
    const answer = await run(() => api['journey.back']({}));
    if (answer) show(answer);
  };

  const edit = async (stepId: string) => {
    const answer = await run(() => api['journey.goto']({ stepId }));
    if (answer) show(answer);
  };

  // A condition may depend on an answer from an earlier step (the context the host sends).
  const visible = (field: FieldDefinition): boolean =>
    isVisible(field, { ...state.context, ...values }, step.fields);

  const showFields =
    !step.readerOnly &&
    (step.kind !== 'document' || !step.readerOptional || typing || step.fields.some((f) => values[f.id]));
  const showValue = (field: FieldDefinition) => {
    const value = values[field.id];
    if (typeof value !== 'string') return '–';
    return field.type === 'date' ? formatDate(value) : value;
  };

  return (
    <main className="journey" aria-labelledby="step-title">
      <p className="journey-service">{t(`${base}.title`)}</p>
      <p className="journey-progress">
        {t('journey.stepOf', { current: state.index + 1, total: state.steps.length })}
      </p>
      <h1 id="step-title">{t(`${base}.steps.${step.id}.title`)}</h1>
      {(step.kind === 'acknowledge' ||
        step.kind === 'checklist' ||
        step.kind === 'document' ||
        step.kind === 'declarations' ||
        i18n.exists(`${base}.steps.${step.id}.text`)) && (
        <p className="journey-text">{t(`${base}.steps.${step.id}.text`)}</p>
      )}
      {step.kind === 'assessment' && state.assessment && (
        <Assessment notes={state.assessment} language={language} formatDate={formatDate} />
      )}
      {step.kind === 'checklist' && (
        <ul className="checklist">
          {/* The core's list for these answers: the same one the receipt prints. */}
          {(state.checklist ?? []).map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      )}
      {step.kind === 'document' && (
        <div className="reader-panel" role="status" aria-live="polite">
          <p>{t('journey.placeDocument')}</p>
          {readerError && <p className="field-error">{t(readerError)}</p>}
          {step.readerOnly && <p>{t('journey.readerOnly')}</p>}
          {step.readerOptional && !showFields && (
            <button type="button" className="secondary" onClick={() => setTyping(true)}>
              {t('journey.typeInstead')}
            </button>
          )}
        </div>
      )}
      {step.readerOnly && (step.fields.some((f) => values[f.id]) || Object.keys(state.errors).length > 0) && (
        <dl className="read-fields">
          {step.fields.map((field) => (
            <div key={field.id}>
              <dt>{t(`${base}.fields.${field.id}.label`)}</dt>
              <dd dir="auto">{showValue(field)}</dd>
              {state.errors[field.id] && (
                <dd className="field-error">{t(`validation.${state.errors[field.id]}`)}</dd>
              )}
            </div>
          ))}
        </dl>
      )}
      {step.kind === 'verification' && <Verification api={api} verification={state.verification} />}
      {step.kind === 'review' && state.summary && (
        <Review base={base} summary={state.summary} onEdit={edit} formatDate={formatDate} />
      )}
      {showFields && (
        <div className="fields">
          {step.fields.filter(visible).map((field) => {
            const error = state.errors[field.id];
            const value = values[field.id] ?? null;
            if (field.type === 'choice') {
              return (
                <ChoiceField
                  key={field.id}
                  base={base}
                  field={field}
                  value={value}
                  error={error}
                  onChange={(v) => setValue(field.id, v)}
                />
              );
            }
            if (field.type === 'boolean') {
              return (
                <BooleanField
                  key={field.id}
                  base={base}
                  field={field}
                  value={value}
                  error={error}
                  onChange={(v) => setValue(field.id, v)}
                />
              );
            }
            if (textTypes.has(field.type)) {
              return (
                <TextField
                  key={field.id}
                  base={base}
                  field={field}
                  value={typeof value === 'string' ? value : ''}
                  error={error}
                  language={language}
                  active={activeField === field.id}
                  onActivate={() => setActiveField(field.id)}
                  onChange={(v) => setValue(field.id, v)}
                  onDone={() => setActiveField(null)}
                  today={today}
                />
              );
            }
            return null;
          })}
        </div>
      )}
      {state.stop && (
        // An answer rules the service out here: where to go instead; another answer goes on.
        <div className="journey-stop" role="alert">
          <p>{t(`${base}.stops.${state.stop}`)}</p>
        </div>
      )}
      <nav className="journey-nav" aria-label={t('journey.navigation')}>
        <button type="button" className="secondary" onClick={back} disabled={busy}>
          {t(state.index === 0 ? 'journey.cancel' : 'journey.back')}
        </button>
        {step.kind !== 'verification' && (
          <button type="button" onClick={next} disabled={busy}>
            {t(
              isLast ? (i18n.exists(`${base}.submit`) ? `${base}.submit` : 'journey.submit') : 'journey.next',
            )}
          </button>
        )}
      </nav>
    </main>
  );
}
