/**
 * The terminal's enrolment with a portal: who it is there, and the portal's signing key that
 * verifies configuration and status events. Not secret; kept as a JSON file in the data folder
 * next to the device key, so it survives a queue database that had to be moved aside.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './keystore.ts';
import { type PortalSigningJwk, portalSigningJwkSchema } from './protocol/index.ts';
import { err, ok, type Result } from './result.ts';

export const ENROLMENT_FILE = 'enrolment.json';

export const enrolmentRecordSchema = z.object({
  portalUrl: z.url(),
  terminalId: z.string().min(1),
  keyId: z.string().min(1),
  audience: z.string().min(1),
  portalSigningKey: portalSigningJwkSchema,
  enrolledAt: z.string(),
});
export type EnrolmentRecord = z.infer<typeof enrolmentRecordSchema>;

export type EnrolmentFileErrorCode = 'enrolment.missing' | 'enrolment.malformed' | 'enrolment.write_failed';

export function readEnrolment(dataDir: string): Result<EnrolmentRecord, EnrolmentFileErrorCode> {
  let text: string;
  try {
    text = readFileSync(join(dataDir, ENROLMENT_FILE), 'utf8');
  } catch {
    return err('enrolment.missing', 'this terminal is not enrolled with a portal');
  }
  try {
    const parsed = enrolmentRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? ok(parsed.data) : err('enrolment.malformed', 'the enrolment file is malformed');
  } catch {
    return err('enrolment.malformed', 'the enrolment file is not JSON');
  }
}

export function writeEnrolment(
  dataDir: string,
  record: EnrolmentRecord,
): Result<void, EnrolmentFileErrorCode> {
  try {
    writeFileAtomic(join(dataDir, ENROLMENT_FILE), `${JSON.stringify(record, null, 2)}\n`, 0o600);
    return ok(undefined);
  } catch {
    return err('enrolment.write_failed', 'the enrolment file cannot be written');
  }
}

/**
 * What the installation says the terminal may trust (config file or environment, never the
 * screen): the portal's URL and the RFC 7638 thumbprint of the portal's signing key.
 */
export interface PortalPin {
  readonly url: string;
  readonly signingKeyThumbprint: string;
}

export type EnrolmentPinErrorCode = 'enrolment.foreign_origin' | 'enrolment.foreign_key';

/** RFC 7638 thumbprint (SHA-256, base64url) of the portal's EC signing key. */
export function signingKeyThumbprint(jwk: Pick<PortalSigningJwk, 'crv' | 'kty' | 'x' | 'y'>): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** The origin (scheme, host, port) of a URL; null when it is not one. */
export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Whether the URL has the pinned portal's origin. */
export function isPinnedOrigin(url: string, pin: Pick<PortalPin, 'url'>): boolean {
  const origin = originOf(url);
  return origin !== null && origin !== 'null' && origin === originOf(pin.url);
}

/** Whether a portal signing key is the pinned one. */
export function checkSigningKey(
  key: Pick<PortalSigningJwk, 'crv' | 'kty' | 'x' | 'y'>,
  pin: Pick<PortalPin, 'signingKeyThumbprint'>,
): Result<void, 'enrolment.foreign_key'> {
  return signingKeyThumbprint(key) === pin.signingKeyThumbprint
    ? ok(undefined)
    : err('enrolment.foreign_key', "the portal's signing key is not the one this installation trusts");
}

/**
 * Whether an enrolment record names the portal of this installation: its origin and its signing
 * key. A record written for another portal (a copied or planted file, a changed installation)
 * is refused; the terminal then stays out of service until an administrator enrols it again.
 */
export function checkEnrolmentPin(
  record: Pick<EnrolmentRecord, 'portalUrl' | 'portalSigningKey'>,
  pin: PortalPin,
): Result<void, EnrolmentPinErrorCode> {
  if (!isPinnedOrigin(record.portalUrl, pin))
    return err('enrolment.foreign_origin', 'the enrolment names another portal than this installation');
  return checkSigningKey(record.portalSigningKey, pin);
}
