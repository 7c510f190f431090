/** The German (1996 orthography) hyphenator of the `hyphen` package: Liang's TeX patterns. */
declare module 'hyphen/de' {
  interface HyphenateOptions {
    readonly hyphenChar?: string;
    readonly minWordLength?: number;
    readonly exceptions?: readonly string[];
  }
  export function hyphenateSync(text: string, options?: HyphenateOptions): string;
}
