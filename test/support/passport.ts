import { computeCheckDigit } from '../../device/mrz/index.ts';

export interface PassportData {
  /** Issuing state and nationality, e.g. `TUR`. */
  readonly state: string;
  /** MRZ form: capitals, `<` between parts. */
  readonly last: string;
  readonly first: string;
  readonly number: string;
  /** YYMMDD */
  readonly birth: string;
  readonly sex: 'M' | 'F' | 'X' | '<';
  /** YYMMDD */
  readonly expiry: string;
}

/** A valid TD3 passport MRZ (check digits per ICAO 9303) for the simulated document reader. */
export function passportMrz(o: PassportData): [string, string] {
  const cd = (s: string) => String(computeCheckDigit(s));
  const line1 = `P<${o.state}${o.last}<<${o.first}`.padEnd(44, '<');
  const number = o.number.padEnd(9, '<');
  const personal = '<'.repeat(14);
  const body = `${number}${cd(number)}${o.state}${o.birth}${cd(o.birth)}${o.sex}${o.expiry}${cd(o.expiry)}${personal}${cd(personal)}`;
  const composite = cd(`${body.slice(0, 10)}${body.slice(13, 20)}${body.slice(21, 43)}`);
  return [line1, `${body}${composite}`];
}

/** `YYMMDD` of an ISO date. */
export function mrzDate(iso: string): string {
  return iso.slice(2).replaceAll('-', '');
}
