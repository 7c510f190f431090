/**
 * The site overlay: the portal's signed configuration (`TerminalConfig`, verified and stored by
 * sync/site-config.ts) laid over the terminal's own configuration. Pure: no I/O, the same input gives the same output.
 *
 * What the site decides: the languages offered (of those the kiosk has texts for, in the site's
 * order, the first being the default), the idle timeouts, which services are offered, extra
 * reader profiles, the printer's queue name and paper, the location shown on receipts, and who
 * may sign in (`siteStaffConfig`). What stays local: the data folder, the portal URL, the
 * printer kind, simulated readers, metrics, and services a local administrator switched off.
 */
import { type ServiceId, serviceIdSchema } from '../api/contract.ts';
import { visitorLanguages } from '../common/vocabulary.ts';
import {
  type DeviceProfile,
  USAGE_KEYBOARD,
  USAGE_PAGE_GENERIC_DESKTOP,
  USAGE_PAGE_POS,
  validateProfiles,
} from '../device/profiles.ts';
import type { ReaderProfile, TerminalConfig } from '../sync/protocol/index.ts';
import type { KioskConfig } from './config.ts';
import { type StaffConfig, staffConfigSchema } from './staff/records.ts';

/** The portal's configuration laid over the kiosk's, and who may sign in. */
export interface AppliedSiteConfig {
  readonly site: TerminalConfig;
  readonly config: KioskConfig;
  /** Undefined: the site lets nobody sign in here. */
  readonly staff: StaffConfig | undefined;
}

export function applyTerminalSiteConfig(config: KioskConfig, site: TerminalConfig): AppliedSiteConfig {
  return { site, config: applySiteConfig(config, site), staff: siteStaffConfig(site) };
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(n)));

/** The site's languages the kiosk has texts for, in the site's order, without repeats. */
export function siteLanguages(site: TerminalConfig): string[] {
  const known = new Set<string>(visitorLanguages);
  return [...new Set(site.languages.filter((l) => known.has(l)))];
}

/**
 * Services the site does not offer: those it switches off and the kiosk's services it does not
 * list at all (the site's list is what it offers). Ids the kiosk does not know are ignored.
 */
export function siteDisabledServices(site: TerminalConfig): ServiceId[] {
  const enabled = new Set(site.services.filter((s) => s.enabled).map((s) => s.id));
  return serviceIdSchema.options.filter((id) => !enabled.has(id));
}

/** A site reader profile as a device profile, or undefined when its protocol is not one the kiosk drives. */
export function deviceProfileOf(p: ReaderProfile, defaultLayout: string): DeviceProfile | undefined {
  const protocol = p.protocol.toLowerCase();
  const driver = protocol === 'hid-pos' ? 'hid-pos' : /^(hid-)?keyboard/.test(protocol) ? 'keyboard' : null;
  if (driver === null) return undefined;
  // without a usage page, match the interface the driver reads: POS for hid-pos, the keyboard otherwise
  const usage =
    p.usagePage !== undefined
      ? { usagePage: p.usagePage, ...(p.usage === undefined ? {} : { usage: p.usage }) }
      : driver === 'hid-pos'
        ? { usagePage: USAGE_PAGE_POS }
        : { usagePage: USAGE_PAGE_GENERIC_DESKTOP, usage: USAGE_KEYBOARD };
  const candidate = {
    id: `site-${p.id}`,
    name: `${p.kind === 'mrz' ? 'Document reader' : 'Barcode scanner'} ${hex(p.vendorId)}:${hex(p.productId)} (site profile ${p.id})`,
    match: { vendorId: p.vendorId, productId: p.productId, ...usage },
    driver,
    mode: p.kind,
    ...(driver === 'keyboard' ? { layout: p.layout ?? defaultLayout } : {}),
  };
  const checked = validateProfiles([candidate]);
  return checked.ok ? checked.value[0] : undefined;
}

function hex(n: number): string {
  return n.toString(16).padStart(4, '0');
}

export function applySiteConfig(config: KioskConfig, site: TerminalConfig): KioskConfig {
  const languages = siteLanguages(site);
  const idle = clamp(site.timeouts.idleSeconds, 5, 3_600);
  // the warning must come before the end (core/config.ts checks the same)
  const warning = clamp(site.timeouts.warningSeconds, 0, Math.min(600, idle - 1));
  const disabled = [...new Set([...config.services.disabled, ...siteDisabledServices(site)])];
  const local = config.readers.profiles;
  const taken = new Set(local.map((p) => p.id));
  const fromSite = site.readerProfiles
    .map((p) => deviceProfileOf(p, config.readers.layout))
    .filter((p): p is DeviceProfile => p !== undefined && !taken.has(p.id));
  return {
    ...config,
    terminal: { ...config.terminal, location: site.location.name },
    session: { ...config.session, idleTimeoutSeconds: idle, idleWarningSeconds: warning },
    languages:
      languages.length > 0
        ? { ...config.languages, enabled: languages, default: languages[0] as string }
        : config.languages,
    services: { ...config.services, disabled },
    // a local administrator's profiles come first: they know the hardware in front of them
    readers: { ...config.readers, profiles: [...local, ...fromSite] },
    printer: {
      ...config.printer,
      name: site.printer.queue,
      paper: site.printer.paper === 'A4' ? 'a4' : 'roll80',
    },
  };
}

/**
 * The site's staff section in the core's shape, or undefined when the site lets nobody sign in
 * here (or the section does not pass the core's own check, which a verified configuration does).
 */
export function siteStaffConfig(site: TerminalConfig): StaffConfig | undefined {
  if (site.staff === undefined) return undefined;
  const parsed = staffConfigSchema.safeParse(site.staff);
  return parsed.success ? parsed.data : undefined;
}
