import type { Clock } from '../../common/clock.ts';
import { type KioskConfig, keepEnvironment } from '../../core/config.ts';
import { createKiosk, type Kiosk } from '../../core/kiosk.ts';
import type { Logger } from '../../core/log.ts';
import { openPinnedTerminal } from '../../core/pinned-portal.ts';
import { applyTerminalSiteConfig } from '../../core/site-overlay.ts';
import type { RunningPortal } from '../../portal/server.ts';
import { signingKeyThumbprint } from '../../sync/enrolment.ts';
import type { AssembledTerminal } from '../../sync/terminal.ts';

/**
 * The terminal a kiosk started with `startKiosk` holds, with its parts: tests drive its heartbeat
 * and read its queue, which the kiosk itself does only through the narrow `Terminal`. (`startKiosk`
 * opens it with `openTerminal`, which assembles exactly this.) Throws when the kiosk holds none.
 */
export function heldTerminal(kiosk: Kiosk): AssembledTerminal {
  const terminal = kiosk.terminal();
  if (!terminal) throw new Error('the kiosk holds no terminal');
  return terminal as AssembledTerminal;
}

/**
 * A kiosk that keeps its own time (`clock`: sessions, usage hours) on a terminal that keeps the
 * system's, as `startKiosk` starts one otherwise: for tests that count at a fictional hour against
 * a portal on real time (`startKiosk` hands its clock to the terminal too, and a terminal hours
 * behind its portal has no valid authority key to seal with).
 */
export async function startKioskAtOwnTime(
  config: KioskConfig & { portal: { url: string } },
  options: { clock: Clock; env: NodeJS.ProcessEnv; log: Logger; enrolmentCode?: string },
): Promise<Kiosk> {
  const { clock, env, log, enrolmentCode } = options;
  const terminal = await openPinnedTerminal(config, log, enrolmentCode ? { enrolmentCode } : {});
  const site = terminal?.siteConfig();
  const applied = site ? applyTerminalSiteConfig(config, site) : undefined;
  const kiosk = createKiosk(applied ? keepEnvironment(applied.config, config, env) : config, {
    clock,
    log,
    terminal,
    ...(applied ? { site: applied } : {}),
  });
  terminal?.start();
  return kiosk;
}

/**
 * The environment of a kiosk pinned to a reference portal on loopback (its URL and signing key,
 * plain http allowed there) with simulated readers and its own data folder.
 */
export function pinnedKioskEnv(
  portal: Pick<RunningPortal, 'url' | 'signingKey'>,
  dataDir: string,
): Record<string, string> {
  return {
    KIOSK_DATA_DIR: dataDir,
    KIOSK_PORTAL_URL: portal.url,
    KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
    KIOSK_PORTAL_KEY_THUMBPRINT: signingKeyThumbprint(portal.signingKey),
    KIOSK_SIMULATE_READERS: '1',
  };
}
