import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The findings of the domain review's translation section (Turkish, Ukrainian, Russian, Arabic,
 * Leichte Sprache): each a rule over every text of the language, so a new text cannot bring the
 * slip back.
 */
const texts = (code: string): string[] => {
  const all: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') all.push(node);
    else if (node && typeof node === 'object') for (const value of Object.values(node)) walk(value);
  };
  walk(
    JSON.parse(readFileSync(join(import.meta.dirname, '../../../renderer/locales', `${code}.json`), 'utf8')),
  );
  return all;
};
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
