import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { JourneyResult, ServiceId, StatusView } from '../../api/contract.ts';
import { QrCode } from '../qr.tsx';
import { spokenStatus, useReadAloud } from '../speech.ts';

type StatusAnswer = Extract<JourneyResult, { kind: 'status' } | { kind: 'ticket' }>;

export interface StatusActions {
  /** Back to the menu, the session goes on. */
  onMenu: () => void;
  /** Ends the session. */
  onDone: () => void;
  /** Back to the lookup with the values kept (a mistyped number or date). */
  onCorrect: () => void;
  /** Starts another service (documents missing: the hand-in). */
  onStart: (serviceId: ServiceId) => void;
}

/**
 * A status answer: a case's status with its date, what it says and what happens next, or a
 * Service-Center ticket; nothing found (the entry can be corrected, the values kept), or no answer
 * (offline, too many lookups, an answer that failed its check). The answer can be printed.
 */
export function StatusResult({
  result,
  api,
  ...on
}: { result: StatusAnswer; api: KioskApi } & StatusActions) {
  const { t, i18n } = useTranslation();
  const voice = useReadAloud(i18n.language);
  const [printed, setPrinted] = useState<string | null>(
    result.kind === 'ticket' && result.print ? result.print.state : null,
  );
  const view = result.view;
  const print = async () => {
    const outcome = await api['status.print']({});
    setPrinted(outcome.ok ? outcome.value.state : 'failed');
  };
  const answer =
    result.kind === 'ticket'
      ? result.view.headline
      : result.offline
        ? result.unavailable && result.unavailable !== 'offline'
          ? t(`result.unavailable.${result.unavailable}`)
          : t('result.offline')
        : result.status
          ? t(`result.status.${result.status}`)
          : t('result.notFound');
  const notFound = result.kind === 'status' && !result.offline && result.status === null;
  return (
    <main className="result status-result" aria-labelledby="result-title">
      <h1 id="result-title">{result.kind === 'ticket' ? result.view.title : t('result.statusTitle')}</h1>
      {view ? (
        <ViewNumber view={view} />
      ) : (
        result.kind === 'status' &&
        result.trackingNumber !== '' && (
          <p className="tracking-number" dir="ltr">
            {result.trackingNumber}
          </p>
        )
      )}
      <p role="status" className="status-answer">
        {answer}
      </p>
      {result.kind === 'ticket' && result.followUrl && (
        <figure className="qr-panel">
          <QrCode text={result.followUrl} label={t('result.followQr')} />
          <figcaption>{result.view.notes.at(-1)}</figcaption>
        </figure>
      )}
      {view && <ViewBody view={view} />}
      {view && !voice.available && <p className="notice">{t('result.readAloudUnavailable')}</p>}
      {printed && (
        <p role="status" className="notice">
          {t(`result.printed.${printed}`)}
        </p>
      )}
      <div className="actions">
        {notFound && (
          <button type="button" className="primary" onClick={on.onCorrect}>
            {t('result.correct')}
          </button>
        )}
        {result.kind === 'status' && result.handInService && (
          <button
            type="button"
            className="primary"
            onClick={() => on.onStart(result.handInService as ServiceId)}
          >
            {t('result.handIn')}
          </button>
        )}
        {view && (
          <button type="button" onClick={() => void print()}>
            {t('result.printAnswer')}
          </button>
        )}
        {view &&
          voice.available &&
          (voice.speaking ? (
            <button type="button" onClick={voice.stop}>
              {t('result.stopReading')}
            </button>
          ) : (
            <button type="button" onClick={() => voice.read(spokenStatus({ ...view, headline: answer }))}>
              {t('result.readAloud')}
            </button>
          ))}
        <button type="button" onClick={on.onMenu}>
          {t('result.menu')}
        </button>
        <button type="button" onClick={on.onDone}>
          {t('result.done')}
        </button>
      </div>
    </main>
  );
}

function ViewNumber({ view }: { view: StatusView }) {
  return (
    <>
      <p>{view.referenceLabel}</p>
      <p className="tracking-number" dir="ltr">
        {view.reference}
      </p>
    </>
  );
}

function ViewBody({ view }: { view: StatusView }) {
  return (
    <>
      {view.since && <p className="status-since">{view.since}</p>}
      {view.sections.map((section) => (
        <section key={section.heading} aria-label={section.heading}>
          <h2>{section.heading}</h2>
          <ul className="checklist">
            {section.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </section>
      ))}
      {view.notes.map((note) => (
        <p key={note}>{note}</p>
      ))}
      <h2>{view.nextHeading}</h2>
      <p>{view.next}</p>
    </>
  );
}
