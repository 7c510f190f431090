import { useCallback, useEffect, useState } from 'react';
import type { StatusView } from '../api/contract.ts';

/**
 * Reading a status answer aloud with the Web Speech API: what is spoken (headline, date, next
 * step), in which language, and whether this terminal has a voice for it at all.
 */

/** The part of `speechSynthesis` used here, so a test can hand in its own. */
export interface SpeechEngine {
  getVoices(): readonly { readonly lang: string }[];
  speak(utterance: SpeechSynthesisUtterance): void;
  cancel(): void;
  addEventListener(type: 'voiceschanged', listener: () => void): void;
  removeEventListener(type: 'voiceschanged', listener: () => void): void;
}

const SENTENCE_END = /[.!?؟…:]$/u;

function sentence(text: string): string {
  const trimmed = text.trim();
  return SENTENCE_END.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * The words read aloud for a status answer: the headline the screen shows, the date of the status
 * when there is one, and what happens next under its heading. Each part ends as a sentence, so a voice pauses.
 */
export function spokenStatus(view: Pick<StatusView, 'headline' | 'since' | 'nextHeading' | 'next'>): string {
  return [view.headline, view.since, view.nextHeading, view.next]
    .filter((part): part is string => part !== null && part.trim() !== '')
    .map(sentence)
    .join(' ');
}

/**
 * The BCP 47 tag an utterance is spoken in: the visitor's language without private-use parts
 * (Leichte Sprache is spoken by a German voice).
 */
export function speechLanguage(language: string): string {
  return language.split('-x-')[0] ?? language;
}

function primary(tag: string): string {
  return (tag.split(/[-_]/)[0] ?? '').toLowerCase();
}

/** Whether the engine has a voice that speaks this language (by its primary subtag). */
export function hasVoice(engine: Pick<SpeechEngine, 'getVoices'>, language: string): boolean {
  const wanted = primary(speechLanguage(language));
  return engine.getVoices().some((voice) => primary(voice.lang) === wanted);
}

/** The browser's engine, or null where there is none. */
export function browserSpeech(): SpeechEngine | null {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
}

export interface ReadAloud {
  /** A voice for the language exists; until then the button is not offered. */
  readonly available: boolean;
  readonly speaking: boolean;
  read(text: string): void;
  stop(): void;
}

/**
 * Reads texts aloud in a language. Whatever is being spoken stops when the component using it
 * goes away (the visitor leaves the screen, or the session ends and the screen with it) and when
 * the language changes.
 */
export function useReadAloud(language: string, engine: SpeechEngine | null = browserSpeech()): ReadAloud {
  const [available, setAvailable] = useState(() => engine !== null && hasVoice(engine, language));
  const [speaking, setSpeaking] = useState(false);

  useEffect(() => {
    if (!engine) return;
    // Chromium lists its voices late: ask again when it says they changed.
    const update = () => setAvailable(hasVoice(engine, language));
    update();
    engine.addEventListener('voiceschanged', update);
    return () => {
      engine.removeEventListener('voiceschanged', update);
      engine.cancel();
      setSpeaking(false);
    };
  }, [engine, language]);

  const read = useCallback(
    (text: string) => {
      if (!engine) return;
      engine.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = speechLanguage(language);
      utterance.onend = () => setSpeaking(false);
      utterance.onerror = () => setSpeaking(false);
      setSpeaking(true);
      engine.speak(utterance);
    },
    [engine, language],
  );

  const stop = useCallback(() => {
    engine?.cancel();
    setSpeaking(false);
  }, [engine]);

  return { available, speaking, read, stop };
}
