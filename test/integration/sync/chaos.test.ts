import { describe, expect, it } from 'vitest';
import { formatResult, runChaos } from '../../chaos/run.ts';

describe('chaos (small)', () => {
  it('kills the kiosk worker at random points and loses or duplicates nothing', {
    timeout: 180_000,
  }, async () => {
    const result = await runChaos({ runs: 3, seed: 424242, concurrency: 3 });
    expect(result.failures).toEqual([]);
    expect(result.kills).toBeGreaterThan(0);
    expect(result.submissions).toBeGreaterThan(0);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, delivered: result.submissions });
    expect(formatResult(result)).toMatch(/^chaos: runs=3 submissions=\d+ delivered=\d+ lost=0 duplicated=0$/);
  });
});
