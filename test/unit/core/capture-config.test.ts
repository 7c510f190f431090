import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';

describe('capture configuration (documents at the terminal)', () => {
  const base = { KIOSK_DATA_DIR: '/srv/kiosk-data' };

  it('has no camera and no scanner unless configured, and the limits of issue 14', () => {
    expect(loadConfig({ env: base }).capture).toEqual({
      camera: false,
      scanner: null,
      scanResolution: 200,
      maxPagesPerDocument: 20,
      maxApplicationBytes: 25 * 1024 * 1024,
    });
  });

  it('takes the camera and the scanner from the environment', () => {
    const config = loadConfig({
      env: { ...base, KIOSK_CAMERA: '1', KIOSK_SCANNER: 'sane:fujitsu:fi-7160:1234' },
    });
    expect(config.capture).toMatchObject({ camera: true, scanner: 'sane:fujitsu:fi-7160:1234' });
  });

  it('refuses a scanner of no known backend and limits out of range, naming the key', () => {
    expect(() => loadConfig({ env: { ...base, KIOSK_SCANNER: 'twain:scanner' } })).toThrow(
      /capture\.scanner: must be "sane:<device>" or "wia:<DeviceID>" \(from environment variable KIOSK_SCANNER\)/,
    );
    expect(() => loadConfig({ env: base, overrides: { capture: { maxPagesPerDocument: 0 } } })).toThrow(
      /capture\.maxPagesPerDocument/,
    );
  });
});
