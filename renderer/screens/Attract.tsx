import { useTranslation } from 'react-i18next';

/** The screen a passer-by sees: one large target, with the invitation in every offered language. */
export function Attract({ languages, onStart }: { languages: readonly string[]; onStart: () => void }) {
  const { t } = useTranslation();
  return (
    <main className="attract">
      <h1>{t('attract.title')}</h1>
      <button type="button" className="attract-start" onClick={onStart}>
        <span className="attract-start-label">{t('attract.start')}</span>
        {languages.map((lng) => (
          <span key={lng} lang={lng} className="attract-line">
            {t('attract.touch', { lng })}
          </span>
        ))}
      </button>
    </main>
  );
}
