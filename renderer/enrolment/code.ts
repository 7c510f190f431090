/**
 * The portal's enrolment codes look like `7Q2M-9K4D-1XHB` (Crockford base 32, in groups). A code
 * scanned from a QR may come with spaces or in lower case; the portal normalises it the same way.
 */
const codePattern = /^[0-9A-Za-z]{4,}(?:[- ][0-9A-Za-z]{2,}){0,5}$/;

/** The enrolment code in a scanned text, upper case; null when the text is not a code. */
export function enrolmentCodeFromScan(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length < 6 || trimmed.length > 40 || !codePattern.test(trimmed)) return null;
  return trimmed.toUpperCase().replace(/ /g, '-');
}
