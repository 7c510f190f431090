import { describe, expect, it } from 'vitest';
import { makeTrackingNumber, validateTrackingNumber } from '../../../sync/tracking.ts';

function seq(values: number[]) {
  return (size: number) => Uint8Array.from({ length: size }, (_, i) => values[i % values.length] ?? 0);
}

describe('tracking numbers', () => {
  it('makes ST- + 10 Crockford symbols + a check symbol that validates', () => {
    for (let i = 0; i < 200; i++) {
      const n = makeTrackingNumber();
      expect(n).toMatch(/^ST-[0-9A-HJKMNP-TV-Z]{10}[0-9A-HJKMNP-TV-Z*~$=U]$/);
      expect(validateTrackingNumber(n)).toEqual({ ok: true, value: n });
    }
  });

  it('uses the injected random source', () => {
    expect(makeTrackingNumber(seq([0]))).toBe('ST-00000000000');
    expect(makeTrackingNumber(seq([1, 2, 3]))).toBe(makeTrackingNumber(seq([1, 2, 3])));
    expect(makeTrackingNumber(seq([1, 2, 3]))).not.toBe(makeTrackingNumber(seq([3, 2, 1])));
  });

  it('accepts lower case, hyphens, spaces and the confusable letters I, L, O', () => {
    const n = makeTrackingNumber(seq([0x55, 0xaa, 0x13]));
    const body = n.slice(3);
    const sloppy = ` st-${body.slice(0, 5).toLowerCase()} ${body.slice(5)} `
      .replace(/1/g, 'l')
      .replace(/0/g, 'o');
    expect(validateTrackingNumber(sloppy)).toEqual({ ok: true, value: n });
  });

  it('detects a single changed symbol and a swap of neighbours', () => {
    const n = 'ST-7Q2M9K4D1X';
    const valid = validateTrackingNumber(
      `${n}${'0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U'.split('').find((c) => validateTrackingNumber(n + c).ok)}`,
    );
    expect(valid.ok).toBe(true);
    if (!valid.ok) return;
    const good = valid.value;
    const changed = `${good.slice(0, 5)}${good[5] === 'A' ? 'B' : 'A'}${good.slice(6)}`;
    expect(validateTrackingNumber(changed)).toMatchObject({ ok: false, error: { code: 'tracking.check' } });
    const swapped = `${good.slice(0, 4)}${good[5]}${good[4]}${good.slice(6)}`;
    expect(validateTrackingNumber(swapped)).toMatchObject({ ok: false, error: { code: 'tracking.check' } });
  });

  it('rejects wrong prefixes, lengths and symbols', () => {
    expect(validateTrackingNumber('XX-7Q2M9K4D1XA')).toMatchObject({
      ok: false,
      error: { code: 'tracking.format' },
    });
    expect(validateTrackingNumber('ST-7Q2M9')).toMatchObject({
      ok: false,
      error: { code: 'tracking.format' },
    });
    expect(validateTrackingNumber('ST-7Q2M9K4D1U0')).toMatchObject({
      ok: false,
      error: { code: 'tracking.format' },
    });
  });
});
