import { describe, expect, it } from 'vitest';
import { keyboardCodec } from '../../../api/keyboard-layouts.ts';
import { VirtualClock } from '../../../device/clock.ts';
import {
  createKeyboardDriver,
  decodeModifiers,
  encodeKeyboardText,
} from '../../../device/drivers/keyboard.ts';
import type { ReaderMode } from '../../../device/drivers/lines.ts';
import type { ReaderEvent } from '../../../device/events.ts';

const enUS = keyboardCodec('en-US');
const deDE = keyboardCodec('de-DE');

const TD3 = [
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
  'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
] as const;
const TD1 = [
  'CIUTOD231458907A123X5328434D23',
  '3407127M9507122UTO<<<<<<<<<<<6',
  'STEVENSON<<PETER<<<<<<<<<<<<<<',
];

function setup(
  options: { layout?: 'en-US' | 'de-DE'; mode?: ReaderMode; reportId?: number; windowMs?: number } = {},
) {
  const clock = new VirtualClock();
  const events: ReaderEvent[] = [];
  const driver = createKeyboardDriver({
    deviceId: 'reader',
    clock,
    onEvent: (e) => events.push(e),
    codec: options.layout === 'de-DE' ? deDE : enUS,
    mode: options.mode ?? 'mrz',
    ...(options.reportId === undefined ? {} : { reportId: options.reportId }),
    ...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }),
  });
  return { clock, events, driver };
}

/** A boot keyboard report: modifier byte, reserved byte, six key usages. */
const kb = (mod: number, ...keys: number[]): Uint8Array =>
  Uint8Array.from([mod, 0, ...keys, 0, 0, 0, 0, 0, 0].slice(0, 8));
const release = kb(0);
const SHIFT = 0x02;
const RSHIFT = 0x20;
const ALTGR = 0x40;
// Usage ids
const KEY = {
  A: 0x04,
  P: 0x13,
  Y: 0x1c,
  Z: 0x1d,
  d1: 0x1e,
  d2: 0x1f,
  d0: 0x27,
  enter: 0x28,
  comma: 0x36,
  iso: 0x64,
  q: 0x14,
};

describe('keyboard driver: decoding', () => {
  it('types `<` as Shift+Comma in en-US and as the ISO key 0x64 in de-DE', () => {
    const us = setup({ layout: 'en-US', mode: 'barcode' });
    for (const r of [
      kb(SHIFT, KEY.comma),
      release,
      kb(0, KEY.iso),
      release,
      kb(SHIFT, KEY.iso),
      release,
      kb(0, KEY.enter),
      release,
    ]) {
      us.driver.push(r);
    }
    expect(us.events).toEqual([
      { kind: 'barcode', aim: null, symbology: 'unknown', text: '<\\|', deviceId: 'reader' },
    ]);

    const de = setup({ layout: 'de-DE', mode: 'barcode' });
    for (const r of [
      kb(0, KEY.iso),
      release,
      kb(SHIFT, KEY.iso),
      release,
      kb(SHIFT, KEY.comma),
      release,
      kb(0, KEY.enter),
      release,
    ]) {
      de.driver.push(r);
    }
    expect(de.events).toEqual([
      { kind: 'barcode', aim: null, symbology: 'unknown', text: '<>;', deviceId: 'reader' },
    ]);
  });

  it('swaps Y and Z in de-DE', () => {
    const typed = (layout: 'en-US' | 'de-DE') => {
      const s = setup({ layout, mode: 'barcode' });
      for (const r of [
        kb(SHIFT, KEY.Y),
        release,
        kb(SHIFT, KEY.Z),
        release,
        kb(0, KEY.Y),
        release,
        kb(0, KEY.enter),
        release,
      ])
        s.driver.push(r);
      return s.events[0]?.kind === 'barcode' ? s.events[0].text : undefined;
    };
    expect(typed('en-US')).toBe('YZy');
    expect(typed('de-DE')).toBe('ZYz');
  });

  it('applies left and right Shift, and AltGr only where the layout has a character', () => {
    const s = setup({ layout: 'de-DE', mode: 'barcode' });
    for (const r of [
      kb(RSHIFT, KEY.A),
      release,
      kb(ALTGR, KEY.q),
      release,
      kb(ALTGR, KEY.A),
      release,
      kb(SHIFT, KEY.d0),
      release,
      kb(0, KEY.enter),
      release,
    ]) {
      s.driver.push(r);
    }
    expect(s.events[0]).toMatchObject({ text: 'A@=' });
  });

  it('ignores keys typed with Ctrl or GUI (shortcuts), but takes Ctrl+Alt as AltGr', () => {
    expect(decodeModifiers(0x01)).toEqual({ shift: false, altgr: false, shortcut: true });
    expect(decodeModifiers(0x05)).toEqual({ shift: false, altgr: true, shortcut: false });
    expect(decodeModifiers(0x08)).toMatchObject({ shortcut: true });
    const s = setup({ mode: 'barcode' });
    for (const r of [
      kb(0x01, KEY.A),
      release,
      kb(0x08, KEY.A),
      release,
      kb(0, KEY.A),
      release,
      kb(0, KEY.enter),
      release,
    ])
      s.driver.push(r);
    expect(s.events[0]).toMatchObject({ text: 'a' });
  });

  it('counts a key once while it stays down, and handles rollover (next key before release)', () => {
    const s = setup({ mode: 'barcode' });
    // P down; P+1 (rollover); 1 alone (P released); 1+2; repeated identical report; all released.
    for (const r of [
      kb(SHIFT, KEY.P),
      kb(0, KEY.P, KEY.d1),
      kb(0, KEY.d1),
      kb(0, KEY.d1, KEY.d2),
      kb(0, KEY.d1, KEY.d2),
      release,
      kb(0, KEY.enter),
      release,
    ]) {
      s.driver.push(r);
    }
    expect(s.events[0]).toMatchObject({ text: 'P12' });
  });

  it('types the same key twice only with a release report in between', () => {
    const s = setup({ mode: 'barcode' });
    for (const r of [kb(0, KEY.A), kb(0, KEY.A), release, kb(0, KEY.A), release, kb(0, KEY.enter), release])
      s.driver.push(r);
    expect(s.events[0]).toMatchObject({ text: 'aa' });
  });

  it('ignores ErrorRollOver (phantom) reports', () => {
    const s = setup({ mode: 'barcode' });
    for (const r of [kb(0, KEY.A), kb(0, 1, 1, 1, 1, 1, 1), kb(0, KEY.A), release, kb(0, KEY.enter), release])
      s.driver.push(r);
    expect(s.events[0]).toMatchObject({ text: 'a' });
  });

  it('accepts a leading report id when the profile says so, and rejects others', () => {
    const s = setup({ mode: 'barcode', reportId: 1 });
    const withId = (r: Uint8Array) => Uint8Array.from([1, ...r]);
    for (const r of [kb(0, KEY.A), release, kb(0, KEY.enter), release]) s.driver.push(withId(r));
    s.driver.push(Uint8Array.from([2, ...release]));
    s.driver.push(release);
    expect(s.events.map((e) => (e.kind === 'error' ? e.code : e.kind))).toEqual([
      'barcode',
      'device.bad_report',
      'device.bad_report',
    ]);
  });

  it('splits an AIM prefix off keyboard-mode scans', () => {
    const s = setup({ mode: 'barcode' });
    const reports = encodeKeyboardText(']E04006381333931\n', enUS);
    if (!reports.ok) throw new Error(reports.error.message);
    for (const r of reports.value) s.driver.push(r);
    expect(s.events).toEqual([
      { kind: 'barcode', aim: ']E0', symbology: 'ean-13', text: '4006381333931', deviceId: 'reader' },
    ]);
  });
});

describe('keyboard driver: MRZ documents', () => {
  for (const layout of ['en-US', 'de-DE'] as const) {
    for (const [name, lines] of [
      ['TD3', TD3],
      ['TD1', TD1],
    ] as const) {
      for (const rollover of [false, true]) {
        it(`reads a ${name} typed in ${layout}${rollover ? ' with rollover' : ''}`, () => {
          const s = setup({ layout });
          const reports = encodeKeyboardText(
            lines.map((l) => `${l}\n`).join(''),
            layout === 'de-DE' ? deDE : enUS,
            { rollover },
          );
          if (!reports.ok) throw new Error(reports.error.message);
          for (const r of reports.value) {
            s.driver.push(r);
            s.clock.advanceBy(2);
          }
          expect(s.events).toEqual([{ kind: 'mrz', lines, deviceId: 'reader' }]);
          expect(s.clock.pendingTimers()).toBe(0);
        });
      }
    }
  }

  it('decodes de-DE typing with the wrong layout into something that is not a read', () => {
    const s = setup({ layout: 'en-US' });
    const reports = encodeKeyboardText(TD3.map((l) => `${l}\n`).join(''), deDE);
    if (!reports.ok) throw new Error(reports.error.message);
    for (const r of reports.value) s.driver.push(r);
    s.clock.runAll();
    expect(s.events.every((e) => e.kind === 'error')).toBe(true);
    expect(s.events.length).toBeGreaterThan(0);
  });

  it('reports a document whose last line does not come within the window as partial', () => {
    const s = setup({ windowMs: 1500 });
    const reports = encodeKeyboardText(`${TD1[0]}\n${TD1[1]}\n`, enUS);
    if (!reports.ok) throw new Error(reports.error.message);
    for (const r of reports.value) s.driver.push(r);
    s.clock.advanceBy(1499);
    expect(s.events).toEqual([]);
    s.clock.advanceBy(1);
    expect(s.events).toEqual([expect.objectContaining({ kind: 'error', code: 'device.partial_document' })]);
    expect(s.clock.pendingTimers()).toBe(0);
  });

  it('reports the third line arriving after the window as partial, not as a read', () => {
    const s = setup({ windowMs: 1500 });
    const first = encodeKeyboardText(`${TD1[0]}\n${TD1[1]}\n`, enUS);
    const last = encodeKeyboardText(`${TD1[2]}\n`, enUS);
    if (!first.ok || !last.ok) throw new Error('encode');
    for (const r of first.value) s.driver.push(r);
    s.clock.advanceBy(2000);
    for (const r of last.value) s.driver.push(r);
    s.clock.runAll();
    expect(s.events.map((e) => (e.kind === 'error' ? e.code : e.kind))).toEqual([
      'device.partial_document',
      'device.partial_document',
    ]);
  });

  it('reports a line cut off without Enter as partial', () => {
    const s = setup();
    const reports = encodeKeyboardText(TD3[0].slice(0, 20), enUS);
    if (!reports.ok) throw new Error(reports.error.message);
    for (const r of reports.value) s.driver.push(r);
    s.clock.runAll();
    expect(s.events).toEqual([expect.objectContaining({ code: 'device.partial_document' })]);
  });

  it('reports a line that cannot be MRZ once and absorbs the rest of that document', () => {
    const s = setup();
    const reports = encodeKeyboardText(`${TD3[0].slice(0, 40)}\n${TD3[1]}\n`, enUS);
    if (!reports.ok) throw new Error(reports.error.message);
    for (const r of reports.value) s.driver.push(r);
    s.clock.runAll();
    expect(s.events.map((e) => (e.kind === 'error' ? e.code : e.kind))).toEqual(['device.bad_line']);
    // The next document reads normally.
    const next = encodeKeyboardText(TD3.map((l) => `${l}\n`).join(''), enUS);
    if (!next.ok) throw new Error(next.error.message);
    for (const r of next.value) s.driver.push(r);
    expect(s.events.at(-1)).toEqual({ kind: 'mrz', lines: TD3, deviceId: 'reader' });
  });

  it('rejects lines of different widths in one document and lowercase text', () => {
    const s = setup();
    const mixed = encodeKeyboardText(`${TD3[0]}\n${TD1[0]}${'<'.repeat(6)}\n`, enUS);
    const lower = encodeKeyboardText(`${TD3[0].toLowerCase()}\n`, enUS);
    if (!mixed.ok || !lower.ok) throw new Error('encode');
    for (const r of mixed.value) s.driver.push(r);
    s.clock.runAll();
    for (const r of lower.value) s.driver.push(r);
    s.clock.runAll();
    expect(s.events.every((e) => e.kind === 'error')).toBe(true);
    expect(s.events.map((e) => e.kind === 'error' && e.code)).toContain('device.bad_line');
  });

  it('skips blank lines around a document', () => {
    const s = setup();
    const reports = encodeKeyboardText(`\n${TD3[0]}\n${TD3[1]}\n\n`, enUS);
    if (!reports.ok) throw new Error(reports.error.message);
    for (const r of reports.value) s.driver.push(r);
    s.clock.runAll();
    expect(s.events).toEqual([{ kind: 'mrz', lines: TD3, deviceId: 'reader' }]);
  });

  it('turns a half-read document into an error on flush and stays silent after dispose', () => {
    const s = setup();
    const reports = encodeKeyboardText(`${TD3[0]}\n`, enUS);
    if (!reports.ok) throw new Error(reports.error.message);
    for (const r of reports.value) s.driver.push(r);
    s.driver.flush();
    expect(s.events).toEqual([expect.objectContaining({ code: 'device.partial_document' })]);
    for (const r of reports.value) s.driver.push(r);
    s.driver.dispose();
    s.clock.runAll();
    expect(s.events).toHaveLength(1);
    expect(s.clock.pendingTimers()).toBe(0);
  });

  it('rejects reports of the wrong size', () => {
    const s = setup();
    s.driver.push(new Uint8Array(7));
    s.driver.push(new Uint8Array(64));
    expect(s.events.map((e) => e.kind === 'error' && e.code)).toEqual([
      'device.bad_report',
      'device.bad_report',
    ]);
  });
});

describe('keyboard encoder', () => {
  it('writes a press and a release report per character', () => {
    const r = encodeKeyboardText('P<\n', enUS);
    expect(r.ok && r.value.map((x) => [...x])).toEqual([
      [SHIFT, 0, KEY.P, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
      [SHIFT, 0, KEY.comma, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, KEY.enter, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    const de = encodeKeyboardText('<', deDE);
    expect(de.ok && [...(de.value[0] ?? [])]).toEqual([0, 0, KEY.iso, 0, 0, 0, 0, 0]);
  });

  it('fails on a character the layout cannot type', () => {
    const r = encodeKeyboardText('ä', enUS);
    expect(r.ok).toBe(false);
  });
});
