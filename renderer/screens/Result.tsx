import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { JourneyResult } from '../../api/contract.ts';
import { QrCode } from '../qr.tsx';
import { type StatusActions, StatusResult } from './StatusResult.tsx';

/** The end of a journey: the tracking number large, the printed receipt (or the QR on screen), or a status. */
export function Result({
  result,
  onDone,
  api,
  ...status
}: { result: JourneyResult; api: KioskApi } & StatusActions) {
  const { t } = useTranslation();
  if (result.kind === 'information') {
    // The list the printed sheet carries, from the core (one source for screen and paper).
    const items = result.checklist;
    return (
      <main className="result information" aria-labelledby="result-title">
        <h1 id="result-title">{t(`services.information.fields.caseType.options.${result.topic}`)}</h1>
        <h2>{t('result.informationBring')}</h2>
        <ul className="checklist">
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
        <p role="status">{t(`result.sheet.${result.print.state}`)}</p>
        <button type="button" onClick={onDone}>
          {t('result.done')}
        </button>
      </main>
    );
  }
  if (result.kind === 'activation') {
    return (
      <main className="result" aria-labelledby="result-title">
        <h1 id="result-title">{t('result.activation.title')}</h1>
        <p className="notice">{t('result.activation.text')}</p>
        <p role="status">{t(`result.activation.print.${result.print.state}`)}</p>
        <button type="button" onClick={onDone}>
          {t('result.done')}
        </button>
      </main>
    );
  }
  if (result.kind === 'activation_refused') {
    return (
      <main className="result" aria-labelledby="result-title">
        <h1 id="result-title">{t('result.activationRefused.title')}</h1>
        <p role="status">{t(`result.activationRefused.reasons.${result.reason}`)}</p>
        <p>{t('result.activationRefused.next')}</p>
        <button type="button" onClick={onDone}>
          {t('result.done')}
        </button>
      </main>
    );
  }
  if (result.kind === 'status' || result.kind === 'ticket') {
    return <StatusResult result={result} api={api} onDone={onDone} {...status} />;
  }
  return (
    <main className="result" aria-labelledby="result-title">
      <h1 id="result-title">
        {t(
          result.queued
            ? 'result.receiptTitleQueued'
            : result.serviceId === 'callback-request'
              ? 'result.receiptTitleCallback'
              : result.serviceId === 'documents-followup'
                ? 'result.receiptTitleFollowUp'
                : 'result.receiptTitle',
        )}
      </h1>
      <p>{t('result.trackingLabel')}</p>
      <p className="tracking-number" dir="ltr">
        {result.trackingNumber}
      </p>
      {result.queued && <p className="notice">{t('result.queued')}</p>}
      <p role="status">{t(`result.print.${result.print.state}`)}</p>
      {/* A call-back cannot be looked up at the terminal: no status QR for it. */}
      {result.print.state !== 'printed' && result.serviceId !== 'callback-request' && (
        <figure className="qr-panel">
          <QrCode text={result.qr} label={t('result.qrLabel')} />
          <figcaption>{t('result.qrHint')}</figcaption>
        </figure>
      )}
      <button type="button" onClick={onDone}>
        {t('result.done')}
      </button>
    </main>
  );
}
