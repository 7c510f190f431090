import { ConfigError, type KioskConfig, loadConfig } from '../../core/config.ts';
import { probePortal } from '../../core/portal-reachability.ts';
import { readEnrolment } from '../../sync/enrolment.ts';
import { openTerminal } from '../../sync/terminal.ts';
import { type CliCommand, writeLine } from '../command.ts';

const usage = `Usage: kiosk status [--json]

The terminal at a glance: enrolment, portal reachability, queue counts and the oldest waiting
item, open alarms. No personal data.`;

export const command: CliCommand = {
  name: 'status',
  summary: 'Enrolment, portal, queue and alarms of this terminal (no personal data)',
  usage,
  async run(args, io) {
    let config: KioskConfig;
    try {
      config = loadConfig({ env: io.env });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeLine(io.stderr, error.message);
      return 78;
    }
    const enrolment = readEnrolment(config.dataDir);
    const portalUrl = config.portal.url ?? (enrolment.ok ? enrolment.value.portalUrl : null);
    const reachable = portalUrl ? await probePortal(portalUrl, config.portal.timeoutMs) : false;
    const status: Record<string, unknown> = {
      terminal: enrolment.ok ? enrolment.value.terminalId : null,
      enrolled: enrolment.ok,
      portal: portalUrl,
      portalReachable: reachable,
    };
    if (enrolment.ok) {
      const opened = await openTerminal({ dataDir: config.dataDir, ...(portalUrl ? { portalUrl } : {}) });
      if (opened.ok) {
        const counts = opened.value.outbox.counts(Date.now());
        status.queue = {
          byState: counts.byState,
          pending: counts.pending,
          oldestPendingAgeMs: counts.oldestPendingAgeMs,
        };
        status.alarms = opened.value.alarms.open().map((a) => a.code);
        await opened.value.close();
      } else {
        status.queue = { error: opened.error.code };
      }
    }
    if (args.includes('--json')) {
      writeLine(io.stdout, JSON.stringify(status));
    } else {
      for (const [key, value] of Object.entries(status)) {
        writeLine(
          io.stdout,
          `${key.padEnd(16)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
        );
      }
    }
    return enrolment.ok && reachable ? 0 : 1;
  },
};
