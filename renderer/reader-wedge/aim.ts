/**
 * AIM symbology identifiers (ISO/IEC 15424), for keyboard-mode scanners that send one in front of
 * the data. The renderer keeps its own copy of the host's table (device/aim.ts), as it may import
 * nothing but api/; a unit test checks that the two stay the same.
 */

export const aimByCode: Readonly<Record<string, string>> = {
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

export const aimByIdentifier: Readonly<Record<string, string>> = {
  ']C1': 'gs1-128',
  ']E0': 'ean-13',
  ']E4': 'ean-8',
  ']d2': 'gs1-datamatrix',
  ']Q3': 'gs1-qr',
  ']e0': 'gs1-databar',
  ']z1': 'aztec',
};

export function splitAim(text: string): { aim: string | null; symbology: string; text: string } {
  const aim = text.slice(0, 3);
  if (/^\][A-Za-z][0-9A-Za-z]$/.test(aim)) {
    const symbology = aimByIdentifier[aim] ?? aimByCode[aim.charAt(1)];
    if (symbology !== undefined) return { aim, symbology, text: text.slice(3) };
  }
  return { aim: null, symbology: 'unknown', text };
}
