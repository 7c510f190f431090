import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { KeyboardField } from '../../../renderer/keyboard/KeyboardField.tsx';
import { type KeyboardFieldType, keyboardFor } from '../../../renderer/keyboard/layouts.ts';
import {
  type KeyboardLabels,
  OnScreenKeyboard,
  type OnScreenKeyboardProps,
  widthClass,
} from '../../../renderer/keyboard/OnScreenKeyboard.tsx';

const labels: KeyboardLabels = {
  keyboard: 'Tastatur',
  shift: 'Umschalt',
  capsLock: 'Feststelltaste',
  backspace: 'Löschen',
  space: 'Leerzeichen',
  done: 'Fertig',
  latin: 'Lateinische Buchstaben',
  nativeScript: 'Eigene Schrift',
  accents: 'Buchstaben mit Akzent',
  day: 'Tag',
  month: 'Monat',
  year: 'Jahr',
};

const render = (
  props: Partial<OnScreenKeyboardProps> & Pick<OnScreenKeyboardProps, 'language' | 'fieldType'>,
) =>
  renderToStaticMarkup(
    createElement(OnScreenKeyboard, {
      value: '',
      onChange: () => undefined,
      onDone: () => undefined,
      labels,
      ...props,
    }),
  );

interface Button {
  readonly attributes: Record<string, string>;
  readonly text: string;
}

const decode = (s: string) =>
  s
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
    const name = match[1];
    // HTML attribute names are case-insensitive (React writes `inputMode`).
    if (name) out[name.toLowerCase()] = decode(match[2] ?? '');
  }
  return out;
}

function buttons(html: string): Button[] {
  return [...html.matchAll(/<button([^>]*)>([\s\S]*?)<\/button>/g)].map((m) => ({
    attributes: attributesOf(m[1] ?? ''),
    text: decode((m[2] ?? '').replace(/<[^>]*>/g, '')).trim(),
  }));
}

const accessibleName = (button: Button) => button.attributes['aria-label'] ?? button.text;

const languages = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar'];
const fieldTypes: KeyboardFieldType[] = [
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

describe('OnScreenKeyboard markup', () => {
  for (const language of languages) {
    for (const fieldType of fieldTypes) {
      it(`${language} / ${fieldType}: a labelled group of named, sized buttons`, () => {
        const html = render({ language, fieldType });
        expect(html).toMatch(/^<div role="group" aria-label="Tastatur" class="osk /);
        const pad = ['phone', 'number', 'money', 'date', 'postcode'].includes(fieldType);
        expect(
          html.startsWith(`<div role="group" aria-label="Tastatur" class="osk osk-${pad ? 'pad' : 'text'}`),
        ).toBe(true);
        const all = buttons(html);
        expect(all.length).toBeGreaterThan(10);
        for (const button of all) {
          expect(button.attributes.type).toBe('button');
          expect(accessibleName(button).trim(), JSON.stringify(button)).not.toBe('');
        }
        const keys = all.filter((b) => b.attributes.class?.split(' ').includes('osk-key'));
        const page = keyboardFor(language, fieldType);
        const first = page.pages.find((p) => p.id === page.initialPage);
        expect(keys).toHaveLength(first?.rows.flat().length ?? -1);
        for (const key of keys) expect(key.attributes.class).toMatch(/\bosk-w-\d(-5)?\b/);
        // Names are unique, so a test (or a screen reader user) can tell every key apart.
        const names = keys.map(accessibleName);
        expect(new Set(names).size, names.join(' ')).toBe(names.length);
      });
    }
  }

  it('names special keys by their labels and marks Shift and Caps Lock as toggles', () => {
    const all = buttons(render({ language: 'de', fieldType: 'text' }));
    const byName = (name: string) => all.find((b) => accessibleName(b) === name);
    expect(byName('Umschalt')?.attributes['aria-pressed']).toBe('false');
    expect(byName('Feststelltaste')?.attributes['aria-pressed']).toBe('false');
    expect(byName('Löschen')?.text).toBe('');
    expect(byName('Leerzeichen')?.attributes.class).toContain('osk-w-3');
    expect(byName('Fertig')?.attributes.class).toContain('osk-key-done');
    expect(byName('ä')?.attributes['data-preview']).toBe('ä');
    expect(byName('ß')).toBeDefined();
  });

  it('tells Shift and Caps Lock apart by name and by look, in every language (D9)', () => {
    const html = render({ language: 'de', fieldType: 'text' });
    const tags = [
      ...html.matchAll(/<button[^>]*aria-label="(Umschalt|Feststelltaste)"[^>]*>([\s\S]*?)<\/button>/g),
    ];
    const inner = Object.fromEntries(tags.map((m) => [m[1], m[2] ?? '']));
    // Caps Lock carries a lamp (filled while on); Shift, a one-shot, has none; the icons differ.
    expect(inner.Feststelltaste).toContain('osk-lamp');
    expect(inner.Umschalt).not.toContain('osk-lamp');
    const path = (markup: string | undefined) => /<path d="([^"]+)"/.exec(markup ?? '')?.[1];
    expect(path(inner.Umschalt)).toBeDefined();
    expect(path(inner.Umschalt)).not.toBe(path(inner.Feststelltaste));
    const css = readFileSync(new URL('../../../renderer/keyboard/keyboard.css', import.meta.url), 'utf8');
    expect(css).toMatch(/\.osk-key\[aria-pressed="true"\] \.osk-lamp \{\s*background: currentColor/);
    for (const language of languages) {
      const texts = JSON.parse(
        readFileSync(new URL(`../../../renderer/locales/${language}.json`, import.meta.url), 'utf8'),
      ) as { keyboard: Record<string, string> };
      expect(texts.keyboard.shift, language).toBeTruthy();
      expect(texts.keyboard.capsLock, language).toBeTruthy();
      expect(texts.keyboard.shift, language).not.toBe(texts.keyboard.capsLock);
    }
  });

  it('offers a capital on an empty name field: Shift shows pressed and the keys show capitals (D9)', () => {
    const empty = buttons(render({ language: 'en', fieldType: 'name' }));
    expect(empty.find((b) => accessibleName(b) === 'Umschalt')?.attributes['aria-pressed']).toBe('true');
    expect(empty.some((b) => accessibleName(b) === 'K')).toBe(true);
    const typed = buttons(render({ language: 'en', fieldType: 'name', value: 'K' }));
    expect(typed.find((b) => accessibleName(b) === 'Umschalt')?.attributes['aria-pressed']).toBe('false');
    const address = buttons(render({ language: 'en', fieldType: 'text' }));
    expect(address.find((b) => accessibleName(b) === 'Umschalt')?.attributes['aria-pressed']).toBe('false');
  });

  it('sets dir and lang: the Arabic page right to left, Latin pages and pads left to right', () => {
    const arabic = render({ language: 'ar', fieldType: 'text' });
    expect(arabic).toContain('class="osk-page osk-page-native osk-script-arabic" dir="rtl" lang="ar"');
    expect(buttons(arabic).find((b) => b.text === 'ABC')?.attributes['aria-label']).toBe(
      'Lateinische Buchstaben',
    );
    const arabicName = render({ language: 'ar', fieldType: 'name' });
    expect(arabicName).toContain('class="osk-page osk-page-latin osk-script-latin" dir="ltr"');
    expect(buttons(arabicName).find((b) => b.text === 'أبت')?.attributes['aria-label']).toBe(
      'Eigene Schrift',
    );
    expect(render({ language: 'ar', fieldType: 'phone' })).toContain('dir="ltr"');
    expect(render({ language: 'ar', fieldType: 'phone' })).not.toContain('dir="rtl"');
    expect(render({ language: 'uk', fieldType: 'text' })).toContain('dir="ltr" lang="uk"');
  });

  it('shows the date pad with day, month and year parts and the value of an ISO date', () => {
    const html = render({ language: 'tr', fieldType: 'date', value: '1990-04-03' });
    const parts = buttons(html).filter((b) => b.attributes.class?.includes('osk-date-part'));
    expect(parts.map((b) => b.text)).toEqual(['Tag 03', 'Monat 04', 'Jahr 1990']);
    expect(parts.map((b) => b.attributes['aria-pressed'])).toEqual(['true', 'false', 'false']);
    expect(html).toContain('<div class="osk-date-parts" dir="ltr">');
    const dot = buttons(html).find((b) => b.text === '.');
    expect(dot?.attributes['aria-label']).toBe('Monat');
  });

  it('disables the digits the date pad refuses', () => {
    const html = render({ language: 'de', fieldType: 'date', value: '', maxDate: '2025-06-15' });
    const disabled = buttons(html).filter((b) => b.attributes['aria-disabled'] === 'true');
    // An empty day: every digit can start one; a lone "." has nothing to finish yet.
    expect(disabled.map(accessibleName)).toEqual(['Monat']);
  });
});

describe('KeyboardField markup', () => {
  const field = (props: Partial<Parameters<typeof KeyboardField>[0]> = {}) =>
    renderToStaticMarkup(
      createElement(KeyboardField, {
        id: 'lastName',
        label: 'Familienname',
        value: 'Öz',
        onOpen: () => undefined,
        ...props,
      }),
    );

  it('is a focusable textbox without a system keyboard, labelled by its label', () => {
    const html = field();
    expect(html).toContain('<span id="lastName-label" class="osk-field-label">Familienname</span>');
    const box = attributesOf(/<div([^>]*role="textbox"[^>]*)>/.exec(html)?.[1] ?? '');
    expect(box).toMatchObject({ id: 'lastName', role: 'textbox', tabindex: '0', inputmode: 'none' });
    expect(box['aria-labelledby']).toBe('lastName-label');
    expect(box['aria-invalid']).toBeUndefined();
    expect(box['aria-describedby']).toBeUndefined();
    expect(html).not.toContain('osk-caret');
  });

  it('ties an error text to the field', () => {
    const html = field({ error: 'Bitte geben Sie Ihren Familiennamen ein.', describedBy: 'lastName-hint' });
    const box = attributesOf(/<div([^>]*role="textbox"[^>]*)>/.exec(html)?.[1] ?? '');
    expect(box['aria-invalid']).toBe('true');
    expect(box['aria-describedby']).toBe('lastName-error lastName-hint');
    expect(html).toContain(
      '<p id="lastName-error" class="osk-field-error">Bitte geben Sie Ihren Familiennamen ein.</p>',
    );
    expect(field({ invalid: true })).toContain('aria-invalid="true"');
  });

  it('shows a caret at the cursor while the keyboard is open', () => {
    expect(field({ active: true })).toMatch(
      />z<\/span><span class="osk-caret" aria-hidden="true"><\/span><\/span>/,
    );
    expect(field({ active: true, cursor: 1 })).toMatch(
      /<span data-at="1" data-end="2"><span class="osk-caret" aria-hidden="true"><\/span>z<\/span>/,
    );
    // A cursor between a letter and its haraka snaps to the boundary before the letter.
    expect(field({ value: 'ئ\u064E', active: true, cursor: 1 })).toContain(
      '<span data-at="0" data-end="2"><span class="osk-caret" aria-hidden="true"></span>ئ\u064E</span>',
    );
  });

  it('shows dates as DD.MM.YYYY, digits left to right, text in its own direction', () => {
    expect(field({ value: '1990-04-03', fieldType: 'date' })).toContain('dir="ltr"');
    expect(field({ value: '1990-04-03', fieldType: 'date' }).replace(/<[^>]*>/g, '')).toContain('03.04.1990');
    expect(field({ value: 'سلمى', fieldType: 'name' })).toContain('dir="auto"');
    expect(field({ value: '', placeholder: 'TT.MM.JJJJ' })).toContain('aria-placeholder="TT.MM.JJJJ"');
  });
});

describe('keyboard.css', () => {
  const css = readFileSync(new URL('../../../renderer/keyboard/keyboard.css', import.meta.url), 'utf8');
  const rule = (selector: string) => {
    const match = new RegExp(`(?:^|\\n)${selector.replace(/[.[\]]/g, '\\$&')} \\{([^}]*)\\}`).exec(css);
    return match?.[1] ?? '';
  };

  it('makes every key at least 48 × 48 px, 64 px high by default', () => {
    expect(rule('.osk-key')).toMatch(/min-width: 48px;/);
    expect(rule('.osk-key')).toMatch(/min-height: 48px;/);
    expect(rule('.osk-key')).toMatch(/height: var\(--osk-key-height\);/);
    expect(rule('.osk')).toMatch(/--osk-key-height: var\(--target, 64px\);/);
    expect(rule('.osk-page')).toMatch(/--osk-unit: clamp\(48px,/);
  });

  it('has a class for every key width in the layouts, and no hover styles', () => {
    const widths = new Set<number>();
    for (const language of languages) {
      for (const fieldType of fieldTypes) {
        for (const page of keyboardFor(language, fieldType).pages) {
          for (const key of page.rows.flat()) widths.add(key.width);
        }
      }
    }
    for (const width of widths) expect(rule(`.${widthClass(width)}`), `${width}`).toMatch(/width: /);
    expect(css).not.toMatch(/:hover/);
    expect(css).toMatch(/\.osk-key:active,\n\.osk-key\.is-pressed \{/);
  });
});
