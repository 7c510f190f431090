/**
 * The QR code on a service account's confirmation letter: `SVK1:<ACCOUNT-ID>` (version 1 of the
 * scheme). Short, Latin and upper case so it stays in the QR alphanumeric set and survives a
 * scanner that types in caps-lock emulation; the portal matches account ids without regard to
 * case. A later scheme gets a new number (`SVK2:`), which this version refuses by name.
 */
import { err, ok, type Result } from '../result.ts';

export const ACCOUNT_QR_PREFIX = 'SVK1:';
const ACCOUNT_ID = /^[A-Z0-9][A-Z0-9._-]{0,99}$/;

export type AccountQrErrorCode = 'qr.not_account' | 'qr.unsupported_version' | 'qr.invalid';

/** The payload for an account id (letters, digits, `.`, `_`, `-`); upper-cased. */
export function accountQrPayload(accountId: string): string {
  return `${ACCOUNT_QR_PREFIX}${accountId.toUpperCase()}`;
}

/**
 * Reads a scanned code. Surrounding whitespace and line endings are ignored, case is not
 * significant; the account id comes back upper-cased.
 */
export function parseAccountQr(scanned: string): Result<{ readonly accountId: string }, AccountQrErrorCode> {
  const text = scanned.trim().toUpperCase();
  const scheme = /^SVK(\d+):/.exec(text);
  if (scheme === null) return err('qr.not_account', 'The code is not a service account letter code');
  if (`SVK${scheme[1]}:` !== ACCOUNT_QR_PREFIX) {
    return err(
      'qr.unsupported_version',
      `The letter code uses version ${scheme[1]}, which this terminal does not read`,
    );
  }
  const accountId = text.slice(ACCOUNT_QR_PREFIX.length);
  if (!ACCOUNT_ID.test(accountId)) return err('qr.invalid', 'The letter code holds no valid account id');
  return ok({ accountId });
}
