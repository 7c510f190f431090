import { useTranslation } from 'react-i18next';
import { staffLanguage } from '../i18n.ts';

/**
 * The screen a passer-by sees: one large target, with the invitation in every offered language.
 * A small control in the corner leads administrators to their sign-in.
 */
export function Attract({
  languages,
  onStart,
  onAdmin,
}: {
  languages: readonly string[];
  onStart: () => void;
  onAdmin: () => void;
}) {
  const { t, i18n } = useTranslation();
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
      <button
        type="button"
        className="admin-entry"
        aria-label={t('admin.entry', { ns: 'staff' })}
        lang={staffLanguage(i18n.language)}
        onClick={onAdmin}
      >
        <svg className="admin-entry-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M12 8a4 4 0 1 1 0 8a4 4 0 1 1 0-8 M12 2v3 M12 19v3 M2 12h3 M19 12h3 M4.9 4.9l2.1 2.1 M17 17l2.1 2.1 M4.9 19.1L7 17 M17 7l2.1-2.1" />
        </svg>
      </button>
    </main>
  );
}
