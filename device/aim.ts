/**
 * AIM symbology identifiers (ISO/IEC 15424): `]` + code character + modifier character, sent by
 * scanners in front of the data. The code character names the symbology; some modifiers narrow
 * it (GS1 variants, EAN-8).
 */

const byCode: Readonly<Record<string, string>> = {
  A: 'code39',
  B: 'telepen',
  C: 'code128',
  D: 'code-one',
  E: 'ean-upc',
  F: 'codabar',
  G: 'code93',
  H: 'code11',
  I: 'itf',
  K: 'code16k',
  L: 'pdf417',
  M: 'msi',
  N: 'anker',
  O: 'codablock',
  P: 'plessey',
  Q: 'qr',
  R: 'code25-straight',
  S: 'code25-industrial',
  U: 'maxicode',
  X: 'other',
  d: 'datamatrix',
  e: 'gs1-databar',
  o: 'ocr',
  z: 'aztec',
};

const byIdentifier: Readonly<Record<string, string>> = {
  ']C1': 'gs1-128',
  ']E0': 'ean-13',
  ']E4': 'ean-8',
  ']d2': 'gs1-datamatrix',
  ']Q3': 'gs1-qr',
  ']e0': 'gs1-databar',
  ']z1': 'aztec',
};

const identifierPattern = /^\][A-Za-z][0-9A-Za-z]$/;

/** The symbology an AIM identifier names, or undefined when it is malformed or unknown. */
export function symbologyOfAim(aim: string): string | undefined {
  if (!identifierPattern.test(aim)) return undefined;
  const exact = byIdentifier[aim];
  if (exact) return exact;
  return byCode[aim.charAt(1)];
}

/** Splits a leading AIM identifier off a text (keyboard-mode scanners may send one). */
export function splitAim(text: string): { aim: string | null; symbology: string; text: string } {
  const aim = text.slice(0, 3);
  const symbology = symbologyOfAim(aim);
  if (symbology === undefined) return { aim: null, symbology: 'unknown', text };
  return { aim, symbology, text: text.slice(3) };
}

/** The table itself, for tests that compare copies of it (the renderer keeps its own). */
export function aimTable(): {
  byCode: Readonly<Record<string, string>>;
  byIdentifier: Readonly<Record<string, string>>;
} {
  return { byCode, byIdentifier };
}

const preferredAim: Readonly<Record<string, string>> = {
  qr: ']Q1',
  'gs1-qr': ']Q3',
  datamatrix: ']d1',
  'gs1-datamatrix': ']d2',
  code128: ']C0',
  'gs1-128': ']C1',
  'ean-13': ']E0',
  'ean-8': ']E4',
  pdf417: ']L2',
  code39: ']A0',
  aztec: ']z0',
  itf: ']I0',
  codabar: ']F0',
  code93: ']G0',
};

/** The AIM identifier a scanner sends for a symbology name (or an identifier given as is). */
export function aimForSymbology(symbology: string): string | undefined {
  if (symbologyOfAim(symbology) !== undefined) return symbology;
  return preferredAim[symbology];
}
