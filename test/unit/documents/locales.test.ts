import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFontBytes, missingGlyphs } from '../../../core/documents/fonts.ts';
import { defaultCatalog, LocaleCatalog } from '../../../core/documents/locale.ts';

const LANGUAGES = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'];

function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

describe('document locales', () => {
  const catalog = defaultCatalog();

  it('has a complete file for every visitor language', () => {
    expect(catalog.codes.sort()).toEqual([...LANGUAGES].sort());
    expect(catalog.get('ar')).toMatchObject({ ok: true, value: { language: { direction: 'rtl' } } });
    expect(catalog.get('fa')).toMatchObject({ ok: true, value: { language: { direction: 'rtl' } } });
    expect(catalog.get('fr')).toMatchObject({ ok: true, value: { language: { direction: 'ltr' } } });
    expect(catalog.get('xx')).toMatchObject({ ok: false, error: { code: 'document.unknown_language' } });
  });

  it('has a glyph in DejaVu Sans (regular and bold) for every character of every text', () => {
    const fonts = loadFontBytes();
    for (const code of LANGUAGES) {
      const texts = allStrings(catalog.get(code)).join('\n');
      expect(missingGlyphs(fonts.regular, texts), code).toEqual([]);
      expect(missingGlyphs(fonts.bold, texts), code).toEqual([]);
    }
  });

  it('is really translated: no visitor text is a copy of the German one except names and codes', () => {
    const german = new Set(allStrings(catalog.german.cases));
    // Leichte Sprache is German too: a simple German sentence may rightly appear in both.
    for (const code of LANGUAGES.filter((c) => c !== 'de' && c !== 'de-x-ls')) {
      const result = catalog.get(code);
      if (!result.ok) throw new Error(code);
      const copies = allStrings(result.value.cases).filter((t) => german.has(t));
      expect(copies, code).toEqual([]);
    }
  });

  it('writes Leichte Sprache in short sentences', () => {
    const ls = catalog.get('de-x-ls');
    if (!ls.ok) throw new Error('de-x-ls missing');
    for (const text of allStrings({ r: ls.value.receipt, a: ls.value.activation, c: ls.value.cases })) {
      for (const sentence of text.split(/[.?!:]\s+/)) {
        expect(sentence.split(/\s+/).length, sentence).toBeLessThanOrEqual(14);
      }
    }
  });

  it('rejects a locale file with a missing text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-locale-'));
    try {
      const broken = structuredClone(catalog.german) as Record<string, unknown>;
      delete (broken.receipt as Record<string, unknown>).qrHint;
      await writeFile(join(dir, 'de.json'), JSON.stringify(broken));
      expect(() => LocaleCatalog.load(dir)).toThrow(/qrHint/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a file without the words of a checklist item, or with a blank one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-locale-'));
    try {
      const missing = structuredClone(catalog.german) as unknown as { checklist: Record<string, unknown> };
      delete missing.checklist.photoCode;
      await writeFile(join(dir, 'de.json'), JSON.stringify(missing));
      expect(() => LocaleCatalog.load(dir)).toThrow(/photoCode/);

      const blank = structuredClone(catalog.german);
      blank.checklist.policeReport = '';
      await writeFile(join(dir, 'de.json'), JSON.stringify(blank));
      expect(() => LocaleCatalog.load(dir)).toThrow(/policeReport/);

      // A bring-list of its own per case is gone: one checklist source (checklists.ts).
      const old = structuredClone(catalog.german) as unknown as {
        cases: Record<string, Record<string, unknown>>;
      };
      (old.cases['callback-request'] as Record<string, unknown>).bring = [];
      await writeFile(join(dir, 'de.json'), JSON.stringify(old));
      expect(() => LocaleCatalog.load(dir)).toThrow(/bring/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a file whose language code does not match its name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-locale-'));
    try {
      await writeFile(join(dir, 'fr.json'), JSON.stringify(catalog.german));
      expect(() => LocaleCatalog.load(dir)).toThrow(/declares language "de"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
