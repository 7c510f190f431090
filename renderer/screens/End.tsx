import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Said to every visitor at the end: nothing of theirs stays on this terminal. */
export function End({ onTimeout }: { onTimeout: () => void }) {
  const { t } = useTranslation();
  useEffect(() => {
    const timer = setTimeout(onTimeout, 8_000);
    return () => clearTimeout(timer);
  }, [onTimeout]);
  return (
    <main className="end" aria-labelledby="end-title">
      <h1 id="end-title">{t('end.title')}</h1>
      <p>{t('end.deleted')}</p>
      <button type="button" onClick={onTimeout}>
        {t('end.again')}
      </button>
    </main>
  );
}
