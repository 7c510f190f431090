import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * Every file in `locales/` is a language: adding a language is adding a file. A locale's `meta`
 * gives its name in its own language and its writing direction.
 */
const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json', { eager: true });

export interface LocaleMeta {
  readonly code: string;
  readonly nativeName: string;
  readonly dir: 'ltr' | 'rtl';
}

export const resources: Resource = {};
export const locales: Record<string, LocaleMeta> = {};

for (const [path, module] of Object.entries(files)) {
  const code = path.replace(/^.*\/([^/]+)\.json$/, '$1');
  const translation = module.default;
  const meta = translation.meta as { nativeName: string; dir: 'ltr' | 'rtl' };
  resources[code] = { translation };
  locales[code] = { code, nativeName: meta.nativeName, dir: meta.dir };
}

export function createI18n(language: string): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    // No fallback on visitor screens: a missing text shows up as its key in tests, not as English.
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

/** Sets the document's language and direction so screen readers and layout follow the visitor. */
export function applyDocumentLanguage(code: string): void {
  document.documentElement.lang = code;
  document.documentElement.dir = locales[code]?.dir ?? 'ltr';
}
