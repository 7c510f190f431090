import { readEnrolment } from '../sync/enrolment.ts';
import { enrolTerminal, openTerminal, type Terminal } from '../sync/terminal.ts';
import type { KioskConfig } from './config.ts';
import type { Logger } from './log.ts';

/**
 * Opens the terminal's queue and portal client from its data folder. With `enrolmentCode`
 * (the built-in demo portal hands one out) a terminal that is not enrolled yet enrols first.
 * Returns null, with a log line saying why, when the terminal cannot submit: the kiosk still
 * starts, and a visitor who tries to submit is told to ask staff.
 */
export async function openKioskTerminal(
  config: KioskConfig & { portal: { url: string } },
  log: Logger,
  options: { enrolmentCode?: string } = {},
): Promise<Terminal | null> {
  const record = readEnrolment(config.dataDir);
  if (!record.ok && record.error.code === 'enrolment.missing' && options.enrolmentCode) {
    const enrolled = await enrolTerminal({
      dataDir: config.dataDir,
      portalUrl: config.portal.url,
      code: options.enrolmentCode,
      label: config.terminal.location,
    });
    if (!enrolled.ok) {
      log.error('terminal.enrolment_failed', { code: enrolled.error.code });
      return null;
    }
    log.info('terminal.enrolled');
  }
  const opened = await openTerminal({ dataDir: config.dataDir, portalUrl: config.portal.url });
  if (!opened.ok) {
    log.warn('terminal.not_ready', { code: opened.error.code });
    return null;
  }
  const terminal = opened.value;
  for (const alarm of terminal.startupAlarms) log.error('store.damaged', { code: alarm.code });
  const keys = await terminal.refreshAuthorityKeys();
  if (!keys.ok) log.warn('terminal.authority_keys_unavailable', { code: keys.error.code });
  terminal.engine.start();
  return terminal;
}
