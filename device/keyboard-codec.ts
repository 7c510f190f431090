/**
 * USB boot keyboard reports and keyboard layouts (common/keyboard-layouts.ts): the HID usage id of
 * a key (USB HID Usage Tables, keyboard page 0x07) maps to its physical position as a
 * `KeyboardEvent.code`, and the layout maps that to a character. The codec is what the keyboard
 * driver decodes reports and the simulator encodes text with.
 */
import {
  charForCode,
  type KeyboardLayout,
  type KeyboardLayoutId,
  type KeyModifiers,
  keyboardLayouts,
} from '../common/keyboard-layouts.ts';

export interface Keystroke {
  readonly code: string;
  readonly usage: number;
  readonly shift: boolean;
  readonly altgr: boolean;
}

/** A layout as the keyboard driver decodes and the simulator encodes boot keyboard reports. */
export interface KeyboardCodec {
  readonly id: KeyboardLayoutId;
  charForUsage(usage: number, modifiers: KeyModifiers): string | undefined;
  keystrokeForChar(char: string): Keystroke | undefined;
}

const letters = 'abcdefghijklmnopqrstuvwxyz';
const digits = '1234567890';

/** HID usage id (keyboard page) → `KeyboardEvent.code`. */
const usageCodes: ReadonlyMap<number, string> = (() => {
  const map = new Map<number, string>();
  for (let i = 0; i < letters.length; i++) map.set(0x04 + i, `Key${letters[i]?.toUpperCase()}`);
  for (let i = 0; i < digits.length; i++) map.set(0x1e + i, `Digit${digits[i]}`);
  const named: Array<[number, string]> = [
    [0x28, 'Enter'],
    [0x29, 'Escape'],
    [0x2a, 'Backspace'],
    [0x2b, 'Tab'],
    [0x2c, 'Space'],
    [0x2d, 'Minus'],
    [0x2e, 'Equal'],
    [0x2f, 'BracketLeft'],
    [0x30, 'BracketRight'],
    [0x31, 'Backslash'],
    // The ISO key left of Enter (Non-US # and ~): browsers report it as "Backslash" too.
    [0x32, 'Backslash'],
    [0x33, 'Semicolon'],
    [0x34, 'Quote'],
    [0x35, 'Backquote'],
    [0x36, 'Comma'],
    [0x37, 'Period'],
    [0x38, 'Slash'],
    [0x39, 'CapsLock'],
    [0x46, 'PrintScreen'],
    [0x47, 'ScrollLock'],
    [0x48, 'Pause'],
    [0x49, 'Insert'],
    [0x4a, 'Home'],
    [0x4b, 'PageUp'],
    [0x4c, 'Delete'],
    [0x4d, 'End'],
    [0x4e, 'PageDown'],
    [0x4f, 'ArrowRight'],
    [0x50, 'ArrowLeft'],
    [0x51, 'ArrowDown'],
    [0x52, 'ArrowUp'],
    [0x53, 'NumLock'],
    [0x54, 'NumpadDivide'],
    [0x55, 'NumpadMultiply'],
    [0x56, 'NumpadSubtract'],
    [0x57, 'NumpadAdd'],
    [0x58, 'NumpadEnter'],
    [0x62, 'Numpad0'],
    [0x63, 'NumpadDecimal'],
    // The ISO key between left Shift and Z: `<` `>` on German keyboards.
    [0x64, 'IntlBackslash'],
    [0x65, 'ContextMenu'],
    [0x67, 'NumpadEqual'],
    [0x87, 'IntlRo'],
    [0x89, 'IntlYen'],
  ];
  for (const [usage, code] of named) map.set(usage, code);
  for (let i = 1; i <= 12; i++) map.set(0x39 + i, `F${i}`);
  for (let i = 1; i <= 9; i++) map.set(0x58 + i, `Numpad${i}`);
  return map;
})();

/** `KeyboardEvent.code` → HID usage id (the first usage that maps to it). */
const codeUsages: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (const [usage, code] of usageCodes) if (!map.has(code)) map.set(code, usage);
  return map;
})();

export function hidUsageToCode(usage: number): string | undefined {
  return usageCodes.get(usage);
}

export function codeToHidUsage(code: string): number | undefined {
  return codeUsages.get(code);
}

/** Reverse lookup: which key (and modifiers) types `char` in a layout; main block preferred. */
export function keystrokeForChar(layout: KeyboardLayout, char: string): Keystroke | undefined {
  return reverseTables.get(layout.id)?.get(char);
}

const reverseTables: ReadonlyMap<KeyboardLayoutId, ReadonlyMap<string, Keystroke>> = (() => {
  const tables = new Map<KeyboardLayoutId, Map<string, Keystroke>>();
  for (const layout of Object.values(keyboardLayouts)) {
    const table = new Map<string, Keystroke>();
    const add = (char: string | undefined, code: string, shift: boolean, altgr: boolean): void => {
      const usage = codeUsages.get(code);
      if (char === undefined || usage === undefined) return;
      const existing = table.get(char);
      // Prefer the main block over the number pad, and fewer modifiers over more.
      const cost = (code.startsWith('Numpad') ? 4 : 0) + (shift ? 1 : 0) + (altgr ? 2 : 0);
      if (existing) {
        const old =
          (existing.code.startsWith('Numpad') ? 4 : 0) + (existing.shift ? 1 : 0) + (existing.altgr ? 2 : 0);
        if (old <= cost) return;
      }
      table.set(char, { code, usage, shift, altgr });
    };
    for (const [code, chars] of Object.entries(layout.keys)) {
      add(chars.base, code, false, false);
      add(chars.shift, code, true, false);
      add(chars.altgr, code, false, true);
      add(chars.shiftAltgr, code, true, true);
    }
    tables.set(layout.id, table);
  }
  return tables;
})();

/** The codec of a layout, for the keyboard driver (decoding) and the simulator (encoding). */
export function keyboardCodec(id: KeyboardLayoutId): KeyboardCodec {
  const layout = keyboardLayouts[id];
  return {
    id,
    charForUsage(usage, modifiers) {
      const code = usageCodes.get(usage);
      return code === undefined ? undefined : charForCode(layout, code, modifiers);
    },
    keystrokeForChar(char) {
      return keystrokeForChar(layout, char);
    },
  };
}
