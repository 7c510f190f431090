/**
 * Arabic contextual shaping to Unicode presentation forms.
 *
 * PDF text drawn with pdf-lib is placed glyph by glyph from the font's character map, with no
 * OpenType shaping. Arabic letters change shape by position in a word (isolated, final, initial,
 * medial), so we replace each letter by its presentation form (Arabic Presentation Forms-B,
 * U+FE70–U+FEFF, plus Forms-A for the letters Persian and Urdu add) before drawing. The input and
 * output are both in logical order; bidi reordering happens afterwards.
 *
 * Joining follows Unicode's ArabicShaping.txt: a letter joins its predecessor when it is
 * right-joining or dual-joining and the predecessor is dual-joining or join-causing; transparent
 * characters (harakat) are skipped when looking for neighbours. Lam followed by an alef becomes
 * the mandatory lam-alef ligature.
 */

/** Joining types of ArabicShaping.txt that matter here. */
type JoiningType = 'D' | 'R' | 'C' | 'T' | 'U';

/** [isolated, final, initial, medial]; right-joining letters have only the first two. */
type Forms = readonly [number, number] | readonly [number, number, number, number];

/** Letters of the Arabic block with their presentation forms (Forms-B). */
const FORMS_B: ReadonlyArray<readonly [number, Forms]> = [
  [0x0621, [0xfe80, 0xfe80]],
  [0x0622, [0xfe81, 0xfe82]],
  [0x0623, [0xfe83, 0xfe84]],
  [0x0624, [0xfe85, 0xfe86]],
  [0x0625, [0xfe87, 0xfe88]],
  [0x0626, [0xfe89, 0xfe8a, 0xfe8b, 0xfe8c]],
  [0x0627, [0xfe8d, 0xfe8e]],
  [0x0628, [0xfe8f, 0xfe90, 0xfe91, 0xfe92]],
  [0x0629, [0xfe93, 0xfe94]],
  [0x062a, [0xfe95, 0xfe96, 0xfe97, 0xfe98]],
  [0x062b, [0xfe99, 0xfe9a, 0xfe9b, 0xfe9c]],
  [0x062c, [0xfe9d, 0xfe9e, 0xfe9f, 0xfea0]],
  [0x062d, [0xfea1, 0xfea2, 0xfea3, 0xfea4]],
  [0x062e, [0xfea5, 0xfea6, 0xfea7, 0xfea8]],
  [0x062f, [0xfea9, 0xfeaa]],
  [0x0630, [0xfeab, 0xfeac]],
  [0x0631, [0xfead, 0xfeae]],
  [0x0632, [0xfeaf, 0xfeb0]],
  [0x0633, [0xfeb1, 0xfeb2, 0xfeb3, 0xfeb4]],
  [0x0634, [0xfeb5, 0xfeb6, 0xfeb7, 0xfeb8]],
  [0x0635, [0xfeb9, 0xfeba, 0xfebb, 0xfebc]],
  [0x0636, [0xfebd, 0xfebe, 0xfebf, 0xfec0]],
  [0x0637, [0xfec1, 0xfec2, 0xfec3, 0xfec4]],
  [0x0638, [0xfec5, 0xfec6, 0xfec7, 0xfec8]],
  [0x0639, [0xfec9, 0xfeca, 0xfecb, 0xfecc]],
  [0x063a, [0xfecd, 0xfece, 0xfecf, 0xfed0]],
  [0x0641, [0xfed1, 0xfed2, 0xfed3, 0xfed4]],
  [0x0642, [0xfed5, 0xfed6, 0xfed7, 0xfed8]],
  [0x0643, [0xfed9, 0xfeda, 0xfedb, 0xfedc]],
  [0x0644, [0xfedd, 0xfede, 0xfedf, 0xfee0]],
  [0x0645, [0xfee1, 0xfee2, 0xfee3, 0xfee4]],
  [0x0646, [0xfee5, 0xfee6, 0xfee7, 0xfee8]],
  [0x0647, [0xfee9, 0xfeea, 0xfeeb, 0xfeec]],
  [0x0648, [0xfeed, 0xfeee]],
  // Alef maksura is dual-joining in Unicode, but Forms-B has only its isolated and final forms
  // (it ends words in Arabic); shaping it as right-joining keeps its neighbours consistent.
  [0x0649, [0xfeef, 0xfef0]],
  [0x064a, [0xfef1, 0xfef2, 0xfef3, 0xfef4]],
  // Forms-A: letters added by Persian and Urdu.
  [0x067e, [0xfb56, 0xfb57, 0xfb58, 0xfb59]],
  [0x0686, [0xfb7a, 0xfb7b, 0xfb7c, 0xfb7d]],
  [0x0698, [0xfb8a, 0xfb8b]],
  [0x06a9, [0xfb8e, 0xfb8f, 0xfb90, 0xfb91]],
  [0x06af, [0xfb92, 0xfb93, 0xfb94, 0xfb95]],
  [0x06cc, [0xfbfc, 0xfbfd, 0xfbfe, 0xfbff]],
];

const FORMS = new Map<number, Forms>(FORMS_B);

/** Lam-alef ligatures: alef variant → [isolated, final]. */
const LAM = 0x0644;
const LAM_ALEF = new Map<number, readonly [number, number]>([
  [0x0622, [0xfef5, 0xfef6]],
  [0x0623, [0xfef7, 0xfef8]],
  [0x0625, [0xfef9, 0xfefa]],
  [0x0627, [0xfefb, 0xfefc]],
]);

const TATWEEL = 0x0640;
const ZWJ = 0x200d;

function isTransparent(cp: number): boolean {
  return (
    (cp >= 0x0610 && cp <= 0x061a) ||
    (cp >= 0x064b && cp <= 0x065f) ||
    cp === 0x0670 ||
    (cp >= 0x06d6 && cp <= 0x06dc) ||
    (cp >= 0x06df && cp <= 0x06e4) ||
    cp === 0x06e7 ||
    cp === 0x06e8 ||
    (cp >= 0x06ea && cp <= 0x06ed)
  );
}

export function joiningType(cp: number): JoiningType {
  if (cp === TATWEEL || cp === ZWJ) return 'C';
  if (isTransparent(cp)) return 'T';
  const forms = FORMS.get(cp);
  if (forms === undefined) return 'U';
  if (cp === 0x0621) return 'U';
  return forms.length === 4 ? 'D' : 'R';
}

/** Joins towards the following letter (its left side, in writing direction). */
function joinsForward(t: JoiningType | undefined): boolean {
  return t === 'D' || t === 'C';
}

/** Accepts a join from the preceding letter (its right side). */
function joinsBackward(t: JoiningType | undefined): boolean {
  return t === 'D' || t === 'R' || t === 'C';
}

export type ArabicForm = 'isolated' | 'final' | 'initial' | 'medial';

/** True when the text contains a letter this module shapes. */
export function needsShaping(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (FORMS.has(cp)) return true;
  }
  return false;
}

/**
 * Replaces Arabic letters by their contextual presentation forms. Text in other scripts passes
 * through unchanged; the result stays in logical order.
 */
export function shapeArabic(text: string): string {
  const cps = Array.from(text, (ch) => ch.codePointAt(0) ?? 0);
  if (!cps.some((cp) => FORMS.has(cp))) return text;
  const types = cps.map(joiningType);

  const prevType = (i: number): JoiningType | undefined => {
    for (let j = i - 1; j >= 0; j--) if (types[j] !== 'T') return types[j];
    return undefined;
  };
  /** Index of the next non-transparent character after i, or -1. */
  const nextIndex = (i: number): number => {
    for (let j = i + 1; j < cps.length; j++) if (types[j] !== 'T') return j;
    return -1;
  };

  const out: number[] = [];
  const skip = new Set<number>();
  for (let i = 0; i < cps.length; i++) {
    if (skip.has(i)) continue;
    const cp = cps[i] ?? 0;
    const forms = FORMS.get(cp);
    if (forms === undefined) {
      out.push(cp);
      continue;
    }
    const type = types[i];
    const joinPrev = joinsBackward(type) && joinsForward(prevType(i));
    const n = nextIndex(i);
    const nextCp = n >= 0 ? (cps[n] ?? 0) : -1;

    const ligature = cp === LAM ? LAM_ALEF.get(nextCp) : undefined;
    if (ligature !== undefined) {
      out.push(joinPrev ? ligature[1] : ligature[0]);
      // Marks between lam and alef follow the ligature; the alef itself is consumed.
      for (let j = i + 1; j < n; j++) out.push(cps[j] ?? 0);
      for (let j = i + 1; j <= n; j++) skip.add(j);
      continue;
    }

    const joinNext = joinsForward(type) && n >= 0 && joinsBackward(types[n]);
    out.push(pickForm(forms, joinPrev, joinNext));
  }
  return String.fromCodePoint(...out);
}

function pickForm(forms: Forms, joinPrev: boolean, joinNext: boolean): number {
  if (forms.length === 2) return joinPrev ? forms[1] : forms[0];
  if (joinPrev && joinNext) return forms[3];
  if (joinPrev) return forms[1];
  if (joinNext) return forms[2];
  return forms[0];
}

/** Which contextual form a presentation-form code point is; undefined for anything else. */
export function presentationForm(cp: number): { base: number; form: ArabicForm } | undefined {
  for (const [alef, [isol, fina]] of LAM_ALEF) {
    if (cp === isol) return { base: alef, form: 'isolated' };
    if (cp === fina) return { base: alef, form: 'final' };
  }
  for (const [base, forms] of FORMS) {
    const index = forms.indexOf(cp);
    if (index >= 0)
      return { base, form: (['isolated', 'final', 'initial', 'medial'] as const)[index] ?? 'isolated' };
  }
  return undefined;
}
