import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { authorityConfigSchema, authorityTexts, defaultAuthorityFacts } from '../../../core/authority.ts';
import { softHyphen } from '../../../renderer/hyphenate.ts';
import { applyAuthorityFacts, createI18n } from '../../../renderer/i18n.ts';
import { PrivacyNotice } from '../../../renderer/screens/PrivacyNotice.tsx';

const languages = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'];
const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, '\n')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replaceAll(softHyphen, '')
    .replaceAll('\u200b', '')
    .replace(/[\u2066-\u2069]/g, '');

/** The notice as a visitor reads it, in `language`, for an installation's facts. */
function notice(language: string, facts = defaultAuthorityFacts): { text: string; headings: number } {
  const i18n = createI18n(language);
  applyAuthorityFacts(i18n, authorityTexts(facts, 24));
  const html = renderToStaticMarkup(
    createElement(I18nextProvider, { i18n }, createElement(PrivacyNotice, { onClose: () => undefined })),
  );
  return { text: decode(html), headings: (html.match(/<h3 /g) ?? []).length };
}

const other = authorityConfigSchema.parse({
  privacy: {
    controller: { name: 'Stadt Musterstadt, Ausländerbehörde', address: 'Marktplatz 1, 12345 Musterstadt' },
    stateDataProtectionLaw: 'LDSG Musterland',
    dataProtectionOfficer: {
      name: 'Datenschutz Musterstadt',
      address: 'Marktplatz 2',
      phone: '+49 30 1234-567',
    },
    supervisoryAuthority: {
      name: 'Landesbeauftragte für Datenschutz Musterland',
      address: 'Amtsweg 3, 12345 Musterstadt',
      url: 'https://datenschutz.example',
    },
    retention: { yearsAfterMovingAway: 7, yearsAfterNaturalisationOrDeath: 3 },
  },
});

describe('the privacy notice, Art. 13 and 14 GDPR (E14)', () => {
  for (const language of languages) {
    it(`${language}: names controller, officer, supervisory authority and retention from the installation`, () => {
      for (const facts of [defaultAuthorityFacts, other]) {
        const { text, headings } = notice(language, facts);
        const p = facts.privacy;
        for (const fact of [
          p.controller.name,
          p.controller.address,
          p.stateDataProtectionLaw,
          p.dataProtectionOfficer.name,
          p.dataProtectionOfficer.address,
          p.dataProtectionOfficer.phone,
          p.supervisoryAuthority.name,
          p.supervisoryAuthority.address,
          p.supervisoryAuthority.url,
          facts.serviceCentre.phone,
        ]) {
          expect(text, `${language}: ${fact}`).toContain(fact);
        }
        // Retention in years, in the language's own digits (Persian ones in Farsi).
        const digits = new Intl.NumberFormat(language === 'fa' ? 'fa' : 'en');
        for (const years of [p.retention.yearsAfterMovingAway, p.retention.yearsAfterNaturalisationOrDeath]) {
          expect(text, `${language}: ${years} years`).toContain(digits.format(years));
        }
        // Controller, purposes, duty, recipients, retention, rights, other people.
        expect(headings).toBe(7);
        expect(text).not.toMatch(/\{\{|privacy\./);
      }
    });
  }

  it('says in German what Art. 13 and 14 ask for', () => {
    const { text } = notice('de');
    for (const part of [
      'Art. 6 Abs. 1 Buchst. c und e DSGVO',
      'Datenschutzgesetz des Landes (BayDSG)',
      'Einwilligung (Art. 6 Abs. 1 Buchst. a DSGVO)',
      'jederzeit widerrufen',
      '§ 82 Aufenthaltsgesetz',
      'Ausländerzentralregister',
      'Bundesdruckerei',
      'Bundesagentur für Arbeit',
      '§ 73 Aufenthaltsgesetz',
      'Widerspruch (Art. 21 DSGVO)',
      'Beschwerde (Art. 77 DSGVO)',
      'Löschung (Art. 17)',
      'Art. 14 DSGVO',
      '24 Stunden',
      '10 Jahre',
      '5 Jahren',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('the call-back consent says how to withdraw it, in every language', () => {
    for (const language of languages) {
      const texts = JSON.parse(
        readFileSync(join(import.meta.dirname, '../../../renderer/locales', `${language}.json`), 'utf8'),
      );
      expect(texts.services['callback-request'].steps.declarations.text, language).toContain(
        '{{serviceCentrePhone}}',
      );
    }
  });

  it('takes the demo installation’s facts from Nürnberg and refuses a supervisory address without https', () => {
    expect(defaultAuthorityFacts.privacy.supervisoryAuthority.name).toBe(
      'Der Bayerische Landesbeauftragte für den Datenschutz',
    );
    expect(defaultAuthorityFacts.privacy.retention).toEqual({
      yearsAfterMovingAway: 10,
      yearsAfterNaturalisationOrDeath: 5,
    });
    const insecure = authorityConfigSchema.safeParse({
      privacy: {
        ...defaultAuthorityFacts.privacy,
        supervisoryAuthority: {
          ...defaultAuthorityFacts.privacy.supervisoryAuthority,
          url: 'http://x.example',
        },
      },
    });
    expect(insecure.success).toBe(false);
    const noOfficer = authorityConfigSchema.safeParse({
      privacy: { ...defaultAuthorityFacts.privacy, dataProtectionOfficer: undefined },
    });
    expect(noOfficer.success).toBe(false);
  });
});
