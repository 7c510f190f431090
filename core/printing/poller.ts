/**
 * Polls a printer's state and emits `state` only when it changes (status or reasons), so the UI
 * and the administrator's view update without flooding. Timers come from an injected scheduler;
 * `dispose()` stops polling and drops results of a poll still in flight.
 */
import { EventEmitter } from 'node:events';
import type { Printer, PrinterState } from './types.ts';

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemScheduler: Scheduler = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface PrinterStatePollerEvents {
  state: [PrinterState];
}

function sameState(a: PrinterState | undefined, b: PrinterState): boolean {
  return a !== undefined && a.status === b.status && a.reasons.join('\n') === b.reasons.join('\n');
}

export class PrinterStatePoller extends EventEmitter<PrinterStatePollerEvents> {
  private last: PrinterState | undefined;
  private timer: unknown;
  private disposed = false;
  private polling = false;

  constructor(
    private readonly printer: Printer,
    private readonly scheduler: Scheduler,
    private readonly intervalMs = 10_000,
  ) {
    super();
  }

  /** The last state seen, if any. */
  get current(): PrinterState | undefined {
    return this.last;
  }

  /** Polls now and then every interval (the next poll is scheduled after the previous finished). */
  start(): void {
    if (this.disposed || this.timer !== undefined || this.polling) return;
    void this.tick();
  }

  /** One poll outside the schedule (e.g. right after a failed print). */
  async refresh(): Promise<PrinterState | undefined> {
    await this.poll();
    return this.last;
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    await this.poll();
    if (!this.disposed) this.timer = this.scheduler.setTimeout(() => void this.tick(), this.intervalMs);
  }

  private async poll(): Promise<void> {
    if (this.disposed) return;
    this.polling = true;
    let state: PrinterState;
    try {
      state = await this.printer.state();
    } catch {
      state = { status: 'unknown', reasons: ['state-query-failed'] };
    } finally {
      this.polling = false;
    }
    if (this.disposed || sameState(this.last, state)) return;
    this.last = state;
    this.emit('state', state);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    this.removeAllListeners();
  }
}
