/** The configuration a terminal receives, signed with the portal's key. */
import { createHash } from 'node:crypto';
import { badgeHash } from '../common/badge.ts';
import { serviceIds, visitorLanguages } from '../common/vocabulary.ts';
import {
  CONFIG_JWS_TYPE,
  MAX_CHUNK_BYTES,
  type SiteStaff,
  type TerminalConfig,
} from '../sync/protocol/index.ts';
import { iso } from './deps.ts';
import { type SigningKey, signCompactEs256 } from './keys.ts';
import { hashSecret, OWASP_ARGON2ID } from './passwords.ts';

/** The parts of the configuration that are the same for every terminal of the site. */
export type SiteConfig = Omit<TerminalConfig, 'terminalId' | 'issuedAt' | 'version'>;

const weekday = (day: number) => [
  { day, opens: '08:00', closes: '12:00' },
  { day, opens: '13:00', closes: day === 4 ? '18:00' : '15:30' },
];

/** Every kiosk service offered, in every language the kiosk has; no staff (nobody can sign in). */
export const DEFAULT_SITE_CONFIG: SiteConfig = {
  location: {
    id: 'abh-central',
    name: 'Ausländerbehörde – Bürgerservice Mitte',
    address: 'Rathausplatz 1, Erdgeschoss, Foyer',
    timeZone: 'Europe/Berlin',
  },
  openingHours: [1, 2, 3, 4, 5].flatMap(weekday),
  languages: [...visitorLanguages],
  services: serviceIds.map((id) => ({
    id,
    enabled: true,
    attachmentsRequired: id === 'residence-permit',
  })),
  timeouts: { idleSeconds: 90, warningSeconds: 20, sessionMaxSeconds: 1200 },
  readerProfiles: [
    {
      id: 'mrz-desko',
      kind: 'mrz',
      vendorId: 0x0b0c,
      productId: 0x0022,
      protocol: 'keyboard',
      layout: 'de-DE',
    },
    { id: 'barcode-honeywell', kind: 'barcode', vendorId: 0x0c2e, productId: 0x0b61, protocol: 'hid-pos' },
  ],
  printer: { queue: 'kiosk-receipts', paper: 'receipt-80mm', copies: 1 },
  retention: { acceptedHours: 24, oldestItemAlarmHours: 4 },
  sync: { heartbeatSeconds: 60, chunkBytes: MAX_CHUNK_BYTES },
};

/**
 * The demo's staff. Fictitious people; the codes and secrets are public (portal/README.md) and
 * only for the demo portal.
 */
export const DEMO_STAFF = [
  { name: 'M. Keller', role: 'staff', badge: 'DEMO-CLERK-01', secret: '246810' },
  { name: 'S. Aydın', role: 'admin', badge: 'DEMO-ADMIN-01', secret: 'kiosk-admin-demo' },
] as const;

/** Fixed, so the demo badges keep working across restarts of a demo portal. */
export const DEMO_BADGE_SECRET = createHash('sha256')
  .update('serviceterminal demo badge secret')
  .digest('hex');

/**
 * The demo staff section, hashed now at the OWASP cost: a terminal refuses staff records hashed
 * below it (core/staff/records.ts), demo or not. Two records, so the portal still starts quickly.
 */
export async function demoStaffSection(): Promise<SiteStaff> {
  const records = await Promise.all(
    DEMO_STAFF.map(async (p) => ({
      badgeHash: badgeHash(Buffer.from(DEMO_BADGE_SECRET, 'hex'), p.badge),
      pinHash: await hashSecret(p.secret, OWASP_ARGON2ID),
      role: p.role,
      name: p.name,
    })),
  );
  return { badgeSecret: DEMO_BADGE_SECRET, sessionIdleSeconds: 300, records };
}

export function terminalConfig(
  site: SiteConfig,
  terminalId: string,
  version: number,
  now: number,
): TerminalConfig {
  return { ...site, terminalId, version, issuedAt: iso(now) };
}

export function signConfig(key: SigningKey, config: TerminalConfig): string {
  return signCompactEs256(key, config, CONFIG_JWS_TYPE);
}
