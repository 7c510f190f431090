/** The configuration a terminal receives, signed with the portal's key. */
import type { TerminalConfig } from '../sync/protocol/index.ts';
import { iso } from './deps.ts';
import { type SigningKey, signCompactEs256 } from './keys.ts';

/** The parts of the configuration that are the same for every terminal of the site. */
export type SiteConfig = Omit<TerminalConfig, 'terminalId' | 'issuedAt' | 'version'>;

const weekday = (day: number) => [
  { day, opens: '08:00', closes: '12:00' },
  { day, opens: '13:00', closes: day === 4 ? '18:00' : '15:30' },
];

export const DEFAULT_SITE_CONFIG: SiteConfig = {
  location: {
    id: 'abh-central',
    name: 'Ausländerbehörde – Bürgerservice Mitte',
    address: 'Rathausplatz 1, Erdgeschoss, Foyer',
    timeZone: 'Europe/Berlin',
  },
  openingHours: [1, 2, 3, 4, 5].flatMap(weekday),
  languages: ['de', 'en', 'tr', 'ar', 'uk', 'ru'],
  services: [
    {
      id: 'residence-permit-extension',
      title: {
        de: 'Verlängerung des Aufenthaltstitels',
        en: 'Extension of a residence permit',
        tr: 'Oturma izninin uzatılması',
        ar: 'تمديد تصريح الإقامة',
        uk: 'Продовження посвідки на проживання',
        ru: 'Продление вида на жительство',
      },
      enabled: true,
      attachmentsRequired: true,
    },
    {
      id: 'declaration-of-commitment',
      title: {
        de: 'Verpflichtungserklärung',
        en: 'Declaration of commitment',
        tr: 'Taahhüt beyanı',
        ar: 'إقرار الالتزام',
        uk: 'Зобов’язання про покриття витрат',
        ru: 'Гарантийное обязательство',
      },
      enabled: true,
      attachmentsRequired: false,
    },
    {
      id: 'address-change',
      title: {
        de: 'Adressänderung im Aufenthaltstitel',
        en: 'Change of address on the residence permit',
        tr: 'Oturma izninde adres değişikliği',
        ar: 'تغيير العنوان في تصريح الإقامة',
        uk: 'Зміна адреси в посвідці',
        ru: 'Изменение адреса в виде на жительство',
      },
      enabled: true,
      attachmentsRequired: false,
    },
  ],
  timeouts: { idleSeconds: 90, warningSeconds: 20, sessionMaxSeconds: 1200 },
  readerProfiles: [
    { id: 'mrz-desko', kind: 'mrz', vendorId: 0x0b0c, productId: 0x0022, protocol: 'hid-keyboard-mrz' },
    { id: 'barcode-honeywell', kind: 'barcode', vendorId: 0x0c2e, productId: 0x0b61, protocol: 'hid-pos' },
  ],
  printer: { queue: 'kiosk-receipts', paper: 'A4', copies: 1 },
  retention: { acceptedHours: 24, oldestItemAlarmHours: 4 },
  sync: { heartbeatSeconds: 60, chunkBytes: 256 * 1024 },
};

export function terminalConfig(
  site: SiteConfig,
  terminalId: string,
  version: number,
  now: number,
): TerminalConfig {
  return { ...site, terminalId, version, issuedAt: iso(now) };
}

export function signConfig(key: SigningKey, config: TerminalConfig): string {
  return signCompactEs256(key, config, 'config+jwt');
}
