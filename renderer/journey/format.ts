import type { TFunction } from 'i18next';
import type { FieldDefinition } from '../../api/forms.ts';
import { icaoCountry } from '../../common/icao-countries.ts';
import { formatIsoDate } from '../keyboard/index.ts';

/**
 * How a journey shows back what a visitor typed or a reader read, one way per language (D25):
 * - dates as they are typed, DD.MM.YYYY, in every language;
 * - amounts of money with the euro sign in the language's own order and separators, in Latin
 *   digits (as they were typed);
 * - nationalities as the country's name in the visitor's language, never an ICAO code.
 */
export function formatDate(iso: string): string {
  return formatIsoDate(iso);
}

/** "4200" or "4200,5" (as the money field takes it) → "4.200 €", "4.200,50 €", "€4,200" … */
export function formatMoney(value: string, language: string): string {
  const amount = Number(value.replace(',', '.'));
  if (value.trim() === '' || !Number.isFinite(amount)) return value;
  const whole = Number.isInteger(amount);
  return new Intl.NumberFormat(language, {
    style: 'currency',
    currency: 'EUR',
    numberingSystem: 'latn',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(amount);
}

/**
 * An ICAO nationality code (`TUR`, `D`, `GBD`, `XXA` …) as the visitor reads it: the country's name
 * in their language, or what the code stands for (stateless, refugee …). A code that names nothing
 * known (a specimen's `UTO`) is shown as it is.
 */
export function countryName(code: string, language: string, t: TFunction): string {
  const country = icaoCountry(code);
  if (country.kind === 'unknown') return code;
  if (country.kind !== 'region') return t(`countries.${country.kind}`);
  const name = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }).of(country.region);
  return name ?? code;
}

/** A typed or read value of a field of this type, as the visitor reads it back. */
export function formatFieldValue(
  type: FieldDefinition['type'],
  value: string,
  language: string,
  t: TFunction,
): string {
  if (type === 'date') return formatDate(value);
  if (type === 'money') return formatMoney(value, language);
  if (type === 'country') return countryName(value, language, t);
  return value;
}
