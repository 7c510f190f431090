/**
 * Editing with the on-screen keyboard, as pure functions: a key applied to a value with a cursor,
 * and the date pad's state. The component only keeps the state and renders it.
 *
 * Lengths (`maxLength`) count UTF-16 code units, like `String.length`, HTML `maxlength` and the
 * field schemas (zod `max`); cursors are code-unit offsets that always sit on a grapheme boundary.
 */
import { type KeyAction, type Keyboard, type KeyboardKind, keyOutput, pageOf } from './layouts.ts';

// ---------------------------------------------------------------------------------------------
// Graphemes

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The user-perceived characters of a text (a letter with its marks, an emoji sequence, a flag). */
export function graphemesOf(
  value: string,
): { readonly text: string; readonly start: number; readonly end: number }[] {
  return [...segmenter.segment(value)].map((s) => ({
    text: s.segment,
    start: s.index,
    end: s.index + s.segment.length,
  }));
}

/** The cursor moved into `[0, value.length]` and back onto the grapheme boundary at or before it. */
export function clampCursor(value: string, cursor: number): number {
  if (!Number.isFinite(cursor) || cursor >= value.length) return value.length;
  if (cursor <= 0) return 0;
  const at = Math.floor(cursor);
  const segment = segmenter.segment(value).containing(at);
  return segment ? segment.index : at;
}

/** Deletes the one user-perceived character before the cursor (with its combining marks). */
export function deleteBackward(value: string, cursor: number): { value: string; cursor: number } {
  const at = clampCursor(value, cursor);
  if (at === 0) return { value, cursor: 0 };
  const segment = segmenter.segment(value).containing(at - 1);
  const start = segment ? segment.index : at - 1;
  return { value: value.slice(0, start) + value.slice(at), cursor: start };
}

/** Inserts at the cursor unless the result would be longer than `maxLength`. */
export function insertAt(
  value: string,
  cursor: number,
  text: string,
  maxLength?: number,
): { value: string; cursor: number } | null {
  const at = clampCursor(value, cursor);
  if (maxLength !== undefined && value.length + text.length > maxLength) return null;
  return { value: value.slice(0, at) + text + value.slice(at), cursor: at + text.length };
}

// ---------------------------------------------------------------------------------------------
// Keys

export interface EditorState {
  readonly value: string;
  readonly cursor: number;
  /** One-shot: the next letter is a capital, then Shift is off again. */
  readonly shift: boolean;
  readonly caps: boolean;
  readonly page: string;
}

export interface EditorOptions {
  readonly keyboard: Keyboard;
  readonly maxLength?: number;
}

export function initialEditorState(keyboard: Keyboard, value = '', cursor?: number): EditorState {
  const at = clampCursor(value, cursor ?? value.length);
  return {
    value,
    cursor: at,
    shift: capitalHere(keyboard, value, at),
    caps: false,
    page: keyboard.initialPage,
  };
}

/**
 * Whether a name keyboard offers a capital at the cursor: at the start of the field and after a
 * space or hyphen ("Anna-Lena Meyer"). Shift stays a one-shot the visitor may turn off.
 */
export function capitalHere(keyboard: Keyboard, value: string, cursor: number): boolean {
  if (!keyboard.autoCapitalize) return false;
  const before = value.slice(0, cursor);
  return before === '' || / $|-$/.test(before);
}

/** After an edit: Shift as the name rule asks, unless Caps Lock is on. */
function afterEdit(state: EditorState, keyboard: Keyboard): EditorState {
  if (state.caps) return { ...state, shift: false };
  return { ...state, shift: capitalHere(keyboard, state.value, state.cursor) };
}

/** Whether letters come out as capitals now. */
export const isShifted = (state: Pick<EditorState, 'shift' | 'caps'>): boolean => state.shift || state.caps;

/**
 * The state after a key. Keys that cannot apply (over the maximum length, a second decimal comma,
 * a double space) leave the state as it is. `done` changes nothing: the component closes.
 */
export function applyKey(state: EditorState, action: KeyAction, options: EditorOptions): EditorState {
  const { keyboard } = options;
  const value = state.value;
  const cursor = clampCursor(value, state.cursor);
  switch (action.type) {
    case 'shift':
      // Shift while Caps Lock is on turns both off, as on a phone.
      return state.caps ? { ...state, shift: false, caps: false } : { ...state, shift: !state.shift };
    case 'caps':
      return { ...state, caps: !state.caps, shift: false };
    case 'page':
      return keyboard.pages.some((p) => p.id === action.page)
        ? { ...state, page: action.page, shift: false }
        : state;
    case 'backspace': {
      const next = deleteBackward(value, cursor);
      if (next.value === value) return { ...state, ...next };
      return afterEdit({ ...state, ...next }, keyboard);
    }
    case 'space': {
      const text = acceptText(keyboard.kind, value, cursor, ' ');
      const next = text === null ? null : insertAt(value, cursor, text, options.maxLength);
      return next ? afterEdit({ ...state, ...next }, keyboard) : state;
    }
    case 'insert': {
      const page = pageOf(keyboard, state.page);
      const typed = keyOutput(action, page, isShifted(state));
      const text = acceptText(keyboard.kind, value, cursor, typed);
      if (text === null) return state;
      // Money: a digit after a lone leading 0 replaces it ("05" → "5").
      if (keyboard.kind === 'money' && value === '0' && cursor === 1 && /^\d$/.test(text)) {
        return { ...state, value: text, cursor: 1, shift: false };
      }
      const next = insertAt(value, cursor, text, options.maxLength);
      return next ? afterEdit({ ...state, ...next, shift: false }, keyboard) : state;
    }
    case 'done':
    case 'next':
      return state;
  }
}

/** The text a key may insert at the cursor for this kind of field, or null when it may not. */
function acceptText(kind: KeyboardKind, value: string, cursor: number, text: string): string | null {
  const before = value.slice(0, cursor);
  const after = value.slice(cursor);
  if (text === ' ') {
    // No leading space and no two spaces in a row (a shaky double tap).
    if (before === '' || before.endsWith(' ') || after.startsWith(' ')) return null;
    return kind === 'email' || kind === 'tracking' || kind === 'numeric' || kind === 'money' ? null : text;
  }
  switch (kind) {
    case 'numeric':
      return /^\d$/.test(text) ? text : null;
    case 'phone':
      if (text === '+') return cursor === 0 && !value.startsWith('+') ? text : null;
      return /^\d$/.test(text) ? text : null;
    case 'money': {
      const comma = value.indexOf(',');
      if (text === ',') {
        if (comma >= 0) return null;
        if (after.length > 2) return null;
        return before === '' ? '0,' : text;
      }
      if (!/^\d$/.test(text)) return null;
      // At most two digits after the comma.
      if (comma >= 0 && cursor > comma && value.length - comma - 1 >= 2) return null;
      return text;
    }
    default:
      return text;
  }
}

// ---------------------------------------------------------------------------------------------
// Money

/** `12,50` → 1250 (cents); null for an incomplete or invalid amount. */
export function moneyToCents(value: string): number | null {
  const match = /^(\d{1,12})(?:,(\d{1,2}))?$/.exec(value);
  if (!match) return null;
  const euros = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return euros * 100 + cents;
}

// ---------------------------------------------------------------------------------------------
// Date pad

export type DatePart = 'day' | 'month' | 'year';
export const dateParts: readonly DatePart[] = ['day', 'month', 'year'];

export interface DateDraft {
  readonly day: string;
  readonly month: string;
  readonly year: string;
  /** The part the digits go to (highlighted). */
  readonly part: DatePart;
  /** The next digit replaces the part's content (after it was selected or reached with content). */
  readonly fresh: boolean;
  /** The part was just reached because the one before it was complete: a dot now is swallowed
   * ("01.01.2000" typed in full does not skip the month). */
  readonly autoAdvanced: boolean;
}

/** Inclusive bounds, ISO `YYYY-MM-DD` (birth dates: max today; expiry dates: min today). */
export interface DateLimits {
  readonly min: string;
  readonly max: string;
}

export const defaultDateLimits: DateLimits = { min: '1900-01-01', max: '2100-12-31' };

export const emptyDateDraft: DateDraft = {
  day: '',
  month: '',
  year: '',
  part: 'day',
  fresh: false,
  autoAdvanced: false,
};

const partLength: Record<DatePart, number> = { day: 2, month: 2, year: 4 };

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const pad2 = (n: number) => String(n).padStart(2, '0');
const isoOf = (year: number, month: number, day: number) =>
  `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;

/** A real calendar date written as `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `1990-04-03` → `03.04.1990`, as dates are written in Germany; anything else unchanged. */
export function formatIsoDate(value: string): string {
  if (!isIsoDate(value)) return value;
  return `${value.slice(8, 10)}.${value.slice(5, 7)}.${value.slice(0, 4)}`;
}

/** Limits from optional ISO bounds; a missing or malformed bound is the default one. */
export function dateLimits(min?: string, max?: string): DateLimits {
  return {
    min: min !== undefined && isIsoDate(min) ? min : defaultDateLimits.min,
    max: max !== undefined && isIsoDate(max) ? max : defaultDateLimits.max,
  };
}

export function dateDraftFromIso(value: string): DateDraft {
  if (!isIsoDate(value)) return emptyDateDraft;
  return {
    day: value.slice(8, 10),
    month: value.slice(5, 7),
    year: value.slice(0, 4),
    part: 'day',
    fresh: true,
    autoAdvanced: false,
  };
}

/** The ISO date of a complete, real draft within the limits; null otherwise. */
export function dateDraftToIso(draft: DateDraft, limits: DateLimits = defaultDateLimits): string | null {
  if (draft.day.length !== 2 || draft.month.length !== 2 || draft.year.length !== 4) return null;
  const iso = `${draft.year}-${draft.month}-${draft.day}`;
  return isIsoDate(iso) && iso >= limits.min && iso <= limits.max ? iso : null;
}

/** Values a part may still take: exactly its content when complete, else the ones it begins. */
function candidates(part: DatePart, content: string, limits: DateLimits): number[] {
  const [low, high] =
    part === 'day'
      ? [1, 31]
      : part === 'month'
        ? [1, 12]
        : [Number(limits.min.slice(0, 4)), Number(limits.max.slice(0, 4))];
  const out: number[] = [];
  for (let n = low; n <= high; n++) {
    const written = String(n).padStart(partLength[part], '0');
    // A one-digit day or month may also stay one digit (the dot key writes "3" as "03").
    if (written.startsWith(content) || (part !== 'year' && content.length === 1 && n === Number(content))) {
      out.push(n);
    }
  }
  return out;
}

/** Can the draft still become a date within the limits? Parts in `ignore` count as empty. */
function feasible(draft: DateDraft, limits: DateLimits, ignore: readonly DatePart[] = []): boolean {
  const content = (part: DatePart) => (ignore.includes(part) ? '' : draft[part]);
  const days = candidates('day', content('day'), limits);
  const months = candidates('month', content('month'), limits);
  const years = candidates('year', content('year'), limits);
  for (const year of years) {
    for (const month of months) {
      const last = daysInMonth(year, month);
      for (const day of days) {
        if (day > last) break;
        const iso = isoOf(year, month, day);
        if (iso >= limits.min && iso <= limits.max) return true;
      }
    }
  }
  return false;
}

const later = (part: DatePart): DatePart[] => dateParts.slice(dateParts.indexOf(part) + 1);
const nextPart = (part: DatePart): DatePart | null => later(part)[0] ?? null;
const previousPart = (part: DatePart): DatePart | null => dateParts[dateParts.indexOf(part) - 1] ?? null;

/**
 * A draft whose `part` changed: checked against the parts before it (typing order day, month,
 * year), then later parts that no longer fit are cleared (a corrected 31 clears month 04).
 */
function settle(draft: DateDraft, changed: DatePart, limits: DateLimits): DateDraft | null {
  if (!feasible(draft, limits, later(changed))) return null;
  let out = draft;
  for (const part of later(changed)) {
    if (!feasible(out, limits, later(part))) out = { ...out, [part]: '' };
  }
  return out;
}

/** Enters the next part (content there is overwritten by the next digit). */
function advance(draft: DateDraft, autoAdvanced: boolean): DateDraft {
  const next = nextPart(draft.part);
  if (!next) return { ...draft, fresh: false, autoAdvanced: false };
  return { ...draft, part: next, fresh: draft[next] !== '', autoAdvanced };
}

/** The current part with a single digit written as two ("3" → "03"); null for a lone "0". */
function padPart(draft: DateDraft, limits: DateLimits): DateDraft | null {
  const part = draft.part;
  if (part === 'year' || draft[part].length !== 1) return draft;
  if (draft[part] === '0') return null;
  return settle({ ...draft, [part]: `0${draft[part]}` }, part, limits);
}

export type DateKey =
  | { readonly type: 'digit'; readonly digit: string }
  | { readonly type: 'backspace' }
  | { readonly type: 'next' }
  | { readonly type: 'select'; readonly part: DatePart };

/** The draft after a key; a digit that cannot lead to a real date within the limits is refused. */
export function applyDateKey(
  draft: DateDraft,
  key: DateKey,
  limits: DateLimits = defaultDateLimits,
): DateDraft {
  if (draft.autoAdvanced) {
    // The dot a DD.MM.YYYY typist adds after a complete part: nothing more to do.
    if (key.type === 'next') return { ...draft, autoAdvanced: false };
    return applyDateKey({ ...draft, autoAdvanced: false }, key, limits);
  }
  switch (key.type) {
    case 'digit':
      return applyDateDigit(draft, key.digit, limits);
    case 'backspace': {
      const part = draft.part;
      if (draft[part] !== '') return { ...draft, [part]: draft[part].slice(0, -1), fresh: false };
      const previous = previousPart(part);
      if (!previous) return { ...draft, fresh: false };
      return { ...draft, part: previous, [previous]: draft[previous].slice(0, -1), fresh: false };
    }
    case 'next': {
      // Nothing to finish in the year, or in an empty part (tap a part to skip to it).
      if (draft.part === 'year' || draft[draft.part] === '') return draft;
      const padded = padPart(draft, limits);
      return padded ? advance(padded, false) : draft;
    }
    case 'select': {
      if (key.part === draft.part) return draft;
      // Leaving a one-digit part writes it as two digits; a lone 0 is dropped.
      const padded = padPart(draft, limits) ?? { ...draft, [draft.part]: '' };
      return { ...padded, part: key.part, fresh: padded[key.part] !== '' };
    }
  }
}

function applyDateDigit(draft: DateDraft, digit: string, limits: DateLimits): DateDraft {
  if (!/^\d$/.test(digit)) return draft;
  const part = draft.part;
  const content = draft.fresh ? '' : draft[part];
  if (content.length >= partLength[part]) return draft;
  let written = content + digit;
  // A first digit that cannot begin a two-digit day (4–9) or month (2–9) is the whole part.
  const firstAlone = (part === 'day' && digit > '3') || (part === 'month' && digit > '1');
  if (content === '' && firstAlone) written = `0${digit}`;
  const complete = written.length === partLength[part];
  if (complete && part !== 'year' && Number(written) === 0) return draft;
  const settled = settle({ ...draft, [part]: written, fresh: false }, part, limits);
  if (!settled) return draft;
  return complete ? advance(settled, true) : settled;
}

/** The digits the date pad accepts now (the others are shown disabled). */
export function allowedDateDigits(draft: DateDraft, limits: DateLimits = defaultDateLimits): Set<string> {
  const allowed = new Set<string>();
  const base = draft.autoAdvanced ? { ...draft, autoAdvanced: false } : draft;
  for (const digit of '0123456789') {
    if (applyDateKey(base, { type: 'digit', digit }, limits) !== base) allowed.add(digit);
  }
  return allowed;
}

/** Whether the dot key does anything now (a one- or two-digit day or month, not the year). */
export function canAdvanceDate(draft: DateDraft, limits: DateLimits = defaultDateLimits): boolean {
  return applyDateKey(draft, { type: 'next' }, limits) !== draft;
}
