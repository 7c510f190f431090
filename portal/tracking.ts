/**
 * Tracking lookup: a visitor types the tracking number from the receipt and their birth date.
 * A wrong pair is one answer (404) whichever half was wrong, and each terminal may ask only so
 * often (a sliding window), so the pair cannot be guessed at a terminal.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../common/clock.ts';
import type { StatusKind, TrackingLookupRequest, TrackingLookupResponse } from '../sync/protocol/index.ts';
import { validateTrackingNumber } from '../sync/tracking.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';
import { type Answer, answer, failure, rateLimited } from './http.ts';
import type { StatusLog } from './status.ts';

export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}

export const DEFAULT_TRACKING_RATE_LIMIT: RateLimit = { max: 10, windowMs: 60_000 };

/** Sliding-window counter per key; timestamps come from the injected clock. */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
  ) {}

  /** Counts a hit; returns the ms to wait when over the limit, or 0 when allowed. */
  hit(key: string): number {
    const now = this.clock.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.limit.windowMs);
    if (recent.length >= this.limit.max) {
      this.hits.set(key, recent);
      return (recent[0] ?? now) + this.limit.windowMs - now;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return 0;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class TrackingLookup {
  private readonly limiter: SlidingWindowLimiter;

  constructor(
    private readonly db: Db,
    clock: Clock,
    private readonly status: StatusLog,
    limit: RateLimit,
  ) {
    this.limiter = new SlidingWindowLimiter(limit, clock);
  }

  lookup(terminalId: string, request: TrackingLookupRequest): Answer {
    const waitMs = this.limiter.hit(terminalId);
    if (waitMs > 0) {
      return rateLimited(waitMs, 'Too many lookups from this terminal; try again shortly.');
    }
    this.status.advance();
    const notFound = failure(
      404,
      'tracking.not_found',
      'No application matches this tracking number and birth date.',
    );
    const canonical = validateTrackingNumber(request.trackingNumber);
    if (!canonical.ok) return notFound;
    const row = this.db
      .prepare(
        "SELECT tracking_number, service_id, birth_date, status, status_reason, status_at FROM submissions WHERE tracking_number = ? AND state = 'delivered'",
      )
      .get(canonical.value) as
      | {
          tracking_number: string;
          service_id: string;
          birth_date: string | null;
          status: StatusKind;
          status_reason: string | null;
          status_at: number;
        }
      | undefined;
    // compare the birth date even when nothing was found, so both misses take the same path
    const matches = sameText(row?.birth_date ?? '0000-00-00', request.birthDate);
    if (row === undefined || row.birth_date === null || !matches) return notFound;
    const body: TrackingLookupResponse = {
      trackingNumber: row.tracking_number,
      serviceId: row.service_id,
      status: row.status,
      ...(row.status_reason === null ? {} : { reason: row.status_reason }),
      updatedAt: iso(row.status_at),
    };
    return answer(200, body);
  }
}
