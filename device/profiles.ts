/**
 * Device profiles: which driver (and with which options) handles a HID device, chosen by vendor
 * id, product id, usage page and usage. Built-in profiles cover HID POS scanners of any vendor and
 * keyboard-mode readers of known vendors; administrators add their own in the configuration,
 * validated here with `validateProfiles` (plain code, no schema library, as device/ imports none).
 */
import type { ReaderMode } from './drivers/lines.ts';
import type { HidDeviceInfo } from './transport.ts';

export type DriverKind = 'hid-pos' | 'keyboard';

export interface ProfileMatch {
  readonly vendorId?: number;
  readonly productId?: number;
  readonly usagePage?: number;
  readonly usage?: number;
}

export interface DeviceProfile {
  readonly id: string;
  readonly name: string;
  readonly match: ProfileMatch;
  readonly driver: DriverKind;
  readonly mode: ReaderMode;
  /** Keyboard driver: layout id the reader types in (default en-US). */
  readonly layout?: string;
  /** Keyboard driver: report id in front of each report, when the device sends one. */
  readonly reportId?: number;
  /** Keyboard driver: MRZ document window and partial-line timeout, ms (default 1500). */
  readonly windowMs?: number;
  /** HID POS driver: send the enable-HID-POS feature report (254 = 0x01) after opening. */
  readonly enableHidPos?: boolean;
}

export const USAGE_PAGE_GENERIC_DESKTOP = 0x01;
export const USAGE_KEYBOARD = 0x06;
export const USAGE_PAGE_POS = 0x8c;

const keyboardInterface = { usagePage: USAGE_PAGE_GENERIC_DESKTOP, usage: USAGE_KEYBOARD } as const;

/**
 * Built in. Product ids of individual models are left to administrators: the vendors below ship
 * many models, and a vendor-wide match with the keyboard usage is what identifies the readers.
 */
export const builtinProfiles: readonly DeviceProfile[] = [
  {
    id: 'hid-pos-scanner',
    name: 'HID POS barcode scanner (usage page 0x8C)',
    match: { usagePage: USAGE_PAGE_POS },
    driver: 'hid-pos',
    mode: 'barcode',
  },
  {
    id: 'access-is-keyboard',
    name: 'Access-IS document reader in keyboard mode',
    match: { vendorId: 0x0db5, ...keyboardInterface },
    driver: 'keyboard',
    mode: 'mrz',
    layout: 'en-US',
  },
  {
    id: 'honeywell-keyboard',
    name: 'Honeywell (Metrologic) scanner in keyboard mode',
    match: { vendorId: 0x0c2e, ...keyboardInterface },
    driver: 'keyboard',
    mode: 'barcode',
    layout: 'en-US',
  },
  {
    id: 'zebra-keyboard',
    name: 'Zebra (Symbol) scanner in keyboard mode',
    match: { vendorId: 0x05e0, ...keyboardInterface },
    driver: 'keyboard',
    mode: 'barcode',
    layout: 'en-US',
  },
  {
    id: 'datalogic-keyboard',
    name: 'Datalogic (PSC) scanner in keyboard mode',
    match: { vendorId: 0x05f9, ...keyboardInterface },
    driver: 'keyboard',
    mode: 'barcode',
    layout: 'en-US',
  },
];

function matches(match: ProfileMatch, d: HidDeviceInfo): boolean {
  return (
    (match.vendorId === undefined || match.vendorId === d.vendorId) &&
    (match.productId === undefined || match.productId === d.productId) &&
    (match.usagePage === undefined || match.usagePage === d.usagePage) &&
    (match.usage === undefined || match.usage === d.usage)
  );
}

function specificity(match: ProfileMatch): number {
  // A product id says more than a vendor id, which says more than a usage.
  return (
    (match.productId === undefined ? 0 : 8) +
    (match.vendorId === undefined ? 0 : 4) +
    (match.usagePage === undefined ? 0 : 2) +
    (match.usage === undefined ? 0 : 1)
  );
}

/**
 * The profile for a device: the most specific match; between equally specific ones the first in
 * the list (pass administrators' profiles before the built-in ones so theirs win).
 */
export function matchProfile(
  device: HidDeviceInfo,
  profiles: readonly DeviceProfile[],
): DeviceProfile | undefined {
  let best: DeviceProfile | undefined;
  let bestScore = -1;
  for (const p of profiles) {
    if (!matches(p.match, device)) continue;
    const score = specificity(p.match);
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

export interface ProfileError {
  readonly code: 'device.bad_profile';
  readonly message: string;
  /** Where in the input, e.g. `[2].match.vendorId`. */
  readonly path: string;
}

export type ProfilesResult =
  | { readonly ok: true; readonly value: DeviceProfile[] }
  | { readonly ok: false; readonly error: ProfileError };

export interface ValidateOptions {
  /** Layout ids the host knows; a profile naming another is rejected. */
  readonly layouts?: readonly string[];
}

class ProfileInputError {
  constructor(
    readonly path: string,
    readonly message: string,
  ) {}
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A 16-bit id: a number, or a string in hex (`"0x0c2e"`) as administrators copy them. */
function id16(v: unknown, path: string): number {
  let n: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^0x[0-9a-f]{1,4}$/i.test(v)) n = Number.parseInt(v.slice(2), 16);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 0xffff) {
    throw new ProfileInputError(path, 'must be an integer 0..65535 or a hex string like "0x0c2e"');
  }
  return n;
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new ProfileInputError(`${path}.${k}`, 'is not a profile setting');
  }
}

function parseProfile(v: unknown, path: string, options: ValidateOptions): DeviceProfile {
  if (!isRecord(v)) throw new ProfileInputError(path, 'must be an object');
  onlyKeys(
    v,
    ['id', 'name', 'match', 'driver', 'mode', 'layout', 'reportId', 'windowMs', 'enableHidPos'],
    path,
  );
  if (typeof v.id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(v.id)) {
    throw new ProfileInputError(`${path}.id`, 'must be 1-64 letters, digits, dots, dashes or underscores');
  }
  const name = v.name === undefined ? v.id : v.name;
  if (typeof name !== 'string' || name.length > 200)
    throw new ProfileInputError(`${path}.name`, 'must be a string');
  if (!isRecord(v.match)) throw new ProfileInputError(`${path}.match`, 'must be an object');
  onlyKeys(v.match, ['vendorId', 'productId', 'usagePage', 'usage'], `${path}.match`);
  const match: { vendorId?: number; productId?: number; usagePage?: number; usage?: number } = {};
  for (const key of ['vendorId', 'productId', 'usagePage', 'usage'] as const) {
    if (v.match[key] !== undefined) match[key] = id16(v.match[key], `${path}.match.${key}`);
  }
  if (Object.keys(match).length === 0) {
    throw new ProfileInputError(
      `${path}.match`,
      'must name at least one of vendorId, productId, usagePage, usage',
    );
  }
  if (match.productId !== undefined && match.vendorId === undefined) {
    throw new ProfileInputError(`${path}.match.productId`, 'needs a vendorId (product ids are per vendor)');
  }
  if (v.driver !== 'hid-pos' && v.driver !== 'keyboard') {
    throw new ProfileInputError(`${path}.driver`, 'must be "hid-pos" or "keyboard"');
  }
  const driver: DriverKind = v.driver;
  const mode = v.mode === undefined && driver === 'hid-pos' ? 'barcode' : v.mode;
  if (mode !== 'mrz' && mode !== 'barcode')
    throw new ProfileInputError(`${path}.mode`, 'must be "mrz" or "barcode"');
  const profile: {
    -readonly [K in keyof DeviceProfile]: DeviceProfile[K];
  } = { id: v.id, name, match, driver, mode };
  if (driver === 'hid-pos') {
    for (const key of ['layout', 'reportId', 'windowMs'] as const) {
      if (v[key] !== undefined)
        throw new ProfileInputError(`${path}.${key}`, 'applies to the keyboard driver only');
    }
    if (v.enableHidPos !== undefined) {
      if (typeof v.enableHidPos !== 'boolean')
        throw new ProfileInputError(`${path}.enableHidPos`, 'must be true or false');
      profile.enableHidPos = v.enableHidPos;
    }
    return profile;
  }
  if (v.enableHidPos !== undefined)
    throw new ProfileInputError(`${path}.enableHidPos`, 'applies to HID POS only');
  if (v.layout !== undefined) {
    if (typeof v.layout !== 'string' || (options.layouts && !options.layouts.includes(v.layout))) {
      const known = options.layouts ? ` (one of ${options.layouts.join(', ')})` : '';
      throw new ProfileInputError(`${path}.layout`, `must be a keyboard layout id${known}`);
    }
    profile.layout = v.layout;
  }
  if (v.reportId !== undefined) {
    if (
      typeof v.reportId !== 'number' ||
      !Number.isInteger(v.reportId) ||
      v.reportId < 1 ||
      v.reportId > 255
    ) {
      throw new ProfileInputError(`${path}.reportId`, 'must be an integer 1..255');
    }
    profile.reportId = v.reportId;
  }
  if (v.windowMs !== undefined) {
    if (
      typeof v.windowMs !== 'number' ||
      !Number.isFinite(v.windowMs) ||
      v.windowMs < 100 ||
      v.windowMs > 60_000
    ) {
      throw new ProfileInputError(`${path}.windowMs`, 'must be a number of milliseconds 100..60000');
    }
    profile.windowMs = v.windowMs;
  }
  return profile;
}

/** Validates administrators' profiles (e.g. the `readers.profiles` array of the configuration). */
export function validateProfiles(input: unknown, options: ValidateOptions = {}): ProfilesResult {
  try {
    if (!Array.isArray(input)) throw new ProfileInputError('', 'must be an array of profiles');
    const profiles = input.map((v, i) => parseProfile(v, `[${i}]`, options));
    const seen = new Set<string>();
    for (const [i, p] of profiles.entries()) {
      if (seen.has(p.id)) throw new ProfileInputError(`[${i}].id`, `profile id "${p.id}" is used twice`);
      seen.add(p.id);
    }
    return { ok: true, value: profiles };
  } catch (e) {
    if (e instanceof ProfileInputError) {
      return {
        ok: false,
        error: { code: 'device.bad_profile', message: `${e.path || 'profiles'} ${e.message}`, path: e.path },
      };
    }
    throw e;
  }
}
