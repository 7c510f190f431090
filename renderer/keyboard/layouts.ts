/**
 * On-screen keyboards as data: one keyboard per (language, field type), each a list of pages, each
 * page rows of keys. Pure TypeScript, no DOM, so the layouts are tested directly.
 *
 * Rows are stored in reading order for the page's direction: the first key of a row sits at the
 * start edge (left on LTR pages, right on the Arabic and Persian pages). The Arabic and Persian
 * pages are written down in physical order (as printed on a PC keyboard, ض top left) and reversed
 * into reading order, so in an RTL page they look like the keyboards their readers know, with
 * Backspace and Done in the same corners as on every other page.
 */

/** The field types that open a keyboard (`choice` and `boolean` fields do not). */
export type KeyboardFieldType =
  | 'text'
  | 'name'
  | 'email'
  | 'phone'
  | 'number'
  | 'money'
  | 'date'
  | 'postcode'
  | 'tracking'
  | 'country';

export type KeyboardKind = 'text' | 'email' | 'tracking' | 'numeric' | 'phone' | 'money' | 'date';

/** Languages with a keyboard of their own; any other language gets the English one. */
export type KeyboardLanguage = 'de' | 'en' | 'tr' | 'uk' | 'ru' | 'ar' | 'fa' | 'fr';

/** Translated accessible names the app passes in (`labels` prop). */
export type LabelKey =
  | 'shift'
  | 'capsLock'
  | 'backspace'
  | 'space'
  | 'done'
  | 'latin'
  | 'nativeScript'
  | 'accents'
  | 'day'
  | 'month'
  | 'year';

export type KeyWidth = 1 | 1.5 | 2 | 2.5 | 3 | 5;

export type KeyAction =
  /** Inserts `text`; with Shift or Caps Lock `shifted`, else the page's upper case of `text`. */
  | { readonly type: 'insert'; readonly text: string; readonly shifted?: string }
  | { readonly type: 'shift' }
  | { readonly type: 'caps' }
  | { readonly type: 'backspace' }
  | { readonly type: 'space' }
  | { readonly type: 'done' }
  | { readonly type: 'page'; readonly page: string }
  /** Date pad: finish the current part (day or month) and go to the next one. */
  | { readonly type: 'next' };

export type InsertAction = Extract<KeyAction, { type: 'insert' }>;

export interface Key {
  /** Unique within its page. */
  readonly id: string;
  readonly action: KeyAction;
  /** Width in key units (a plain letter key is 1). */
  readonly width: KeyWidth;
  /** For special keys: the translated label that is the key's accessible name. */
  readonly label?: LabelKey;
  /** Visible text when it is not the character itself (page switch keys: "ABC", "АБВ", "éàç"). */
  readonly display?: string;
}

export type Script = 'latin' | 'cyrillic' | 'arabic' | 'digits';

export interface KeyboardPage {
  /** `native`, `latin`, `email`, `tracking` or `pad`. */
  readonly id: string;
  readonly script: Script;
  readonly dir: 'ltr' | 'rtl';
  /** BCP 47 language of the page's letters: `lang` attribute and the locale for upper case. */
  readonly lang: string;
  /** Letters have case: Shift and Caps Lock give `toLocaleUpperCase(lang)`. */
  readonly cased: boolean;
  readonly rows: readonly (readonly Key[])[];
}

export interface Keyboard {
  /** `<language>:<kind>` for text keyboards (`uk:name`), the kind for pads (`numeric`). */
  readonly id: string;
  readonly kind: KeyboardKind;
  readonly pages: readonly KeyboardPage[];
  readonly initialPage: string;
  /** Names: a capital letter at the start of the field and of each part (after a space or hyphen). */
  readonly autoCapitalize?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const char = (text: string, shifted?: string): Key =>
  shifted === undefined
    ? { id: `char:${text}`, action: { type: 'insert', text }, width: 1 }
    : { id: `char:${text}`, action: { type: 'insert', text, shifted }, width: 1 };

const chars = (text: string): Key[] => [...text].map((c) => char(c));

const backspaceKey = (width: KeyWidth): Key => ({
  id: 'backspace',
  action: { type: 'backspace' },
  width,
  label: 'backspace',
});
const shiftKey: Key = { id: 'shift', action: { type: 'shift' }, width: 1.5, label: 'shift' };
const capsKey: Key = { id: 'caps', action: { type: 'caps' }, width: 1.5, label: 'capsLock' };
const spaceKey = (width: KeyWidth): Key => ({
  id: 'space',
  action: { type: 'space' },
  width,
  label: 'space',
});
const doneKey = (width: KeyWidth): Key => ({ id: 'done', action: { type: 'done' }, width, label: 'done' });
const toLatinKey: Key = {
  id: 'page:latin',
  action: { type: 'page', page: 'latin' },
  width: 1.5,
  label: 'latin',
  display: 'ABC',
};
const toAccentsKey: Key = {
  id: 'page:accents',
  action: { type: 'page', page: 'accents' },
  width: 1.5,
  label: 'accents',
  display: 'éàç',
};
const toNativeKey = (display: string): Key => ({
  id: 'page:native',
  action: { type: 'page', page: 'native' },
  width: 1.5,
  label: 'nativeScript',
  display,
});

const digitRow = '1234567890';
const apostrophe = "'";
/** Ukrainian apostrophe (U+02BC MODIFIER LETTER APOSTROPHE), as the Ukrainian orthography asks. */
const ukrainianApostrophe = '\u02BC';

interface LetterRows {
  readonly rows: readonly [string, string, string];
  /** Keys after 0 in the digit row (ß on the German keyboard). */
  readonly digitExtra?: string;
}

/**
 * Latin letters in the order of the language's own keyboard. Addresses and employers are German
 * whatever the visitor's language ("Königstraße 12/1", "Müller & Co. KG"), so every Latin text
 * page carries ä ö ü ß: where the German keyboard has them, unless the language has them already.
 */
const latinLetters: Record<
  'ascii' | 'qwerty' | 'qwertz' | 'german' | 'turkish' | 'azertyAscii' | 'azerty' | 'frenchAccents',
  LetterRows
> = {
  /** E-mail addresses and tracking numbers: ASCII letters only. */
  ascii: { rows: ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'] },
  /** English QWERTY for the letters, the German umlaut keys where a German keyboard has them. */
  qwerty: { rows: ['qwertyuiopü', 'asdfghjklöä', 'zxcvbnm'], digitExtra: 'ß' },
  qwertz: { rows: ['qwertzuiop', 'asdfghjkl', 'yxcvbnm'] },
  german: { rows: ['qwertzuiopü', 'asdfghjklöä', 'yxcvbnm'], digitExtra: 'ß' },
  /** Turkish Q: dotless ı where I is on QWERTY, dotted i right of ş; ä and ß for German words. */
  turkish: { rows: ['qwertyuıopğü', 'asdfghjklşiä', 'zxcvbnmöç'], digitExtra: 'ß' },
  azertyAscii: { rows: ['azertyuiop', 'qsdfghjklm', 'wxcvbn'] },
  /**
   * French AZERTY, with the accented letters that AZERTY types without a dead key (é è à ç ù)
   * where the row has room, and ä ö ü ß for German words. The other accents are on a page of
   * their own (`frenchAccents`), one key away.
   */
  azerty: { rows: ['azertyuiopéè', 'qsdfghjklmùà', 'wxcvbnçäöü'], digitExtra: 'ß' },
  /** Every French accented letter and the ligatures, in alphabetical order, plus ä ö (ü is there). */
  frenchAccents: { rows: ['àâæçéèêë', 'îïôœùûüÿ', 'äö'], digitExtra: 'ß' },
};

/** Address and company punctuation on every text page: "12/1", "Co. KG", "Müller & Söhne", "a, b". */
const addressPunctuation = '.,/&';

interface TextPageOptions {
  readonly id: string;
  readonly script: Exclude<Script, 'digits'>;
  readonly lang: string;
  readonly letters: readonly [readonly Key[], readonly Key[], readonly Key[]];
  readonly digitExtra?: readonly Key[];
  readonly apostrophe: string;
  /** The page switch key in the bottom row, if the keyboard has two pages. */
  readonly switchKey?: Key;
  readonly dir?: 'ltr' | 'rtl';
  readonly cased?: boolean;
}

/**
 * A text page, physical order:
 *   1 2 3 … 0 [extra] ⌫
 *   letters
 *   ⇪ letters              (cased pages only)
 *   ⇧ letters
 *   [page] - ' . , / & ␣ Done
 */
function textPage(options: TextPageOptions): KeyboardPage {
  const cased = options.cased ?? true;
  const bottom: Key[] = [
    ...(options.switchKey ? [options.switchKey] : []),
    char('-'),
    char(options.apostrophe),
    ...chars(addressPunctuation),
    spaceKey(3),
    doneKey(2.5),
  ];
  const physical: Key[][] = [
    [...chars(digitRow), ...(options.digitExtra ?? []), backspaceKey(1.5)],
    [...options.letters[0]],
    [...(cased ? [capsKey] : []), ...options.letters[1]],
    [shiftKey, ...options.letters[2]],
    bottom,
  ];
  const dir = options.dir ?? 'ltr';
  return {
    id: options.id,
    script: options.script,
    dir,
    lang: options.lang,
    cased,
    rows: dir === 'rtl' ? physical.map((row) => [...row].reverse()) : physical,
  };
}

function latinTextPage(id: string, lang: string, letters: LetterRows, switchKey?: Key): KeyboardPage {
  return textPage({
    id,
    script: 'latin',
    lang,
    letters: [chars(letters.rows[0]), chars(letters.rows[1]), chars(letters.rows[2])],
    ...(letters.digitExtra ? { digitExtra: chars(letters.digitExtra) } : {}),
    apostrophe,
    ...(switchKey ? { switchKey } : {}),
  });
}

/** The plain Latin page of the Cyrillic and Arabic keyboards (QWERTY, English case rules). */
const plainLatinPage = (nativeDisplay: string) =>
  latinTextPage('latin', 'en', latinLetters.qwerty, toNativeKey(nativeDisplay));

const russianPage = textPage({
  id: 'native',
  script: 'cyrillic',
  lang: 'ru',
  letters: [chars('йцукенгшщзхъ'), chars('фывапролджэ'), chars('ячсмитьбюё')],
  apostrophe,
  switchKey: toLatinKey,
});

const ukrainianPage = textPage({
  id: 'native',
  script: 'cyrillic',
  lang: 'uk',
  letters: [chars('йцукенгшщзхї'), chars('фівапролджє'), chars('ґячсмитьбю')],
  apostrophe: ukrainianApostrophe,
  switchKey: toLatinKey,
});

/**
 * Arabic (PC "101" layout), physical order. Shift gives the hamza forms, the harakat and Arabic
 * punctuation of that layout's shift level; the other shift symbols (brackets, ÷, ×) are left out.
 */
const arabicPage = textPage({
  id: 'native',
  script: 'arabic',
  lang: 'ar',
  dir: 'rtl',
  cased: false,
  letters: [
    [
      char('ض', '\u064E'), // fatha
      char('ص', '\u064B'), // fathatan
      char('ث', '\u064F'), // damma
      char('ق', '\u064C'), // dammatan
      char('ف', 'لإ'),
      char('غ', 'إ'),
      ...chars('عهخحجد'),
    ],
    [
      char('ش', '\u0650'), // kasra
      char('س', '\u064D'), // kasratan
      ...chars('يب'),
      char('ل', 'لأ'),
      char('ا', 'أ'),
      char('ت'),
      char('ن', '،'),
      ...chars('مكط'),
    ],
    [
      char('ئ'),
      char('ء', '\u0652'), // sukun
      ...chars('ؤر'),
      char('لا', 'لآ'),
      char('ى', 'آ'),
      ...chars('ةوز'),
      char('ظ', '؟'),
      char('ذ', '\u0651'), // shadda
    ],
  ],
  apostrophe,
  switchKey: toLatinKey,
});

/**
 * Persian (ISIRI 9147, the Iranian standard layout that Afghan keyboards share), physical order.
 * ژ, on Shift+ز in the standard, is a key of its own (where the standard has the full stop, which
 * is in the bottom row here): a visitor finds it without knowing the Shift level. Shift gives the
 * standard's second level where it is Persian: harakat, hamza forms, آ, « » and ؛. The number row
 * types Latin digits, as on every page: what a visitor types is read back by staff.
 */
const persianPage = textPage({
  id: 'native',
  script: 'arabic',
  lang: 'fa',
  dir: 'rtl',
  cased: false,
  letters: [
    [
      char('ض', '\u0652'), // sukun
      char('ص', '\u064C'), // dammatan
      char('ث', '\u064D'), // kasratan
      char('ق', '\u064B'), // fathatan
      char('ف', '\u064F'), // damma
      char('غ', '\u0650'), // kasra
      char('ع', '\u064E'), // fatha
      char('ه', '\u0651'), // shadda
      ...chars('خحجچ'),
    ],
    [
      char('ش', 'ؤ'),
      char('س', 'ئ'),
      char('ی'),
      char('ب', 'إ'),
      char('ل', 'أ'),
      char('ا', 'آ'),
      char('ت', 'ة'),
      char('ن', '»'),
      char('م', '«'),
      char('ک'),
      char('گ', '؛'),
    ],
    [...chars('ظطزرذ'), char('د', '\u0654'), char('پ', 'ء'), ...chars('وژ')],
  ],
  apostrophe,
  switchKey: toLatinKey,
});

/** French: AZERTY with é è à ç ù, and a page with every accented letter. */
const frenchPage = latinTextPage('native', 'fr', latinLetters.azerty, toAccentsKey);
const frenchAccentsPage = latinTextPage('accents', 'fr', latinLetters.frenchAccents, toNativeKey('abc'));

/** E-mail: Latin letters, digits, and a row with @ . - _ and the two commonest endings. */
function emailPage(letters: LetterRows): KeyboardPage {
  const physical: Key[][] = [
    [...chars(digitRow), backspaceKey(1.5)],
    chars(letters.rows[0]),
    [capsKey, ...chars(letters.rows[1])],
    [shiftKey, ...chars(letters.rows[2])],
    [...chars('@.-_'), char('.de'), char('.com'), doneKey(2.5)],
  ];
  return { id: 'email', script: 'latin', dir: 'ltr', lang: 'en', cased: true, rows: physical };
}

/**
 * Tracking numbers (`ST-…` on the receipt): capital letters, digits, hyphen, and the check
 * symbols `* ~ $ =` of the Crockford base 32 check character. No Shift: everything is upper case.
 */
function trackingPage(letters: LetterRows): KeyboardPage {
  const upper = (row: string) => chars(row.toUpperCase());
  return {
    id: 'tracking',
    script: 'latin',
    dir: 'ltr',
    lang: 'en',
    cased: false,
    rows: [
      [...chars(digitRow), backspaceKey(1.5)],
      upper(letters.rows[0]),
      upper(letters.rows[1]),
      upper(letters.rows[2]),
      [...chars('-*~$='), doneKey(2.5)],
    ],
  };
}

function pad(id: string, kind: KeyboardKind, rows: Key[][]): Keyboard {
  return {
    id,
    kind,
    initialPage: 'pad',
    pages: [{ id: 'pad', script: 'digits', dir: 'ltr', lang: 'en', cased: false, rows }],
  };
}

const phoneRows = [chars('123'), chars('456'), chars('789')];

/** Digits only (postcodes, numbers): phone order, 1 at the top left. */
export const numericPad = pad('numeric', 'numeric', [
  ...phoneRows,
  [{ ...char('0'), width: 2 }, backspaceKey(1)],
  [doneKey(3)],
]);

/** Phone numbers: digits, a leading +, spaces between groups. */
export const phonePad = pad('phone', 'phone', [
  ...phoneRows,
  [char('+'), char('0'), backspaceKey(1)],
  [spaceKey(1.5), doneKey(1.5)],
]);

/** Amounts in euros: digits and one decimal comma (German notation, `12,50`). */
export const moneyPad = pad('money', 'money', [
  ...phoneRows,
  [char(','), char('0'), backspaceKey(1)],
  [doneKey(3)],
]);

/**
 * Dates as written in Germany, DD.MM.YYYY: the digits fill day, month and year in turn (the
 * component shows the three parts above the pad; each can be tapped to correct it). The dot
 * key finishes a one-digit day or month ("3.4.1990"). The value is ISO `YYYY-MM-DD`.
 */
export const datePad = pad('date', 'date', [
  ...phoneRows,
  [{ id: 'next', action: { type: 'next' }, width: 1, display: '.' }, char('0'), backspaceKey(1)],
  [doneKey(3)],
]);

// ---------------------------------------------------------------------------------------------
// Choosing a keyboard

/** `de-x-ls` (Leichte Sprache), `de-DE`, `uk-UA` … → the keyboard language; others → `en`. */
export function keyboardLanguage(language: string): KeyboardLanguage {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  switch (primary) {
    case 'de':
    case 'en':
    case 'tr':
    case 'uk':
    case 'ru':
    case 'ar':
    case 'fa':
    case 'fr':
      return primary;
    default:
      return 'en';
  }
}

/** The ASCII letter order a visitor of that language knows (e-mail addresses, tracking numbers). */
function latinOrder(language: KeyboardLanguage): LetterRows {
  if (language === 'de') return latinLetters.qwertz;
  return language === 'fr' ? latinLetters.azertyAscii : latinLetters.ascii;
}

/** Pages of the text keyboard: the language's own page first, a Latin page where it is not Latin. */
function textPages(language: KeyboardLanguage): KeyboardPage[] {
  switch (language) {
    case 'de':
      return [latinTextPage('native', 'de', latinLetters.german)];
    case 'tr':
      return [latinTextPage('native', 'tr', latinLetters.turkish)];
    case 'en':
      return [latinTextPage('native', 'en', latinLetters.qwerty)];
    case 'uk':
      return [ukrainianPage, plainLatinPage('АБВ')];
    case 'ru':
      return [russianPage, plainLatinPage('АБВ')];
    case 'ar':
      return [arabicPage, plainLatinPage('أبت')];
    case 'fa':
      return [persianPage, plainLatinPage('ابپ')];
    case 'fr':
      return [frenchPage, frenchAccentsPage];
  }
}

const cache = new Map<string, Keyboard>();

/**
 * The keyboard for a field. Names start on the Latin page (names are typed as in the passport),
 * free text and country search in the visitor's own script; e-mail addresses get the Latin e-mail
 * page, tracking numbers capitals and digits; postcodes and numbers the digit pad.
 */
export function keyboardFor(language: string, fieldType: KeyboardFieldType): Keyboard {
  const lang = keyboardLanguage(language);
  const cacheKey = `${lang}:${fieldType}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const keyboard = buildKeyboard(lang, fieldType);
  cache.set(cacheKey, keyboard);
  return keyboard;
}

function buildKeyboard(lang: KeyboardLanguage, fieldType: KeyboardFieldType): Keyboard {
  switch (fieldType) {
    case 'number':
    case 'postcode':
      return numericPad;
    case 'phone':
      return phonePad;
    case 'money':
      return moneyPad;
    case 'date':
      return datePad;
    case 'email':
      return {
        id: `${lang}:email`,
        kind: 'email',
        pages: [emailPage(latinOrder(lang))],
        initialPage: 'email',
      };
    case 'tracking':
      return {
        id: `${lang}:tracking`,
        kind: 'tracking',
        pages: [trackingPage(latinOrder(lang))],
        initialPage: 'tracking',
      };
    case 'name': {
      const pages = textPages(lang);
      const latin = pages.find((page) => page.id === 'latin') ?? pages[0];
      return {
        id: `${lang}:name`,
        kind: 'text',
        pages,
        initialPage: latin?.id ?? 'native',
        autoCapitalize: true,
      };
    }
    case 'text':
    case 'country':
      return { id: `${lang}:text`, kind: 'text', pages: textPages(lang), initialPage: 'native' };
  }
}

/** The page with that id, or the keyboard's first page. */
export function pageOf(keyboard: Keyboard, pageId: string): KeyboardPage {
  const page = keyboard.pages.find((p) => p.id === pageId) ?? keyboard.pages[0];
  if (!page) throw new Error(`keyboard ${keyboard.id} has no pages`);
  return page;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const countGraphemes = (text: string) => [...graphemes.segment(text)].length;

/**
 * What an insert key types. Shifted: the key's own shift character, else the upper case in the
 * page's language (Turkish: i → İ, ı → I). An upper case that is longer than the letter (German
 * ß → SS) is not a capital letter key: such a key types the letter unchanged.
 */
export function keyOutput(action: InsertAction, page: KeyboardPage, shifted: boolean): string {
  if (!shifted) return action.text;
  if (action.shifted !== undefined) return action.shifted;
  if (!page.cased) return action.text;
  const upper = action.text.toLocaleUpperCase(page.lang);
  return countGraphemes(upper) === countGraphemes(action.text) ? upper : action.text;
}

/** Visible caption of a typed text: a lone combining mark sits on a tatweel (Arabic) or ◌. */
export function keyCaption(text: string, page: KeyboardPage): string {
  if (/^\p{M}/u.test(text)) return `${page.script === 'arabic' ? '\u0640' : '\u25CC'}${text}`;
  return text;
}
