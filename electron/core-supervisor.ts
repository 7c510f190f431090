/**
 * Main's side of the core process: starts it, routes contract calls to it, answers its control
 * messages and starts it again when it exits, with a backoff so a core that dies at start does
 * not spin. The queue is on disk, so a restarted core has it all; the visitor's session was in
 * the crashed process, so the window goes back to the attract screen.
 */
import { hostMessageSchema } from '../api/wire.ts';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Logger } from '../core/log.ts';
import { RestartBackoff } from './backoff.ts';
import { coreControlSchema, type DeviceKeyMessage } from './core-messages.ts';

/** The part of Electron's UtilityProcess used here (a child process in tests). */
export interface CoreChild {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface CoreSupervisorOptions {
  readonly fork: () => CoreChild;
  readonly clock: Clock;
  readonly log: Logger;
  /** The answer to the core's `device-key?`. */
  readonly deviceKey: () => DeviceKeyMessage;
  readonly onEvent: (name: string, payload: unknown) => void;
  /** A new core runs after one exited: the UI goes back to the attract screen. */
  readonly onRestarted: () => void;
  /** The core cannot start (configuration): no restart, main shows the message and exits. */
  readonly onFatal: (message: string) => void;
  /** The core runs on the handed-over device key. */
  readonly onDeviceKeyUsed?: () => void;
  readonly backoff?: RestartBackoff;
}

const transportError = (message: string) => ({ ok: false, error: { code: 'api.transport', message } });

export class CoreSupervisor {
  private child: CoreChild | null = null;
  private stopping = false;
  private fatal = false;
  private nextId = 1;
  private restartTimer: TimerHandle | null = null;
  private readonly calls = new Map<number, (envelope: unknown) => void>();
  private readonly idleQueries = new Map<number, (idle: boolean) => void>();
  private exitWaiters: Array<() => void> = [];
  private readonly backoff: RestartBackoff;

  constructor(private readonly options: CoreSupervisorOptions) {
    this.backoff = options.backoff ?? new RestartBackoff(() => options.clock.monotonic());
  }

  get running(): boolean {
    return this.child !== null;
  }

  get restarts(): number {
    return this.backoff.restarts;
  }

  start(): void {
    if (this.child || this.stopping) return;
    const child = this.options.fork();
    this.child = child;
    child.on('message', (message) => this.receive(child, message));
    child.once('exit', (code) => this.exited(child, code));
  }

  /** Routes one contract call; a call the core cannot answer gets a transport error, never hangs. */
  call(name: unknown, input: unknown): Promise<unknown> {
    const child = this.child;
    if (!child) return Promise.resolve(transportError('core process not running'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.calls.set(id, resolve);
      child.postMessage({ type: 'call', id, name, input });
    });
  }

  /**
   * Whether no visitor session is active. A core that does not answer in time (or is not
   * running) counts as idle: it cannot be serving anyone, and a restart is its remedy.
   */
  isIdle(timeoutMs = 5_000): Promise<boolean> {
    const child = this.child;
    if (!child) return Promise.resolve(true);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = this.options.clock.setTimeout(() => {
        this.idleQueries.delete(id);
        this.options.log.warn('core.idle_unanswered', { timeoutMs });
        resolve(true);
      }, timeoutMs);
      this.idleQueries.set(id, (idle) => {
        timer.cancel();
        resolve(idle);
      });
      child.postMessage({ type: 'idle?', id });
    });
  }

  /**
   * Asks the core to close its kiosk and exit; no restart follows. Resolves when it has exited,
   * or after `timeoutMs`, when it is killed (its queue is safe either way: every commit is synced).
   */
  shutdown(timeoutMs = 5_000): Promise<void> {
    this.stopping = true;
    this.restartTimer?.cancel();
    this.restartTimer = null;
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.options.clock.setTimeout(() => {
        this.options.log.warn('core.shutdown_timeout', { timeoutMs });
        child.kill();
        resolve();
      }, timeoutMs);
      this.exitWaiters.push(() => {
        timer.cancel();
        resolve();
      });
      child.postMessage('shutdown');
    });
  }

  private receive(child: CoreChild, message: unknown): void {
    if (child !== this.child) return;
    const control = coreControlSchema.safeParse(message);
    if (control.success) {
      const m = control.data;
      if (m.type === 'device-key?') child.postMessage(this.options.deviceKey());
      else if (m.type === 'device-key.used') this.options.onDeviceKeyUsed?.();
      else if (m.type === 'idle') this.answerIdle(m.id, !m.active);
      else {
        this.fatal = true;
        this.options.onFatal(m.message);
      }
      return;
    }
    const parsed = hostMessageSchema.safeParse(message);
    if (!parsed.success) return;
    if (parsed.data.type === 'result') {
      this.calls.get(parsed.data.id)?.(parsed.data.envelope);
      this.calls.delete(parsed.data.id);
    } else {
      this.options.onEvent(parsed.data.name, parsed.data.payload);
    }
  }

  private answerIdle(id: number, idle: boolean): void {
    this.idleQueries.get(id)?.(idle);
    this.idleQueries.delete(id);
  }

  private exited(child: CoreChild, code: number): void {
    if (child !== this.child) return;
    this.child = null;
    for (const resolve of this.calls.values()) resolve(transportError('core process restarted'));
    this.calls.clear();
    // Sessions lived in the process that exited: nobody is in one now.
    for (const id of [...this.idleQueries.keys()]) this.answerIdle(id, true);
    for (const waiter of this.exitWaiters.splice(0)) waiter();
    if (this.stopping || this.fatal) return;
    const { attempt, delayMs } = this.backoff.next();
    this.options.log.error('core.exited', { code, attempt, delayMs, restarts: this.backoff.restarts });
    this.restartTimer = this.options.clock.setTimeout(() => {
      this.restartTimer = null;
      this.start();
      if (this.child) this.options.onRestarted();
    }, delayMs);
  }
}
