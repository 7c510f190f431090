import { useTranslation } from 'react-i18next';
import { authorityFact } from '../i18n.ts';

/**
 * The privacy notice (Art. 13 GDPR, and Art. 14 for what a visitor says about other people): who
 * is responsible and the data protection officer, purposes and legal bases with the call-back's
 * consent and how to withdraw it, the duty to cooperate, recipients, retention on the terminal and
 * at the authority, the rights including objection and complaint. The installation's facts
 * (controller, officer, supervisory authority, retention) come from the terminal (i18n.ts).
 */
export function PrivacyNotice({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const list = (key: string): string[] => {
    const value: unknown = t(key, { returnObjects: true });
    return Array.isArray(value) ? value.map(String) : [String(value)];
  };
  const count = (name: Parameters<typeof authorityFact>[1]) => Number(authorityFact(i18n, name));
  const sections: readonly (readonly [string, readonly string[]])[] = [
    ['controller', [t('privacy.controller.text'), t('privacy.controller.dpo')]],
    ['purposes', list('privacy.purposes.text')],
    ['duty', [t('privacy.duty.text')]],
    ['recipients', [t('privacy.recipients.text')]],
    [
      'retention',
      [
        t('privacy.retention.terminal', { count: count('terminalRetentionHours') }),
        t('privacy.retention.screen'),
        t('privacy.retention.authority', { count: count('retentionYearsMovedAway') }),
        t('privacy.retention.naturalised', { count: count('retentionYearsNaturalised') }),
      ],
    ],
    ['rights', list('privacy.rights.text')],
    ['others', list('privacy.others.text')],
  ];
  return (
    <div className="overlay">
      <div role="dialog" aria-modal="true" aria-labelledby="privacy-title" className="dialog privacy-notice">
        <h2 id="privacy-title">{t('privacy.title')}</h2>
        {sections.map(([id, paragraphs]) => (
          <section key={id} aria-labelledby={`privacy-${id}`}>
            <h3 id={`privacy-${id}`}>{t(`privacy.${id}.title`)}</h3>
            {paragraphs.map((paragraph) => (
              <p key={paragraph}>{paragraph}</p>
            ))}
          </section>
        ))}
        <button type="button" onClick={onClose}>
          {t('menu.close')}
        </button>
      </div>
    </div>
  );
}
