import { describe, expect, it } from 'vitest';
import { joiningType, presentationForm, shapeArabic } from '../../../core/documents/text/arabic-shaping.ts';

const cps = (s: string) => Array.from(s, (c) => (c.codePointAt(0) ?? 0).toString(16).toUpperCase());

// Expected forms below were looked up by hand in the Unicode charts (Arabic Presentation Forms-B),
// not derived from the module's table.
describe('shapeArabic', () => {
  it('gives initial, medial and final forms inside a word and isolated forms after right-joining letters', () => {
    // رقم: reh isolated (word start), qaf initial (reh does not join forward), meem final
    expect(cps(shapeArabic('رقم'))).toEqual(['FEAD', 'FED7', 'FEE2']);
    // المعاملة: alef isol, lam init, meem medi, ain medi, alef fina, meem init, lam medi, teh marbuta fina
    expect(cps(shapeArabic('المعاملة'))).toEqual([
      'FE8D',
      'FEDF',
      'FEE4',
      'FECC',
      'FE8E',
      'FEE3',
      'FEE0',
      'FE94',
    ]);
  });

  it('forms the mandatory lam-alef ligature, isolated or final by the preceding letter', () => {
    // استلام: alef isol, seen init, teh medi, lam+alef final ligature, meem isolated
    expect(cps(shapeArabic('استلام'))).toEqual(['FE8D', 'FEB3', 'FE98', 'FEFC', 'FEE1']);
    // لا alone: isolated ligature; لإ with hamza below; لأ with hamza above; لآ with madda
    expect(cps(shapeArabic('لا'))).toEqual(['FEFB']);
    expect(cps(shapeArabic('لإ'))).toEqual(['FEF9']);
    expect(cps(shapeArabic('سلأ'))).toEqual(['FEB3', 'FEF8']);
    expect(cps(shapeArabic('لآ'))).toEqual(['FEF5']);
  });

  it('skips transparent marks when choosing forms and keeps them in place', () => {
    // بَب: beh init, fatha, beh final
    expect(cps(shapeArabic('ب\u064Eب'))).toEqual(['FE91', '64E', 'FE90']);
    // لَا: the ligature still forms across the mark, which follows it
    expect(cps(shapeArabic('ل\u064Eا'))).toEqual(['FEFB', '64E']);
  });

  it('lets tatweel and zero width joiner cause joining', () => {
    expect(cps(shapeArabic('بـ'))).toEqual(['FE91', '640']);
    expect(cps(shapeArabic('\u200Dب'))).toEqual(['200D', 'FE90']);
  });

  it('treats hamza and non-Arabic characters as non-joining', () => {
    // ماء: meem init, alef final, hamza isolated
    expect(cps(shapeArabic('ماء'))).toEqual(['FEE3', 'FE8E', 'FE80']);
    // a digit or a Latin letter breaks the join
    expect(cps(shapeArabic('ب1ب'))).toEqual(['FE8F', '31', 'FE8F']);
    expect(shapeArabic('Straße İı şğ Київ')).toBe('Straße İı şğ Київ');
  });

  it('shapes Persian letters from Presentation Forms-A', () => {
    // پی: peh init, farsi yeh final
    expect(cps(shapeArabic('پی'))).toEqual(['FB58', 'FBFD']);
    // پیگیری: peh init, yeh medi, gaf medi, yeh medi, reh final, yeh isolated (after reh)
    expect(cps(shapeArabic('پیگیری'))).toEqual(['FB58', 'FBFF', 'FB95', 'FBFF', 'FEAE', 'FBFC']);
    // چک: tcheh init, keheh final; کارت: keheh init, alef final, reh isol, teh isol
    expect(cps(shapeArabic('چک'))).toEqual(['FB7C', 'FB8F']);
    expect(cps(shapeArabic('کارت'))).toEqual(['FB90', 'FE8E', 'FEAD', 'FE95']);
    // ژاله: jeh is right-joining (isolated at the start), so the alef after it stands alone
    expect(cps(shapeArabic('ژاله'))).toEqual(['FB8A', 'FE8D', 'FEDF', 'FEEA']);
    // مژه: jeh final after a joining meem
    expect(cps(shapeArabic('مژه'))).toEqual(['FEE3', 'FB8B', 'FEE9']);
    // گچ: gaf init, tcheh final; یک: farsi yeh init, keheh final
    expect(cps(shapeArabic('گچ'))).toEqual(['FB94', 'FB7B']);
    expect(cps(shapeArabic('یک'))).toEqual(['FBFE', 'FB8F']);
  });

  it('breaks the join at a zero width non-joiner, which stays in place (می‌شود)', () => {
    // meem init, yeh FINAL (not medial: the ZWNJ ends the join), ZWNJ, sheen init, waw final, dal isol
    expect(cps(shapeArabic('می\u200Cشود'))).toEqual(['FEE3', 'FBFD', '200C', 'FEB7', 'FEEE', 'FEA9']);
    expect(joiningType(0x200c)).toBe('U');
  });

  it('leaves Persian digits as they are (numbers have no contextual forms)', () => {
    expect(shapeArabic('۱۴۰۵ ۲۰۲۵')).toBe('۱۴۰۵ ۲۰۲۵');
    expect(cps(shapeArabic('پ۲پ'))).toEqual(['FB56', '6F2', 'FB56']);
  });

  it('reports joining types and forms', () => {
    expect(joiningType(0x0628)).toBe('D');
    expect(joiningType(0x0627)).toBe('R');
    expect(joiningType(0x064e)).toBe('T');
    expect(joiningType(0x0041)).toBe('U');
    expect(presentationForm(0xfedf)).toEqual({ base: 0x0644, form: 'initial' });
    expect(presentationForm(0xfefc)).toEqual({ base: 0x0627, form: 'final' });
    expect(presentationForm(0x0041)).toBeUndefined();
  });

  it('round-trips to the logical text under NFKC', () => {
    const text = 'تم حفظ طلبك وسيرسل تلقائيا إلى دائرة الأجانب فور عودة الاتصال.';
    const shaped = shapeArabic(text);
    expect(shaped).not.toBe(text);
    expect(/[\u0621-\u064A]/u.test(shaped)).toBe(false);
    expect(shaped.normalize('NFKC')).toBe(text);
    // Persian, with every letter Persian adds to the Arabic alphabet
    const persian = 'گواهی پلیس درباره چک، ژاله و کارت پیگیری';
    const shapedPersian = shapeArabic(persian);
    expect(/[\u0621-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC]/u.test(shapedPersian)).toBe(false);
    expect(shapedPersian.normalize('NFKC')).toBe(persian);
  });
});
