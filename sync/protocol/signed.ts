/**
 * Verifies an object the portal signed (compact JWS, ES256, the portal signing key the terminal
 * recorded at enrolment) of one `typ`, and parses its payload with the protocol's schema. A signed
 * object of another type (a command, a configuration) is never taken for this one.
 */
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { z } from 'zod';
import { err, ok, type Result } from '../../common/result.ts';
import type { PortalSigningJwk } from './common.ts';

export type SignedErrorCode = 'signed.malformed' | 'signed.wrong_type' | 'signed.bad_signature';

const decoder = new TextDecoder('utf-8', { fatal: true });

export async function verifyPortalSigned<S extends z.ZodType>(
  jws: string,
  typ: string,
  schema: S,
  portalSigningKey: PortalSigningJwk,
): Promise<Result<z.output<S>, SignedErrorCode>> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return err('signed.malformed', 'not a compact JWS');
  }
  if (header.typ !== typ) return err('signed.wrong_type', `a ${String(header.typ)}, not a ${typ}`);
  let payload: Uint8Array;
  try {
    const key = await importJWK(portalSigningKey as JWK, 'ES256');
    ({ payload } = await compactVerify(jws, key, { algorithms: ['ES256'] }));
  } catch {
    return err('signed.bad_signature', 'the signature does not verify with the portal key');
  }
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(payload));
  } catch {
    return err('signed.malformed', 'the payload is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return err('signed.malformed', 'the payload does not match the protocol');
  return ok(parsed.data);
}
