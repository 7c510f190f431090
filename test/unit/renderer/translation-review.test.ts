import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The findings of the domain review's translation section (Turkish, Ukrainian, Russian, Arabic,
 * Leichte Sprache): each a rule over every text of the language, so a new text cannot bring the
 * slip back.
 */
/** Every string of a locale file, however deep. */
const stringsOf = (file: string): string[] => {
  const all: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') all.push(node);
    else if (node && typeof node === 'object') for (const value of Object.values(node)) walk(value);
  };
  walk(JSON.parse(readFileSync(file, 'utf8')));
  return all;
};
const root = join(import.meta.dirname, '../../..');
/** Every screen text of a language. */
const texts = (code: string) => stringsOf(join(root, 'renderer/locales', `${code}.json`));
/** Every text of a language's printed papers (receipts, sheets). */
const documentTexts = (code: string) => stringsOf(join(root, 'core/documents/locales', `${code}.json`));
const matching = (code: string, pattern: RegExp) => texts(code).filter((text) => pattern.test(text));

describe('Turkish', () => {
  it('calls the declaration of commitment "taahhütname" throughout', () => {
    expect(matching('tr', /taahhüt beyan/i)).toEqual([]);
    expect(matching('tr', /taahhütname/).length).toBeGreaterThan(3);
  });
  it('writes the authority’s name without an apostrophe before its suffix (TDK)', () => {
    expect(matching('tr', /Dairesi['’]/)).toEqual([]);
  });
  it('says "görevli" for one member of staff, "Uyruğunuz" for the visitor’s own nationality, "son tarih" for a deadline', () => {
    expect(matching('tr', /\b[Bb]ir personel/)).toEqual([]);
    expect(matching('tr', /^Uyruğu$/)).toEqual([]);
    expect(matching('tr', /Yetiştirmem/)).toEqual([]);
    expect(matching('tr', /GVKT/)).toEqual([]);
  });
});

describe('Ukrainian', () => {
  it('uses one apostrophe, ʼ, inside words', () => {
    expect(matching('uk', /\p{L}['’]\p{L}/u)).toEqual([]);
    expect(matching('uk', /\p{L}ʼ\p{L}/u).length).toBeGreaterThan(10);
  });
  it('calls the Niederlassungserlaubnis a permit for permanent residence, not a calque', () => {
    expect(matching('uk', /поселення/)).toEqual([]);
    expect(matching('uk', /постійне проживання \(Niederlassungserlaubnis\)/).length).toBe(1);
  });
});

describe('Russian', () => {
  it('sends the visitor to the counter correctly and names the account one way', () => {
    expect(matching('ru', /спросить у окошка/)).toEqual([]);
    expect(matching('ru', /аккаунт/)).toEqual([]);
    expect(matching('ru', /для видов на жительство/)).toEqual([]);
  });
  it('calls the Niederlassungserlaubnis what the community says', () => {
    expect(matching('ru', /поселени/)).toEqual([]);
    expect(matching('ru', /Бессрочный вид на жительство \(Niederlassungserlaubnis\)/).length).toBe(1);
  });
});

describe('Arabic', () => {
  it('writes the tanween on adverbs consistently', () => {
    const adverbs = [
      'أيضا',
      'حاليا',
      'جدا',
      'مثلا',
      'تلقائيا',
      'إلكترونيا',
      'رقميا',
      'شخصيا',
      'شكرا',
      'لاحقا',
      'يدويا',
      'فورا',
    ];
    const bare = new RegExp(`(?<![\\u0600-\\u06FF])(${adverbs.join('|')})(?![\\u0600-\\u06FF\\u064B])`, 'u');
    expect(matching('ar', bare)).toEqual([]);
  });
  it('asks its questions without a masculine-only "you want", and names the settlement permit as residents do', () => {
    expect(matching('ar', /تريد/)).toEqual([]);
    expect(matching('ar', /استقرار دائم/)).toEqual([]);
    expect(matching('ar', /إقامة دائمة \(Niederlassungserlaubnis\)/).length).toBe(1);
  });
  it('addresses everyone: no masculine-only imperative or prohibition, on screen or on paper', () => {
    // The imperatives (and prohibitions) a kiosk text is tempted to use, without short vowels;
    // a text asks with "يرجى …" and the verbal noun instead. Ambiguous forms are left out:
    // "أحضر" is also "I bring", "تحقق" the noun in "قائمة تحقق", "تابع" also "belonging to".
    const imperatives = [
      'أدخل',
      'اختر',
      'اضغط',
      'المس',
      'انقر',
      'افتح',
      'اقلب',
      'اسحب',
      'امسح',
      'اكتب',
      'اقرأ',
      'ابدأ',
      'أكمل',
      'ارجع',
      'انتظر',
      'اعرف',
      'اذكر',
      'التقط',
      'استدع',
      'اتصل',
      'اطلب',
      'اسأل',
      'اذهب',
      'احتفظ',
      'أعد',
      'أرسل',
      'اطبع',
      'استخدم',
      'أظهر',
    ];
    // short ones that "و" or "ف" would turn into a noun ("وضع", "وعد") are matched bare only
    const short = ['ضع', 'خذ', 'عد', 'قم', 'قدم', 'توجه', 'تأكد', 'راجع'];
    const prohibitions = ['لا تعط', 'لا تنس', 'لا تضع', 'لا تحتاج', 'لا تلمس', 'لا تسحب', 'لا تنتظر'];
    const letter = '[\\u0621-\\u064A]';
    const suffix = '(?:ه|ها|هما|هم)?';
    const masculine = new RegExp(
      `(?<!${letter})(?:[وف]?(?:${imperatives.join('|')})${suffix}|(?:${short.join('|')})${suffix}|${prohibitions.join('|')})(?!${letter})`,
      'u',
    );
    const withoutVowels = (text: string) => text.replace(/[\u064B-\u0652]/g, '');
    const offending = [...texts('ar'), ...documentTexts('ar')].filter((text) =>
      masculine.test(withoutVowels(text)),
    );
    expect(offending).toEqual([]);
    // the rule sees the forms it is about (so it cannot pass by matching nothing)
    for (const sample of [
      'أدخل رقمك.',
      'فاستدعِ أحد الموظفين',
      'افتحه على صفحة الصورة',
      'ضعها هنا',
      'لا تعط كلمة المرور',
    ])
      expect(masculine.test(withoutVowels(sample))).toBe(true);
    for (const sample of ['البيانات التي أدخلتها', 'يرجى إدخال الرقم', 'وضع آخر', 'رقم هاتف تابع للمدينة'])
      expect(masculine.test(withoutVowels(sample))).toBe(false);
  });
});

describe('Leichte Sprache', () => {
  it('has no relative clauses', () => {
    expect(matching('de-x-ls', /, (an |in |auf )?(der|die|das|dem|den|denen) \p{Ll}/u)).toEqual([]);
  });
  it('names the staff one way ("das Personal"), never "Mitarbeiter … er"', () => {
    expect(matching('de-x-ls', /Mitarbeiter/)).toEqual([]);
  });
  it('says who read the document, and what gross pay leaves out', () => {
    expect(matching('de-x-ls', /ist (nicht )?richtig gelesen/)).toEqual([]);
    const gross = matching('de-x-ls', /Brutto heißt/);
    expect(gross.length).toBe(1);
    expect(gross[0]).toContain('Sozial·abgaben');
  });
});
