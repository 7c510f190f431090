/**
 * The heartbeat: every `sync.heartbeatSeconds` of the configuration in effect (default 60 s) the
 * terminal tells the portal how it is (figures and codes only, never personal data). The answer
 * carries the portal's configuration version and the commands an administrator gave:
 *
 * - a newer configuration version is fetched, verified with the portal key and stored, then
 *   handed to `onConfig`;
 * - each command arrives signed (`command+jwt`); a verified one goes to `onCommand` once, and its
 *   id is acknowledged in the next heartbeat, which follows at once. `onAcked` runs after the
 *   portal has taken the acknowledgement: a wipe deletes the terminal's identity only then, so
 *   the portal learns it happened.
 *
 * A failed heartbeat is retried sooner (backoff with jitter, capped at the interval); nothing
 * throws out of the timer. `dispose()` cancels the timer and waits for a beat in flight.
 */
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import type { Clock, RandomUnit, Scheduler, TimerHandle } from '../common/clock.ts';
import type { Alarm, AlarmCode } from './alarms.ts';
import type { ClientResult } from './client.ts';
import type { QueueCounts } from './outbox.ts';
import {
  COMMAND_JWS_TYPE,
  type ConfigResponse,
  type HeartbeatRequest,
  type HeartbeatResponse,
  heartbeatRequestSchema,
  MAX_CLOCK_SKEW_SECONDS,
  type PortalSigningJwk,
  type TerminalCommand,
  type TerminalConfig,
  terminalCommandSchema,
} from './protocol/index.ts';
import type { SiteConfigStore, StateStore } from './site-config.ts';

/** The two portal calls the heartbeat makes (PortalClient has both). */
export interface HeartbeatApi {
  heartbeat(body: HeartbeatRequest): Promise<ClientResult<HeartbeatResponse>>;
  config(): Promise<ClientResult<ConfigResponse>>;
}

/**
 * What the core adds to the figures sync knows itself (queue, alarms, memory, uptime): readers,
 * printer, sessions, the audit head. Alarm codes given here are added to the open sync alarms.
 */
export type HealthReport = Partial<
  Pick<
    HeartbeatRequest,
    'readers' | 'printer' | 'sessionsSinceStart' | 'auditHead' | 'disk' | 'alarms' | 'usage'
  >
> & { readonly appVersion?: string };

export type HealthSource = () => HealthReport | Promise<HealthReport>;

export interface MemoryFigures {
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
}

const MB = 1024 * 1024;
const round1 = (n: number) => Math.round(n * 10) / 10;

export function processMemory(): MemoryFigures {
  const m = process.memoryUsage();
  return {
    rssMb: round1(m.rss / MB),
    heapUsedMb: round1(m.heapUsed / MB),
    heapTotalMb: round1(m.heapTotal / MB),
  };
}

export interface HeartbeatDeps {
  readonly api: HeartbeatApi;
  readonly siteConfig: SiteConfigStore;
  readonly queue: {
    counts(now: number): QueueCounts;
    quarantined(): readonly unknown[];
  };
  readonly alarms: {
    open(): Alarm[];
    raise(code: AlarmCode, message: string): unknown;
  };
  /** Keeps commands carried out but not yet acknowledged, across a restart. */
  readonly state: StateStore;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly random?: RandomUnit;
  readonly terminalId: string;
  readonly portalSigningKey: PortalSigningJwk;
  readonly appVersion: string;
  readonly memory?: () => MemoryFigures;
  /** Used until a configuration says otherwise (default 60 s). */
  readonly defaultIntervalMs?: number;
  /** First retry after a failed heartbeat (default 5 s), doubling up to the interval. */
  readonly retryBaseMs?: number;
}

export interface BeatResult {
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
  /** The portal's configuration version, when it answered. */
  readonly portalConfigVersion?: number;
  /** The version put in effect by this beat, if one was. */
  readonly configApplied?: number;
  /** Commands carried out by this beat. */
  readonly commandsRun: readonly string[];
  /** Commands whose acknowledgement the portal took with this beat. */
  readonly acked: readonly string[];
}

const ACKS_STATE = 'heartbeat_pending_acks';
const DONE_STATE = 'heartbeat_done_commands';
const DONE_KEEP = 100;
export const DEFAULT_HEARTBEAT_MS = 60_000;

const decoder = new TextDecoder('utf-8', { fatal: true });

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Heartbeat {
  readonly #deps: HeartbeatDeps;
  readonly #startedAt: number;
  #health: HealthSource | undefined;
  #onConfig: ((config: TerminalConfig) => void) | undefined;
  #onCommand: ((command: TerminalCommand) => void | Promise<void>) | undefined;
  #onAcked: ((command: TerminalCommand) => void) | undefined;
  #onDelivered: ((body: HeartbeatRequest) => void) | undefined;
  #timer: TimerHandle | undefined;
  #inFlight: Promise<BeatResult> | undefined;
  #started = false;
  #disposed = false;
  #failures = 0;
  #lastResult: BeatResult | undefined;
  /** Carried out, acknowledgement not yet taken by the portal; by id. */
  readonly #pendingAcks = new Map<string, TerminalCommand>();
  /** Ids carried out (newest last): a command the portal repeats is not run twice. */
  #done: string[] = [];

  constructor(deps: HeartbeatDeps) {
    this.#deps = deps;
    this.#startedAt = deps.clock.monotonic();
    this.#restore();
  }

  /** The core's health figures; may be set or replaced at any time. */
  setHealth(source: HealthSource | undefined): void {
    this.#health = source;
  }

  /** Called with each newly verified configuration. */
  onConfig(listener: ((config: TerminalConfig) => void) | undefined): void {
    this.#onConfig = listener;
  }

  /** Called once per verified command; resolving means done (acknowledged next), throwing means try again later. */
  onCommand(handler: ((command: TerminalCommand) => void | Promise<void>) | undefined): void {
    this.#onCommand = handler;
  }

  /** Called once the portal has taken a command's acknowledgement. */
  onAcked(listener: ((command: TerminalCommand) => void) | undefined): void {
    this.#onAcked = listener;
  }

  /** Called with each heartbeat body the portal took (the usage hours in it are then delivered). */
  onDelivered(listener: ((body: HeartbeatRequest) => void) | undefined): void {
    this.#onDelivered = listener;
  }

  get lastResult(): BeatResult | undefined {
    return this.#lastResult;
  }

  get started(): boolean {
    return this.#started;
  }

  /** The interval of the configuration in effect. */
  get intervalMs(): number {
    const seconds = this.#deps.siteConfig.current()?.sync.heartbeatSeconds;
    return seconds === undefined ? (this.#deps.defaultIntervalMs ?? DEFAULT_HEARTBEAT_MS) : seconds * 1000;
  }

  /** Sends the first heartbeat now, then keeps the rhythm. */
  start(): void {
    if (this.#started || this.#disposed) return;
    this.#started = true;
    this.#schedule(0);
  }

  /** One heartbeat now (a beat in flight is shared). Never throws. */
  beat(): Promise<BeatResult> {
    if (this.#disposed) {
      return Promise.resolve({
        ok: false,
        error: { code: 'heartbeat.disposed', message: 'the heartbeat was stopped' },
        commandsRun: [],
        acked: [],
      });
    }
    if (this.#inFlight !== undefined) return this.#inFlight;
    const run = this.#beat()
      .catch(
        (e: unknown): BeatResult => ({
          ok: false,
          error: { code: 'heartbeat.failed', message: messageOf(e) },
          commandsRun: [],
          acked: [],
        }),
      )
      .then((r) => {
        this.#lastResult = r;
        this.#inFlight = undefined;
        if (this.#started && !this.#disposed) this.#scheduleAfter(r);
        return r;
      });
    this.#inFlight = run;
    return run;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#inFlight?.catch(() => undefined);
    this.#health = undefined;
    this.#onConfig = undefined;
    this.#onCommand = undefined;
    this.#onAcked = undefined;
    this.#onDelivered = undefined;
  }

  #schedule(ms: number): void {
    if (this.#disposed) return;
    this.#timer?.cancel();
    this.#timer = this.#deps.scheduler.after(Math.max(0, ms), () => {
      this.#timer = undefined;
      void this.beat();
    });
  }

  #scheduleAfter(r: BeatResult): void {
    const interval = this.intervalMs;
    if (r.ok) {
      this.#failures = 0;
      // an acknowledgement waiting goes out at once rather than a whole interval later
      this.#schedule(this.#pendingAcks.size > 0 && r.commandsRun.length > 0 ? 0 : interval);
      return;
    }
    this.#failures++;
    const base = this.#deps.retryBaseMs ?? 5_000;
    const ceiling = Math.min(interval, base * 2 ** Math.min(20, this.#failures - 1));
    const random = this.#deps.random ?? Math.random;
    // half fixed, half jitter: terminals coming back after an outage do not all call at once
    this.#schedule(Math.floor(ceiling / 2 + random() * (ceiling / 2)));
  }

  async #beat(): Promise<BeatResult> {
    const { api, siteConfig } = this.#deps;
    const body = await this.#body();
    const sentAcks = body.ackedCommands ?? [];
    const r = await api.heartbeat(body);
    if (!r.ok) {
      if (r.error.kind === 'auth') {
        this.#deps.alarms.raise(
          'sync.auth',
          'The portal does not accept this terminal; it needs to be enrolled again.',
        );
      }
      return {
        ok: false,
        error: { code: r.error.code, message: r.error.message },
        commandsRun: [],
        acked: [],
      };
    }
    const acked = this.#takeAcks(sentAcks);
    try {
      this.#onDelivered?.(body);
    } catch {
      // the portal has the figures; the listener's trouble is its own
    }
    let configApplied: number | undefined;
    const current = siteConfig.version;
    if (current === undefined || r.value.configVersion > current) {
      configApplied = await this.#fetchConfig();
    }
    const commandsRun = await this.#runCommands(r.value.commands);
    return {
      ok: true,
      portalConfigVersion: r.value.configVersion,
      ...(configApplied === undefined ? {} : { configApplied }),
      commandsRun,
      acked,
    };
  }

  async #body(): Promise<HeartbeatRequest> {
    const { clock, queue, alarms, siteConfig } = this.#deps;
    const now = clock.now();
    const counts = queue.counts(now);
    let extra: HealthReport = {};
    try {
      extra = (await this.#health?.()) ?? {};
    } catch {
      // a failing health source costs its figures, not the heartbeat
    }
    const alarmCodes = new Set<string>();
    try {
      for (const a of alarms.open()) alarmCodes.add(a.code);
    } catch {
      // the store cannot be read: the queue figures above would have thrown already
    }
    for (const code of extra.alarms ?? []) alarmCodes.add(code);
    const acks = [...this.#pendingAcks.keys()];
    const base: HeartbeatRequest = {
      time: new Date(now).toISOString(),
      appVersion: this.#deps.appVersion,
      uptimeSeconds: Math.max(0, Math.round((clock.monotonic() - this.#startedAt) / 1000)),
      ...(siteConfig.version === undefined ? {} : { configVersion: siteConfig.version }),
      queue: {
        queued: counts.byState.queued ?? 0,
        sending: counts.byState.sending ?? 0,
        quarantined: queue.quarantined().length,
        oldestAgeSeconds:
          counts.oldestPendingAgeMs === null ? null : Math.round(counts.oldestPendingAgeMs / 1000),
      },
      alarms: [...alarmCodes].slice(0, 50),
      memory: (this.#deps.memory ?? processMemory)(),
      ...(acks.length > 0 ? { ackedCommands: acks.slice(0, 50) } : {}),
    };
    const { alarms: _alarms, ...figures } = extra;
    const full = heartbeatRequestSchema.safeParse({ ...base, ...figures });
    if (full.success) return full.data;
    // figures that do not fit the protocol are left out rather than costing the heartbeat;
    // usage that does not fit costs only itself (it is sent again with the next heartbeat)
    const { usage: _usage, ...health } = figures;
    const withoutUsage = heartbeatRequestSchema.safeParse({ ...base, ...health });
    return withoutUsage.success ? withoutUsage.data : base;
  }

  /** Fetches, verifies and stores the portal's configuration; returns the version put in effect. */
  async #fetchConfig(): Promise<number | undefined> {
    const r = await this.#deps.api.config();
    if (!r.ok) return undefined;
    const accepted = await this.#deps.siteConfig.accept(r.value.config);
    if (!accepted.ok) {
      if (accepted.error.code !== 'config.storage_failed') {
        this.#deps.alarms.raise(
          'sync.integrity',
          `A configuration from the portal was refused (${accepted.error.code}); the terminal keeps the one in effect.`,
        );
      }
      return undefined;
    }
    try {
      this.#onConfig?.(accepted.value);
    } catch {
      // the listener's failure does not undo a verified, stored configuration
    }
    return accepted.value.version;
  }

  async #runCommands(jwsList: readonly string[]): Promise<string[]> {
    const run: string[] = [];
    for (const jws of jwsList) {
      const command = await this.#verifyCommand(jws);
      if (command === undefined) {
        this.#deps.alarms.raise(
          'sync.integrity',
          'A command from the portal failed its check (signature, type, terminal or expiry); it was not carried out.',
        );
        continue;
      }
      if (this.#pendingAcks.has(command.id) || this.#done.includes(command.id)) continue;
      const handler = this.#onCommand;
      if (handler === undefined) continue;
      try {
        await handler(command);
      } catch {
        continue; // not acknowledged: the portal offers it again with the next heartbeat
      }
      this.#pendingAcks.set(command.id, command);
      this.#done = [...this.#done, command.id].slice(-DONE_KEEP);
      this.#persist();
      run.push(command.id);
    }
    return run;
  }

  /**
   * A command is carried out only when it is a `command+jwt` signed by the enrolled portal key,
   * for this terminal, and not expired (its `exp` against this terminal's clock, with the
   * protocol's clock tolerance).
   */
  async #verifyCommand(jws: string): Promise<TerminalCommand | undefined> {
    try {
      if (decodeProtectedHeader(jws).typ !== COMMAND_JWS_TYPE) return undefined;
      const key = await importJWK(this.#deps.portalSigningKey as JWK, 'ES256');
      const { payload } = await compactVerify(jws, key, { algorithms: ['ES256'] });
      const parsed = terminalCommandSchema.safeParse(JSON.parse(decoder.decode(payload)));
      if (!parsed.success || parsed.data.terminalId !== this.#deps.terminalId) return undefined;
      const now = Math.floor(this.#deps.clock.now() / 1000);
      if (parsed.data.exp + MAX_CLOCK_SKEW_SECONDS < now) return undefined;
      return parsed.data;
    } catch {
      return undefined;
    }
  }

  #takeAcks(sent: readonly string[]): string[] {
    const taken: TerminalCommand[] = [];
    for (const id of sent) {
      const command = this.#pendingAcks.get(id);
      if (command === undefined) continue;
      this.#pendingAcks.delete(id);
      taken.push(command);
    }
    if (taken.length > 0) this.#persist();
    for (const command of taken) {
      try {
        this.#onAcked?.(command);
      } catch {
        // the acknowledgement stands
      }
    }
    return taken.map((c) => c.id);
  }

  #restore(): void {
    try {
      const acks = this.#deps.state.getState(ACKS_STATE);
      for (const raw of acks === undefined ? [] : (JSON.parse(acks) as unknown[])) {
        // carried out already: its expiry no longer matters (older versions kept none)
        const c = terminalCommandSchema.extend({ exp: z.number().int().default(0) }).safeParse(raw);
        if (c.success) this.#pendingAcks.set(c.data.id, c.data);
      }
      const done = this.#deps.state.getState(DONE_STATE);
      const ids = done === undefined ? [] : (JSON.parse(done) as unknown);
      if (Array.isArray(ids)) this.#done = ids.filter((x): x is string => typeof x === 'string');
    } catch {
      // unreadable bookkeeping: the portal offers open commands again
    }
  }

  #persist(): void {
    try {
      this.#deps.state.setState(ACKS_STATE, JSON.stringify([...this.#pendingAcks.values()]));
      this.#deps.state.setState(DONE_STATE, JSON.stringify(this.#done));
    } catch {
      // kept in memory; a restart before the next write may offer a command again
    }
  }
}
