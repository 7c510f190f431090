import { describe, expect, it } from 'vitest';
import { authorityTexts, defaultAuthorityFacts } from '../../../core/authority.ts';
import { germanVocabulary, hyphenateGerman, softHyphen } from '../../../renderer/hyphenate.ts';
import { applyAuthorityFacts, createI18n } from '../../../renderer/i18n.ts';

const shown = (text: string) => text.replaceAll(softHyphen, '|').replaceAll('\u200b', '^');
const german = germanVocabulary({ a: 'Ihre Verpflichtungserklärung', b: ['Aufenthaltserlaubnis'] });

describe('break points in long German words (D19)', () => {
  it('puts soft hyphens at the syllables of German compounds, the joints included', () => {
    const text = hyphenateGerman('Verpflichtungserklärung und Aufenthaltserlaubnis', 'de', german);
    expect(shown(text)).toBe('Ver|pflich|tungs|er|klä|rung und Auf|ent|halts|er|laub|nis');
    // the text a visitor reads is unchanged apart from the invisible break points
    expect(text.replaceAll(softHyphen, '')).toBe('Verpflichtungserklärung und Aufenthaltserlaubnis');
  });

  it('breaks a German term quoted in another language, and leaves that language alone', () => {
    const text = hyphenateGerman('Taahhütname başvurularınızın (Verpflichtungserklärung)', 'tr', german);
    expect(shown(text)).toBe('Taahhütname başvurularınızın (Ver|pflich|tungs|er|klä|rung)');
    expect(shown(hyphenateGerman('«Aufenthaltserlaubnis» — вид на жительство', 'ru', german))).toBe(
      '«Auf|ent|halts|er|laub|nis» — вид на жительство',
    );
  });

  it('lets Leichte Sprache break after the middle dot of a compound', () => {
    expect(shown(hyphenateGerman('Ihr Aufenthalts·titel', 'de-x-ls', german))).toBe(
      'Ihr Auf|ent|halts·^titel',
    );
  });

  it('never touches addresses, numbers and e-mail, nor a text that has its own break points', () => {
    const url =
      'https://www.nuernberg.de/internet/mein_nuernberg/ datenschutzbeauftragter@stadt.nuernberg.de';
    expect(hyphenateGerman(url, 'de', german)).toBe(url);
    expect(hyphenateGerman('ST-9G7D352Q37N, +49 911 231-0', 'de', german)).toBe(
      'ST-9G7D352Q37N, +49 911 231-0',
    );
    const own = `Verpflichtungs${softHyphen}erklärung`;
    expect(hyphenateGerman(own, 'de', german)).toBe(own);
  });

  it('is what every visitor text goes through, lists and interpolated facts included', () => {
    const i18n = createI18n('de');
    applyAuthorityFacts(i18n, authorityTexts(defaultAuthorityFacts, 24));
    expect(i18n.t('privacy.title')).toContain(softHyphen);
    const paragraphs = i18n.t('privacy.rights.text', { returnObjects: true }) as unknown as string[];
    expect(paragraphs.some((p) => p.includes(softHyphen))).toBe(true);
    // The keyboard's key names are accessible names (matched as they are), never broken.
    expect(i18n.t('keyboard.shift')).not.toContain(softHyphen);
    expect(i18n.t('keyboard.shift').length).toBeGreaterThanOrEqual(10);
    // Nor the staff screens' texts.
    expect(i18n.getFixedT('de', 'staff')('overlay.title')).not.toContain(softHyphen);
    expect(i18n.t('staff:overlay.title')).not.toContain(softHyphen);
    void i18n.changeLanguage('tr');
    expect(shown(i18n.t('services.commitment-private.title'))).toBe(
      'Şahıs olarak taahhütname (Ver|pflich|tungs|er|klä|rung)',
    );
  });
});
