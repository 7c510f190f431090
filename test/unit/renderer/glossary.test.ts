import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hyphenateGerman } from '../../../renderer/hyphenate.ts';
import { type GlossaryTerm, glossaryTerms, termsIn } from '../../../renderer/screens/Glossary.tsx';

const locale = (code: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../../renderer/locales', `${code}.json`), 'utf8'),
  ) as {
    glossary: { terms: Record<GlossaryTerm, { match: string; term: string; text: string }> };
  } & Record<string, unknown>;
const allTexts = (node: unknown): string =>
  typeof node === 'string'
    ? node
    : node && typeof node === 'object'
      ? Object.values(node).map(allTexts).join('\n')
      : '';

describe('the Leichte Sprache glossary', () => {
  const ls = locale('de-x-ls');
  const matchOf = (term: GlossaryTerm) => ls.glossary.terms[term].match;

  it('explains Aufenthalts·titel, Terminal, QR-Code and Vorgangs·nummer, each in short sentences', () => {
    for (const term of glossaryTerms) {
      const { term: word, text } = ls.glossary.terms[term];
      expect(word.length).toBeGreaterThan(0);
      for (const sentence of text.split(/[.?!:]\s+/))
        expect(sentence.split(/\s+/).length).toBeLessThanOrEqual(14);
    }
    expect(glossaryTerms.map((term) => ls.glossary.terms[term].term)).toEqual([
      'Aufenthalts·titel',
      'Terminal',
      'QR-Code',
      'Vorgangs·nummer',
    ]);
  });

  it('finds each term where the Leichte Sprache texts use it, also as the screen shows it (with break points)', () => {
    const { glossary: _own, ...visitorTexts } = ls;
    const everything = allTexts(visitorTexts);
    expect(termsIn(everything, matchOf)).toEqual([...glossaryTerms]);
    const shown = hyphenateGerman('Ihre Vorgangs·nummer steht auf der Quittung.', 'de-x-ls', new Set());
    expect(shown).not.toBe('Ihre Vorgangs·nummer steht auf der Quittung.');
    expect(termsIn(shown, matchOf)).toEqual(['trackingNumber']);
    expect(termsIn('Bitte wählen Sie Ihre Sprache', matchOf)).toEqual([]);
  });

  it('in every language, looks for words its own texts use', () => {
    for (const code of ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr']) {
      const texts = locale(code);
      const { glossary, ...visitorTexts } = texts;
      const found = termsIn(allTexts(visitorTexts), (term) => glossary.terms[term].match);
      expect(found, code).toEqual([...glossaryTerms]);
    }
  });
});
