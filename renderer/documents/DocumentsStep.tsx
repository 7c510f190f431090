import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskApi } from '../../api/client.ts';
import type { DocumentsState, PageAnswer, PageProblemCode } from '../../api/documents.ts';
import type { Envelope } from '../../common/result.ts';
import { useCamera } from './camera.ts';

type Message =
  | { readonly kind: 'accepted'; readonly number: number }
  | { readonly kind: 'refused'; readonly problems: readonly PageProblemCode[] }
  | { readonly kind: 'error'; readonly code: string }
  | null;

/** The visitor text for a refusal of the documents calls (capture limits, scanner trouble). */
function errorKey(code: string): string {
  if (code.startsWith('capture.')) return `documents.errors.${code}`;
  if (code === 'scanner.jammed' || code === 'scanner.no_paper' || code === 'scanner.cover_open')
    return `documents.errors.${code}`;
  if (code.startsWith('scanner.') || code === 'documents.no_scanner') return 'documents.errors.scanner';
  return 'documents.errors.generic';
}

/**
 * After an application's last step: the papers of its checklist, one at a time. Each page is
 * taken by the camera (or the scanner) and checked by the terminal at once; a refused page is
 * explained and asked for again. Pages can be retaken, moved forward and deleted, a document
 * marked "I will hand it in later"; the review shows every document with its thumbnails and page
 * count before the application is sent.
 */
export function DocumentsStep({
  api,
  initial,
  onBack,
  onSubmit,
  submitting,
}: {
  api: KioskApi;
  initial: DocumentsState;
  onBack: () => void;
  onSubmit: () => void;
  submitting: boolean;
}) {
  const { t } = useTranslation();
  const [documents, setDocuments] = useState(initial);
  const [index, setIndex] = useState(0);
  const [reviewing, setReviewing] = useState(false);
  const [replace, setReplace] = useState<number | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const camera = useCamera(documents.camera && !reviewing);
  const items = documents.items;
  const item = items[index];

  const show = (next: DocumentsState) => setDocuments(next);
  const call = async <T,>(run: () => Promise<Envelope<T>>): Promise<T | null> => {
    setBusy(true);
    try {
      const answer = await run();
      if (!answer.ok) {
        setMessage({ kind: 'error', code: answer.error.code });
        return null;
      }
      return answer.value;
    } finally {
      setBusy(false);
    }
  };

  const taken = (answer: PageAnswer | null, number: number) => {
    if (!answer) return;
    show(answer.documents);
    if (answer.accepted) {
      setMessage({ kind: 'accepted', number });
      setReplace(null);
    } else setMessage({ kind: 'refused', problems: answer.problems });
  };

  const pageNumber = () => (replace ?? item?.pages.length ?? 0) + 1;

  const take = async () => {
    if (!item) return;
    setMessage(null);
    const image = await camera.grab();
    if (!image) {
      setMessage({ kind: 'error', code: 'camera.unavailable' });
      return;
    }
    const number = pageNumber();
    const input = replace === null ? { itemId: item.itemId, image } : { itemId: item.itemId, image, replace };
    taken(await call(() => api['documents.addPage'](input)), number);
  };

  const scan = async () => {
    if (!item) return;
    setMessage(null);
    const number = pageNumber();
    const input = replace === null ? { itemId: item.itemId } : { itemId: item.itemId, replace };
    taken(await call(() => api['documents.scan'](input)), number);
  };

  const edit = async (run: () => Promise<Envelope<DocumentsState>>) => {
    setMessage(null);
    setReplace(null);
    const next = await call(run);
    if (next) show(next);
  };

  const goTo = (next: number) => {
    setMessage(null);
    setReplace(null);
    if (next >= items.length) setReviewing(true);
    else {
      setReviewing(false);
      setIndex(Math.max(0, next));
    }
  };

  if (reviewing || !item) {
    return (
      <main className="journey documents" aria-labelledby="documents-title">
        <h1 id="documents-title">{t('documents.review')}</h1>
        <p className="journey-text">{t('documents.reviewText')}</p>
        <ul className="documents-review">
          {items.map((entry, i) => (
            <li key={entry.itemId}>
              <h2 dir="auto">{entry.label}</h2>
              <p>
                {entry.state === 'captured'
                  ? t('documents.pageCount', { count: entry.pages.length })
                  : t(entry.state === 'later' ? 'documents.stateLater' : 'documents.stateOpen')}
              </p>
              {entry.pages.length > 0 && (
                <div className="document-thumbnails">
                  {entry.pages.map((page, p) => (
                    <img
                      // biome-ignore lint/suspicious/noArrayIndexKey: pages are known by their position
                      key={p}
                      src={page.thumbnail}
                      alt={`${entry.label}: ${t('documents.page', { number: p + 1 })}`}
                    />
                  ))}
                </div>
              )}
              <button type="button" className="secondary" onClick={() => goTo(i)} disabled={submitting}>
                {t('documents.changeItem', { item: entry.label })}
              </button>
            </li>
          ))}
        </ul>
        <nav className="journey-nav" aria-label={t('journey.navigation')}>
          <button
            type="button"
            className="secondary"
            onClick={() => goTo(items.length - 1)}
            disabled={submitting}
          >
            {t('journey.back')}
          </button>
          <button type="button" onClick={onSubmit} disabled={submitting}>
            {t('documents.submit')}
          </button>
        </nav>
      </main>
    );
  }

  const last = index === items.length - 1;
  const cameraTrouble =
    (documents.camera && camera.state === 'unavailable') ||
    (message?.kind === 'error' && message.code === 'camera.unavailable');
  return (
    <main className="journey documents" aria-labelledby="documents-title">
      <p className="journey-service">{t('documents.title')}</p>
      <p className="journey-progress">
        {t('documents.progress', { current: index + 1, total: items.length })}
      </p>
      <h1 id="documents-title" dir="auto">
        {item.label}
      </h1>
      <p className="journey-text">{t('documents.instruction')}</p>
      {documents.camera && (
        <video
          ref={camera.videoRef}
          className="camera-preview"
          aria-label={t('documents.preview')}
          muted
          playsInline
        />
      )}
      <div className="documents-status" role="status" aria-live="polite">
        {busy && <p>{t('documents.working')}</p>}
        {message?.kind === 'accepted' && <p>{t('documents.accepted', { number: message.number })}</p>}
        {message?.kind === 'refused' && (
          <div className="field-error">
            {message.problems.map((problem) => (
              <p key={problem}>{t(`documents.problems.${problem}`)}</p>
            ))}
            <p>{t('documents.again')}</p>
          </div>
        )}
        {message?.kind === 'error' && message.code !== 'camera.unavailable' && (
          <p className="field-error">{t(errorKey(message.code))}</p>
        )}
        {cameraTrouble && <p className="field-error">{t('documents.cameraUnavailable')}</p>}
        {item.state === 'later' && <p>{t('documents.laterMarked')}</p>}
      </div>
      <div className="documents-actions">
        {documents.camera && (
          <button type="button" onClick={take} disabled={busy || camera.state !== 'ready'}>
            {replace === null ? t('documents.take') : t('documents.retakeNow', { number: replace + 1 })}
          </button>
        )}
        {documents.scanner && (
          <button type="button" className="secondary" onClick={scan} disabled={busy}>
            {t('documents.scan')}
          </button>
        )}
      </div>
      {item.pages.length > 0 && (
        <ol className="document-pages">
          {item.pages.map((page, p) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: pages are known by their position
            <li key={p} className={replace === p ? 'retaking' : undefined}>
              <img src={page.thumbnail} alt={t('documents.page', { number: p + 1 })} />
              <button type="button" className="secondary" onClick={() => setReplace(p)} disabled={busy}>
                {t('documents.retakePage', { number: p + 1 })}
              </button>
              {p > 0 && (
                <button
                  type="button"
                  className="secondary"
                  disabled={busy}
                  onClick={() =>
                    edit(() => api['documents.movePage']({ itemId: item.itemId, from: p, to: p - 1 }))
                  }
                >
                  {t('documents.moveEarlier', { number: p + 1 })}
                </button>
              )}
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => edit(() => api['documents.removePage']({ itemId: item.itemId, index: p }))}
              >
                {t('documents.deletePage', { number: p + 1 })}
              </button>
            </li>
          ))}
        </ol>
      )}
      <nav className="journey-nav" aria-label={t('journey.navigation')}>
        <button
          type="button"
          className="secondary"
          onClick={() => (index === 0 ? onBack() : goTo(index - 1))}
          disabled={busy}
        >
          {t('journey.back')}
        </button>
        {item.state !== 'later' && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => edit(() => api['documents.later']({ itemId: item.itemId, later: true }))}
          >
            {t('documents.later')}
          </button>
        )}
        <button type="button" onClick={() => goTo(index + 1)} disabled={busy || item.state === 'open'}>
          {t(last ? 'documents.toReview' : 'documents.next')}
        </button>
      </nav>
    </main>
  );
}
