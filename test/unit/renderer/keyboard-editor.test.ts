import { describe, expect, it } from 'vitest';
import {
  applyKey,
  clampCursor,
  deleteBackward,
  type EditorState,
  graphemesOf,
  initialEditorState,
  insertAt,
  moneyToCents,
} from '../../../renderer/keyboard/editor.ts';
import { type KeyAction, type Keyboard, keyboardFor, pageOf } from '../../../renderer/keyboard/layouts.ts';

const insert = (text: string): KeyAction => ({ type: 'insert', text });

/** Types a sequence of key actions from a fresh state (or the given one). */
function type(keyboard: Keyboard, actions: KeyAction[], from?: EditorState, maxLength?: number): EditorState {
  let state = from ?? initialEditorState(keyboard);
  for (const action of actions) {
    state = applyKey(state, action, { keyboard, ...(maxLength === undefined ? {} : { maxLength }) });
  }
  return state;
}
const letters = (text: string): KeyAction[] => [...text].map(insert);

/** The action of a key as the layout defines it (with its shift character). */
function layoutKey(keyboard: Keyboard, pageId: string, text: string): KeyAction {
  const key = pageOf(keyboard, pageId)
    .rows.flat()
    .find((k) => k.action.type === 'insert' && k.action.text === text);
  if (!key) throw new Error(`no key ${text}`);
  return key.action;
}

describe('inserting', () => {
  const de = keyboardFor('de', 'text');

  it('types at the cursor and moves it', () => {
    const start = initialEditorState(de, 'Mllr', 1);
    const state = type(de, [insert('ü')], start);
    expect(state.value).toBe('Müllr');
    expect(state.cursor).toBe(2);
    expect(type(de, [insert('e')], { ...state, cursor: 4 }).value).toBe('Müller');
  });

  it('Shift is one-shot, Caps Lock stays, Shift during Caps Lock ends both', () => {
    let state = type(de, [{ type: 'shift' }, ...letters('mai')]);
    expect(state.value).toBe('Mai');
    expect(state.shift).toBe(false);
    state = type(de, [{ type: 'caps' }, ...letters('er')], state);
    expect(state.value).toBe('MaiER');
    expect(state.caps).toBe(true);
    state = type(de, [{ type: 'shift' }, insert('x')], state);
    expect(state).toMatchObject({ value: 'MaiERx', caps: false, shift: false });
    state = type(de, [{ type: 'shift' }, { type: 'shift' }, insert('y')], state);
    expect(state.value).toBe('MaiERxy');
  });

  it('keeps Shift when nothing was typed and drops it on a page switch', () => {
    const uk = keyboardFor('uk', 'text');
    let state = type(uk, [{ type: 'shift' }], initialEditorState(uk, 'x'.repeat(3)), 3);
    state = type(uk, [insert('а')], state, 3);
    expect(state).toMatchObject({ value: 'xxx', shift: true });
    state = type(uk, [{ type: 'page', page: 'latin' }], state);
    expect(state).toMatchObject({ page: 'latin', shift: false });
    expect(type(uk, [{ type: 'page', page: 'nope' }], state)).toBe(state);
  });

  it('starts a name with a capital, and each part after a space or hyphen (D9)', () => {
    for (const language of ['de', 'en', 'tr', 'uk', 'ru', 'ar']) {
      const name = keyboardFor(language, 'name');
      expect(initialEditorState(name).shift, language).toBe(true);
      expect(type(name, letters('anna-lena maria')).value, language).toBe('Anna-Lena Maria');
    }
    const name = keyboardFor('en', 'name');
    // One tap on Shift turns the offered capital off: "van der Berg".
    expect(type(name, [{ type: 'shift' }, ...letters('van')]).value).toBe('van');
    // Backspace to the start offers the capital again; Caps Lock overrides it.
    expect(type(name, [...letters('ab'), { type: 'backspace' }, { type: 'backspace' }]).shift).toBe(true);
    expect(type(name, [{ type: 'caps' }, ...letters('ab c')])).toMatchObject({ value: 'AB C', shift: false });
    // Other text (an address, an employer) keeps lower case until Shift is tapped.
    const text = keyboardFor('en', 'text');
    expect(initialEditorState(text).shift).toBe(false);
    expect(type(text, letters('a b')).value).toBe('a b');
  });

  it('uses Turkish capitals with Shift and Caps Lock', () => {
    const tr = keyboardFor('tr', 'name');
    expect(type(tr, letters('iğdır')).value).toBe('İğdır');
    expect(type(tr, [{ type: 'caps' }, ...letters('ışık')]).value).toBe('IŞIK');
    expect(type(tr, [{ type: 'caps' }, ...letters('istanbul')]).value).toBe('İSTANBUL');
  });

  it('types Cyrillic capitals and the Ukrainian apostrophe', () => {
    const uk = keyboardFor('uk', 'text');
    expect(type(uk, [{ type: 'shift' }, ...letters('мар\u02BCяна')]).value).toBe('Мар\u02BCяна');
  });

  it('honours the maximum length, also for keys that type two characters', () => {
    const de5 = keyboardFor('de', 'postcode');
    expect(type(de5, letters('1234567'), undefined, 5).value).toBe('12345');
    const ar = keyboardFor('ar', 'text');
    const start = initialEditorState(ar, 'سلم');
    expect(type(ar, [insert('لا')], start, 4).value).toBe('سلم');
    expect(type(ar, [insert('لا')], start, 5).value).toBe('سلملا');
    expect(insertAt('abc', 3, 'd', 3)).toBeNull();
  });

  it('refuses a leading space and two spaces in a row', () => {
    const state = type(de, [
      { type: 'space' },
      ...letters('Anna'),
      { type: 'space' },
      { type: 'space' },
      insert('M'),
    ]);
    expect(state.value).toBe('Anna M');
    const middle = initialEditorState(de, 'Anna Maria', 5);
    expect(type(de, [{ type: 'space' }], middle).value).toBe('Anna Maria');
    expect(type(de, [{ type: 'space' }], { ...middle, cursor: 4 }).value).toBe('Anna Maria');
  });

  it('leaves the state alone for Done', () => {
    const state = initialEditorState(de, 'x');
    expect(applyKey(state, { type: 'done' }, { keyboard: de })).toBe(state);
  });
});

describe('grapheme-safe backspace', () => {
  const ar = keyboardFor('ar', 'text');
  const backspace = (value: string, cursor = value.length) => deleteBackward(value, cursor);

  it('deletes an Arabic letter with its harakat in one go', () => {
    const muhammad = 'م\u064Fح\u064Eم\u064E\u0651د'; // مُحَمَّد
    expect(graphemesOf(muhammad).map((g) => g.text)).toEqual(['م\u064F', 'ح\u064E', 'م\u064E\u0651', 'د']);
    let state = initialEditorState(ar, muhammad);
    state = type(ar, [{ type: 'backspace' }], state);
    expect(state.value).toBe('م\u064Fح\u064Eم\u064E\u0651');
    state = type(ar, [{ type: 'backspace' }], state);
    expect(state.value).toBe('م\u064Fح\u064E');
    expect(state.cursor).toBe(4);
    state = type(ar, [{ type: 'backspace' }, { type: 'backspace' }, { type: 'backspace' }], state);
    expect(state).toMatchObject({ value: '', cursor: 0 });
  });

  it('deletes a typed letter and the mark typed after it together', () => {
    const typed = type(ar, [insert('ب'), { type: 'shift' }, layoutKey(ar, 'native', 'ض')]);
    expect(typed.value).toBe('ب\u064E');
    expect(type(ar, [{ type: 'backspace' }], typed).value).toBe('');
  });

  it('deletes whole emoji: skin tones, ZWJ families, flags, surrogate pairs', () => {
    expect(backspace('ok 👍🏽').value).toBe('ok ');
    expect(backspace('a👨‍👩‍👧').value).toBe('a');
    expect(backspace('🇩🇪🇹🇷').value).toBe('🇩🇪');
    expect(backspace('x𝒳').value).toBe('x');
    expect(backspace('José'.normalize('NFD')).value).toBe('Jos');
  });

  it('deletes before a cursor in the middle and snaps a cursor inside a grapheme', () => {
    expect(deleteBackward('a👍🏽b', 5)).toEqual({ value: 'ab', cursor: 1 });
    expect(clampCursor('a👍🏽b', 3)).toBe(1);
    expect(clampCursor('abc', 99)).toBe(3);
    expect(clampCursor('abc', -2)).toBe(0);
    expect(deleteBackward('abc', 0)).toEqual({ value: 'abc', cursor: 0 });
    // A cursor inside the emoji counts as before it: never half an emoji is deleted.
    expect(deleteBackward('a👍🏽b', 4)).toEqual({ value: '👍🏽b', cursor: 0 });
  });
});

describe('pads', () => {
  it('money: one decimal comma, two decimals, no leading zeros', () => {
    const money = keyboardFor('de', 'money');
    expect(type(money, letters('12,5,0')).value).toBe('12,50');
    expect(type(money, letters('12,505')).value).toBe('12,50');
    expect(type(money, letters(',5')).value).toBe('0,5');
    expect(type(money, letters('007')).value).toBe('7');
    expect(type(money, [{ type: 'space' }, ...letters('1')]).value).toBe('1');
    expect(type(money, [insert(',')], initialEditorState(money, '1234', 1)).value).toBe('1234');
    expect(type(money, [insert(',')], initialEditorState(money, '1234', 2)).value).toBe('12,34');
    expect(moneyToCents('12,5')).toBe(1250);
    expect(moneyToCents('0,05')).toBe(5);
    expect(moneyToCents('7')).toBe(700);
    expect(moneyToCents('1,')).toBeNull();
    expect(moneyToCents('')).toBeNull();
  });

  it('phone: a + only in front, single spaces', () => {
    const phone = keyboardFor('uk', 'phone');
    const state = type(phone, [...letters('+49+'), { type: 'space' }, { type: 'space' }, ...letters('170')]);
    expect(state.value).toBe('+49 170');
    expect(type(phone, letters('0+1')).value).toBe('01');
  });

  it('numeric: digits only', () => {
    const numeric = keyboardFor('de', 'number');
    expect(type(numeric, [...letters('4a2'), { type: 'space' }]).value).toBe('42');
  });
});
