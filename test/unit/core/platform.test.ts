import { describe, expect, it } from 'vitest';
import { chromiumKioskArgs } from '../../../core/platform.ts';

describe('the kiosk Chromium', () => {
  it('opens the kiosk alone, full screen, with the voices of speech-dispatcher', () => {
    const args = chromiumKioskArgs('http://127.0.0.1:4000/#t', 'profile');
    expect(args).toContain('--app=http://127.0.0.1:4000/#t');
    expect(args).toContain('--kiosk');
    // without it Chromium on Linux lists no voice, and Read aloud is not offered
    expect(args).toContain('--enable-speech-dispatcher');
    expect(chromiumKioskArgs('u', 'p', { headless: true })).not.toContain('--kiosk');
  });
});
