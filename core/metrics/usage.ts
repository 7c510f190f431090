import { Counter, Histogram, type Registry } from 'prom-client';
import { z } from 'zod';
import {
  USAGE_DURATION_BUCKETS,
  USAGE_IDENTITIES,
  USAGE_MAX_HOURS,
  USAGE_OUTCOMES,
  USAGE_PRINT_DOCUMENTS,
  USAGE_PRINT_OUTCOMES,
  type UsageHistogram,
  type UsageHour,
  type UsageJourneys,
  type UsageReport,
  usageHourSchema,
  usageReportSchema,
} from '../../sync/protocol/usage.ts';
import type { Clock } from '../clock.ts';
import { serviceDefinitions } from '../services/index.ts';

/**
 * How the terminal is used, counted without personal data and without a record per visitor:
 * journeys started, completed and abandoned (at which step) per service, language and
 * guest or signed in; reads and rereads; staff called; prints; durations as histograms.
 *
 * The same events feed two views. Prometheus counters (labels only from finite sets: the
 * catalogue's service ids, the step ids of each service's journey, the terminal's languages)
 * for cities that scrape the terminal; and counts per hour for the heartbeat, kept in memory for
 * USAGE_MAX_HOURS. An hour goes out whole and again after every change until the portal has
 * taken it (`delivered`), so a lost or repeated heartbeat loses or doubles nothing.
 */

export type UsageIdentity = (typeof USAGE_IDENTITIES)[number];
export type UsageOutcome = (typeof USAGE_OUTCOMES)[number];
export type UsagePrintDocument = (typeof USAGE_PRINT_DOCUMENTS)[number];
export type UsagePrintOutcome = (typeof USAGE_PRINT_OUTCOMES)[number];
export type UsageReadKind = 'mrz' | 'barcode' | 'error';

/** One journey as the usage figures follow it; the first of `completed` or `abandoned` counts. */
export interface UsageJourney {
  completed(): void;
  abandoned(stepId: string): void;
}

/** What the journeys tell the usage figures (core/journeys.ts). */
export interface JourneyUsage {
  journeyStarted(serviceId: string, language: string, identity: UsageIdentity): UsageJourney;
  printed(document: UsagePrintDocument, outcome: UsagePrintOutcome): void;
}

export interface KioskUsageOptions {
  readonly registry: Registry;
  readonly clock: Pick<Clock, 'now' | 'monotonic'>;
  /** The terminal's languages; any other counts as `other`. */
  readonly languages: readonly string[];
  /** This run's id (random per start). */
  readonly run: string;
  readonly prefix?: string;
}

const HOUR_MS = 3_600_000;
/** A service or step outside the catalogue (never expected) is counted as this. */
const OTHER = 'other';

interface JourneyCounts {
  service: string;
  language: string;
  identity: UsageIdentity;
  started: number;
  completed: number;
  abandoned: Map<string, number>;
}

interface Hour {
  readonly start: number;
  /** Raised by every change; the portal has the hour when `delivered` reached it. */
  version: number;
  delivered: number;
  sessions: number;
  readonly journeys: Map<string, JourneyCounts>;
  readonly reads: { mrz: number; barcode: number; error: number };
  rereads: number;
  staffCalls: number;
  readonly prints: Map<string, number>;
  readonly sessionDurations: UsageHistogram;
  readonly journeyDurations: Map<string, UsageHistogram>;
}

function emptyHistogram(): UsageHistogram {
  return { counts: new Array<number>(USAGE_DURATION_BUCKETS.length + 1).fill(0), sum: 0 };
}

function observe(histogram: UsageHistogram, seconds: number): void {
  const value = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  let index = USAGE_DURATION_BUCKETS.findIndex((bound) => value <= bound);
  if (index < 0) index = USAGE_DURATION_BUCKETS.length;
  histogram.counts[index] = (histogram.counts[index] ?? 0) + 1;
  histogram.sum += value;
}

/** The form `save()` writes: the run and its hours with their delivery state. */
const savedSchema = z.object({
  v: z.literal(1),
  run: usageReportSchema.shape.run,
  hours: z
    .array(
      z.object({
        version: z.number().int().nonnegative(),
        delivered: z.number().int().nonnegative(),
        counts: usageHourSchema,
      }),
    )
    .max(USAGE_MAX_HOURS + 1),
});

export class KioskUsage implements JourneyUsage {
  #run: string;
  readonly #clock: Pick<Clock, 'now' | 'monotonic'>;
  readonly #languages: ReadonlySet<string>;
  readonly #hours = new Map<number, Hour>();
  /** The readers that have read in the visitor session on screen (ids in memory only). */
  #sessionReaders = new Set<string>();
  #closed = false;

  readonly #started: Counter<'service' | 'language' | 'identity'>;
  readonly #completed: Counter<'service' | 'language' | 'identity'>;
  readonly #abandoned: Counter<'service' | 'language' | 'identity' | 'step'>;
  readonly #journeyDuration: Histogram<'service' | 'outcome'>;
  readonly #rereads: Counter;
  readonly #prints: Counter<'document' | 'outcome'>;

  constructor(options: KioskUsageOptions) {
    this.#run = options.run;
    this.#clock = options.clock;
    this.#languages = new Set(options.languages);
    const prefix = options.prefix ?? 'kiosk_';
    const registers = [options.registry];
    const journeyLabels = ['service', 'language', 'identity'] as const;
    this.#started = new Counter({
      name: `${prefix}journeys_started_total`,
      help: 'Journeys started, by service, language and guest or signed in.',
      labelNames: journeyLabels,
      registers,
    });
    this.#completed = new Counter({
      name: `${prefix}journeys_completed_total`,
      help: 'Journeys completed (submitted, looked up, printed, or an activation confirmed).',
      labelNames: journeyLabels,
      registers,
    });
    this.#abandoned = new Counter({
      name: `${prefix}journeys_abandoned_total`,
      help: 'Journeys left before the end (cancelled, another service chosen, session ended), by the step they stopped at.',
      labelNames: [...journeyLabels, 'step'],
      registers,
    });
    this.#journeyDuration = new Histogram({
      name: `${prefix}journey_duration_seconds`,
      help: 'Duration of journeys, by service and outcome.',
      labelNames: ['service', 'outcome'],
      buckets: [...USAGE_DURATION_BUCKETS],
      registers,
    });
    this.#rereads = new Counter({
      name: `${prefix}rereads_total`,
      help: 'Reads by a reader that had read in the same visitor session before (the visitor tried again).',
      registers,
    });
    this.#prints = new Counter({
      name: `${prefix}prints_total`,
      help: 'Papers printed for visitors, by document and outcome.',
      labelNames: ['document', 'outcome'],
      registers,
    });
    // the funnels' series exist from the start, so a rate over a fresh terminal is 0, not absent
    for (const service of serviceDefinitions.keys())
      for (const language of this.#languages)
        for (const identity of USAGE_IDENTITIES) {
          this.#started.inc({ service, language, identity }, 0);
          this.#completed.inc({ service, language, identity }, 0);
        }
    for (const service of serviceDefinitions.keys())
      for (const outcome of USAGE_OUTCOMES) this.#journeyDuration.zero({ service, outcome });
    for (const document of USAGE_PRINT_DOCUMENTS)
      for (const outcome of USAGE_PRINT_OUTCOMES) this.#prints.inc({ document, outcome }, 0);
  }

  /** This run's id (random per start, or the one `restore` took over). */
  get run(): string {
    return this.#run;
  }

  /**
   * The hours as text for the terminal's store (counts only, no personal data), so a restart
   * (the nightly one, an update) neither loses the counts not yet delivered nor sends them twice.
   */
  save(): string {
    this.#prune();
    return JSON.stringify({
      v: 1,
      run: this.#run,
      hours: [...this.#hours.values()].map((hour) => ({
        version: hour.version,
        delivered: hour.delivered,
        counts: this.#hourReport(hour),
      })),
    });
  }

  /**
   * Takes over what `save` wrote before a restart: its run id (the portal then replaces those
   * hours rather than adding to them) and its hours, with what this run counted so far added.
   * Returns false, changing nothing, for text that is not a saved state.
   */
  restore(text: string): boolean {
    let saved: z.infer<typeof savedSchema>;
    try {
      const parsed = savedSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return false;
      saved = parsed.data;
    } catch {
      return false;
    }
    const current = this.#hours;
    const merged = new Map<number, Hour>();
    for (const { version, delivered, counts } of saved.hours) {
      const start = Date.parse(counts.hour);
      if (!Number.isFinite(start) || start % HOUR_MS !== 0) continue;
      merged.set(start, fromReport(start, counts, version, Math.min(delivered, version)));
    }
    for (const [start, hour] of current) {
      const before = merged.get(start);
      if (!before) merged.set(start, hour);
      else {
        addInto(before, hour);
        before.version += hour.version;
      }
    }
    this.#run = saved.run;
    this.#hours.clear();
    for (const [start, hour] of merged) this.#hours.set(start, hour);
    this.#prune();
    return true;
  }

  sessionStarted(): void {
    if (this.#closed) return;
    this.#sessionReaders = new Set();
    this.#change((hour) => {
      hour.sessions += 1;
    });
  }

  sessionEnded(durationSeconds: number | null): void {
    if (this.#closed) return;
    this.#sessionReaders = new Set();
    if (durationSeconds === null) return;
    this.#change((hour) => observe(hour.sessionDurations, durationSeconds));
  }

  /** A read (or a failed read) by a reader; a reader's second read in a session is a reread. */
  read(kind: UsageReadKind, readerId: string): void {
    if (this.#closed || !(kind === 'mrz' || kind === 'barcode' || kind === 'error')) return;
    const again = this.#sessionReaders.has(readerId);
    if (this.#sessionReaders.size < 32) this.#sessionReaders.add(readerId);
    if (again) this.#rereads.inc();
    this.#change((hour) => {
      hour.reads[kind] += 1;
      if (again) hour.rereads += 1;
    });
  }

  staffCalled(): void {
    if (this.#closed) return;
    this.#change((hour) => {
      hour.staffCalls += 1;
    });
  }

  printed(document: UsagePrintDocument, outcome: UsagePrintOutcome): void {
    if (
      this.#closed ||
      !(USAGE_PRINT_DOCUMENTS as readonly string[]).includes(document) ||
      !(USAGE_PRINT_OUTCOMES as readonly string[]).includes(outcome)
    )
      return;
    this.#prints.inc({ document, outcome });
    this.#change((hour) => {
      const key = `${document}|${outcome}`;
      hour.prints.set(key, (hour.prints.get(key) ?? 0) + 1);
    });
  }

  journeyStarted(serviceId: string, language: string, identity: UsageIdentity): UsageJourney {
    const service = serviceDefinitions.has(serviceId as never) ? serviceId : OTHER;
    const labels = {
      service,
      language: this.#languages.has(language) ? language : OTHER,
      identity: identity === 'account' ? 'account' : 'guest',
    } as const;
    const startedAt = this.#clock.monotonic();
    if (!this.#closed) {
      this.#started.inc(labels);
      this.#change((hour) => {
        this.#journeyCounts(hour, labels).started += 1;
      });
    }
    let ended = false;
    const end = (outcome: UsageOutcome, step: string) => {
      if (ended || this.#closed) return;
      ended = true;
      const seconds = Math.max(0, (this.#clock.monotonic() - startedAt) / 1000);
      this.#journeyDuration.observe({ service, outcome }, seconds);
      if (outcome === 'completed') this.#completed.inc(labels);
      else this.#abandoned.inc({ ...labels, step });
      this.#change((hour) => {
        const counts = this.#journeyCounts(hour, labels);
        if (outcome === 'completed') counts.completed += 1;
        else counts.abandoned.set(step, (counts.abandoned.get(step) ?? 0) + 1);
        const key = `${service}|${outcome}`;
        let histogram = hour.journeyDurations.get(key);
        if (!histogram) {
          histogram = emptyHistogram();
          hour.journeyDurations.set(key, histogram);
        }
        observe(histogram, seconds);
      });
    };
    return {
      completed: () => end('completed', ''),
      abandoned: (stepId) => end('abandoned', this.#stepOf(service, stepId)),
    };
  }

  /**
   * The hours the portal does not have in their latest state, oldest first; undefined when there
   * are none. Pass the report to `delivered` once the portal has taken it.
   */
  report(): UsageReport | undefined {
    this.#prune();
    const hours: UsageHour[] = [];
    for (const hour of [...this.#hours.values()].sort((a, b) => a.start - b.start))
      if (hour.version > hour.delivered) hours.push(this.#hourReport(hour));
    if (hours.length === 0) return undefined;
    const sent = hours.slice(-USAGE_MAX_HOURS);
    const steps: Record<string, string[]> = {};
    for (const hour of sent)
      for (const { service } of hour.journeys) {
        const definition = serviceDefinitions.get(service as never);
        if (definition) steps[service] = definition.steps.map((step) => step.id);
      }
    return { run: this.#run, hours: sent, steps };
  }

  /**
   * The portal has taken this report (as sent, or a copy of it): an hour it holds as the terminal
   * does now goes out again only after a further change; one that changed since goes out again.
   */
  delivered(report: UsageReport | undefined): void {
    if (!report || report.run !== this.#run) return;
    for (const sent of report.hours) {
      const hour = this.#hours.get(Date.parse(sent.hour));
      if (hour && JSON.stringify(this.#hourReport(hour)) === JSON.stringify(sent))
        hour.delivered = hour.version;
    }
  }

  close(): void {
    this.#closed = true;
    this.#hours.clear();
    this.#sessionReaders.clear();
  }

  #stepOf(service: string, stepId: string): string {
    const definition = serviceDefinitions.get(service as never);
    return definition?.steps.some((step) => step.id === stepId) ? stepId : OTHER;
  }

  #journeyCounts(
    hour: Hour,
    labels: { service: string; language: string; identity: UsageIdentity },
  ): JourneyCounts {
    const key = `${labels.service}|${labels.language}|${labels.identity}`;
    let counts = hour.journeys.get(key);
    if (!counts) {
      counts = { ...labels, started: 0, completed: 0, abandoned: new Map() };
      hour.journeys.set(key, counts);
    }
    return counts;
  }

  #change(apply: (hour: Hour) => void): void {
    const start = Math.floor(this.#clock.now() / HOUR_MS) * HOUR_MS;
    let hour = this.#hours.get(start);
    if (!hour) {
      hour = {
        start,
        version: 0,
        delivered: 0,
        sessions: 0,
        journeys: new Map(),
        reads: { mrz: 0, barcode: 0, error: 0 },
        rereads: 0,
        staffCalls: 0,
        prints: new Map(),
        sessionDurations: emptyHistogram(),
        journeyDurations: new Map(),
      };
      this.#hours.set(start, hour);
      this.#prune();
    }
    apply(hour);
    hour.version += 1;
  }

  /** Forgets hours older than USAGE_MAX_HOURS before the newest (a clock set back keeps its hours). */
  #prune(): void {
    const newest = Math.max(Math.floor(this.#clock.now() / HOUR_MS) * HOUR_MS, ...this.#hours.keys());
    for (const start of this.#hours.keys())
      if (start <= newest - USAGE_MAX_HOURS * HOUR_MS) this.#hours.delete(start);
  }

  #hourReport(hour: Hour): UsageHour {
    return {
      hour: new Date(hour.start).toISOString(),
      sessions: hour.sessions,
      journeys: [...hour.journeys.values()].map(
        (j): UsageJourneys => ({
          service: j.service,
          language: j.language,
          identity: j.identity,
          started: j.started,
          completed: j.completed,
          abandoned: Object.fromEntries(j.abandoned),
        }),
      ),
      reads: { ...hour.reads },
      rereads: hour.rereads,
      staffCalls: hour.staffCalls,
      prints: [...hour.prints].map(([key, count]) => {
        const [document, outcome] = key.split('|') as [UsagePrintDocument, UsagePrintOutcome];
        return { document, outcome, count };
      }),
      sessionDurations: { counts: [...hour.sessionDurations.counts], sum: hour.sessionDurations.sum },
      journeyDurations: [...hour.journeyDurations].map(([key, histogram]) => {
        const [service, outcome] = key.split('|') as [string, UsageOutcome];
        return { service, outcome, counts: [...histogram.counts], sum: histogram.sum };
      }),
    };
  }
}

function fromReport(start: number, counts: UsageHour, version: number, delivered: number): Hour {
  const hour: Hour = {
    start,
    version,
    delivered,
    sessions: counts.sessions,
    journeys: new Map(),
    reads: { ...counts.reads },
    rereads: counts.rereads,
    staffCalls: counts.staffCalls,
    prints: new Map(counts.prints.map((p) => [`${p.document}|${p.outcome}`, p.count])),
    sessionDurations: { counts: [...counts.sessionDurations.counts], sum: counts.sessionDurations.sum },
    journeyDurations: new Map(
      counts.journeyDurations.map((d) => [
        `${d.service}|${d.outcome}`,
        { counts: [...d.counts], sum: d.sum },
      ]),
    ),
  };
  for (const j of counts.journeys)
    hour.journeys.set(`${j.service}|${j.language}|${j.identity}`, {
      service: j.service,
      language: j.language,
      identity: j.identity,
      started: j.started,
      completed: j.completed,
      abandoned: new Map(Object.entries(j.abandoned)),
    });
  return hour;
}

function addHistogram(into: UsageHistogram, from: UsageHistogram): void {
  from.counts.forEach((n, i) => {
    into.counts[i] = (into.counts[i] ?? 0) + n;
  });
  into.sum += from.sum;
}

/** Adds the counts of `from` to `into` (same hour). */
function addInto(into: Hour, from: Hour): void {
  into.sessions += from.sessions;
  into.reads.mrz += from.reads.mrz;
  into.reads.barcode += from.reads.barcode;
  into.reads.error += from.reads.error;
  into.rereads += from.rereads;
  into.staffCalls += from.staffCalls;
  for (const [key, n] of from.prints) into.prints.set(key, (into.prints.get(key) ?? 0) + n);
  addHistogram(into.sessionDurations, from.sessionDurations);
  for (const [key, histogram] of from.journeyDurations) {
    const existing = into.journeyDurations.get(key);
    if (existing) addHistogram(existing, histogram);
    else into.journeyDurations.set(key, { counts: [...histogram.counts], sum: histogram.sum });
  }
  for (const [key, j] of from.journeys) {
    const existing = into.journeys.get(key);
    if (!existing) {
      into.journeys.set(key, { ...j, abandoned: new Map(j.abandoned) });
      continue;
    }
    existing.started += j.started;
    existing.completed += j.completed;
    for (const [step, n] of j.abandoned)
      existing.abandoned.set(step, (existing.abandoned.get(step) ?? 0) + n);
  }
}
