import { type Envelope, err as fail, ok } from '../common/result.ts';
import type { TerminalCommand } from '../sync/protocol/index.ts';
import type { Terminal, TerminalHooks } from '../sync/terminal.ts';
import type { KioskConfig } from './config.ts';
import { recordRemoteWipe, wipeTerminalData } from './data-wipe.ts';
import type { Disposable } from './disposable.ts';
import type { EventBus } from './events.ts';
import type { Logger } from './log.ts';
import { enrolmentProblem, portalPin } from './pinned-portal.ts';

/**
 * The heartbeat's hooks for the portal's remote wipe: the command is recorded before it is
 * acknowledged (a throw here: not acknowledged, offered again), so a process that dies in between
 * finishes it at its next start (core/pinned-portal.ts); `carryOut` runs once the portal has the
 * acknowledgement, after the beat that delivered it (a wipe closes the terminal, which waits for
 * the beat in flight). `carryOut` resolving `false` leaves the record for the next start.
 */
export function remoteWipeHooks(
  dataDir: string,
  log: Logger,
  carryOut: (command: TerminalCommand) => Promise<boolean | undefined>,
): Required<Pick<TerminalHooks, 'onCommand' | 'onCommandAcked'>> {
  return {
    onCommand(command) {
      if (command.type === 'wipe') recordRemoteWipe(dataDir, command.id);
      log.warn('terminal.remote_command', { type: command.type, id: command.id });
    },
    onCommandAcked(command) {
      if (command.type !== 'wipe') return;
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => carryOut(command))
          .then(
            (done) =>
              done === false
                ? log.warn('terminal.remote_wipe_deferred', { id: command.id })
                : log.warn('terminal.remotely_wiped', { id: command.id }),
            () => log.error('terminal.wipe_failed', { id: command.id }),
          );
      });
    },
  };
}

export interface TerminalHolderDeps {
  readonly config: KioskConfig;
  readonly log: Logger;
  readonly events: EventBus;
  /** The terminal opened at start, or null. */
  readonly terminal: Terminal | null;
  /** What the kiosk tells every terminal it holds (health, configurations, usage, attempts). */
  readonly hooks: Omit<TerminalHooks, 'onCommand' | 'onCommandAcked'>;
  /** Each terminal held, the one of the start included: the kiosk follows its queue and alarms. */
  readonly observe: (terminal: Terminal) => void;
  /** A terminal enrolled from the screen is held now (the one of the start was there from the beginning). */
  readonly held: (terminal: Terminal) => void;
  /** A wipe drops the terminal: the visitor's and staff's sessions end first. */
  readonly endSessions: () => void;
  /** The terminal was dropped and its data is about to be deleted. */
  readonly dropped: () => void;
}

/**
 * The kiosk's one terminal, and whether it serves visitors: held from the start or from an
 * enrolment on the screen until a wipe or the kiosk's close, which closes it. Every data wipe
 * goes through `wipe` (an administrator's, and the portal's remote wipe).
 */
export class TerminalHolder implements Disposable {
  readonly #deps: TerminalHolderDeps;
  #terminal: Terminal | null;
  /** Why visitors are refused (a code for the administrator); null while the terminal serves. */
  #outOfService: string | null;
  /** Remote wipes carried out now: the kiosk's close waits for them. */
  readonly #running = new Set<Promise<void>>();
  #disposed = false;

  constructor(deps: TerminalHolderDeps) {
    this.#deps = deps;
    this.#terminal = deps.terminal;
    this.#outOfService = deps.terminal ? null : (enrolmentProblem(deps.config) ?? 'terminal.not_ready');
    if (deps.terminal) this.#bind(deps.terminal);
  }

  current(): Terminal | null {
    return this.#terminal;
  }

  /**
   * Why visitors are not served, as a code for the administrator (`enrolment.missing`,
   * `enrolment.foreign_origin`, ...), or null when the terminal is in service.
   */
  outOfService(): string | null {
    return this.#outOfService;
  }

  /** A terminal enrolled from the screen (null: enrolled, but it could not be opened). */
  hold(terminal: Terminal | null): void {
    if (!terminal) {
      this.#outOfService = enrolmentProblem(this.#deps.config) ?? 'terminal.not_ready';
      return;
    }
    this.#terminal = terminal;
    this.#deps.held(terminal);
    this.#bind(terminal);
    terminal.start();
    this.#outOfService = null;
  }

  /**
   * The data wipe: ends every session, drops and closes the terminal and deletes its data. With
   * undelivered items it is refused unless they may be discarded.
   */
  async wipe(discardUndelivered: boolean): Promise<Envelope<{ discarded: number }>> {
    const { config, log, events } = this.#deps;
    const current = this.#terminal;
    const pending = current ? current.queueCounts().pending : 0;
    if (current) {
      if (pending > 0 && !discardUndelivered)
        return fail('wipe.undelivered', `${pending} applications are not delivered yet`);
      this.#deps.endSessions();
      this.#terminal = null;
    }
    this.#deps.dropped();
    this.#outOfService = portalPin(config) ? 'enrolment.missing' : 'enrolment.not_pinned';
    const failed = await wipeTerminalData(config, current);
    if (failed.length > 0) {
      log.error('terminal.wipe_incomplete', { files: failed.length });
      return fail('wipe.incomplete', 'some files of the terminal could not be deleted');
    }
    log.warn('terminal.wiped');
    events.emit('terminal.enrolment', { enrolled: false });
    return ok({ discarded: pending });
  }

  /**
   * Waits for a remote wipe under way, then closes the terminal held (a remote wipe acknowledged
   * from now on is carried out at the next start, from its record).
   */
  async dispose(): Promise<void> {
    this.#disposed = true;
    while (this.#running.size > 0) await Promise.all(this.#running);
    const terminal = this.#terminal;
    this.#terminal = null;
    await terminal?.close();
  }

  #bind(terminal: Terminal): void {
    const { config, log } = this.#deps;
    terminal.bind({
      ...this.#deps.hooks,
      ...remoteWipeHooks(config.dataDir, log, () => this.#remoteWipe()),
    });
    this.#deps.observe(terminal);
  }

  #remoteWipe(): Promise<boolean> {
    // a kiosk closing leaves the recorded remote wipe to its next start
    if (this.#disposed) return Promise.resolve(false);
    const run = this.wipe(true).then((wiped) => {
      if (!wiped.ok) this.#deps.log.error('terminal.remote_wipe_failed', { code: wiped.error.code });
    });
    this.#running.add(run);
    return run.finally(() => this.#running.delete(run)).then(() => true);
  }
}
