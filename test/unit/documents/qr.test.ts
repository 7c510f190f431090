import { describe, expect, it } from 'vitest';
import {
  isTrackingNumber,
  parseTrackingQr,
  qrMatrix,
  trackingQrPayload,
} from '../../../core/documents/qr.ts';

describe('tracking QR payload', () => {
  it('round-trips a tracking number', () => {
    const payload = trackingQrPayload('ST-2025-000123');
    expect(payload).toBe('ST1:ST-2025-000123');
    expect(parseTrackingQr(payload)).toEqual({ ok: true, value: { trackingNumber: 'ST-2025-000123' } });
  });

  it('accepts scanner line endings and lower case', () => {
    expect(parseTrackingQr(' st1:st-2025-000123\r\n')).toEqual({
      ok: true,
      value: { trackingNumber: 'ST-2025-000123' },
    });
  });

  it('rejects codes that are not receipt codes', () => {
    expect(parseTrackingQr('https://example.org')).toMatchObject({
      ok: false,
      error: { code: 'qr.not_tracking' },
    });
    expect(parseTrackingQr('P<D<<MUSTERMANN')).toMatchObject({
      ok: false,
      error: { code: 'qr.not_tracking' },
    });
  });

  it('rejects a receipt code with a malformed number', () => {
    for (const bad of ['ST1:', 'ST1:AB', 'ST1:-ABC-', 'ST1:AB CD', `ST1:${'A'.repeat(41)}`, 'ST1:ÄBCD']) {
      expect(parseTrackingQr(bad)).toMatchObject({ ok: false, error: { code: 'qr.invalid' } });
    }
  });

  it('validates tracking numbers', () => {
    expect(isTrackingNumber('ST-2025-000123')).toBe(true);
    expect(isTrackingNumber('st-2025')).toBe(false);
  });

  it('builds a square module matrix with finder patterns', () => {
    const m = qrMatrix('ST1:ST-2025-000123');
    expect(m.size).toBeGreaterThanOrEqual(21);
    expect((m.size - 17) % 4).toBe(0);
    // Top-left finder pattern: dark outer ring, light ring, dark core.
    expect(m.dark(0, 0)).toBe(true);
    expect(m.dark(1, 1)).toBe(false);
    expect(m.dark(3, 3)).toBe(true);
    expect(m.dark(7, 7)).toBe(false);
  });
});
