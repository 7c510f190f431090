import packageJson from '../package.json' with { type: 'json' };
import type { HealthReport } from '../sync/heartbeat.ts';
import type { Terminal } from '../sync/terminal.ts';
import type { Logger } from './log.ts';
import type { KioskMetrics } from './metrics/index.ts';
import type { Printer } from './printing/index.ts';
import type { ReaderService } from './readers.ts';

/**
 * What the kiosk reports of itself: to the monitoring (the metrics read the terminal's queue and
 * alarms at every scrape) and to the portal (the heartbeat's health figures and usage counts).
 * The usage counts wait in the terminal's key-value state across a restart (counts only).
 */
const USAGE_STATE = 'usage_hours';

/** The metrics follow a terminal the kiosk holds, and take over the counts of the run before. */
export function observeTerminal(metrics: KioskMetrics, terminal: Terminal, log: Logger): void {
  metrics.observeQueue(() => terminal.queueCounts());
  metrics.observeAlarms(() => terminal.openAlarms());
  try {
    const saved = terminal.state.getState(USAGE_STATE);
    if (saved !== undefined && !metrics.usage.restore(saved)) log.warn('usage.not_restored');
  } catch {
    log.warn('usage.not_restored');
  }
}

/** Keeps the usage counts in the terminal's state, where the next run finds them. */
export function saveUsage(metrics: KioskMetrics, terminal: Terminal | null, log: Logger): void {
  try {
    terminal?.state.setState(USAGE_STATE, metrics.usage.save());
  } catch {
    log.warn('usage.not_saved');
  }
}

export interface HealthSources {
  readonly readers: ReaderService;
  readonly printer: Printer | null;
  readonly metrics: KioskMetrics;
  readonly terminal: Terminal | null;
  readonly sessionsSinceStart: number;
}

/** The kiosk's figures for the heartbeat: readers, printer, sessions, audit head, usage. */
export async function healthReport(sources: HealthSources): Promise<HealthReport> {
  const { readers, printer, metrics, terminal } = sources;
  const usage = metrics.usage.report();
  return {
    readers: readers.status().map((r) => ({
      kind: r.kind === 'document' ? 'mrz' : 'barcode',
      status: r.connected ? ('present' as const) : ('missing' as const),
    })),
    printer: { status: printer ? (await printer.state()).status : 'none' },
    sessionsSinceStart: sources.sessionsSinceStart,
    ...(terminal ? { auditHead: terminal.auditLog.head() ?? undefined } : {}),
    appVersion: packageJson.version,
    ...(usage ? { usage } : {}),
  };
}
