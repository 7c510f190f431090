import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { germanVocabulary, hyphenateGerman } from './hyphenate.ts';

/**
 * Every file in `locales/` is a language: adding a language is adding a file. A locale's `meta`
 * gives its name in its own language and its writing direction.
 *
 * The screens for the authority's employees (staff overlay, administration, enrolment) have their
 * own namespace `staff`, in German and English only (`locales/staff/<lang>.json`). A visitor
 * language without staff texts gets the German ones in that namespace alone: the visitor
 * namespace keeps `fallbackLng: false`, so a missing visitor text still shows as its key.
 */
const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json', { eager: true });
const staffFiles = import.meta.glob<{ default: Record<string, unknown> }>('./locales/staff/*.json', {
  eager: true,
});

export interface LocaleMeta {
  readonly code: string;
  readonly nativeName: string;
  readonly dir: 'ltr' | 'rtl';
}

export const resources: Resource = {};
export const locales: Record<string, LocaleMeta> = {};

const codeOf = (path: string) => path.replace(/^.*\/([^/]+)\.json$/, '$1');
const staffTexts: Record<string, Record<string, unknown>> = {};
for (const [path, module] of Object.entries(staffFiles)) staffTexts[codeOf(path)] = module.default;

/** The language the staff screens speak for a visitor language: its own if there are staff texts, else German. */
export function staffLanguage(code: string): string {
  return Object.hasOwn(staffTexts, code) ? code : 'de';
}

for (const [path, module] of Object.entries(files)) {
  const code = codeOf(path);
  const translation = module.default;
  const meta = translation.meta as { nativeName: string; dir: 'ltr' | 'rtl' };
  resources[code] = { translation, staff: staffTexts[staffLanguage(code)] ?? {} };
  locales[code] = { code, nativeName: meta.nativeName, dir: meta.dir };
}

/** The installation's facts the texts quote: until the terminal tells them, empty (never another city's). */
export interface AuthorityTexts {
  readonly serviceCentrePhone: string;
  readonly phoneExample: string;
  readonly registerCourt: string;
  readonly portalName: string;
  readonly portalUrl: string;
  readonly controllerName: string;
  readonly controllerAddress: string;
  readonly stateDataProtectionLaw: string;
  readonly dpoName: string;
  readonly dpoAddress: string;
  readonly dpoPhone: string;
  readonly supervisoryName: string;
  readonly supervisoryAddress: string;
  readonly supervisoryUrl: string;
  readonly retentionYearsMovedAway: string;
  readonly retentionYearsNaturalised: string;
  readonly terminalRetentionHours: string;
}

const noFacts: AuthorityTexts = {
  serviceCentrePhone: '',
  phoneExample: '',
  registerCourt: '',
  portalName: '',
  portalUrl: '',
  controllerName: '',
  controllerAddress: '',
  stateDataProtectionLaw: '',
  dpoName: '',
  dpoAddress: '',
  dpoPhone: '',
  supervisoryName: '',
  supervisoryAddress: '',
  supervisoryUrl: '',
  retentionYearsMovedAway: '',
  retentionYearsNaturalised: '',
  terminalRetentionHours: '',
};

/** A fact of the installation as the texts quote it (empty until the terminal told them). */
export function authorityFact(instance: I18n, name: keyof AuthorityTexts): string {
  const facts = instance.options.interpolation?.defaultVariables as Partial<AuthorityTexts> | undefined;
  return facts?.[name] ?? '';
}

/** Makes the terminal's facts the values of `{{serviceCentrePhone}}` and the like in every text. */
export function applyAuthorityFacts(instance: I18n, facts: AuthorityTexts): void {
  // In place: the interpolator holds this very object.
  const interpolation = instance.options.interpolation ?? {};
  interpolation.defaultVariables ??= {};
  Object.assign(interpolation.defaultVariables, facts);
  instance.options.interpolation = interpolation;
}

/** The long words of the German texts: the German terms other languages quote. */
const germanTerms = germanVocabulary(resources.de?.translation);

/**
 * Visitor texts get break points in their long German words (hyphenate.ts). Not the staff screens'
 * texts (their own namespace, German and English, outside the visitor's reading), and not the names
 * of the on-screen keyboard's keys: they are accessible names, never broken over lines.
 */
const hyphenation = {
  type: 'postProcessor' as const,
  name: 'hyphenation',
  process: (
    value: string,
    key: string | string[],
    options: { lng?: string; ns?: string | readonly string[] | null },
    translator: { language?: string },
  ) => {
    const first = (Array.isArray(key) ? key[0] : key) ?? '';
    if (first.startsWith('keyboard.') || first.startsWith('staff:') || options.ns === 'staff') return value;
    return hyphenateGerman(value, options.lng ?? translator.language ?? '', germanTerms);
  },
};

export function createI18n(language: string): I18n {
  const instance = i18next.createInstance();
  void instance
    .use(initReactI18next)
    .use(hyphenation)
    .init({
      resources,
      lng: language,
      ns: ['translation', 'staff'],
      defaultNS: 'translation',
      // No fallback on visitor screens: a missing text shows up as its key in tests, not as English.
      fallbackLng: false,
      interpolation: { escapeValue: false, defaultVariables: { ...noFacts } },
      returnNull: false,
      postProcess: ['hyphenation'],
      initAsync: false,
    });
  return instance;
}

/** Sets the document's language and direction so screen readers and layout follow the visitor. */
export function applyDocumentLanguage(code: string): void {
  document.documentElement.lang = code;
  document.documentElement.dir = locales[code]?.dir ?? 'ltr';
}
