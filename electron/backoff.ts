/**
 * How long to wait before restarting something that keeps failing (the renderer, the core
 * process). The first failure restarts at once; failures that follow one another double the wait
 * up to a ceiling, so a crash loop costs a restart a minute instead of spinning a CPU core. After
 * a quiet spell the count starts again: a kiosk that crashes once a week always comes back at once.
 */
export interface BackoffOptions {
  /** Wait before the second restart in a row (ms). */
  readonly baseMs?: number;
  /** Longest wait between restarts (ms). */
  readonly maxMs?: number;
  /** A failure this long after the previous one counts as the first again (ms). */
  readonly quietMs?: number;
}

export interface BackoffStep {
  /** Failures in a row, 1 for the first. */
  readonly attempt: number;
  /** How long to wait before restarting. */
  readonly delayMs: number;
}

export class RestartBackoff {
  private inRow = 0;
  private lastFailure: number | undefined;
  private total = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly quietMs: number;

  /** `monotonic` is a clock that never jumps with the wall clock (core/clock.ts). */
  constructor(
    private readonly monotonic: () => number,
    options: BackoffOptions = {},
  ) {
    this.baseMs = options.baseMs ?? 1_000;
    this.maxMs = options.maxMs ?? 60_000;
    this.quietMs = options.quietMs ?? 5 * 60_000;
  }

  /** Records a failure and says how long to wait before the restart. */
  next(): BackoffStep {
    const now = this.monotonic();
    if (this.lastFailure !== undefined && now - this.lastFailure >= this.quietMs) this.inRow = 0;
    this.lastFailure = now;
    this.inRow += 1;
    this.total += 1;
    const delayMs = this.inRow === 1 ? 0 : Math.min(this.maxMs, this.baseMs * 2 ** (this.inRow - 2));
    return { attempt: this.inRow, delayMs };
  }

  /** Restarts since this process started (for the log and the operators). */
  get restarts(): number {
    return this.total;
  }
}
