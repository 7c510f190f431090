import type { Clock } from '../common/clock.ts';

/**
 * Whether the portal can be reached: a probe of its health route, cached for the status screen.
 * (The status of an application is `Terminal.lookup`; the kiosk's own state is `system.status`.)
 */

/**
 * Asks the portal's health route; any answer but a 2xx JSON `{status:"ok"}` counts as unreachable.
 * The timeout's timer ends with the probe (an `AbortSignal.timeout` would keep the process alive
 * until it fires); `stop` ends a probe early.
 */
export async function probePortal(
  url: string,
  timeoutMs: number,
  fetchFn: typeof fetch = fetch,
  stop?: AbortSignal,
): Promise<boolean> {
  const probe = new AbortController();
  const abort = () => probe.abort();
  const timer = setTimeout(abort, timeoutMs);
  stop?.addEventListener('abort', abort, { once: true });
  try {
    if (stop?.aborted) return false;
    const response = await fetchFn(new URL('/v1/health', url), { signal: probe.signal });
    if (!response.ok) return false;
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'ok';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', abort);
  }
}

/**
 * Caches the portal probe for a few seconds so that a status screen polling it does not hammer
 * the portal, and never has more than one probe in flight.
 */
export class PortalReachability {
  private last: { at: number; reachable: boolean; checkedAt: string } | null = null;
  private inFlight: Promise<boolean> | null = null;
  /** Ends a probe in flight when the kiosk closes: no socket outlives it. */
  private readonly stop = new AbortController();

  constructor(
    private readonly deps: {
      url: string;
      timeoutMs: number;
      clock: Clock;
      fetch?: typeof fetch;
      maxAgeMs?: number;
    },
  ) {}

  async check(): Promise<{ reachable: boolean; checkedAt: string }> {
    const { clock, maxAgeMs = 5_000 } = this.deps;
    if (this.last && clock.monotonic() - this.last.at < maxAgeMs) {
      return { reachable: this.last.reachable, checkedAt: this.last.checkedAt };
    }
    this.inFlight ??= probePortal(
      this.deps.url,
      this.deps.timeoutMs,
      this.deps.fetch,
      this.stop.signal,
    ).finally(() => {
      this.inFlight = null;
    });
    const reachable = await this.inFlight;
    const checkedAt = new Date(clock.now()).toISOString();
    this.last = { at: clock.monotonic(), reachable, checkedAt };
    return { reachable, checkedAt };
  }

  /** Ends a probe in flight (it counts as unreachable) and waits for it. */
  async dispose(): Promise<void> {
    this.stop.abort();
    await this.inFlight;
  }
}
