/** What the portal takes from outside: wall time, a random source for faults, and a way to wait. */
import { randomInt } from 'node:crypto';

export interface PortalClock {
  /** Wall-clock ms since the epoch. */
  now(): number;
}

/** Uniform in [0, 1). */
export type RandomSource = () => number;

/** Waits `ms` (latency injection); tests pass one they control. */
export type Sleep = (ms: number) => Promise<void>;

export const systemClock: PortalClock = { now: () => Date.now() };

export const realSleep: Sleep = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** mulberry32: a small seeded generator, so a run with the same seed injects the same faults. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomSeed(): number {
  return randomInt(0, 2 ** 32 - 1);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
