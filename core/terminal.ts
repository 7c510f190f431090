import packageJson from '../package.json' with { type: 'json' };
import { checkEnrolmentPin, type PortalPin, readEnrolment } from '../sync/enrolment.ts';
import type { HealthSource } from '../sync/heartbeat.ts';
import type { KeyStore } from '../sync/keystore.ts';
import type { TerminalCommand, TerminalConfig } from '../sync/protocol/index.ts';
import { enrolTerminal, openTerminal, type Terminal } from '../sync/terminal.ts';
import type { KioskConfig } from './config.ts';
import type { Logger } from './log.ts';
import { applySiteConfig, siteStaffConfig } from './site-config.ts';
import type { StaffConfig } from './staff/records.ts';
import { deleteTerminalFiles, pendingWipe, recordPendingWipe, wipeFolders } from './wipe.ts';

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

/**
 * The portal this installation trusts, from its configuration (file or environment, never the
 * screen): null until both the portal URL and its signing key's thumbprint are set.
 */
export function portalPin(config: KioskConfig): PortalPin | null {
  const { url, signingKeyThumbprint } = config.portal;
  return url && signingKeyThumbprint ? { url, signingKeyThumbprint } : null;
}

/**
 * Why this terminal cannot serve visitors as far as its enrolment goes, as a code for the
 * administrator, or null when its enrolment record names the installation's portal and key:
 * `enrolment.not_pinned` (the installation names no portal key), `enrolment.missing`,
 * `enrolment.malformed`, `enrolment.foreign_origin`, `enrolment.foreign_key`.
 */
export function enrolmentProblem(config: KioskConfig): string | null {
  const pin = portalPin(config);
  if (!pin) return 'enrolment.not_pinned';
  const record = readEnrolment(config.dataDir);
  if (!record.ok) return record.error.code;
  const pinned = checkEnrolmentPin(record.value, pin);
  return pinned.ok ? null : pinned.error.code;
}

export interface KioskTerminalOptions {
  /** A terminal not enrolled yet enrols first with this code (the built-in demo portal hands one out). */
  readonly enrolmentCode?: string;
  /** The kiosk's health figures for the heartbeat; can also be set later (`terminal.heartbeat.setHealth`). */
  readonly health?: HealthSource;
  /** A newer verified configuration from the portal, laid over the kiosk's. */
  readonly onSiteConfig?: (applied: AppliedSiteConfig) => void;
  /**
   * Carries out a remote wipe once the portal has the acknowledgement. Default: the terminal is
   * closed and its queue, enrolment and device key are deleted; a kiosk that holds the terminal
   * should pass its own (end sessions, drop the terminal, then delete).
   */
  readonly onRemoteWipe?: (command: TerminalCommand) => void | Promise<void>;
  /** Where the device key is kept (Electron: safeStorage); default the 0600 file. */
  readonly keyStore?: KeyStore;
  /** Start the heartbeat (default true; tests and tools may not want one). */
  readonly heartbeat?: boolean;
}

/**
 * Opens the terminal's queue and portal client from its data folder, only with the portal and
 * signing key the installation pins (`portal.url`, `portal.signingKeyThumbprint`): a terminal
 * whose installation pins no key, or whose enrolment names another portal or key, is not opened.
 * With `enrolmentCode` (the demo) a terminal that is not enrolled, or enrolled elsewhere, enrols
 * first. Starts delivery and the heartbeat; the
 * configuration from the portal in effect is `terminal.siteConfig()` (apply it with
 * `applyTerminalSiteConfig`), newer ones arrive through `onSiteConfig`. Returns null, with a log
 * line saying why, when the terminal cannot submit: the kiosk still starts, and a visitor who
 * tries to submit is told to ask staff.
 */
export async function openKioskTerminal(
  config: KioskConfig & { portal: { url: string } },
  log: Logger,
  options: KioskTerminalOptions = {},
): Promise<Terminal | null> {
  const unfinished = pendingWipe(config.dataDir);
  if (unfinished !== undefined) {
    // the process died between the acknowledgement of a remote wipe and its end: finish it first
    const failed = deleteTerminalFiles(config.dataDir, wipeFolders(config));
    if (failed.length > 0) log.error('terminal.wipe_incomplete', { files: failed.length });
    else log.warn('terminal.remotely_wiped', { id: unfinished, finishedAtStart: true });
  }
  const pin = portalPin(config);
  if (!pin) {
    log.error('terminal.not_pinned');
    return null;
  }
  const problem = enrolmentProblem(config);
  const replaceable = problem === 'enrolment.missing' || problem?.startsWith('enrolment.foreign_');
  if (replaceable && options.enrolmentCode) {
    const enrolled = await enrolTerminal({
      dataDir: config.dataDir,
      portalUrl: pin.url,
      pin,
      code: options.enrolmentCode,
      label: config.terminal.location,
      ...(options.keyStore ? { keyStore: options.keyStore } : {}),
    });
    if (!enrolled.ok) {
      log.error('terminal.enrolment_failed', { code: enrolled.error.code });
      return null;
    }
    log.info('terminal.enrolled');
  }
  const opened = await openTerminal({
    dataDir: config.dataDir,
    portalUrl: pin.url,
    pin,
    appVersion: packageJson.version,
    ...(options.keyStore ? { keyStore: options.keyStore } : {}),
  });
  if (!opened.ok) {
    log.warn('terminal.not_ready', { code: opened.error.code });
    return null;
  }
  const terminal = opened.value;
  for (const alarm of terminal.startupAlarms) log.error('store.damaged', { code: alarm.code });
  const keys = await terminal.refreshAuthorityKeys();
  if (!keys.ok) log.warn('terminal.authority_keys_unavailable', { code: keys.error.code });
  terminal.engine.start();
  if (options.heartbeat !== false) startHeartbeat(terminal, config, log, options);
  return terminal;
}

function startHeartbeat(
  terminal: Terminal,
  config: KioskConfig,
  log: Logger,
  options: KioskTerminalOptions,
): void {
  const { heartbeat } = terminal;
  if (options.health !== undefined) heartbeat.setHealth(options.health);
  heartbeat.onConfig((site) => {
    log.info('terminal.config_applied', { version: site.version });
    try {
      options.onSiteConfig?.(applyTerminalSiteConfig(config, site));
    } catch {
      log.error('terminal.config_listener_failed', { version: site.version });
    }
  });
  heartbeat.onCommand((command) => {
    // carried out after the acknowledgement (onAcked): the portal then knows it happened; a wipe
    // is recorded first (a throw here: not acknowledged, offered again), so a restart finishes it
    if (command.type === 'wipe') recordPendingWipe(config.dataDir, command.id);
    log.warn('terminal.remote_command', { type: command.type, id: command.id });
  });
  heartbeat.onAcked((command) => {
    if (command.type !== 'wipe') return;
    const wipe =
      options.onRemoteWipe ??
      (async () => {
        const done = await terminal.wipe();
        if (!done.ok) log.error('terminal.wipe_incomplete', { code: done.error.code });
        else if (deleteTerminalFiles(config.dataDir, wipeFolders(config)).length > 0)
          log.error('terminal.wipe_incomplete', { code: 'wipe.incomplete' });
      });
    // after this beat has finished: a wipe closes the terminal, which waits for the beat in flight
    queueMicrotask(() => {
      Promise.resolve()
        .then(() => wipe(command))
        .then(
          () => log.warn('terminal.remotely_wiped', { id: command.id }),
          () => log.error('terminal.wipe_failed', { id: command.id }),
        );
    });
  });
  heartbeat.start();
}
