/**
 * Keyboard-mode reader driver: USB boot keyboard input reports (modifier byte, reserved byte, six
 * key usage ids; optionally preceded by a report id), each key press followed by a release report.
 * A key counts when it appears in a report and was not down in the one before, so rollover (the
 * next key pressed before the last one is released) and repeated reports decode correctly.
 * Characters come from the configured layout's codec by key position, never from the OS layout.
 */
import type { Clock } from '../clock.ts';
import type { Driver, EventSink, Result } from '../events.ts';
import { fail, ok } from '../events.ts';
import { LineAssembler, type ReaderMode } from './lines.ts';

export interface KeyModifiers {
  readonly shift: boolean;
  readonly altgr: boolean;
}

/**
 * A keyboard layout as this driver needs it (`keyboardCodec()` of api/keyboard-layouts.ts has
 * this shape; the composition root hands it in, as device/ does not import api/).
 */
export interface KeyboardCodec {
  readonly id: string;
  charForUsage(usage: number, modifiers: KeyModifiers): string | undefined;
  keystrokeForChar(
    char: string,
  ): { readonly usage: number; readonly shift: boolean; readonly altgr: boolean } | undefined;
}

export const KEY_ENTER = 0x28;
export const KEY_KEYPAD_ENTER = 0x58;
const KEY_ERROR_ROLLOVER = 0x01;
const MOD_LEFT_CTRL = 0x01;
const MOD_LEFT_SHIFT = 0x02;
const MOD_LEFT_ALT = 0x04;
const MOD_LEFT_GUI = 0x08;
const MOD_RIGHT_CTRL = 0x10;
const MOD_RIGHT_SHIFT = 0x20;
const MOD_RIGHT_ALT = 0x40;
const MOD_RIGHT_GUI = 0x80;

export interface KeyboardDriverOptions {
  readonly deviceId: string;
  readonly clock: Clock;
  readonly onEvent: EventSink;
  readonly codec: KeyboardCodec;
  readonly mode: ReaderMode;
  /** The report id in front of every report, when the device uses one. */
  readonly reportId?: number;
  /** MRZ document window and partial-line timeout (default 1500 ms). */
  readonly windowMs?: number;
  readonly isCompleteDocument?: (lines: readonly string[]) => boolean;
}

/** What one modifier byte means for typing: Shift, AltGr (right Alt, or Ctrl+Alt), or a shortcut. */
export function decodeModifiers(mod: number): { shift: boolean; altgr: boolean; shortcut: boolean } {
  const shift = (mod & (MOD_LEFT_SHIFT | MOD_RIGHT_SHIFT)) !== 0;
  const ctrl = (mod & (MOD_LEFT_CTRL | MOD_RIGHT_CTRL)) !== 0;
  const altgr = (mod & MOD_RIGHT_ALT) !== 0 || (ctrl && (mod & MOD_LEFT_ALT) !== 0);
  const gui = (mod & (MOD_LEFT_GUI | MOD_RIGHT_GUI)) !== 0;
  const shortcut = gui || (!altgr && (ctrl || (mod & MOD_LEFT_ALT) !== 0));
  return { shift, altgr, shortcut };
}

export function createKeyboardDriver(options: KeyboardDriverOptions): Driver {
  const { deviceId, codec, onEvent } = options;
  const offset = options.reportId === undefined ? 0 : 1;
  const length = 8 + offset;
  const lines = new LineAssembler({
    deviceId,
    mode: options.mode,
    clock: options.clock,
    onEvent,
    ...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }),
    ...(options.isCompleteDocument === undefined ? {} : { isCompleteDocument: options.isCompleteDocument }),
  });
  let down = new Set<number>();
  let disposed = false;

  return {
    push(report) {
      if (disposed) return;
      if (report.length !== length) {
        onEvent({
          kind: 'error',
          code: 'device.bad_report',
          message: `a keyboard report has ${length} bytes, this one ${report.length}`,
          deviceId,
        });
        return;
      }
      if (offset === 1 && report[0] !== options.reportId) {
        onEvent({
          kind: 'error',
          code: 'device.bad_report',
          message: `unexpected report id ${report[0]}`,
          deviceId,
        });
        return;
      }
      const keys = report.subarray(offset + 2, offset + 8);
      // Phantom state: too many keys down; the report says nothing about which.
      if (keys.every((k) => k === KEY_ERROR_ROLLOVER)) return;
      const mods = decodeModifiers(report[offset] ?? 0);
      const now = new Set<number>();
      for (const key of keys) {
        if (key === 0 || key === KEY_ERROR_ROLLOVER || now.has(key)) continue;
        now.add(key);
        if (down.has(key)) continue;
        if (key === KEY_ENTER || key === KEY_KEYPAD_ENTER) {
          lines.enter();
          continue;
        }
        if (mods.shortcut) continue;
        const char = codec.charForUsage(key, mods);
        if (char !== undefined) lines.char(char);
      }
      down = now;
    },
    flush() {
      if (disposed) return;
      down = new Set();
      lines.flush();
    },
    dispose() {
      disposed = true;
      lines.dispose();
    },
  };
}

export interface EncodeKeyboardOptions {
  readonly reportId?: number;
  /** Press the next key before releasing the last one (rollover), as fast readers do. */
  readonly rollover?: boolean;
}

/**
 * The boot keyboard reports a reader sends to type `text` in a layout (`\n` is Enter): a press
 * report and a release report per character, or with `rollover` each press carrying the previous
 * key still down. Fails on a character the layout cannot type.
 */
export function encodeKeyboardText(
  text: string,
  codec: KeyboardCodec,
  options: EncodeKeyboardOptions = {},
): Result<Uint8Array[]> {
  const strokes: Array<{ usage: number; mod: number }> = [];
  for (const char of text) {
    if (char === '\n') {
      strokes.push({ usage: KEY_ENTER, mod: 0 });
      continue;
    }
    const k = codec.keystrokeForChar(char);
    if (!k)
      return fail('device.bad_line', `layout ${codec.id} cannot type U+${char.codePointAt(0)?.toString(16)}`);
    strokes.push({ usage: k.usage, mod: (k.shift ? MOD_LEFT_SHIFT : 0) | (k.altgr ? MOD_RIGHT_ALT : 0) });
  }
  const report = (mod: number, a: number, b = 0): Uint8Array => {
    const r = new Uint8Array(8);
    r[0] = mod;
    r[2] = a;
    r[3] = b;
    if (options.reportId === undefined) return r;
    const withId = new Uint8Array(9);
    withId[0] = options.reportId;
    withId.set(r, 1);
    return withId;
  };
  const reports: Uint8Array[] = [];
  let previous: { usage: number; mod: number } | undefined;
  for (const s of strokes) {
    // A rollover is only possible between different keys with the same modifiers.
    if (options.rollover && previous && previous.usage !== s.usage && previous.mod === s.mod) {
      reports.push(report(s.mod, previous.usage, s.usage));
      reports.push(report(s.mod, s.usage));
    } else {
      if (previous) reports.push(report(0, 0));
      reports.push(report(s.mod, s.usage));
    }
    previous = s;
  }
  if (previous) reports.push(report(0, 0));
  return ok(reports);
}
