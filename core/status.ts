import type { Clock } from './clock.ts';

/** Asks the portal's health route; any answer but a 2xx JSON `{status:"ok"}` counts as unreachable. */
export async function probePortal(
  url: string,
  timeoutMs: number,
  fetchFn: typeof fetch = fetch,
): Promise<boolean> {
  try {
    const response = await fetchFn(new URL('/v1/health', url), { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return false;
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'ok';
  } catch {
    return false;
  }
}

/**
 * Caches the portal probe for a few seconds so that a status screen polling it does not hammer
 * the portal, and never has more than one probe in flight.
 */
export class PortalReachability {
  private last: { at: number; reachable: boolean; checkedAt: string } | null = null;
  private inFlight: Promise<boolean> | null = null;

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
    this.inFlight ??= probePortal(this.deps.url, this.deps.timeoutMs, this.deps.fetch).finally(() => {
      this.inFlight = null;
    });
    const reachable = await this.inFlight;
    const checkedAt = new Date(clock.now()).toISOString();
    this.last = { at: clock.monotonic(), reachable, checkedAt };
    return { reachable, checkedAt };
  }
}
