import { describe, expect, it } from 'vitest';
import { formatResult, runChaos } from '../../chaos/run.ts';

describe('chaos (small)', () => {
  it('kills worker and portal, restores the portal, steps the clock, and loses or duplicates nothing', {
    timeout: 240_000,
  }, async () => {
    const result = await runChaos({ runs: 3, seed: 424242, concurrency: 3 });
    expect(result.failures).toEqual([]);
    // the first worker of every run is killed while it enqueues and delivers
    expect(result.kills).toBeGreaterThanOrEqual(3);
    expect(result.submissions).toBeGreaterThan(0);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, delivered: result.submissions });
    const line = formatResult(result);
    expect(line).toMatch(
      /^chaos: runs=3 submissions=\d+ delivered=\d+ lost=0 duplicated=0 faults=worker-kill(,[a-z0-9-]+)*$/,
    );
    // a kind is listed exactly when it was injected
    const listed = new Set(line.split('faults=')[1]?.split(','));
    for (const [kind, n] of Object.entries(result.faults)) expect(listed.has(kind)).toBe(n > 0);
  });
});
