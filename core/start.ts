import type { KeyStore } from '../sync/keystore.ts';
import type { Terminal } from '../sync/terminal.ts';
import { type KioskConfig, keepEnvironment } from './config.ts';
import { createKiosk, type Kiosk, type KioskDeps } from './kiosk.ts';
import type { Logger } from './log.ts';
import { type AppliedSiteConfig, applyTerminalSiteConfig, openKioskTerminal } from './terminal.ts';

export interface StartOptions extends Omit<KioskDeps, 'terminal' | 'openTerminal' | 'site'> {
  readonly log: Logger;
  /** A terminal not enrolled yet enrols with this code (the built-in demo portal hands one out). */
  readonly enrolmentCode?: string;
  readonly keyStore?: KeyStore;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Starts the kiosk the way a host does (web host, Electron core process): opens the enrolled
 * terminal with its heartbeat bound to the kiosk (health figures, newer configurations, remote
 * wipe), lays the portal's signed configuration over the local one (what the environment set
 * stays), and builds the kiosk. A terminal enrolled later from the screen is opened the same way.
 */
export async function startKiosk(
  config: KioskConfig & { portal: { url: string } },
  options: StartOptions,
): Promise<{ kiosk: Kiosk; terminal: Terminal | null }> {
  const { log, enrolmentCode, keyStore, env = process.env, ...deps } = options;
  let kiosk: Kiosk | null = null;
  const hooks = {
    health: () => kiosk?.health() ?? {},
    onSiteConfig: (applied: AppliedSiteConfig) => kiosk?.applySite(applied),
    onRemoteWipe: async () => {
      await kiosk?.wipe();
    },
    ...(keyStore ? { keyStore } : {}),
  };
  const open = (url: string, code?: string) =>
    openKioskTerminal({ ...config, portal: { ...config.portal, url } }, log, {
      ...hooks,
      ...(code ? { enrolmentCode: code } : {}),
    });
  const terminal = await open(config.portal.url, enrolmentCode);
  const site = terminal?.siteConfig() ?? null;
  const applied = site ? applyTerminalSiteConfig(config, site) : null;
  kiosk = createKiosk(applied ? keepEnvironment(applied.config, config, env) : config, {
    ...deps,
    log,
    terminal,
    ...(keyStore ? { keyStore } : {}),
    ...(applied ? { site: applied } : {}),
    openTerminal: (url) => open(url),
  });
  return { kiosk, terminal };
}
