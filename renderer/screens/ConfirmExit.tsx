import { useTranslation } from 'react-i18next';

/**
 * "Finish and delete" in the middle of a journey with data: asked once, so that a stray tap on
 * the red button does not delete an application half filled in. Going on is the first choice.
 */
export function ConfirmExit({ onConfirm, onCancel }: { onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="overlay">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="exit-title"
        aria-describedby="exit-text"
        className="dialog"
      >
        <h2 id="exit-title">{t('exitConfirm.title')}</h2>
        <p id="exit-text">{t('exitConfirm.text')}</p>
        <button type="button" onClick={onCancel}>
          {t('exitConfirm.cancel')}
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {t('exitConfirm.confirm')}
        </button>
      </div>
    </div>
  );
}
