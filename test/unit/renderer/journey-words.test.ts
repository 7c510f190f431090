import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../../api/forms.ts';
import { icaoCountry } from '../../../common/icao-countries.ts';
import { serviceDefinitions } from '../../../core/services/index.ts';
import { createI18n } from '../../../renderer/i18n.ts';
import { countryName, formatDate, formatFieldValue, formatMoney } from '../../../renderer/journey/format.ts';
import { Review } from '../../../renderer/journey/Review.tsx';
import { TextField } from '../../../renderer/journey/TextField.tsx';

const LOCALES_DIR = join(import.meta.dirname, '../../../renderer/locales');
const languages = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'];
type Tree = { [key: string]: unknown };
const locale = (code: string) => JSON.parse(readFileSync(join(LOCALES_DIR, `${code}.json`), 'utf8')) as Tree;
const at = (tree: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);

/** A translator over one locale file, without React (renderer/i18n.ts's options). */
function translator(code: string) {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { [code]: { translation: locale(code) } },
    lng: code,
    fallbackLng: false,
    initAsync: false,
  });
  return instance.t;
}

describe('one way to show a date, an amount and a nationality per language (D25)', () => {
  it('shows a date as it was typed, DD.MM.YYYY, in every language', () => {
    expect(formatDate('1974-08-12')).toBe('12.08.1974');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('shows money with its currency, in the language’s own order, in Latin digits', () => {
    expect(formatMoney('4200', 'de')).toBe('4.200\u00a0€');
    expect(formatMoney('4200,5', 'de')).toBe('4.200,50\u00a0€');
    expect(formatMoney('4200', 'en')).toBe('€4,200');
    expect(formatMoney('4200', 'fr')).toMatch(/^4\s200\s€$/u);
    for (const language of languages) {
      const shown = formatMoney('4200', language);
      expect(shown, language).toMatch(/€|EUR/);
      expect(shown, language).toMatch(/4.?200/u);
    }
    expect(formatMoney('', 'de')).toBe('');
  });

  it('names every ISO country and ICAO’s own codes in the visitor’s language, never the code', () => {
    for (const language of languages) {
      const t = translator(language);
      for (const code of ['TUR', 'UKR', 'SYR', 'AFG', 'D', 'GBD', 'RKS', 'XXA', 'XXB', 'UNO', 'XXX']) {
        const name = countryName(code, language, t);
        expect(name, `${code} in ${language}`).not.toBe(code);
        expect(name, `${code} in ${language}`).not.toMatch(/^countries\./);
      }
    }
    expect(countryName('TUR', 'de', translator('de'))).toBe('Türkei');
    expect(countryName('D', 'de', translator('de'))).toBe('Deutschland');
    expect(countryName('TUR', 'uk', translator('uk'))).toBe('Туреччина');
    expect(countryName('GBD', 'en', translator('en'))).toBe('United Kingdom');
    expect(countryName('XXA', 'fr', translator('fr'))).toBe('Apatride');
    // The specimen state of ICAO's examples is no country: shown as it is, not guessed.
    expect(countryName('UTO', 'de', translator('de'))).toBe('UTO');
  });

  it('maps all 249 ISO 3166 countries to a region Intl names', () => {
    const iso = readFileSync(join(import.meta.dirname, '../../../common/icao-countries.ts'), 'utf8');
    const codes = [...iso.matchAll(/\b([A-Z]{3})([A-Z]{2})\b/g)].map((m) => m[1] ?? '');
    expect(codes.length).toBe(249);
    const names = new Intl.DisplayNames(['de'], { type: 'region', fallback: 'none' });
    for (const code of codes) {
      const country = icaoCountry(code);
      expect(country.kind, code).toBe('region');
      if (country.kind === 'region') expect(names.of(country.region), code).toBeTruthy();
    }
  });
});

describe('no question asked twice (D22)', () => {
  /** Words of five letters or more, lower case. */
  const words = (text: string) => new Set(text.toLowerCase().match(/\p{L}{5,}/gu) ?? []);

  it('asks "first time or extension" once: the answer that reveals the question does not ask it', () => {
    for (const language of languages) {
      const fields = at(locale(language), 'services.residence-permit.fields');
      const answer = String(at(fields, 'request.options.permit'));
      const question = words(String(at(fields, 'permitRequest.label')));
      const repeated = [...words(answer)].filter((w) => question.has(w));
      expect(repeated, `${language}: "${answer}"`).toEqual([]);
    }
    // The service still reveals that question by that answer.
    const request = serviceDefinitions
      .get('residence-permit')
      ?.steps[0]?.fields.find((f) => f.id === 'permitRequest');
    expect(request?.visibleIf).toEqual({ field: 'request', equals: 'permit' });
  });
});

describe("a child's application speaks of the child (E10), rendered", () => {
  it('titles the review sections for the child in every language, and for the visitor otherwise', () => {
    const summary = [{ stepId: 'personal', fields: [] }];
    for (const language of ['de', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr', 'de-x-ls']) {
      const i18n = createI18n(language);
      const heading = (wording: string | undefined) =>
        renderToStaticMarkup(
          createElement(
            I18nextProvider,
            { i18n },
            createElement(Review, {
              base: 'services.residence-permit',
              summary,
              wording,
              onEdit: () => undefined,
              formatValue: (_type, value) => value,
            }),
          ),
        )
          .replaceAll('\u00ad', '')
          .match(/<h3[^>]*>([^<]*)<\/h3>/)?.[1]
          ?.replaceAll('&#x27;', "'");
      const own = i18n.t('services.residence-permit.steps.personal.title').replaceAll('\u00ad', '');
      const child = i18n.t('services.residence-permit.steps.personal.title_child').replaceAll('\u00ad', '');
      expect(heading(undefined), language).toBe(own);
      expect(heading('child'), language).toBe(child);
      expect(child, language).not.toBe(own);
    }
  });
});

describe('the journey shows typed values back one way (D25), rendered', () => {
  const render = (language: string, element: ReturnType<typeof createElement>) => {
    const i18n = createI18n(language);
    return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, element)).replaceAll('\u00ad', '');
  };
  const nationality: FieldDefinition = { id: 'nationality', type: 'country', required: true };

  it('names the country under a nationality field typed as a code, in the visitor’s language', () => {
    const field = (language: string, value: string) =>
      render(
        language,
        createElement(TextField, {
          base: 'services.residence-permit',
          field: nationality,
          value,
          error: undefined,
          language,
          active: false,
          today: '2026-12-07',
          onActivate: () => undefined,
          onChange: () => undefined,
          onDone: () => undefined,
        }),
      );
    expect(field('de', 'TUR')).toContain('>Türkei</p>');
    expect(field('uk', 'D')).toContain('>Німеччина</p>');
    expect(field('de', 'UTO')).not.toContain('field-hint');
  });

  it('reviews a date as typed, money in euros and the nationality by name', () => {
    const summary = [
      {
        stepId: 'identity',
        fields: [
          { id: 'nationality', type: 'country' as const, value: 'TUR' },
          { id: 'birthDate', type: 'date' as const, value: '1974-08-12' },
          { id: 'grossSalary', type: 'money' as const, value: '4200' },
        ],
      },
    ];
    for (const [language, salary] of [
      ['de', '4.200\u00a0€'],
      ['en', '€4,200'],
    ] as const) {
      const t = createI18n(language).t;
      const formatValue = (type: FieldDefinition['type'], value: string) =>
        formatFieldValue(type, value, language, t);
      const html = render(
        language,
        createElement(Review, {
          base: 'services.residence-permit',
          summary,
          onEdit: () => undefined,
          formatValue,
        }),
      );
      expect(html).toContain('12.08.1974');
      expect(html).toContain(salary);
      expect(html).toContain(language === 'de' ? 'Türkei' : 'Türkiye');
      expect(html).not.toContain('>TUR<');
    }
  });
});
