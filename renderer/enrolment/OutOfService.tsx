import { useTranslation } from 'react-i18next';
import { locales, staffLanguage } from '../i18n.ts';
import { KeyIcon } from '../staff/StaffOverlay.tsx';

/**
 * What a visitor sees while the terminal is not enrolled with the installation's portal (first
 * start, after a wipe, an enrolment for another portal): "out of service" in every offered
 * language, and nothing to start. The code tells the administrator why; the key control in the
 * corner leads to their sign-in and the enrolment.
 */
export function OutOfService({
  languages,
  code,
  onStaff,
}: {
  languages: readonly string[];
  /** Why the terminal is out of service (`enrolment.missing`, `enrolment.foreign_origin`, …). */
  code: string | null;
  onStaff: () => void;
}) {
  const { t, i18n } = useTranslation();
  const others = languages.filter((lng) => lng !== i18n.language);
  return (
    <main className="out-of-service" aria-labelledby="out-of-service-title">
      <h1 id="out-of-service-title">{t('outOfService.title')}</h1>
      <p>{t('outOfService.text')}</p>
      <ul className="out-of-service-languages">
        {others.map((lng) => (
          <li key={lng} lang={lng} dir={locales[lng]?.dir ?? 'ltr'}>
            <strong>{t('outOfService.title', { lng })}</strong> {t('outOfService.text', { lng })}
          </li>
        ))}
      </ul>
      {code && (
        <p className="out-of-service-code" lang={staffLanguage(i18n.language)}>
          {t('outOfService.code', { ns: 'staff', code })}
        </p>
      )}
      <button
        type="button"
        className="staff-key out-of-service-key"
        aria-label={t('outOfService.entry', { ns: 'staff' })}
        lang={staffLanguage(i18n.language)}
        onClick={onStaff}
      >
        <KeyIcon />
      </button>
    </main>
  );
}
