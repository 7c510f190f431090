import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';

// The renderer reads these files through Vite's import.meta.glob (renderer/i18n.ts); here they are
// read straight from disk, so the test sees exactly the files a build would bundle.
const LOCALES_DIR = join(import.meta.dirname, '../../../renderer/locales');

/** A locale file: texts, nested groups and lists of texts (checklist `items`, read with `returnObjects`). */
type Node = string | Node[] | Tree;
type Tree = { [key: string]: Node };

const locales: Record<string, Tree> = Object.fromEntries(
  readdirSync(LOCALES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [
      file.slice(0, -'.json'.length),
      JSON.parse(readFileSync(join(LOCALES_DIR, file), 'utf8')) as Tree,
    ]),
);
const codes = Object.keys(locales);
const german = locales.de as Tree;
const english = locales.en as Tree;

/** The visitor languages this project ships; any further file is checked the same way. */
const EXPECTED = ['ar', 'de', 'de-x-ls', 'en', 'fa', 'fr', 'ru', 'tr', 'uk'];
// Scripts written right to left, including likely future visitor languages (Persian, Pashto, Urdu, Kurdish Sorani).
const RTL = new Set(['ar', 'fa', 'ps', 'ur', 'ckb', 'he']);
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/**
 * Every text of a locale file by its dotted path (keys such as `errors.api.transport` stay as they
 * are). Each item of a list is a text of its own, at `<path>.<index>` as i18next addresses it.
 */
function flatten(node: Node, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof node === 'string') {
    out.set(prefix, node);
    return out;
  }
  const entries: [string, Node][] = Array.isArray(node)
    ? node.map((item, index) => [String(index), item])
    : Object.entries(node);
  for (const [key, value] of entries) {
    for (const [k, v] of flatten(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

/** The dotted paths of the lists in a locale file, with their number of items. */
function lists(node: Node, prefix = ''): Map<string, number> {
  const out = new Map<string, number>();
  if (typeof node === 'string') return out;
  if (Array.isArray(node)) out.set(prefix, node.length);
  const entries: [string, Node][] = Array.isArray(node)
    ? node.map((item, index) => [String(index), item])
    : Object.entries(node);
  for (const [key, value] of entries) {
    for (const [k, v] of lists(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

/**
 * Keys that are plural in German: all of German's plural forms are there (`idle.text_one`,
 * `idle.text_other`). A key that merely ends like a plural form (`validation.before_other`, a
 * validation code) is a plain key.
 */
function pluralBases(tree: Tree): Set<string> {
  const paths = new Set(flatten(tree).keys());
  const bases = new Set<string>();
  for (const path of paths) {
    const match = PLURAL_SUFFIX.exec(path);
    if (!match) continue;
    const base = path.slice(0, match.index);
    if (pluralCategories('de').every((category) => paths.has(`${base}_${category}`))) bases.add(base);
  }
  return bases;
}

/** The texts by key without plural suffix: `idle.text` → { one: …, other: … }; a plain key → { '': … }. */
function grouped(tree: Tree): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [path, value] of flatten(tree)) {
    if (path.startsWith('meta.')) continue;
    const match = PLURAL_SUFFIX.exec(path);
    const plural = match !== null && germanPluralBases.has(path.slice(0, match.index));
    const base = plural ? path.slice(0, match.index) : path;
    const form = plural ? (match[1] as string) : '';
    if (!out.has(base)) out.set(base, new Map());
    out.get(base)?.set(form, value);
  }
  return out;
}

/** The language whose plural rules apply: Leichte Sprache is German. */
function pluralLanguage(code: string): string {
  return code === 'de-x-ls' ? 'de' : code;
}

function pluralCategories(code: string): string[] {
  return [...new Intl.PluralRules(pluralLanguage(code)).resolvedOptions().pluralCategories].sort();
}

/**
 * Categories that stand for a single whole number in this language (Arabic `zero`, `one`, `two`):
 * such a form may name the number in words ("ثانيتين", two seconds) instead of showing {{count}}.
 * Russian `one` covers 1, 21, 31… and so must show the number.
 */
function singleNumberCategories(code: string): Set<string> {
  const rules = new Intl.PluralRules(pluralLanguage(code));
  const seen = new Map<string, number>();
  for (let n = 0; n <= 1000; n++) {
    const category = rules.select(n);
    seen.set(category, (seen.get(category) ?? 0) + 1);
  }
  return new Set([...seen].filter(([, count]) => count === 1).map(([category]) => category));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] as string).sort();
}

const germanPluralBases = pluralBases(german);
const germanTexts = grouped(german);
const pluralKeys = [...germanTexts].filter(([, forms]) => !forms.has('')).map(([key]) => key);

describe('renderer locales', () => {
  it('has a file for every visitor language', () => {
    expect(codes).toEqual(expect.arrayContaining(EXPECTED));
    expect(pluralKeys).toContain('idle.text');
    // A key that only ends like a plural form is a plain key.
    expect(germanTexts.get('validation.before_other')).toEqual(new Map([['', expect.any(String)]]));
  });

  describe.each(codes)('%s', (code) => {
    const tree = locales[code] as Tree;
    const texts = grouped(tree);

    it('names itself and its writing direction in meta', () => {
      const meta = tree.meta as { nativeName?: unknown; dir?: unknown } | undefined;
      expect(meta).toBeTypeOf('object');
      expect(meta?.nativeName).toBeTypeOf('string');
      expect(String(meta?.nativeName).trim()).not.toBe('');
      expect(meta?.dir).toBe(RTL.has(code) ? 'rtl' : 'ltr');
    });

    it('has exactly the keys of de.json', () => {
      const keys = [...texts.keys()];
      const germanKeys = [...germanTexts.keys()];
      expect({
        missing: germanKeys.filter((key) => !texts.has(key)),
        extra: keys.filter((key) => !germanTexts.has(key)),
      }).toEqual({ missing: [], extra: [] });
    });

    it('has a list of texts exactly where de.json has one, item for item', () => {
      // An object with keys "0", "1", … would pass the key check, but is no list for returnObjects.
      // Each item is checked as a text of its own by the other tests (flatten gives it its own path).
      expect(Object.fromEntries(lists(tree))).toEqual(Object.fromEntries(lists(german)));
    });

    it('has exactly the plural forms its language needs, and plain keys stay plain', () => {
      const expected = pluralCategories(code);
      for (const [key, germanForms] of germanTexts) {
        const forms = [...(texts.get(key)?.keys() ?? [])].sort();
        if (germanForms.has('')) expect(forms, key).toEqual(['']);
        else expect(forms, key).toEqual(expected);
      }
    });

    it('has no empty text', () => {
      for (const [path, value] of flatten(tree)) expect(value.trim(), path).not.toBe('');
    });

    it('keeps every placeholder of the German text', () => {
      const singles = singleNumberCategories(code);
      for (const [key, germanForms] of germanTexts) {
        const needed = [...new Set([...germanForms.values()].flatMap(placeholders))].sort();
        for (const [form, text] of texts.get(key) ?? []) {
          const optional = form !== '' && singles.has(form) ? ['count'] : [];
          const missing = needed.filter(
            (name) => !optional.includes(name) && !placeholders(text).includes(name),
          );
          expect(missing, `${key}${form ? `_${form}` : ''}`).toEqual([]);
          // No placeholder the German text does not fill in.
          expect(
            placeholders(text).filter((name) => !needed.includes(name)),
            key,
          ).toEqual([]);
        }
      }
    });

    it.skipIf(code === 'en')('is translated: no longer text is a copy of the English one', () => {
      const englishTexts = flatten(english);
      const copies = [...flatten(tree)].filter(
        ([path, value]) => value.length > 20 && englishTexts.get(path) === value,
      );
      expect(copies).toEqual([]);
    });
  });

  it('names every language differently, and asks for the language differently in each', () => {
    // The language screen lists every language's name and its "choose your language" line together.
    const names = codes.map((code) => ((locales[code] as Tree).meta as Tree).nativeName);
    expect(new Set(names).size).toBe(codes.length);
    const titles = codes.map((code) => ((locales[code] as Tree).language as Tree).title);
    expect(new Set(titles).size).toBe(codes.length);
  });

  it('writes Leichte Sprache in short sentences', () => {
    for (const [path, value] of flatten(locales['de-x-ls'] as Tree)) {
      for (const sentence of value.split(/[.?!:]\s+/)) {
        expect(sentence.split(/\s+/).length, `${path}: ${sentence}`).toBeLessThanOrEqual(14);
      }
    }
  });
});

describe('i18next with these files', () => {
  // The options of renderer/i18n.ts (createI18n), without React.
  function instance(resources: Record<string, Tree>, lng: string) {
    const i18n = i18next.createInstance();
    void i18n.init({
      resources: Object.fromEntries(Object.entries(resources).map(([code, t]) => [code, { translation: t }])),
      lng,
      fallbackLng: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
    return i18n;
  }

  it('resolves the private-use tag de-x-ls to the Leichte Sprache texts, not to German', () => {
    const ls = locales['de-x-ls'] as Tree;
    const i18n = instance({ 'de-x-ls': ls, de: german }, 'de-x-ls');
    expect(i18n.language).toBe('de-x-ls');
    expect(i18n.resolvedLanguage).toBe('de-x-ls');
    expect(i18n.t('menu.title')).toBe((ls.menu as Tree).title);
    expect(i18n.t('menu.title')).not.toBe((german.menu as Tree).title);
    expect(i18n.t('idle.text', { count: 1 })).toBe(
      String((ls.idle as Tree).text_one).replace('{{count}}', '1'),
    );
    expect(i18n.t('idle.text', { count: 30 })).toContain('30 Sekunden');
    expect(i18n.t('errors.api.transport')).toBe((ls.errors as Tree)['api.transport']);
    expect(i18n.dir()).toBe('ltr');
    // The other languages stay reachable from the same instance.
    expect(i18n.t('menu.title', { lng: 'de' })).toBe((german.menu as Tree).title);
  });

  it("falls back from de-x-ls to de even with fallbackLng: false (the tag's language part)", () => {
    // i18next's resolve hierarchy for "de-x-ls" is [de-x-ls, de]: it strips the tag down to its
    // language part, and skips the "x" singleton instead of trying "de-x". So a text missing in
    // Leichte Sprache shows in standard German, not as its key.
    const i18n = instance(
      { 'de-x-ls': { only: 'LS' }, de: { only: 'DE', onlyGerman: 'nur Deutsch' } },
      'de-x-ls',
    );
    expect(i18n.languages).toEqual(['de-x-ls', 'de']);
    expect(i18n.t('only')).toBe('LS');
    expect(i18n.t('onlyGerman')).toBe('nur Deutsch');
    expect(instance({ de: german }, 'ru').t('menu.title')).toBe('menu.title');
  });

  it.each(codes)('picks the written form of every plural category in %s', (code) => {
    const i18n = instance(locales, code);
    const rules = new Intl.PluralRules(pluralLanguage(code));
    const seen = new Set<string>();
    // Whole seconds as the countdown shows them, a fraction for the categories only fractions
    // reach, and a million for those only large numbers reach (French `many`).
    for (const n of [...Array.from({ length: 201 }, (_, i) => i), 1.5, 1_000_000]) {
      const category = rules.select(n);
      seen.add(category);
      const written = ((locales[code] as Tree).idle as Tree)[`text_${category}`];
      expect(written, `${code} ${category}`).toBeTypeOf('string');
      // `{{count, number}}`: the number in the language's own digits (Persian ۳۰).
      expect(i18n.t('idle.text', { count: n }), `${code} ${n}`).toBe(
        String(written)
          .replaceAll('{{count}}', String(n))
          .replaceAll('{{count, number}}', new Intl.NumberFormat(code).format(n)),
      );
    }
    expect([...seen].sort()).toEqual(pluralCategories(code));
  });

  it('sets Arabic and Persian right to left', () => {
    expect(instance(locales, 'ar').dir()).toBe('rtl');
    expect(instance(locales, 'fa').dir()).toBe('rtl');
    expect(instance(locales, 'fr').dir()).toBe('ltr');
  });

  it('shows Persian visitors the numbers they read in Persian digits', () => {
    const fa = instance(locales, 'fa');
    expect(fa.t('idle.text', { count: 30 })).toContain('۳۰');
    expect(fa.t('idle.text', { count: 30 })).not.toMatch(/[0-9]/);
    expect(fa.t('journey.stepOf', { current: 2, total: 12 })).toBe('مرحله ۲ از ۱۲');
    // What a visitor types or reads back to staff stays in Latin digits: the examples to type.
    expect(fa.t('validation.invalid_amount')).toContain('1850');
    expect(fa.t('validation.invalid_account')).toContain('acc-1234-abcd');
  });
});
