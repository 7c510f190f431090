import { describe, expect, it } from 'vitest';
import {
  type InsertAction,
  type Key,
  type Keyboard,
  type KeyboardFieldType,
  type KeyboardPage,
  keyboardFor,
  keyboardLanguage,
  keyCaption,
  keyOutput,
  pageOf,
} from '../../../renderer/keyboard/layouts.ts';

const languages = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'] as const;
const fieldTypes: readonly KeyboardFieldType[] = [
  'text',
  'name',
  'email',
  'phone',
  'number',
  'money',
  'date',
  'postcode',
  'tracking',
  'country',
];

const allKeyboards = (): Keyboard[] => {
  const seen = new Map<string, Keyboard>();
  for (const language of [...languages, 'it', 'uk-UA', 'AR', 'fa-AF']) {
    for (const fieldType of fieldTypes) {
      const keyboard = keyboardFor(language, fieldType);
      seen.set(keyboard.id, keyboard);
    }
  }
  return [...seen.values()];
};

const keysOf = (page: KeyboardPage): Key[] => page.rows.flat();
const inserts = (page: KeyboardPage): InsertAction[] =>
  keysOf(page).flatMap((key) => (key.action.type === 'insert' ? [key.action] : []));
const typed = (page: KeyboardPage, shifted = false): string[] =>
  inserts(page).map((action) => keyOutput(action, page, shifted));
const hasAction = (page: KeyboardPage, type: Key['action']['type']) =>
  keysOf(page).some((key) => key.action.type === type);

describe('every layout', () => {
  for (const keyboard of allKeyboards()) {
    describe(keyboard.id, () => {
      it('has its initial page and only page switches to pages it has', () => {
        expect(keyboard.pages.map((p) => p.id)).toContain(keyboard.initialPage);
        for (const page of keyboard.pages) {
          for (const key of keysOf(page)) {
            if (key.action.type === 'page') {
              expect(keyboard.pages.map((p) => p.id)).toContain(key.action.page);
              expect(key.action.page).not.toBe(page.id);
            }
          }
        }
      });

      for (const page of keyboard.pages) {
        it(`page ${page.id}: unique keys, none empty`, () => {
          const ids = keysOf(page).map((key) => key.id);
          expect(new Set(ids).size).toBe(ids.length);
          for (const shifted of [false, true]) {
            const out = typed(page, shifted);
            expect(new Set(out).size, `typed (shifted: ${shifted}) ${out.join(' ')}`).toBe(out.length);
            for (const text of out) expect(text.trim()).not.toBe('');
          }
          for (const key of keysOf(page)) {
            const visible = key.action.type === 'insert' ? key.action.text : (key.display ?? key.label ?? '');
            expect(visible.trim(), key.id).not.toBe('');
            if (key.action.type !== 'insert' && key.action.type !== 'next')
              expect(key.label, key.id).toBeDefined();
            expect([1, 1.5, 2, 2.5, 3, 5]).toContain(key.width);
          }
          expect(hasAction(page, 'backspace')).toBe(true);
          expect(hasAction(page, 'done')).toBe(true);
        });
      }
    });
  }
});

describe('text keyboards', () => {
  const textKeyboards = languages.flatMap((language) =>
    (['text', 'name', 'country'] as const).map((fieldType) => keyboardFor(language, fieldType)),
  );

  it('have Shift, Caps Lock on cased pages, space, backspace, hyphen and apostrophe on every page', () => {
    for (const keyboard of textKeyboards) {
      expect(keyboard.kind).toBe('text');
      for (const page of keyboard.pages) {
        const out = typed(page);
        expect(hasAction(page, 'shift'), `${keyboard.id}/${page.id}`).toBe(true);
        expect(hasAction(page, 'caps'), `${keyboard.id}/${page.id}`).toBe(page.cased);
        expect(hasAction(page, 'space')).toBe(true);
        expect(out).toContain('-');
        expect(out.includes("'") || out.includes('\u02BC'), `${keyboard.id}/${page.id}`).toBe(true);
        expect(out).toEqual(expect.arrayContaining([...'0123456789']));
      }
    }
  });

  it('reach a Latin page from every page', () => {
    for (const keyboard of textKeyboards) {
      const latin = keyboard.pages.find((page) => page.script === 'latin');
      expect(latin, keyboard.id).toBeDefined();
      for (const page of keyboard.pages) {
        if (page === latin) continue;
        const switches = keysOf(page).flatMap((key) => (key.action.type === 'page' ? [key.action.page] : []));
        expect(switches).toContain(latin?.id);
      }
    }
  });

  it('carry the letters of each language', () => {
    const letters = (language: string) => typed(pageOf(keyboardFor(language, 'text'), 'native')).join('');
    for (const c of 'äöüß') expect(letters('de')).toContain(c);
    expect(letters('de-x-ls')).toBe(letters('de'));
    for (const c of 'ğüşıöçi') expect(letters('tr')).toContain(c);
    for (const c of 'іїєґ\u02BC') expect(letters('uk')).toContain(c);
    for (const c of 'ёъыэ') expect(letters('ru')).toContain(c);
    for (const c of 'ابتثجحخدذرزسشصضطظعغفقكلمنهويءئؤةى') expect(letters('ar')).toContain(c);
    for (const c of 'ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی') expect(letters('fa')).toContain(c);
    // Persian keheh and farsi yeh, not the Arabic kaf and yeh
    expect(letters('fa')).not.toMatch(/[كي]/);
    for (const c of 'azertyuiopqsdfghjklmwxcvbnéèàçùäöüß') expect(letters('fr')).toContain(c);
    expect(letters('uk')).not.toMatch(/[ыэъё]/);
    expect(letters('ru')).not.toMatch(/[іїєґ]/);
    expect(letters('en')).toMatch(/^[a-zäöüß0-9'.,/&-]+$/);
  });

  it('type German addresses and employers on every Latin page, in every language (D8)', () => {
    // "Königstraße 12/1", "Müller & Co. KG": the umlauts, ß and . , / & - on every Latin text page.
    for (const language of [...languages, 'it']) {
      for (const fieldType of ['text', 'name', 'country'] as const) {
        const keyboard = keyboardFor(language, fieldType);
        const latinPages = keyboard.pages.filter((page) => page.script === 'latin');
        expect(latinPages.length, keyboard.id).toBeGreaterThan(0);
        for (const page of latinPages) {
          const out = new Set([...typed(page), ...typed(page, true)]);
          for (const c of ['ä', 'ö', 'ü', 'ß', 'Ä', 'Ö', 'Ü', '.', ',', '/', '&', '-']) {
            expect(out.has(c), `${keyboard.id}/${page.id} lacks ${c}`).toBe(true);
          }
        }
      }
    }
  });

  it('follow the familiar key order (QWERTZ, Turkish Q, ЙЦУКЕН, Arabic 101, ISIRI 9147, AZERTY)', () => {
    const row = (language: string, index: number) =>
      (pageOf(keyboardFor(language, 'text'), 'native').rows[index] ?? [])
        .flatMap((key) => (key.action.type === 'insert' ? [key.action.text] : []))
        .join('');
    expect(row('de', 1)).toBe('qwertzuiopü');
    expect(row('en', 1)).toBe('qwertyuiopü');
    expect(row('tr', 1)).toBe('qwertyuıopğü');
    expect(row('tr', 2)).toBe('asdfghjklşiä');
    expect(row('ru', 1)).toBe('йцукенгшщзхъ');
    expect(row('uk', 1)).toBe('йцукенгшщзхї');
    // Reading order on the RTL page: from the right, so ض ends up top left as on a PC keyboard.
    expect([...row('ar', 1)].reverse().join('')).toBe('ضصثقفغعهخحجد');
    // The Persian standard (ISIRI 9147): چ where Arabic has د, ی ک گ in the home row, پ and ژ below.
    expect([...row('fa', 1)].reverse().join('')).toBe('ضصثقفغعهخحجچ');
    expect([...row('fa', 2)].reverse().join('')).toBe('شسیبلاتنمکگ');
    expect([...row('fa', 3)].reverse().join('')).toBe('ظطزرذدپوژ');
    expect(row('fr', 1)).toBe('azertyuiopéè');
    expect(row('fr', 2)).toBe('qsdfghjklmùà');
    expect(row('fr', 3)).toBe('wxcvbnçäöü');
  });

  it('type every French accented letter, one page switch away at most', () => {
    const keyboard = keyboardFor('fr', 'text');
    const out = keyboard.pages.flatMap((page) => [...typed(page), ...typed(page, true)]).join('');
    for (const c of 'àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ') expect(out, c).toContain(c);
    const accents = pageOf(keyboard, 'accents');
    expect(accents.script).toBe('latin');
    const toAccents = keysOf(pageOf(keyboard, 'native')).find((key) => key.action.type === 'page');
    expect(toAccents).toMatchObject({ label: 'accents', action: { page: 'accents' } });
    expect(keysOf(accents).find((key) => key.action.type === 'page')).toMatchObject({
      label: 'nativeScript',
      action: { page: 'native' },
    });
  });

  it('type Latin digits on the Persian page: what a visitor types is read back by staff', () => {
    const persian = pageOf(keyboardFor('fa', 'text'), 'native');
    expect(typed(persian)).toEqual(expect.arrayContaining([...'0123456789']));
    expect(typed(persian).join('')).not.toMatch(/[\u06F0-\u06F9\u0660-\u0669]/);
    for (const fieldType of ['number', 'phone', 'money', 'date', 'postcode'] as const)
      expect(typed(pageOf(keyboardFor('fa', fieldType), 'pad')).join('')).toMatch(/^[0-9+, ]+$/);
  });

  it('read right to left on the Arabic and Persian pages only', () => {
    for (const keyboard of textKeyboards) {
      for (const page of keyboard.pages) {
        expect(page.dir).toBe(page.script === 'arabic' ? 'rtl' : 'ltr');
      }
    }
    const arabic = pageOf(keyboardFor('ar', 'text'), 'native');
    // Backspace stays top right and Done bottom right: last in physical order, first in reading order.
    expect(arabic.rows[0]?.[0]?.action.type).toBe('backspace');
    expect(arabic.rows.at(-1)?.[0]?.action.type).toBe('done');
    const persian = pageOf(keyboardFor('fa', 'text'), 'native');
    expect(persian.dir).toBe('rtl');
    expect(persian.lang).toBe('fa');
    expect(persian.rows[0]?.[0]?.action.type).toBe('backspace');
    expect(persian.rows.at(-1)?.[0]?.action.type).toBe('done');
  });
});

describe('case mapping', () => {
  const turkish = pageOf(keyboardFor('tr', 'text'), 'native');
  const action = (page: KeyboardPage, text: string): InsertAction => {
    const found = inserts(page).find((a) => a.text === text);
    if (!found) throw new Error(`no key ${text}`);
    return found;
  };

  it('is Turkish on the Turkish keyboard: i ↔ İ, ı ↔ I', () => {
    expect(keyOutput(action(turkish, 'i'), turkish, true)).toBe('İ');
    expect(keyOutput(action(turkish, 'ı'), turkish, true)).toBe('I');
    expect(keyOutput(action(turkish, 'ş'), turkish, true)).toBe('Ş');
    expect(keyOutput(action(turkish, 'ğ'), turkish, true)).toBe('Ğ');
    expect(keyOutput(action(turkish, 'i'), turkish, false)).toBe('i');
  });

  it('is not Turkish elsewhere', () => {
    const latin = pageOf(keyboardFor('uk', 'text'), 'latin');
    expect(keyOutput(action(latin, 'i'), latin, true)).toBe('I');
    const german = pageOf(keyboardFor('de', 'text'), 'native');
    expect(keyOutput(action(german, 'i'), german, true)).toBe('I');
    expect(keyOutput(action(german, 'ü'), german, true)).toBe('Ü');
  });

  it('keeps ß (its upper case SS is two letters) and uppercases Cyrillic', () => {
    const german = pageOf(keyboardFor('de', 'text'), 'native');
    expect(keyOutput(action(german, 'ß'), german, true)).toBe('ß');
    const ukrainian = pageOf(keyboardFor('uk', 'text'), 'native');
    expect(keyOutput(action(ukrainian, 'ґ'), ukrainian, true)).toBe('Ґ');
    expect(keyOutput(action(ukrainian, 'ї'), ukrainian, true)).toBe('Ї');
    expect(keyOutput(action(ukrainian, '\u02BC'), ukrainian, true)).toBe('\u02BC');
  });

  it('gives hamza forms and harakat on the Arabic shift level, shown on a tatweel', () => {
    const arabic = pageOf(keyboardFor('ar', 'text'), 'native');
    expect(keyOutput(action(arabic, 'ا'), arabic, true)).toBe('أ');
    expect(keyOutput(action(arabic, 'غ'), arabic, true)).toBe('إ');
    expect(keyOutput(action(arabic, 'ى'), arabic, true)).toBe('آ');
    expect(keyOutput(action(arabic, 'م'), arabic, true)).toBe('م');
    const fatha = keyOutput(action(arabic, 'ض'), arabic, true);
    expect(fatha).toBe('\u064E');
    expect(keyCaption(fatha, arabic)).toBe('\u0640\u064E');
  });

  it('gives the Persian shift level of ISIRI 9147: آ, hamza forms, harakat and guillemets', () => {
    const persian = pageOf(keyboardFor('fa', 'text'), 'native');
    expect(persian.cased).toBe(false);
    expect(keyOutput(action(persian, 'ا'), persian, true)).toBe('آ');
    expect(keyOutput(action(persian, 'س'), persian, true)).toBe('ئ');
    expect(keyOutput(action(persian, 'پ'), persian, true)).toBe('ء');
    expect(keyOutput(action(persian, 'ن'), persian, true)).toBe('»');
    expect(keyOutput(action(persian, 'م'), persian, true)).toBe('«');
    expect(keyOutput(action(persian, 'ک'), persian, true)).toBe('ک');
    const sukun = keyOutput(action(persian, 'ض'), persian, true);
    expect(sukun).toBe('\u0652');
    expect(keyCaption(sukun, persian)).toBe('\u0640\u0652');
  });

  it('is French on the French keyboard: é → É, œ → Œ, and ß stays', () => {
    const french = pageOf(keyboardFor('fr', 'text'), 'native');
    expect(keyOutput(action(french, 'é'), french, true)).toBe('É');
    expect(keyOutput(action(french, 'ç'), french, true)).toBe('Ç');
    expect(keyOutput(action(french, 'ß'), french, true)).toBe('ß');
    const accents = pageOf(keyboardFor('fr', 'text'), 'accents');
    expect(keyOutput(action(accents, 'œ'), accents, true)).toBe('Œ');
  });
});

describe('keyboardFor', () => {
  const expected: Array<[string, KeyboardFieldType, string, string]> = [
    ['de', 'text', 'de:text', 'native'],
    ['de-x-ls', 'text', 'de:text', 'native'],
    ['de-DE', 'name', 'de:name', 'native'],
    ['en', 'name', 'en:name', 'native'],
    ['tr', 'name', 'tr:name', 'native'],
    ['uk', 'text', 'uk:text', 'native'],
    ['uk', 'name', 'uk:name', 'latin'],
    ['ru', 'name', 'ru:name', 'latin'],
    ['ar', 'name', 'ar:name', 'latin'],
    ['ar', 'text', 'ar:text', 'native'],
    ['ar', 'country', 'ar:text', 'native'],
    ['tr', 'country', 'tr:text', 'native'],
    ['ru', 'email', 'ru:email', 'email'],
    ['de', 'email', 'de:email', 'email'],
    ['tr', 'tracking', 'tr:tracking', 'tracking'],
    ['uk', 'tracking', 'uk:tracking', 'tracking'],
    ['de', 'postcode', 'numeric', 'pad'],
    ['ar', 'postcode', 'numeric', 'pad'],
    ['uk', 'number', 'numeric', 'pad'],
    ['ru', 'phone', 'phone', 'pad'],
    ['tr', 'money', 'money', 'pad'],
    ['ar', 'date', 'date', 'pad'],
    ['fr', 'text', 'fr:text', 'native'],
    ['fr', 'name', 'fr:name', 'native'],
    ['fa', 'text', 'fa:text', 'native'],
    ['fa', 'name', 'fa:name', 'latin'],
    ['fa-AF', 'country', 'fa:text', 'native'],
    ['fa', 'date', 'date', 'pad'],
    ['it', 'text', 'en:text', 'native'],
    ['', 'name', 'en:name', 'native'],
  ];
  for (const [language, fieldType, id, initialPage] of expected) {
    it(`${language || '(none)'} / ${fieldType} → ${id} on ${initialPage}`, () => {
      const keyboard = keyboardFor(language, fieldType);
      expect(keyboard.id).toBe(id);
      expect(keyboard.initialPage).toBe(initialPage);
    });
  }

  it('normalises language tags', () => {
    expect(keyboardLanguage('de-x-ls')).toBe('de');
    expect(keyboardLanguage('uk-UA')).toBe('uk');
    expect(keyboardLanguage('AR')).toBe('ar');
    expect(keyboardLanguage('fa')).toBe('fa');
    expect(keyboardLanguage('fa-AF')).toBe('fa');
    expect(keyboardLanguage('fr-CA')).toBe('fr');
    expect(keyboardLanguage('ps')).toBe('en');
  });

  it('gives e-mail a Latin page with @ . - _ and no space', () => {
    for (const language of languages) {
      const keyboard = keyboardFor(language, 'email');
      expect(keyboard.pages).toHaveLength(1);
      const page = pageOf(keyboard, 'email');
      expect(page.script).toBe('latin');
      expect(typed(page)).toEqual(expect.arrayContaining(['@', '.', '-', '_']));
      expect(typed(page).every((t) => /^[a-z0-9@._'-]+$/.test(t) || t === '.de' || t === '.com')).toBe(true);
      expect(hasAction(page, 'space')).toBe(false);
    }
    expect(pageOf(keyboardFor('de', 'email'), 'email').rows[1]?.[5]?.id).toBe('char:z');
    expect(pageOf(keyboardFor('fr', 'email'), 'email').rows[1]?.[1]?.id).toBe('char:z');
  });

  it('gives tracking numbers capitals, digits and the check symbols only', () => {
    const page = pageOf(keyboardFor('uk', 'tracking'), 'tracking');
    const out = typed(page, false);
    expect(out.every((t) => /^[A-Z0-9*~$=-]$/.test(t))).toBe(true);
    expect(out).toEqual(expect.arrayContaining([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-']));
    expect(hasAction(page, 'shift')).toBe(false);
  });

  it('gives pads only what the field takes', () => {
    const padTyped = (fieldType: KeyboardFieldType) =>
      typed(pageOf(keyboardFor('de', fieldType), 'pad'))
        .sort()
        .join('');
    expect(padTyped('number')).toBe('0123456789');
    expect(padTyped('postcode')).toBe('0123456789');
    expect(padTyped('phone')).toBe('+0123456789');
    expect(hasAction(pageOf(keyboardFor('de', 'phone'), 'pad'), 'space')).toBe(true);
    expect(padTyped('money')).toBe(',0123456789');
    expect(padTyped('date')).toBe('0123456789');
    expect(hasAction(pageOf(keyboardFor('de', 'date'), 'pad'), 'next')).toBe(true);
    for (const fieldType of ['number', 'phone', 'money', 'date'] as const) {
      const page = pageOf(keyboardFor('ar', fieldType), 'pad');
      expect(page.dir).toBe('ltr');
      expect(page.rows[0]?.map((key) => key.id)).toEqual(['char:1', 'char:2', 'char:3']);
    }
  });
});
