/**
 * Keyboard layouts for readers that type like a keyboard. Pure data and functions, no imports, so
 * the renderer (decoding `KeyboardEvent.code`) and the host (decoding USB boot keyboard reports,
 * with a codec handed to `device/`) share one table.
 *
 * Two levels: the HID usage id of a key (USB HID Usage Tables, keyboard page 0x07) maps to its
 * physical position as a `KeyboardEvent.code`; a layout maps a code plus Shift/AltGr to the
 * character that key produces. Decoding by position makes the result independent of the layout
 * the operating system happens to be set to.
 */

export type KeyboardLayoutId = 'en-US' | 'de-DE';

/** The characters one key produces: unshifted, with Shift, with AltGr, with Shift+AltGr. */
export interface KeyChars {
  readonly base: string;
  readonly shift: string;
  readonly altgr?: string;
  readonly shiftAltgr?: string;
}

export interface KeyboardLayout {
  readonly id: KeyboardLayoutId;
  readonly name: string;
  /** `KeyboardEvent.code` → characters. Keys missing here produce no character. */
  readonly keys: Readonly<Record<string, KeyChars>>;
}

export interface KeyModifiers {
  readonly shift: boolean;
  readonly altgr: boolean;
}

export interface Keystroke {
  readonly code: string;
  readonly usage: number;
  readonly shift: boolean;
  readonly altgr: boolean;
}

/** What `device/` needs to decode and encode keyboard reports (it may not import this file). */
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

/** Keys that mean the same in every layout (the number pad assumes Num Lock on, as readers do). */
const commonKeys: Record<string, KeyChars> = {
  Space: { base: ' ', shift: ' ' },
  NumpadDivide: { base: '/', shift: '/' },
  NumpadMultiply: { base: '*', shift: '*' },
  NumpadSubtract: { base: '-', shift: '-' },
  NumpadAdd: { base: '+', shift: '+' },
  Numpad0: { base: '0', shift: '0' },
  Numpad1: { base: '1', shift: '1' },
  Numpad2: { base: '2', shift: '2' },
  Numpad3: { base: '3', shift: '3' },
  Numpad4: { base: '4', shift: '4' },
  Numpad5: { base: '5', shift: '5' },
  Numpad6: { base: '6', shift: '6' },
  Numpad7: { base: '7', shift: '7' },
  Numpad8: { base: '8', shift: '8' },
  Numpad9: { base: '9', shift: '9' },
};

function letterKeys(swapYZ: boolean): Record<string, KeyChars> {
  const keys: Record<string, KeyChars> = {};
  for (const l of letters) {
    let produced = l;
    if (swapYZ && l === 'y') produced = 'z';
    else if (swapYZ && l === 'z') produced = 'y';
    keys[`Key${l.toUpperCase()}`] = { base: produced, shift: produced.toUpperCase() };
  }
  return keys;
}

const enUS: KeyboardLayout = {
  id: 'en-US',
  name: 'English (US)',
  keys: {
    ...commonKeys,
    ...letterKeys(false),
    Backquote: { base: '`', shift: '~' },
    Digit1: { base: '1', shift: '!' },
    Digit2: { base: '2', shift: '@' },
    Digit3: { base: '3', shift: '#' },
    Digit4: { base: '4', shift: '$' },
    Digit5: { base: '5', shift: '%' },
    Digit6: { base: '6', shift: '^' },
    Digit7: { base: '7', shift: '&' },
    Digit8: { base: '8', shift: '*' },
    Digit9: { base: '9', shift: '(' },
    Digit0: { base: '0', shift: ')' },
    Minus: { base: '-', shift: '_' },
    Equal: { base: '=', shift: '+' },
    BracketLeft: { base: '[', shift: '{' },
    BracketRight: { base: ']', shift: '}' },
    Backslash: { base: '\\', shift: '|' },
    Semicolon: { base: ';', shift: ':' },
    Quote: { base: "'", shift: '"' },
    Comma: { base: ',', shift: '<' },
    Period: { base: '.', shift: '>' },
    Slash: { base: '/', shift: '?' },
    IntlBackslash: { base: '\\', shift: '|' },
    NumpadDecimal: { base: '.', shift: '.' },
  },
};

const deDE: KeyboardLayout = {
  id: 'de-DE',
  name: 'Deutsch (Deutschland)',
  keys: {
    ...commonKeys,
    ...letterKeys(true),
    KeyQ: { base: 'q', shift: 'Q', altgr: '@' },
    KeyE: { base: 'e', shift: 'E', altgr: '€' },
    KeyM: { base: 'm', shift: 'M', altgr: 'µ' },
    Backquote: { base: '^', shift: '°' },
    Digit1: { base: '1', shift: '!' },
    Digit2: { base: '2', shift: '"', altgr: '²' },
    Digit3: { base: '3', shift: '§', altgr: '³' },
    Digit4: { base: '4', shift: '$' },
    Digit5: { base: '5', shift: '%' },
    Digit6: { base: '6', shift: '&' },
    Digit7: { base: '7', shift: '/', altgr: '{' },
    Digit8: { base: '8', shift: '(', altgr: '[' },
    Digit9: { base: '9', shift: ')', altgr: ']' },
    Digit0: { base: '0', shift: '=', altgr: '}' },
    Minus: { base: 'ß', shift: '?', altgr: '\\' },
    Equal: { base: '´', shift: '`' },
    BracketLeft: { base: 'ü', shift: 'Ü' },
    BracketRight: { base: '+', shift: '*', altgr: '~' },
    Backslash: { base: '#', shift: "'" },
    Semicolon: { base: 'ö', shift: 'Ö' },
    Quote: { base: 'ä', shift: 'Ä' },
    Comma: { base: ',', shift: ';' },
    Period: { base: '.', shift: ':' },
    Slash: { base: '-', shift: '_' },
    IntlBackslash: { base: '<', shift: '>', altgr: '|' },
    NumpadDecimal: { base: ',', shift: ',' },
  },
};

export const keyboardLayouts: Readonly<Record<KeyboardLayoutId, KeyboardLayout>> = {
  'en-US': enUS,
  'de-DE': deDE,
};

export const keyboardLayoutIds: readonly KeyboardLayoutId[] = ['en-US', 'de-DE'];

export function isKeyboardLayoutId(value: string): value is KeyboardLayoutId {
  return value === 'en-US' || value === 'de-DE';
}

export function hidUsageToCode(usage: number): string | undefined {
  return usageCodes.get(usage);
}

export function codeToHidUsage(code: string): number | undefined {
  return codeUsages.get(code);
}

/** Enter on the main block or the number pad: the end of a reader's line. */
export function isEnterCode(code: string): boolean {
  return code === 'Enter' || code === 'NumpadEnter';
}

/** The character a key produces in a layout, or undefined for keys that type nothing. */
export function charForCode(
  layout: KeyboardLayout,
  code: string,
  modifiers: KeyModifiers,
): string | undefined {
  const chars = layout.keys[code];
  if (!chars) return undefined;
  if (modifiers.altgr) return modifiers.shift ? chars.shiftAltgr : chars.altgr;
  return modifiers.shift ? chars.shift : chars.base;
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

/** A layout as the codec `device/` takes for decoding and encoding boot keyboard reports. */
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
