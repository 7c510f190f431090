import { useTranslation } from 'react-i18next';
import type { JourneyState } from '../../api/forms.ts';
import type { ReaderPlacement } from '../../common/reader-placement.ts';

/** What the reader last did on this step, as the panel tells it. */
export type ReaderOutcome =
  | { readonly kind: 'waiting' }
  /** A document was read with every check digit right: the visitor takes it back. */
  | { readonly kind: 'read' }
  /** Nothing readable, or a read whose check digits failed. */
  | { readonly kind: 'failed'; readonly reason: 'unreadable' | 'invalid' };

/** The reader's position on the terminal's front: x, y of the reader slot in a 100 × 130 drawing. */
const slot: Record<ReaderPlacement, { x: number; y: number; w: number; h: number }> = {
  'below-left': { x: 8, y: 96, w: 34, h: 16 },
  'below-centre': { x: 33, y: 96, w: 34, h: 16 },
  'below-right': { x: 58, y: 96, w: 34, h: 16 },
  left: { x: 2, y: 40, w: 12, h: 30 },
  right: { x: 86, y: 40, w: 12, h: 30 },
};

/** The terminal seen from the front, its screen, and the reader marked where it is. */
function PlacementDrawing({ placement }: { placement: ReaderPlacement }) {
  const reader = slot[placement];
  const beside = placement === 'left' || placement === 'right';
  const screen = beside ? { x: 18, y: 6, w: 64, h: 86 } : { x: 14, y: 6, w: 72, h: 80 };
  return (
    <svg className="reader-drawing" viewBox="0 0 100 130" width="120" height="156" aria-hidden="true">
      <rect x="1" y="1" width="98" height="128" rx="6" fill="none" stroke="currentColor" strokeWidth="2" />
      <rect
        {...{ x: screen.x, y: screen.y, width: screen.w, height: screen.h }}
        rx="3"
        fill="currentColor"
        opacity="0.15"
      />
      <rect
        x={reader.x}
        y={reader.y}
        width={reader.w}
        height={reader.h}
        rx="2"
        fill="currentColor"
        stroke="currentColor"
        strokeWidth="2"
      />
    </svg>
  );
}

/** An open passport with its photo page, and a card with the three machine-readable lines on its back. */
function DocumentDrawing({ kind }: { kind: 'passport' | 'card' }) {
  if (kind === 'passport') {
    return (
      <svg className="reader-drawing" viewBox="0 0 120 80" width="120" height="80" aria-hidden="true">
        <rect x="2" y="2" width="116" height="76" rx="4" fill="none" stroke="currentColor" strokeWidth="2" />
        <line x1="60" y1="2" x2="60" y2="78" stroke="currentColor" strokeWidth="1.5" />
        <rect x="66" y="10" width="18" height="24" fill="currentColor" opacity="0.4" />
        <line x1="66" y1="62" x2="114" y2="62" stroke="currentColor" strokeWidth="3" strokeDasharray="3 2" />
        <line x1="66" y1="70" x2="114" y2="70" stroke="currentColor" strokeWidth="3" strokeDasharray="3 2" />
      </svg>
    );
  }
  return (
    <svg className="reader-drawing" viewBox="0 0 120 80" width="120" height="80" aria-hidden="true">
      <rect x="10" y="8" width="100" height="64" rx="6" fill="none" stroke="currentColor" strokeWidth="2" />
      <line x1="18" y1="48" x2="102" y2="48" stroke="currentColor" strokeWidth="3" strokeDasharray="3 2" />
      <line x1="18" y1="56" x2="102" y2="56" stroke="currentColor" strokeWidth="3" strokeDasharray="3 2" />
      <line x1="18" y1="64" x2="102" y2="64" stroke="currentColor" strokeWidth="3" strokeDasharray="3 2" />
    </svg>
  );
}

/**
 * The document step's guidance: where the reader is on this terminal, how each kind of document
 * lies on it (a passport with the photo page down; an ID card or residence permit card with the
 * back down, where its machine-readable lines are), and what the last read did. On a step only
 * the reader fills, a failed read never asks the visitor to type: a clerk can enter the data.
 */
export function ReaderPanel({
  step,
  placement,
  outcome,
  nothingRead,
}: {
  step: JourneyState['step'];
  placement: ReaderPlacement;
  outcome: ReaderOutcome;
  /** The visitor pressed Continue on a reader-only step before any document was read. */
  nothingRead: boolean;
}) {
  const { t } = useTranslation();
  const failure =
    outcome.kind !== 'failed'
      ? null
      : outcome.reason === 'unreadable'
        ? 'reader.unreadable'
        : step.readerOnly
          ? 'readerGuide.readerOnlyRetry'
          : 'reader.invalidDocument';
  return (
    <div className="reader-guide">
      <figure className="reader-where">
        <PlacementDrawing placement={placement} />
        <figcaption>{t(`readerGuide.where.${placement}`)}</figcaption>
      </figure>
      <figure className="reader-how">
        <DocumentDrawing kind="passport" />
        <figcaption>{t('readerGuide.passport')}</figcaption>
      </figure>
      <figure className="reader-how">
        <DocumentDrawing kind="card" />
        <figcaption>{t('readerGuide.card')}</figcaption>
      </figure>
      <div role="status" aria-live="polite">
        {outcome.kind === 'read' && (
          <p className="reader-done">
            <span aria-hidden="true">✓ </span>
            {t('readerGuide.readOk')}
          </p>
        )}
        {failure && <p className="field-error">{t(failure)}</p>}
        {nothingRead && outcome.kind === 'waiting' && (
          <p className="field-error">{t('readerGuide.nothingRead')}</p>
        )}
      </div>
    </div>
  );
}
