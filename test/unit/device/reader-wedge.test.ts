import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyboardLayouts, keystrokeForChar } from '../../../api/keyboard-layouts.ts';
import { aimTable } from '../../../device/aim.ts';
import { VirtualClock } from '../../../device/clock.ts';
import { aimByCode, aimByIdentifier } from '../../../renderer/reader-wedge/aim.ts';
import { ReaderWedge, type WedgeKey } from '../../../renderer/reader-wedge/core.ts';
import { attachReaderWedge } from '../../../renderer/reader-wedge/dom.ts';
import type { WedgeEvent } from '../../../renderer/reader-wedge/types.ts';

type Layout = 'en-US' | 'de-DE';
const TD3 = [
  'P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<',
  'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4',
] as const;
const TD1 = [
  'IDD<<T220001293<<<<<<<<<<<<<<<',
  '6408125<2010315D<<<<<<<<<<<<<5',
  'MUSTERMANN<<ERIKA<<<<<<<<<<<<<',
] as const;

/** Key records a keyboard in `layout` produces for `text` (`\n` is Enter). */
type TypedKey = Omit<WedgeKey, 'timeStamp'> & { readonly char?: string };

function keysFor(text: string, layout: Layout): TypedKey[] {
  return [...text].map((ch) => {
    if (ch === '\n') return { code: 'Enter', shiftKey: false, altKey: false, ctrlKey: false, metaKey: false };
    const k = keystrokeForChar(keyboardLayouts[layout], ch);
    if (!k) throw new Error(`cannot type ${ch}`);
    return {
      code: k.code,
      shiftKey: k.shift,
      altKey: false,
      ctrlKey: false,
      metaKey: false,
      altGraph: k.altgr,
      char: ch,
    };
  });
}

function setup(options: { layout?: Layout; mode?: 'mrz' | 'barcode'; minBurstKeys?: number } = {}) {
  const clock = new VirtualClock(1000);
  const events: WedgeEvent[] = [];
  const replays: Array<{ target: string; text: string }> = [];
  /** The field as a browser would fill it: keys that pass are typed, held ones come back by replay. */
  let field = '';
  const wedge = new ReaderWedge<string>({
    layout: options.layout ?? 'en-US',
    mode: options.mode ?? 'mrz',
    scheduler: clock,
    onEvent: (e) => events.push(e),
    onReplay: (target, text) => {
      replays.push({ target, text });
      field += text;
    },
    ...(options.minBurstKeys === undefined ? {} : { minBurstKeys: options.minBurstKeys }),
  });
  /** Types keys `gap` ms apart; returns the decisions. */
  const type = (keys: readonly TypedKey[], gap: number | ((i: number) => number), target = 'field') =>
    keys.map((k, i) => {
      if (i > 0) clock.advanceBy(typeof gap === 'number' ? gap : gap(i));
      const decision = wedge.keydown({ ...k, timeStamp: clock.now() }, target);
      if (decision === 'pass' && k.char !== undefined) field += k.char;
      return decision;
    });
  return { clock, events, replays, wedge, type, field: () => field };
}

describe('reader wedge (pure core)', () => {
  for (const layout of ['en-US', 'de-DE'] as const) {
    it(`holds every key of a reader burst and reads the MRZ typed in ${layout}`, () => {
      const s = setup({ layout });
      const decisions = s.type(keysFor(TD3.map((l) => `${l}\n`).join(''), layout), 6);
      expect(decisions.every((d) => d === 'hold')).toBe(true);
      s.clock.runAll();
      expect(s.events).toEqual([{ kind: 'mrz', lines: [...TD3], deviceId: 'keyboard-wedge' }]);
      expect(s.replays).toEqual([]);
    });
  }

  it('decodes by key position with the configured layout: de-DE typing read as en-US is no read', () => {
    const s = setup({ layout: 'en-US' });
    s.type(keysFor(TD3.map((l) => `${l}\n`).join(''), 'de-DE'), 6);
    s.clock.runAll();
    expect(s.events.every((e) => e.kind === 'error')).toBe(true);
    expect(s.replays).toEqual([]);
  });

  it('reads a TD1 whose lines come with pauses between them (each line a burst of its own)', () => {
    const s = setup();
    for (const line of TD1) {
      s.type(keysFor(`${line}\n`, 'en-US'), 5);
      s.clock.advanceBy(300);
    }
    s.clock.runAll();
    expect(s.events).toEqual([{ kind: 'mrz', lines: [...TD1], deviceId: 'keyboard-wedge' }]);
    expect(s.replays).toEqual([]);
  });

  it('keeps a reader that stalls mid-line (pauses longer than the key gap) in one read', () => {
    const s = setup();
    const keys = keysFor(TD3.map((l) => `${l}\n`).join(''), 'en-US');
    const stalls: Record<number, number> = { 7: 31, 9: 31, 20: 250, 50: 900 };
    const decisions = s.type(keys, (i) => stalls[i] ?? 4);
    s.clock.runAll();
    expect(decisions.every((d) => d === 'hold')).toBe(true);
    expect(s.events).toEqual([{ kind: 'mrz', lines: [...TD3], deviceId: 'keyboard-wedge' }]);
    expect(s.replays).toEqual([]);
  });

  it('gives a person’s keys back, in order, into the field they were typed in', () => {
    const s = setup();
    const decisions = s.type(keysFor('Hallo', 'en-US'), 150);
    s.clock.runAll();
    expect(decisions.every((d) => d === 'hold')).toBe(true);
    expect(s.replays.map((r) => r.text).join('')).toBe('Hallo');
    expect(s.replays.every((r) => r.target === 'field')).toBe(true);
    expect(s.events).toEqual([]);
  });

  it('gives back quick pairs of a fast typist together, before the next key passes', () => {
    const s = setup();
    const keys = keysFor('ab', 'en-US');
    s.type(keys, 10);
    // Backspace comes 12 ms later: still quick, but it types nothing, so this was a person.
    s.clock.advanceBy(12);
    const d = s.wedge.keydown(
      {
        code: 'Backspace',
        shiftKey: false,
        altKey: false,
        ctrlKey: false,
        metaKey: false,
        timeStamp: s.clock.now(),
      },
      'field',
    );
    expect(d).toBe('pass');
    expect(s.replays).toEqual([{ target: 'field', text: 'ab' }]);
  });

  it('lets Enter through after a couple of quick keys, with the keys given back first', () => {
    const s = setup();
    const decisions = s.type(keysFor('ok\n', 'en-US'), 10);
    expect(decisions).toEqual(['hold', 'hold', 'pass']);
    expect(s.replays).toEqual([{ target: 'field', text: 'ok' }]);
    expect(s.events).toEqual([]);
  });

  it('passes shortcuts, modifiers, repeats and keys that type nothing', () => {
    const s = setup();
    const base = { shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, timeStamp: 0 };
    expect(s.wedge.keydown({ ...base, code: 'ShiftLeft' }, 'f')).toBe('pass');
    expect(s.wedge.keydown({ ...base, code: 'KeyC', ctrlKey: true }, 'f')).toBe('pass');
    expect(s.wedge.keydown({ ...base, code: 'Tab' }, 'f')).toBe('pass');
    expect(s.wedge.keydown({ ...base, code: 'KeyA', repeat: true }, 'f')).toBe('pass');
    expect(s.wedge.keydown({ ...base, code: 'Enter' }, 'f')).toBe('pass');
    // Space activates a focused button: it never starts a suspected burst.
    expect(s.wedge.keydown({ ...base, code: 'Space' }, 'f')).toBe('pass');
    expect(s.wedge.state).toBe('idle');
  });

  it('reads keyboard-mode barcodes with and without an AIM prefix', () => {
    const s = setup({ mode: 'barcode', layout: 'de-DE' });
    s.type(keysFor(']Q1https://stadt.example/t?x=1\n', 'de-DE'), 3);
    s.clock.advanceBy(500);
    s.type(keysFor('4006381333931\n', 'de-DE'), 3);
    s.clock.runAll();
    expect(s.events).toEqual([
      {
        kind: 'barcode',
        aim: ']Q1',
        symbology: 'qr',
        text: 'https://stadt.example/t?x=1',
        deviceId: 'keyboard-wedge',
      },
      { kind: 'barcode', aim: null, symbology: 'unknown', text: '4006381333931', deviceId: 'keyboard-wedge' },
    ]);
  });

  it('reports a partial document when the reader stops, never a read', () => {
    const s = setup();
    s.type(keysFor(`${TD1[0]}\n${TD1[1]}\n`, 'en-US'), 5);
    s.clock.runAll();
    expect(s.events).toEqual([expect.objectContaining({ kind: 'error', code: 'device.partial_document' })]);
    expect(s.clock.pendingTimers()).toBe(0);
  });

  it('leaves no timer after dispose and ignores keys from then on', () => {
    const s = setup();
    s.type(keysFor(TD1[0], 'en-US'), 5);
    s.wedge.dispose();
    expect(s.clock.pendingTimers()).toBe(0);
    expect(s.type(keysFor('abc', 'en-US'), 5)).toEqual(['pass', 'pass', 'pass']);
    s.clock.runAll();
    expect(s.events).toEqual([]);
  });

  it('property: human typing (pauses over the gap) reaches the field exactly, in order, and reads nothing', () => {
    const printable = fc.constantFrom(
      ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<>-., '.split(''),
    );
    fc.assert(
      fc.property(
        fc.array(printable, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 31, max: 800 }), { minLength: 1, maxLength: 10 }),
        fc.constantFrom<Layout>('en-US', 'de-DE'),
        (chars, gaps, layout) => {
          const s = setup({ layout });
          s.type(keysFor(chars.join(''), layout), (i) => gaps[i % gaps.length] ?? 31);
          s.clock.runAll();
          expect(s.field()).toBe(chars.join(''));
          expect(s.events).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: any key timing never throws; every read is the document typed, every key is accounted for', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2000 })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.constantFrom<Layout>('en-US', 'de-DE'),
        (gaps, layout) => {
          const s = setup({ layout });
          const text = TD3.map((l) => `${l}\n`).join('');
          const decisions = s.type(keysFor(text, layout), (i) => gaps[i % gaps.length] ?? 0);
          s.clock.runAll();
          for (const e of s.events) if (e.kind === 'mrz') expect(e.lines).toEqual([...TD3]);
          // A held character is either given back or part of what the reader assembled: never both, never lost.
          const replayed = s.replays.map((r) => r.text).join('').length;
          const held = decisions.filter((d, i) => d === 'hold' && text[i] !== '\n').length;
          expect(replayed).toBeLessThanOrEqual(held);
          expect(s.clock.pendingTimers()).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps the same AIM table as the host', () => {
    const host = aimTable();
    expect(aimByCode).toEqual(host.byCode);
    expect(aimByIdentifier).toEqual(host.byIdentifier);
  });
});

describe('reader wedge DOM binding', () => {
  class FakeField extends EventTarget {
    value = '';
    selectionStart: number | null = 0;
    selectionEnd: number | null = 0;
    inputs = 0;
    setRangeText(text: string, start: number, end: number): void {
      this.value = this.value.slice(0, start) + text + this.value.slice(end);
      this.selectionStart = this.selectionEnd = start + text.length;
    }
  }

  function keydown(key: Omit<WedgeKey, 'timeStamp'>, timeStamp: number): Event {
    const e = new Event('keydown', { bubbles: true, cancelable: true });
    Object.defineProperties(e, {
      code: { value: key.code },
      shiftKey: { value: key.shiftKey },
      altKey: { value: key.altKey },
      ctrlKey: { value: key.ctrlKey },
      metaKey: { value: key.metaKey },
      repeat: { value: false },
      isComposing: { value: false },
      timeStamp: { value: timeStamp },
      getModifierState: { value: (m: string) => m === 'AltGraph' && key.altGraph === true },
    });
    return e;
  }

  it('prevents reader keys from reaching the page, and re-inserts a person’s keys into the field', () => {
    const clock = new VirtualClock(1000);
    const field = new FakeField();
    field.addEventListener('input', () => field.inputs++);
    const events: WedgeEvent[] = [];
    const dispose = attachReaderWedge(field, {
      layout: 'de-DE',
      mode: 'mrz',
      scheduler: clock,
      onEvent: (e) => events.push(e),
    });
    // The page's own handler (in a browser it sits below the window the wedge listens on).
    const seenByPage: string[] = [];
    field.addEventListener('keydown', (e) => seenByPage.push((e as unknown as { code: string }).code));

    // A reader burst: every event default-prevented, none reaches the page's own handlers.
    const burst = keysFor(TD3.map((l) => `${l}\n`).join(''), 'de-DE').map((k) => {
      clock.advanceBy(5);
      const e = keydown(k, clock.now());
      field.dispatchEvent(e);
      return e.defaultPrevented;
    });
    expect(burst.every(Boolean)).toBe(true);
    expect(seenByPage).toEqual([]);
    expect(events).toEqual([{ kind: 'mrz', lines: [...TD3], deviceId: 'keyboard-wedge' }]);
    expect(field.value).toBe('');

    // A person types "Öz" slowly: both characters end up in the field, with input events.
    clock.advanceBy(2000);
    for (const k of keysFor('Öz', 'de-DE')) {
      field.dispatchEvent(keydown(k, clock.now()));
      clock.advanceBy(200);
    }
    expect(field.value).toBe('Öz');
    expect(field.inputs).toBe(2);

    dispose();
    expect(clock.pendingTimers()).toBe(0);
    const after = keydown(keysFor('a', 'de-DE')[0] as Omit<WedgeKey, 'timeStamp'>, clock.now());
    field.dispatchEvent(after);
    expect(after.defaultPrevented).toBe(false);
  });
});
