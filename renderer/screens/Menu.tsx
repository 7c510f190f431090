import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceEntry, ServiceId } from '../../api/contract.ts';
import { Icon } from '../icons.tsx';
import { PrivacyNotice } from './PrivacyNotice.tsx';

/** The main menu: every service of the catalogue; those not offered here say where to go instead. */
export function Menu({
  services,
  onOpen,
}: {
  services: readonly ServiceEntry[];
  onOpen: (id: ServiceId) => void;
}) {
  const { t } = useTranslation();
  const [elsewhere, setElsewhere] = useState<ServiceEntry | null>(null);
  const [privacy, setPrivacy] = useState(false);
  return (
    <main className="menu">
      <h1>{t('menu.title')}</h1>
      <p className="privacy-short">
        {t('privacy.short')}{' '}
        <button type="button" className="secondary" onClick={() => setPrivacy(true)}>
          {t('privacy.more')}
        </button>
      </p>
      <ul className="tiles">
        {services.map((service) => {
          const offered = service.availability === 'offered';
          return (
            <li key={service.id}>
              <button
                type="button"
                className={offered ? 'tile' : 'tile tile-unavailable'}
                aria-describedby={`${service.id}-text`}
                onClick={() => (offered ? onOpen(service.id) : setElsewhere(service))}
              >
                <Icon name={service.icon} />
                <span className="tile-title">{t(`services.${service.id}.title`)}</span>
                <span className="tile-text" id={`${service.id}-text`}>
                  {t(`services.${service.id}.text`)}
                  {!offered && (
                    <span className="tile-badge">
                      {t(service.availability === 'switched-off' ? 'menu.switchedOff' : 'menu.notOffered')}
                    </span>
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {privacy && <PrivacyNotice onClose={() => setPrivacy(false)} />}
      {elsewhere && (
        <div className="overlay">
          <div role="dialog" aria-modal="true" aria-labelledby="elsewhere-title" className="dialog">
            <h2 id="elsewhere-title">{t(`services.${elsewhere.id}.title`)}</h2>
            <p>{t(elsewhere.availability === 'switched-off' ? 'menu.switchedOff' : 'menu.notOffered')}</p>
            <h3>{t('menu.whereInstead')}</h3>
            <p>{t(`services.${elsewhere.id}.instead`)}</p>
            <button type="button" onClick={() => setElsewhere(null)}>
              {t('menu.close')}
            </button>
          </div>
        </div>
      )}
    </main>
  );
}
