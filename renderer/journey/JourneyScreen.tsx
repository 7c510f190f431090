import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { JourneyResult } from '../../api/contract.ts';
import type { DocumentsState } from '../../api/documents.ts';
import type { FieldDefinition, FieldValue, FieldValues, JourneyState } from '../../api/forms.ts';
import { berlinDate } from '../../common/clock.ts';
import type { ReaderPlacement } from '../../common/reader-placement.ts';
import type { Envelope } from '../../common/result.ts';
import { isVisible } from '../../common/visibility.ts';
import { DocumentsStep } from '../documents/DocumentsStep.tsx';
import { PrivacyNotice } from '../screens/PrivacyNotice.tsx';
import { Assessment } from './Assessment.tsx';
import { BooleanField } from './BooleanField.tsx';
import { ChoiceField } from './ChoiceField.tsx';
import { formatDate, formatFieldValue } from './format.ts';
import { type ReaderOutcome, ReaderPanel } from './ReaderPanel.tsx';
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
  readerPlacement,
  onFinished,
  onProgress,
  onCancel,
  onError,
}: {
  api: KioskApi;
  initial: JourneyState;
  language: string;
  /** Where the document reader sits on this terminal (installation configuration). */
  readerPlacement: ReaderPlacement;
  onFinished: (result: JourneyResult) => void;
  /** The step on screen and its values as they stand, so that another screen in between loses nothing. */
  onProgress: (state: JourneyState, values: FieldValues) => void;
  onCancel: () => void;
  onError: (code: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState(initial);
  const [values, setValues] = useState<FieldValues>(initial.values);
  const [activeField, setActiveField] = useState<string | null>(null);
  const [typing, setTyping] = useState(false);
  const [readerOutcome, setReaderOutcome] = useState<ReaderOutcome>({ kind: 'waiting' });
  const [busy, setBusy] = useState(false);
  const [privacyOpen, setPrivacyOpen] = useState(false);
  // The fields of this step the visitor has had in front of them when they last tapped Continue
  // (or when the step opened). A required field that an answer has just revealed is shown first
  // and marked wrong only at the next Continue, never by the tap that revealed it (D22).
  const [offered, setOffered] = useState<ReadonlySet<string>>(() => shownFields(initial, initial.values));
  const [documents, setDocuments] = useState<DocumentsState | null>(null);
  const base = `services.${state.serviceId}`;
  // Whom the step texts address (a child's application speaks of the child, E10).
  const wording = state.wording === undefined ? {} : { context: state.wording };
  const step = state.step;
  const isLast = state.index === state.steps.length - 1;
  const today = berlinDate(Date.now());
  /** A typed or read value as the visitor reads it back: one date format, money in euros, countries by name (D25). */
  const formatValue = (type: FieldDefinition['type'], value: string): string =>
    formatFieldValue(type, value, language, t);

  const show = (next: JourneyState) => {
    if (next.step.id !== state.step.id) {
      setTyping(false);
      setReaderOutcome({ kind: 'waiting' });
      setOffered(shownFields(next, next.values));
    }
    setState(next);
    setValues(next.values);
    setActiveField(null);
  };

  useEffect(() => {
    const offUpdated = api.on('journey.updated', (next) => {
      setState(next);
      setValues((current) => ({ ...current, ...next.values }));
    });
    const offRead = api.on('device.read', (read) => {
      if (read.kind === 'error') setReaderOutcome({ kind: 'failed', reason: 'unreadable' });
      else if (read.kind === 'mrz')
        setReaderOutcome(read.document.valid ? { kind: 'read' } : { kind: 'failed', reason: 'invalid' });
    });
    return () => {
      offUpdated();
      offRead();
    };
  }, [api]);

  useEffect(() => onProgress(state, values), [onProgress, state, values]);

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
    const shown = step.fields.filter(visible);
    const revealed = shown.filter((f) => f.required && !offered.has(f.id) && isEmpty(values[f.id]));
    setOffered(new Set(shown.map((f) => f.id)));
    const first = revealed[0];
    if (first) {
      const target =
        document.getElementById(`field-${first.id}`) ?? document.getElementById(`${first.id}-label`);
      target?.scrollIntoView({ block: 'center' });
      return;
    }
    const answer = await run(() => api['journey.step']({ values }));
    if (!answer) return;
    if (Object.keys(answer.errors).length > 0 || answer.index !== state.index || !isLast) {
      show(answer);
      return;
    }
    // the papers of the checklist, where the terminal has a camera or a scanner to take them
    const listed = await run(() => api['documents.list']({}));
    if (listed && listed.items.length > 0 && (listed.camera || listed.scanner)) {
      setDocuments(listed);
      return;
    }
    await submit();
  };

  const submit = async () => {
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

  // Continue on a reader-only step before any read: one sentence in the panel, not one per field.
  const nothingRead =
    Boolean(step.readerOnly) &&
    Object.values(state.errors).includes('required') &&
    !step.fields.some((f) => values[f.id]);
  const showFields =
    !step.readerOnly &&
    (step.kind !== 'document' || !step.readerOptional || typing || step.fields.some((f) => values[f.id]));
  const showValue = (field: FieldDefinition) => {
    const value = values[field.id];
    if (typeof value !== 'string') return '–';
    return formatValue(field.type, value);
  };

  if (documents) {
    return (
      <DocumentsStep
        api={api}
        initial={documents}
        onBack={() => setDocuments(null)}
        onSubmit={submit}
        submitting={busy}
      />
    );
  }

  return (
    <main className="journey" aria-labelledby="step-title">
      <p className="journey-service">{t(`${base}.title`)}</p>
      <p className="journey-progress">
        {t('journey.stepOf', { current: state.index + 1, total: state.steps.length })}
      </p>
      <h1 id="step-title">{t(`${base}.steps.${step.id}.title`, wording)}</h1>
      {(step.kind === 'acknowledge' ||
        step.kind === 'checklist' ||
        step.kind === 'document' ||
        step.kind === 'declarations' ||
        i18n.exists(`${base}.steps.${step.id}.text`)) && (
        <p className="journey-text">{t(`${base}.steps.${step.id}.text`, wording)}</p>
      )}
      {step.kind === 'assessment' && state.assessment && (
        <Assessment notes={state.assessment} language={language} formatDate={formatDate} />
      )}
      {step.kind === 'declarations' && (
        // What the visitor declares to have read is one tap away (D23).
        <p>
          <button type="button" className="secondary" onClick={() => setPrivacyOpen(true)}>
            {t('privacy.more')}
          </button>
        </p>
      )}
      {privacyOpen && <PrivacyNotice onClose={() => setPrivacyOpen(false)} />}
      {step.kind === 'checklist' && (
        <ul className="checklist">
          {/* The core's list for these answers: the same one the receipt prints. */}
          {(state.checklist ?? []).map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      )}
      {step.kind === 'document' && (
        <div className="reader-panel">
          <ReaderPanel
            step={step}
            placement={readerPlacement}
            outcome={readerOutcome}
            nothingRead={nothingRead}
          />
          {/* The host's note on the data of this step: it stays while they do, after Back too. */}
          {state.document?.expired && (
            <p role="status" className={state.document.accepted ? 'document-note' : 'field-error'}>
              {t(state.document.accepted ? 'reader.expiredAccepted' : 'reader.expired')}
            </p>
          )}
          {step.readerOnly && <p>{t('journey.readerOnly')}</p>}
          {step.readerOptional && !showFields && (
            <button type="button" className="secondary" onClick={() => setTyping(true)}>
              {t('journey.typeInstead')}
            </button>
          )}
        </div>
      )}
      {step.readerOnly && step.fields.some((f) => values[f.id]) && (
        <dl className="read-fields">
          {step.fields.map((field) => (
            <div key={field.id}>
              <dt>{t(`${base}.fields.${field.id}.label`)}</dt>
              <dd dir="auto">{showValue(field)}</dd>
              {/* "Please fill in" would ask for what only the reader fills (nothingRead says it once). */}
              {state.errors[field.id] && state.errors[field.id] !== 'required' && (
                <dd className="field-error">{t(`validation.${state.errors[field.id]}`)}</dd>
              )}
            </div>
          ))}
        </dl>
      )}
      {step.kind === 'verification' && <Verification api={api} verification={state.verification} />}
      {step.kind === 'review' && state.summary && (
        <Review
          base={base}
          summary={state.summary}
          wording={state.wording}
          onEdit={edit}
          formatValue={formatValue}
        />
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

const isEmpty = (value: FieldValue | undefined): boolean =>
  value === undefined || value === null || value === '';

/** The ids of the fields a step shows for these values. */
function shownFields(journey: JourneyState, values: FieldValues): ReadonlySet<string> {
  const all = { ...journey.context, ...values };
  return new Set(journey.step.fields.filter((f) => isVisible(f, all, journey.step.fields)).map((f) => f.id));
}
