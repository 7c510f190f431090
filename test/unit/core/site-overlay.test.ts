import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.ts';
import { configSchema, type KioskConfig } from '../../../core/config.ts';
import { applySiteConfig, deviceProfileOf, siteStaffConfig } from '../../../core/site-overlay.ts';
import { parseBadgeSecret } from '../../../core/staff/badge.ts';
import { acceptsHash, createArgon2Hasher, productionPinHasher } from '../../../core/staff/hasher.ts';
import { StaffService } from '../../../core/staff/service.ts';
import { validateProfiles } from '../../../device/profiles.ts';
import { DEFAULT_SITE_CONFIG, DEMO_STAFF, demoStaffSection, terminalConfig } from '../../../portal/config.ts';
import type { TerminalConfig } from '../../../sync/protocol/index.ts';

const base = (): KioskConfig =>
  configSchema.parse({
    dataDir: '/var/lib/kiosk-test',
    services: { disabled: ['information'] },
    readers: {
      profiles: [
        {
          id: 'site-barcode-honeywell',
          name: 'Local override',
          match: { vendorId: 0x0c2e, productId: 0x0b61 },
          driver: 'keyboard',
          mode: 'barcode',
        },
      ],
    },
    printer: { kind: 'cups', name: 'Local', paper: 'a4' },
  });

const site = (overrides: Partial<TerminalConfig> = {}): TerminalConfig => ({
  ...terminalConfig(DEFAULT_SITE_CONFIG, 'T-1', 4, Date.UTC(2026, 0, 15)),
  ...overrides,
});

describe('applySiteConfig', () => {
  it('offers the languages the kiosk has texts for, in the site order, the first as default', () => {
    const out = applySiteConfig(base(), site({ languages: ['tr', 'it', 'de', 'tr', 'fa', 'ar'] }));
    expect(out.languages).toEqual({ enabled: ['tr', 'de', 'fa', 'ar'], default: 'tr' });
    // none the kiosk knows: the terminal's own languages stay
    expect(applySiteConfig(base(), site({ languages: ['it', 'es'] })).languages).toEqual(base().languages);
  });

  it('takes the idle timeouts, keeping the warning before the end and both within the core limits', () => {
    const t = (idleSeconds: number, warningSeconds: number) =>
      applySiteConfig(base(), site({ timeouts: { idleSeconds, warningSeconds, sessionMaxSeconds: 900 } }))
        .session;
    expect(t(90, 20)).toEqual({ idleTimeoutSeconds: 90, idleWarningSeconds: 20 });
    expect(t(30, 30)).toEqual({ idleTimeoutSeconds: 30, idleWarningSeconds: 29 });
    expect(t(99_999, 9_999)).toEqual({ idleTimeoutSeconds: 3_600, idleWarningSeconds: 600 });
    expect(t(1, 1)).toEqual({ idleTimeoutSeconds: 5, idleWarningSeconds: 1 });
  });

  it('switches off what the site switches off or does not list, and keeps what was switched off locally', () => {
    const services = DEFAULT_SITE_CONFIG.services
      .filter((s) => s.id !== 'callback-request')
      .map((s) => ({ ...s, enabled: s.id !== 'commitment-company' }));
    const out = applySiteConfig(
      base(),
      site({ services: [...services, { id: 'future-service', enabled: true }] }),
    );
    expect([...out.services.disabled].sort()).toEqual([
      'callback-request',
      'commitment-company',
      'information',
    ]);
  });

  it('adds the site reader profiles it can drive after the local ones, which win on the same id', () => {
    const out = applySiteConfig(
      base(),
      site({
        readerProfiles: [
          ...DEFAULT_SITE_CONFIG.readerProfiles,
          { id: 'serial', kind: 'mrz', vendorId: 1, productId: 2, protocol: 'rs232' },
          {
            id: 'pos-custom',
            kind: 'barcode',
            vendorId: 0x05e0,
            productId: 0x1200,
            protocol: 'HID-POS',
            usagePage: 0x8c,
          },
        ],
      }),
    );
    expect(out.readers.profiles.map((p) => p.id)).toEqual([
      'site-barcode-honeywell',
      'site-mrz-desko',
      'site-pos-custom',
    ]);
    expect(out.readers.profiles[0]?.name).toBe('Local override');
    expect(out.readers.profiles[1]).toMatchObject({
      driver: 'keyboard',
      mode: 'mrz',
      layout: 'de-DE',
      match: { vendorId: 0x0b0c, productId: 0x0022, usagePage: 0x01, usage: 0x06 },
    });
    expect(validateProfiles(out.readers.profiles).ok).toBe(true);
  });

  it('maps a profile only where the kiosk has a driver', () => {
    const p = { id: 'x', kind: 'barcode' as const, vendorId: 0x0c2e, productId: 1, protocol: 'hid-pos' };
    expect(deviceProfileOf(p, 'en-US')).toMatchObject({ driver: 'hid-pos', match: { usagePage: 0x8c } });
    expect(deviceProfileOf(p, 'en-US')).not.toHaveProperty('layout');
    expect(deviceProfileOf({ ...p, protocol: 'hid-keyboard-mrz' }, 'en-US')).toMatchObject({
      driver: 'keyboard',
      layout: 'en-US',
    });
    expect(deviceProfileOf({ ...p, protocol: 'twain' }, 'en-US')).toBeUndefined();
  });

  it('takes the printer queue and paper, the location, and leaves the rest of the terminal alone', () => {
    const input = base();
    const snapshot = structuredClone(input);
    const out = applySiteConfig(
      input,
      site({ printer: { queue: 'Foyer-Receipts', paper: 'receipt-80mm', copies: 2 } }),
    );
    expect(out.printer).toEqual({ kind: 'cups', name: 'Foyer-Receipts', dir: null, paper: 'roll80' });
    expect(
      applySiteConfig(input, site({ printer: { queue: 'Q', paper: 'A4', copies: 1 } })).printer.paper,
    ).toBe('a4');
    expect(out.terminal.location).toBe(DEFAULT_SITE_CONFIG.location.name);
    expect(out.dataDir).toBe(input.dataDir);
    expect(out.portal).toEqual(input.portal);
    expect(out.metrics).toEqual(input.metrics);
    expect(input).toEqual(snapshot);
    // what comes out is a configuration the core accepts as it is
    expect(configSchema.parse(structuredClone(out))).toEqual(out);
  });
});

describe('the staff section', () => {
  it('is absent when the site lets nobody sign in', () => {
    expect(siteStaffConfig(site())).toBeUndefined();
  });

  it("signs the demo clerk and administrator in with the core's staff service", async () => {
    const staffSection = await demoStaffSection();
    const staff = siteStaffConfig(site({ staff: staffSection }));
    if (staff === undefined || staff.badgeSecret === null) throw new Error('no staff section');
    const secret = parseBadgeSecret(staff.badgeSecret);
    if (!secret.ok) throw new Error(secret.error.message);
    const service = new StaffService({
      clock: new ManualClock(),
      audit: () => undefined,
      hasher: createArgon2Hasher(),
      credentials: () => ({ records: staff.records, badgeSecret: secret.value }),
      currentVisitorSessionId: () => 'visitor-1',
    });
    const [clerk, admin] = DEMO_STAFF;
    const signedIn = await service.signIn({ badge: `${clerk.badge}\r\n`, pin: clerk.secret });
    expect(signedIn).toMatchObject({ ok: true, value: { role: 'staff', name: clerk.name } });
    const wrong = await service.signIn({ badge: clerk.badge, pin: '000000' });
    expect(wrong.ok).toBe(false);
    const adminIn = await service.signInAdmin({ badge: admin.badge, password: admin.secret });
    expect(adminIn).toMatchObject({ ok: true, value: { role: 'admin' } });
    service.dispose();
    expect(staff.sessionIdleSeconds).toBe(300);
    // the demo's records pass the terminal's cost floor like any other
    expect(staffSection.records.every((r) => r.pinHash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'))).toBe(
      true,
    );
    expect(staffSection.records.every((r) => acceptsHash(productionPinHasher, r.pinHash))).toBe(true);
  });
});
