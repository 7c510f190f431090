/**
 * Usage figures a terminal sends with its heartbeat: counts per hour, never a record per visitor.
 * Every label is from a finite set (service ids, the step ids of a service's journey, the
 * terminal's languages); nothing a visitor typed or a reader read can appear here.
 *
 * An hour is identified by the terminal, the run (a random id the kiosk draws at every start)
 * and the hour's start in UTC. Each hour is sent whole, so the portal replaces what it holds for
 * that key: a heartbeat repeated or lost changes nothing, and a restarted kiosk starts a new run
 * instead of overwriting the counts of the one before.
 */
import { z } from 'zod';
import { isoDateTime } from './common.ts';

/** Upper bounds (seconds) of the duration histograms; the last bucket is everything above. */
export const USAGE_DURATION_BUCKETS = [15, 30, 60, 120, 300, 600, 900, 1_800, 3_600] as const;
export const USAGE_IDENTITIES = ['guest', 'account'] as const;
export const USAGE_OUTCOMES = ['completed', 'abandoned'] as const;
export const USAGE_PRINT_DOCUMENTS = ['receipt', 'information', 'activation'] as const;
export const USAGE_PRINT_OUTCOMES = ['printed', 'failed', 'no_printer'] as const;
/** Hours older than this are not sent again (the kiosk forgets them). */
export const USAGE_MAX_HOURS = 48;

const n = z.number().int().nonnegative();
const serviceId = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/);
const stepId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/);
/** A BCP 47 tag of the terminal's languages, or `other`. */
const language = z.string().regex(/^(?:[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*|other)$/);

/** A histogram: `counts[i]` observations in bucket i (not cumulative), the last one above the top bound. */
export const usageHistogramSchema = z.object({
  counts: z.array(n).length(USAGE_DURATION_BUCKETS.length + 1),
  sum: z.number().nonnegative(),
});
export type UsageHistogram = z.infer<typeof usageHistogramSchema>;

export const usageJourneysSchema = z.object({
  service: serviceId,
  language,
  identity: z.enum(USAGE_IDENTITIES),
  started: n,
  completed: n,
  /** Abandoned journeys by the step they stopped at. */
  abandoned: z.record(stepId, n),
});
export type UsageJourneys = z.infer<typeof usageJourneysSchema>;

export const usageHourSchema = z.object({
  /** The hour's start, UTC (minutes, seconds and milliseconds 0). */
  hour: isoDateTime,
  sessions: n,
  journeys: z.array(usageJourneysSchema).max(400),
  reads: z.object({ mrz: n, barcode: n, error: n }),
  /** A read of a kind the session had read before (the visitor had to try again). */
  rereads: n,
  staffCalls: n,
  prints: z
    .array(
      z.object({
        document: z.enum(USAGE_PRINT_DOCUMENTS),
        outcome: z.enum(USAGE_PRINT_OUTCOMES),
        count: n,
      }),
    )
    .max(USAGE_PRINT_DOCUMENTS.length * USAGE_PRINT_OUTCOMES.length),
  sessionDurations: usageHistogramSchema,
  journeyDurations: z
    .array(z.object({ service: serviceId, outcome: z.enum(USAGE_OUTCOMES), ...usageHistogramSchema.shape }))
    .max(64),
});
export type UsageHour = z.infer<typeof usageHourSchema>;

export const usageReportSchema = z.object({
  /** Random per kiosk start (not per visitor). */
  run: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
  hours: z.array(usageHourSchema).max(USAGE_MAX_HOURS),
  /** The steps of each counted service's journey in order, so the portal can draw its funnel. */
  steps: z.record(serviceId, z.array(stepId).max(40)).optional(),
});
export type UsageReport = z.infer<typeof usageReportSchema>;
