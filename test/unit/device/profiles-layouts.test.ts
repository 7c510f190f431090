import { describe, expect, it } from 'vitest';
import {
  charForCode,
  codeToHidUsage,
  hidUsageToCode,
  keyboardCodec,
  keyboardLayoutIds,
  keyboardLayouts,
  keystrokeForChar,
} from '../../../api/keyboard-layouts.ts';
import { aimForSymbology, splitAim, symbologyOfAim } from '../../../device/aim.ts';
import { builtinProfiles, matchProfile, validateProfiles } from '../../../device/profiles.ts';
import type { HidDeviceInfo } from '../../../device/transport.ts';

const device = (over: Partial<HidDeviceInfo>): HidDeviceInfo => ({
  vendorId: 0x1234,
  productId: 0x0001,
  path: 'p',
  ...over,
});

describe('keyboard layouts', () => {
  it('maps HID usages to KeyboardEvent.code and back', () => {
    expect(hidUsageToCode(0x04)).toBe('KeyA');
    expect(hidUsageToCode(0x1d)).toBe('KeyZ');
    expect(hidUsageToCode(0x27)).toBe('Digit0');
    expect(hidUsageToCode(0x28)).toBe('Enter');
    expect(hidUsageToCode(0x64)).toBe('IntlBackslash');
    expect(hidUsageToCode(0x58)).toBe('NumpadEnter');
    expect(hidUsageToCode(0xff)).toBeUndefined();
    expect(codeToHidUsage('IntlBackslash')).toBe(0x64);
  });

  it('types every MRZ character in both layouts, and decodes it back', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';
    for (const id of keyboardLayoutIds) {
      const layout = keyboardLayouts[id];
      for (const ch of alphabet) {
        const k = keystrokeForChar(layout, ch);
        expect(k, `${id} ${ch}`).toBeDefined();
        if (k) expect(charForCode(layout, k.code, k)).toBe(ch);
      }
    }
  });

  it('knows where de-DE differs from en-US', () => {
    expect(keystrokeForChar(keyboardLayouts['de-DE'], '<')).toEqual({
      code: 'IntlBackslash',
      usage: 0x64,
      shift: false,
      altgr: false,
    });
    expect(keystrokeForChar(keyboardLayouts['de-DE'], '>')).toEqual({
      code: 'IntlBackslash',
      usage: 0x64,
      shift: true,
      altgr: false,
    });
    expect(keystrokeForChar(keyboardLayouts['en-US'], '<')).toEqual({
      code: 'Comma',
      usage: 0x36,
      shift: true,
      altgr: false,
    });
    expect(keystrokeForChar(keyboardLayouts['de-DE'], 'Y')?.code).toBe('KeyZ');
    expect(keystrokeForChar(keyboardLayouts['de-DE'], '@')).toMatchObject({ code: 'KeyQ', altgr: true });
    const de = keyboardCodec('de-DE');
    expect(de.charForUsage(0x1c, { shift: false, altgr: false })).toBe('z');
    expect(de.charForUsage(0x2d, { shift: false, altgr: false })).toBe('ß');
    expect(de.charForUsage(0x04, { shift: false, altgr: true })).toBeUndefined();
  });
});

describe('AIM identifiers', () => {
  it('names symbologies and rejects malformed identifiers', () => {
    expect(symbologyOfAim(']Q1')).toBe('qr');
    expect(symbologyOfAim(']C1')).toBe('gs1-128');
    expect(symbologyOfAim(']C0')).toBe('code128');
    expect(symbologyOfAim(']Y1')).toBeUndefined();
    expect(symbologyOfAim('Q1')).toBeUndefined();
    expect(splitAim('plain')).toEqual({ aim: null, symbology: 'unknown', text: 'plain' });
    expect(aimForSymbology('datamatrix')).toBe(']d1');
    expect(aimForSymbology(']L2')).toBe(']L2');
    expect(aimForSymbology('nope')).toBeUndefined();
  });
});

describe('device profiles', () => {
  it('matches HID POS scanners of any vendor and keyboard readers of known vendors', () => {
    expect(matchProfile(device({ usagePage: 0x8c, usage: 2 }), builtinProfiles)?.id).toBe('hid-pos-scanner');
    expect(matchProfile(device({ vendorId: 0x0db5, usagePage: 1, usage: 6 }), builtinProfiles)).toMatchObject(
      {
        driver: 'keyboard',
        mode: 'mrz',
      },
    );
    // An ordinary keyboard matches nothing: the kiosk never reads from it.
    expect(matchProfile(device({ usagePage: 1, usage: 6 }), builtinProfiles)).toBeUndefined();
    // The mouse interface of a known vendor does not match its keyboard profile.
    expect(
      matchProfile(device({ vendorId: 0x0db5, usagePage: 1, usage: 2 }), builtinProfiles),
    ).toBeUndefined();
  });

  it('prefers the most specific profile, and the earlier of equally specific ones', () => {
    const admin = validateProfiles([
      {
        id: 'desk-reader',
        match: { vendorId: '0x0db5', productId: 4660 },
        driver: 'keyboard',
        mode: 'mrz',
        layout: 'de-DE',
      },
      { id: 'scanner-a', match: { usagePage: 140 }, driver: 'hid-pos', enableHidPos: true },
    ]);
    if (!admin.ok) throw new Error(admin.error.message);
    const all = [...admin.value, ...builtinProfiles];
    expect(
      matchProfile(device({ vendorId: 0x0db5, productId: 0x1234, usagePage: 1, usage: 6 }), all)?.id,
    ).toBe('desk-reader');
    expect(
      matchProfile(device({ vendorId: 0x0db5, productId: 0x9999, usagePage: 1, usage: 6 }), all)?.id,
    ).toBe('access-is-keyboard');
    expect(matchProfile(device({ usagePage: 0x8c }), all)?.id).toBe('scanner-a');
  });

  it('validates administrators profiles with a path to what is wrong', () => {
    const bad: Array<[unknown, string]> = [
      [{}, ''],
      [[{ id: 'a b', match: { usagePage: 1 }, driver: 'keyboard', mode: 'mrz' }], '[0].id'],
      [[{ id: 'a', match: {}, driver: 'keyboard', mode: 'mrz' }], '[0].match'],
      [[{ id: 'a', match: { vendorId: 70000 }, driver: 'keyboard', mode: 'mrz' }], '[0].match.vendorId'],
      [[{ id: 'a', match: { productId: 1 }, driver: 'keyboard', mode: 'mrz' }], '[0].match.productId'],
      [[{ id: 'a', match: { usagePage: 1 }, driver: 'serial', mode: 'mrz' }], '[0].driver'],
      [[{ id: 'a', match: { usagePage: 1 }, driver: 'keyboard' }], '[0].mode'],
      [
        [{ id: 'a', match: { usagePage: 1 }, driver: 'keyboard', mode: 'mrz', layout: 'fr-FR' }],
        '[0].layout',
      ],
      [[{ id: 'a', match: { usagePage: 1 }, driver: 'keyboard', mode: 'mrz', windowMs: 5 }], '[0].windowMs'],
      [[{ id: 'a', match: { usagePage: 1 }, driver: 'keyboard', mode: 'mrz', reportId: 0 }], '[0].reportId'],
      [[{ id: 'a', match: { usagePage: 0x8c }, driver: 'hid-pos', layout: 'de-DE' }], '[0].layout'],
      [[{ id: 'a', match: { usagePage: 0x8c }, driver: 'hid-pos', mode: 'text' }], '[0].mode'],
      [[{ id: 'a', match: { usagePage: 1 }, driver: 'keyboard', mode: 'mrz', colour: 'red' }], '[0].colour'],
      [
        [
          { id: 'a', match: { usagePage: 1 }, driver: 'keyboard', mode: 'mrz' },
          { id: 'a', match: { usagePage: 2 }, driver: 'keyboard', mode: 'mrz' },
        ],
        '[1].id',
      ],
    ];
    for (const [input, path] of bad) {
      const r = validateProfiles(input, { layouts: ['en-US', 'de-DE'] });
      expect(r, JSON.stringify(input)).toMatchObject({
        ok: false,
        error: { code: 'device.bad_profile', path },
      });
    }
    expect(
      validateProfiles([
        {
          id: 'ok',
          match: { vendorId: 1, usagePage: 1, usage: 6 },
          driver: 'keyboard',
          mode: 'barcode',
          reportId: 1,
          windowMs: 2000,
        },
      ]),
    ).toEqual({
      ok: true,
      value: [
        {
          id: 'ok',
          name: 'ok',
          match: { vendorId: 1, usagePage: 1, usage: 6 },
          driver: 'keyboard',
          mode: 'barcode',
          reportId: 1,
          windowMs: 2000,
        },
      ],
    });
  });
});
