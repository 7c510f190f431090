/**
 * Fault injection: what a terminal meets in the field. Each fault can be set at start (flags) and
 * changed while running (tests flip them). Decisions draw on an injected random source, so a run
 * with the same seed fails the same requests.
 */
import type { RandomSource } from './deps.ts';

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
}

export type FaultState = Required<FaultOptions>;

const NONE: FaultState = { failRate: 0, lostAckRate: 0, latencyMs: 0, captive: false, down: false };

function rate(value: number | undefined, fallback: number): number {
  if (value === undefined || Number.isNaN(value)) return fallback;
  return Math.min(1, Math.max(0, value));
}

export class Faults {
  private state: FaultState;

  constructor(
    initial: FaultOptions,
    private readonly random: RandomSource,
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
    return this.state.failRate > 0 && this.random() < this.state.failRate;
  }

  /** Draws whether this request's answer is lost after the commit. */
  drawLostAck(): boolean {
    return this.state.lostAckRate > 0 && this.random() < this.state.lostAckRate;
  }
}

/** What a captive portal (hotel, station Wi-Fi) answers instead of the real server. */
export const CAPTIVE_PAGE = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>WLAN-Anmeldung</title></head>
<body><h1>Willkommen im Gäste-WLAN</h1>
<form method="post" action="/login"><label>Zugangscode <input name="code"></label>
<button type="submit">Anmelden</button></form></body></html>
`;
