import { useTranslation } from 'react-i18next';
import type { DisplaySettings } from '../app-state.ts';

/** Reads the screen's heading and main text aloud where the platform has a voice for the language. */
export function speakScreen(language: string): boolean {
  const synth = window.speechSynthesis;
  if (!synth) return false;
  const main = document.querySelector('main');
  if (!main) return false;
  const text = [...main.querySelectorAll('h1, h2, p, legend, label')]
    .map((node) => node.textContent?.trim())
    .filter(Boolean)
    .join('. ');
  const voice = synth
    .getVoices()
    .find((v) => v.lang.toLowerCase().startsWith(language.split('-')[0] ?? language));
  if (!voice) return false;
  synth.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  synth.speak(utterance);
  return true;
}

/** Larger text, high contrast and speech: for every screen, switched with one tap, never stored. */
export function AccessibilityPanel({
  settings,
  onChange,
  onClose,
  language,
}: {
  settings: DisplaySettings;
  onChange: (settings: DisplaySettings) => void;
  onClose: () => void;
  language: string;
}) {
  const { t } = useTranslation();
  const canSpeak =
    typeof window.speechSynthesis !== 'undefined' && window.speechSynthesis.getVoices().length > 0;
  return (
    <div className="overlay">
      <div role="dialog" aria-modal="true" aria-labelledby="a11y-title" className="dialog">
        <h2 id="a11y-title">{t('accessibility.title')}</h2>
        <div className="fields">
          <label className={settings.largeText ? 'check selected' : 'check'}>
            <input
              type="checkbox"
              checked={settings.largeText}
              onChange={(event) => onChange({ ...settings, largeText: event.target.checked })}
            />
            <span>{t('accessibility.largeText')}</span>
          </label>
          <label className={settings.highContrast ? 'check selected' : 'check'}>
            <input
              type="checkbox"
              checked={settings.highContrast}
              onChange={(event) => onChange({ ...settings, highContrast: event.target.checked })}
            />
            <span>{t('accessibility.highContrast')}</span>
          </label>
          <label className={settings.moreTime ? 'check selected' : 'check'}>
            <input
              type="checkbox"
              checked={settings.moreTime}
              onChange={(event) => onChange({ ...settings, moreTime: event.target.checked })}
            />
            <span>{t('accessibility.moreTime')}</span>
          </label>
          {canSpeak ? (
            <button type="button" className="secondary" onClick={() => speakScreen(language)}>
              {t('accessibility.readAloud')}
            </button>
          ) : (
            <p>{t('accessibility.noVoice')}</p>
          )}
        </div>
        <button type="button" onClick={onClose}>
          {t('menu.close')}
        </button>
      </div>
    </div>
  );
}
