import { hyphenateSync } from 'hyphen/de';

/**
 * Where a long German word may break. Chromium and Electron hyphenate with `hyphens: auto` only
 * where a hyphenation dictionary was downloaded, which a locked-down kiosk never does; so the
 * break points are soft hyphens (U+00AD) put into the text as it is shown: a line then breaks as
 * "Verpflichtungs-/erklärung" and never as "Verpflichtungserklärun/g". Screen readers and
 * accessible names ignore soft hyphens.
 *
 * German texts: every word of at least `minLength` letters. Other languages: only the German terms
 * they quote ("taahhütname (Verpflichtungserklärung)"), known as the words of the German texts, so
 * a Turkish or French word never gets German break points. Leichte Sprache marks the joints of a
 * compound with a middle dot ("Aufenthalts·titel"): the line may break after it (a zero-width
 * space), as the joint is where a reader expects it.
 *
 * Never touched: anything with a digit, a slash, an @, a colon or an underscore (addresses, phone
 * numbers, tracking numbers, e-mail), and a text that already has soft hyphens.
 */
export const softHyphen = '\u00ad';
const zeroWidthSpace = '\u200b';
const minLength = 10;
const germanLanguages = new Set(['de', 'de-x-ls']);
const longWord = new RegExp(`\\p{L}{${minLength},}`, 'gu');
const notProse = /[\d/@:_]/u;

/** The German words of at least `minLength` letters in a tree of texts (a locale file). */
export function germanVocabulary(tree: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof tree === 'string') {
    for (const word of tree.match(longWord) ?? []) into.add(word);
  } else if (Array.isArray(tree)) {
    for (const item of tree) germanVocabulary(item, into);
  } else if (tree && typeof tree === 'object') {
    for (const value of Object.values(tree)) germanVocabulary(value, into);
  }
  return into;
}

const cache = new Map<string, string>();

function hyphenateWord(word: string): string {
  let done = cache.get(word);
  if (done === undefined) {
    done = hyphenateSync(word, { hyphenChar: softHyphen, minWordLength: minLength });
    cache.set(word, done);
  }
  return done;
}

/**
 * The text with break points for its long German words: all of them in a German text, the quoted
 * German terms (`german`) in a text of another language.
 */
export function hyphenateGerman(text: string, language: string, german: ReadonlySet<string>): string {
  if (text.includes(softHyphen)) return text;
  const all = germanLanguages.has(language);
  return text
    .split(/(\s+)/u)
    .map((chunk) => {
      if (notProse.test(chunk)) return chunk;
      const broken = all ? chunk.replace(/·(?=\p{L})/gu, `·${zeroWidthSpace}`) : chunk;
      return broken.replace(longWord, (word) => (all || german.has(word) ? hyphenateWord(word) : word));
    })
    .join('');
}
