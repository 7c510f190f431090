/**
 * Keyboard layouts for readers that type like a keyboard, by key position: a layout maps a
 * `KeyboardEvent.code` plus Shift/AltGr to the character that key produces, so what a reader typed
 * does not depend on the layout the operating system happens to be set to. One table for the
 * renderer (decoding `KeyboardEvent.code`) and the host (device/keyboard-codec.ts decodes USB boot
 * keyboard reports through it).
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

const letters = 'abcdefghijklmnopqrstuvwxyz';

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
