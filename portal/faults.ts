/**
 * Fault injection: what a terminal meets in the field. Each fault can be set at start (flags) and
 * changed while running (tests flip them). Decisions draw on an injected random source, so a run
 * with the same seed fails the same requests.
 */
import type { RandomUnit } from '../common/clock.ts';

export interface FaultOptions {
  /** Share of requests answered with a 5xx before anything is done (0..1). */
  readonly failRate?: number;
  /** Share of requests that are carried out and committed, then the connection is dropped unanswered (0..1). */
  readonly lostAckRate?: number;
  /** Delay added to every request, in ms, after it is accepted and before it is carried out. */
  readonly latencyMs?: number;
  /** Every request is answered 200 with an HTML login page, as a captive portal does. */
  readonly captive?: boolean;
  /** The portal refuses: every connection is destroyed without an answer. */
  readonly down?: boolean;
  /**
   * Share of requests with an Idempotency-Key (deliveries) held `lateCommitMs` before they are
   * carried out: the terminal gives up waiting, the portal still commits (0..1).
   */
  readonly lateCommitRate?: number;
  /** How long a late commit is held, in ms (set it beyond the terminal's request timeout). */
  readonly lateCommitMs?: number;
}

/** A fault that was injected into one request (counted by chaos runs). */
export type InjectedFault = 'fail' | 'lost-ack' | 'late-commit';

export type FaultState = Required<FaultOptions>;

const NONE: FaultState = {
  failRate: 0,
  lostAckRate: 0,
  latencyMs: 0,
  captive: false,
  down: false,
  lateCommitRate: 0,
  lateCommitMs: 0,
};

function rate(value: number | undefined, fallback: number): number {
  if (value === undefined || Number.isNaN(value)) return fallback;
  return Math.min(1, Math.max(0, value));
}

export class Faults {
  private state: FaultState;

  constructor(
    initial: FaultOptions,
    private readonly random: RandomUnit,
    private readonly onInjected: (fault: InjectedFault) => void = () => undefined,
  ) {
    this.state = Faults.merge(NONE, initial);
  }

  static merge(base: FaultState, change: FaultOptions): FaultState {
    return {
      failRate: rate(change.failRate, base.failRate),
      lostAckRate: rate(change.lostAckRate, base.lostAckRate),
      latencyMs: Math.max(0, change.latencyMs ?? base.latencyMs),
      captive: change.captive ?? base.captive,
      down: change.down ?? base.down,
      lateCommitRate: rate(change.lateCommitRate, base.lateCommitRate),
      lateCommitMs: Math.max(0, change.lateCommitMs ?? base.lateCommitMs),
    };
  }

  get(): FaultState {
    return { ...this.state };
  }

  /** Changes only the faults given; `set({})` keeps everything, `clear()` turns all off. */
  set(change: FaultOptions): FaultState {
    this.state = Faults.merge(this.state, change);
    return this.get();
  }

  clear(): void {
    this.state = { ...NONE };
  }

  /** Draws whether this request fails with a 5xx. */
  drawFailure(): boolean {
    const fail = this.state.failRate > 0 && this.random() < this.state.failRate;
    if (fail) this.onInjected('fail');
    return fail;
  }

  /** Draws whether this request's answer is lost after the commit. */
  drawLostAck(): boolean {
    const lost = this.state.lostAckRate > 0 && this.random() < this.state.lostAckRate;
    if (lost) this.onInjected('lost-ack');
    return lost;
  }

  /**
   * Draws how long a delivery request waits before it is carried out: the latency, plus
   * `lateCommitMs` when this one is drawn to commit late.
   */
  drawDeliveryDelayMs(): number {
    const late = this.state.lateCommitRate > 0 && this.random() < this.state.lateCommitRate;
    if (late) this.onInjected('late-commit');
    return this.state.latencyMs + (late ? this.state.lateCommitMs : 0);
  }
}

/** What a captive portal (hotel, station Wi-Fi) answers instead of the real server. */
export const CAPTIVE_PAGE = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>WLAN-Anmeldung</title></head>
<body><h1>Willkommen im Gäste-WLAN</h1>
<form method="post" action="/login"><label>Zugangscode <input name="code"></label>
<button type="submit">Anmelden</button></form></body></html>
`;
