import { FileKeyStore, type KeyStore } from '../sync/keystore.ts';
import { type KioskConfig, keepEnvironment } from './config.ts';
import { createKiosk, type Kiosk, type KioskDeps } from './kiosk.ts';
import type { Logger } from './log.ts';
import { openPinnedTerminal } from './pinned-portal.ts';
import { applyTerminalSiteConfig } from './site-overlay.ts';
import { takeInBadgeSecret } from './staff/badge-secret.ts';

export interface StartOptions extends Omit<KioskDeps, 'terminal' | 'openTerminal' | 'site'> {
  readonly log: Logger;
  /** A terminal not enrolled yet enrols with this code (the built-in demo portal hands one out). */
  readonly enrolmentCode?: string;
  readonly keyStore?: KeyStore;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The configuration file `config` was read from (core/config.ts `configFileOf`): a badge
   * secret in plain form there is sealed into the data folder and replaced by "sealed".
   */
  readonly configFile?: string | null;
}

/**
 * Starts the kiosk the way a host does (web host, Electron core process): opens the terminal
 * enrolled with the pinned portal (enrolling it first with `enrolmentCode`), lays the portal's
 * signed configuration over the local one (what the environment set stays), builds the kiosk,
 * which takes the terminal over (health figures, newer configurations, remote wipe, the clock
 * passed in), and starts its delivery and heartbeat. A terminal enrolled later from the screen is
 * opened the same way. The one `close()` of the kiosk returned ends all of it.
 */
export async function startKiosk(
  config: KioskConfig & { portal: { url: string } },
  options: StartOptions,
): Promise<Kiosk> {
  const { log, enrolmentCode, keyStore, env = process.env, configFile = null, ...deps } = options;
  const staff = await takeInBadgeSecret({
    staff: config.staff,
    configFile,
    dataDir: config.dataDir,
    keyStore: keyStore ?? new FileKeyStore(config.dataDir),
    log,
  });
  const local = { ...config, staff };
  const open = (code?: string) =>
    openPinnedTerminal(config, log, {
      ...(code ? { enrolmentCode: code } : {}),
      ...(keyStore ? { keyStore } : {}),
      ...(deps.clock ? { clock: deps.clock } : {}),
    });
  const terminal = await open(enrolmentCode);
  const site = terminal?.siteConfig() ?? null;
  const applied = site ? applyTerminalSiteConfig(local, site) : null;
  let kiosk: Kiosk;
  try {
    kiosk = createKiosk(applied ? keepEnvironment(applied.config, local, env) : local, {
      ...deps,
      log,
      terminal,
      ...(keyStore ? { keyStore } : {}),
      ...(applied ? { site: applied } : {}),
      openTerminal: () => open(),
    });
  } catch (error) {
    await terminal?.close();
    throw error;
  }
  terminal?.start();
  return kiosk;
}
