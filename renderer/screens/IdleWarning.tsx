import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** WCAG 2.2.1: the visitor is warned before the session ends and one tap extends it. */
export function IdleWarning({ seconds, onContinue }: { seconds: number; onContinue: () => void }) {
  const { t } = useTranslation();
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    setLeft(seconds);
    const timer = setInterval(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearInterval(timer);
  }, [seconds]);
  return (
    <div className="overlay">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="idle-title"
        aria-describedby="idle-text"
        className="dialog"
      >
        <h2 id="idle-title">{t('idle.title')}</h2>
        <p id="idle-text">{t('idle.text', { count: left })}</p>
        <button type="button" onClick={onContinue}>
          {t('idle.continue')}
        </button>
      </div>
    </div>
  );
}
