import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../sync/delivery.ts';

describe('backoffDelay', () => {
  it('is full jitter under an exponential ceiling with a cap, and honours Retry-After', () => {
    expect(backoffDelay(1, () => 0.999, 1000, 60_000)).toBe(999);
    expect(backoffDelay(4, () => 0.5, 1000, 60_000)).toBe(4000);
    expect(backoffDelay(30, () => 0.999, 1000, 60_000)).toBe(59_940);
    expect(backoffDelay(3, () => 0, 1000, 60_000)).toBe(0);
    expect(backoffDelay(1, () => 0.1, 1000, 60_000, 30_000)).toBe(30_000);
  });
});
