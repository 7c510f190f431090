import type { Clock } from '../common/clock.ts';
import { err, ok, type Result } from '../common/result.ts';
import packageJson from '../package.json' with { type: 'json' };
import {
  checkEnrolmentPin,
  type EnrolmentRecord,
  isPinnedOrigin,
  type PortalPin,
  readEnrolment,
} from '../sync/enrolment.ts';
import type { KeyStore } from '../sync/keystore.ts';
import { type AssembledTerminal, enrolTerminal, openTerminal } from '../sync/terminal.ts';
import type { KioskConfig } from './config.ts';
import { pendingRemoteWipe, wipeTerminalData } from './data-wipe.ts';
import type { Logger } from './log.ts';

/**
 * The portal this installation pins (URL and signing key, from its configuration: file or
 * environment, never the screen), and the two things done only with it: enrolling the terminal
 * (the one path for `kiosk enroll`, `kiosk sync --enrol`, the demo at start and an administrator
 * at the screen) and opening the enrolled terminal.
 */

/** Null until both the portal URL and its signing key's thumbprint are set. */
export function portalPin(config: Pick<KioskConfig, 'portal'>): PortalPin | null {
  const { url, signingKeyThumbprint } = config.portal;
  return url && signingKeyThumbprint ? { url, signingKeyThumbprint } : null;
}

/**
 * Why this terminal cannot serve visitors as far as its enrolment goes, as a code for the
 * administrator, or null when its enrolment record names the installation's portal and key:
 * `enrolment.not_pinned` (the installation names no portal key), `enrolment.missing`,
 * `enrolment.malformed`, `enrolment.foreign_origin`, `enrolment.foreign_key`.
 */
export function enrolmentProblem(config: Pick<KioskConfig, 'dataDir' | 'portal'>): string | null {
  const pin = portalPin(config);
  if (!pin) return 'enrolment.not_pinned';
  const record = readEnrolment(config.dataDir);
  if (!record.ok) return record.error.code;
  const pinned = checkEnrolmentPin(record.value, pin);
  return pinned.ok ? null : pinned.error.code;
}

/**
 * Why an enrolment asked for with `requestedUrl` (none: the pinned portal) is refused before
 * anything is sent: `enrolment.not_pinned` or `enrolment.foreign_origin`; null when it may go on.
 */
export function enrolmentRefusal(
  config: Pick<KioskConfig, 'portal'>,
  requestedUrl?: string,
): 'enrolment.not_pinned' | 'enrolment.foreign_origin' | null {
  const pin = portalPin(config);
  if (!pin) return 'enrolment.not_pinned';
  return requestedUrl !== undefined && !isPinnedOrigin(requestedUrl, pin) ? 'enrolment.foreign_origin' : null;
}

export interface EnrolOptions {
  /** A URL the caller asked for: it must name the pinned portal's origin. */
  readonly requestedUrl?: string;
  /** Where the device key is kept (Electron: safeStorage); default the 0600 file. */
  readonly keyStore?: KeyStore;
  readonly fetch?: typeof fetch;
}

export interface Enrolled {
  readonly record: EnrolmentRecord;
  /** The terminal was enrolled with this portal already: nothing was sent. */
  readonly already: boolean;
  /** Why the enrolment on file was replaced (`enrolment.foreign_key`, ...), if one was. */
  readonly replaced?: string;
}

/**
 * Enrols this terminal with the installation's portal using a one-time code: only with the portal
 * the installation pins (a requested URL must name the same origin; a portal answering with
 * another signing key is refused before anything is stored). A terminal enrolled with that portal
 * already is left as it is (`already`); an enrolment for another portal or key, or one that cannot
 * be read, is replaced. Errors: `enrolment.not_pinned`, `enrolment.foreign_origin`,
 * `enrolment.foreign_key` and the enrolment's own codes.
 */
export async function enrolWithPinnedPortal(
  config: Pick<KioskConfig, 'dataDir' | 'portal' | 'terminal'>,
  code: string,
  options: EnrolOptions = {},
): Promise<Result<Enrolled>> {
  const pin = portalPin(config);
  if (!pin)
    return err(
      'enrolment.not_pinned',
      'the installation names no portal to enrol with: set portal.url and portal.signingKeyThumbprint (KIOSK_PORTAL_URL, KIOSK_PORTAL_KEY_THUMBPRINT)',
    );
  if (enrolmentRefusal(config, options.requestedUrl) !== null)
    return err(
      'enrolment.foreign_origin',
      `${options.requestedUrl} is not the portal of this installation (${pin.url})`,
    );
  const existing = readEnrolment(config.dataDir);
  let replaced: string | undefined;
  if (existing.ok) {
    const pinned = checkEnrolmentPin(existing.value, pin);
    if (pinned.ok) return ok({ record: existing.value, already: true });
    replaced = pinned.error.code;
  }
  const enrolled = await enrolTerminal({
    dataDir: config.dataDir,
    portalUrl: pin.url,
    pin,
    code,
    label: config.terminal.location,
    ...(options.keyStore ? { keyStore: options.keyStore } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (!enrolled.ok) return enrolled;
  return ok({ record: enrolled.value, already: false, ...(replaced === undefined ? {} : { replaced }) });
}

export interface OpenOptions {
  /** A terminal not enrolled yet enrols first with this code (the built-in demo portal hands one out). */
  readonly enrolmentCode?: string;
  /** Where the device key is kept (Electron: safeStorage); default the 0600 file. */
  readonly keyStore?: KeyStore;
  /** The kiosk's clock: delivery and the heartbeat keep its time and timers. */
  readonly clock?: Clock;
}

/**
 * Opens the terminal's queue and portal client from its data folder, only with the portal and
 * signing key the installation pins: a terminal whose installation pins no key, or whose
 * enrolment names another portal or key, is not opened. A remote wipe a process died in the
 * middle of is finished first. With `enrolmentCode` (the demo) a terminal not enrolled with the
 * pinned portal enrols first. The authority's keys are refreshed; delivery and the heartbeat are
 * not started (`Terminal.start`, once the kiosk has bound its hooks). Returns null, with a log
 * line saying why, when the terminal cannot submit: the kiosk still starts, out of service.
 */
export async function openPinnedTerminal(
  config: KioskConfig,
  log: Logger,
  options: OpenOptions = {},
): Promise<AssembledTerminal | null> {
  const unfinished = pendingRemoteWipe(config.dataDir);
  if (unfinished !== undefined) {
    // the process died between the acknowledgement of a remote wipe and its end: finish it first
    const failed = await wipeTerminalData(config, null);
    if (failed.length > 0) log.error('terminal.wipe_incomplete', { files: failed.length });
    else log.warn('terminal.remotely_wiped', { id: unfinished, finishedAtStart: true });
  }
  const pin = portalPin(config);
  if (!pin) {
    log.error('terminal.not_pinned');
    return null;
  }
  if (options.enrolmentCode) {
    const enrolled = await enrolWithPinnedPortal(config, options.enrolmentCode, {
      ...(options.keyStore ? { keyStore: options.keyStore } : {}),
    });
    if (!enrolled.ok) {
      log.error('terminal.enrolment_failed', { code: enrolled.error.code });
      return null;
    }
    if (!enrolled.value.already) log.info('terminal.enrolled');
  }
  const { clock } = options;
  const opened = await openTerminal({
    dataDir: config.dataDir,
    portalUrl: pin.url,
    pin,
    appVersion: packageJson.version,
    ...(options.keyStore ? { keyStore: options.keyStore } : {}),
    ...(clock ? { clock, scheduler: clock } : {}),
  });
  if (!opened.ok) {
    log.warn('terminal.not_ready', { code: opened.error.code });
    return null;
  }
  const terminal = opened.value;
  for (const alarm of terminal.startupAlarms) log.error('store.damaged', { code: alarm.code });
  const keys = await terminal.refreshAuthorityKeys();
  if (!keys.ok) log.warn('terminal.authority_keys_unavailable', { code: keys.error.code });
  return terminal;
}
