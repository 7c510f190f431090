import { useTranslation } from 'react-i18next';
import { locales } from '../i18n.ts';

/** Language choice: each language named in its own language and script. */
export function LanguageChoice({
  languages,
  onChoose,
  onBack,
}: {
  languages: readonly string[];
  onChoose: (code: string) => void;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  return (
    <main className="language">
      <h1>
        {languages.map((lng) => (
          <span key={lng} lang={lng} dir={locales[lng]?.dir} className="language-title-line">
            {t('language.title', { lng })}
          </span>
        ))}
      </h1>
      <ul className="language-list">
        {languages.map((code) => (
          <li key={code}>
            <button
              type="button"
              lang={code}
              dir={locales[code]?.dir}
              className="language-button"
              onClick={() => onChoose(code)}
            >
              {locales[code]?.nativeName ?? code}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="secondary" onClick={onBack}>
        {t('language.back')}
      </button>
    </main>
  );
}
