import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../../api/contract.ts';
import { defaultCatalog } from '../../../core/documents/locale.ts';
import { caseStatusView } from '../../../core/documents/status-sheet.ts';
import { hasVoice, speechLanguage, spokenStatus } from '../../../renderer/speech.ts';
import { CASE_STATUSES } from '../../../sync/protocol/index.ts';

const catalog = defaultCatalog();
const LANGUAGES = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'] as const;

/** The headline the status screen shows for a state (renderer/locales, result.status). */
function screenHeadline(language: string, status: string): string {
  const file = join(import.meta.dirname, '../../../renderer/locales', `${language}.json`);
  const words = JSON.parse(readFileSync(file, 'utf8')) as { result: { status: Record<string, string> } };
  const headline = words.result.status[status];
  if (headline === undefined) throw new Error(`${language}: result.status.${status}`);
  return headline;
}

function view(status: (typeof CASE_STATUSES)[number] | 'queued', language: string, since: Date | null) {
  const made = caseStatusView(
    { status, reference: 'ABH-2026-000123', referenceKind: 'caseReference', since, details: null, language },
    catalog,
  );
  if (!made.ok) throw new Error(made.error.code);
  return made.value;
}

describe('the words read aloud for a status answer', () => {
  for (const language of LANGUAGES) {
    it(`says the screen's headline, the date and the next step of every state in ${language}`, () => {
      for (const status of CASE_STATUSES) {
        const v = {
          ...view(status, language, new Date('2026-11-10T09:00:00Z')),
          headline: screenHeadline(language, status),
        };
        const spoken = spokenStatus(v);
        const parts = [v.headline, v.since ?? '', v.nextHeading, v.next].map((p) => p.replace(/[.:]$/, ''));
        let from = 0;
        for (const part of parts) {
          const at = spoken.indexOf(part, from);
          expect(at, `${status}: ${part}`).toBeGreaterThanOrEqual(from);
          from = at + part.length;
        }
        // the reference is on screen and on paper, not read out
        expect(spoken).not.toContain('ABH-2026-000123');
      }
    });
  }

  it('leaves out a date that is not known and ends each part as a sentence', () => {
    const v = view('queued', 'en', null);
    expect(v.since).toBeNull();
    const spoken = spokenStatus(v);
    expect(spoken).not.toContain('null');
    expect(spoken).not.toMatch(/\.\./);
    const made: StatusView = { ...v, headline: 'Ready', since: '  ', nextHeading: 'Next:', next: 'Come by' };
    expect(spokenStatus(made)).toBe('Ready. Next: Come by.');
  });

  it('keeps an Arabic question mark as the end of a sentence', () => {
    const v: StatusView = {
      ...view('closed', 'ar', null),
      headline: 'هل؟',
      nextHeading: 'بعد',
      next: 'انتهى',
    };
    expect(spokenStatus(v)).toBe('هل؟ بعد. انتهى.');
  });
});

describe('the language spoken in', () => {
  it('is the visitor language, Leichte Sprache spoken by a German voice', () => {
    expect(speechLanguage('de-x-ls')).toBe('de');
    expect(speechLanguage('ar')).toBe('ar');
    expect(speechLanguage('en')).toBe('en');
  });

  it('counts as available only with a voice of that language', () => {
    const engine = { getVoices: () => [{ lang: 'de-DE' }, { lang: 'en_GB' }, { lang: 'fa' }] };
    expect(hasVoice(engine, 'de')).toBe(true);
    expect(hasVoice(engine, 'de-x-ls')).toBe(true);
    expect(hasVoice(engine, 'en')).toBe(true);
    expect(hasVoice(engine, 'fa')).toBe(true);
    expect(hasVoice(engine, 'ar')).toBe(false);
    expect(hasVoice(engine, 'fr')).toBe(false);
    expect(hasVoice({ getVoices: () => [] }, 'de')).toBe(false);
  });
});
