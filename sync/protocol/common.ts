/**
 * Building blocks of the portal protocol (`/v1`): identifiers, compact JOSE strings, public JWKs
 * and the one error body every non-2xx answer carries.
 */
import { z } from 'zod';

/** `aud` of every terminal token; also returned at enrolment. */
export const PORTAL_AUDIENCE = 'serviceterminal-portal';
/** A terminal token may live at most this long (exp - iat). */
export const TOKEN_MAX_LIFETIME_SECONDS = 60;
/** A token whose iat is further than this from the portal's clock is refused with `auth.clock_skew`. */
export const MAX_CLOCK_SKEW_SECONDS = 120;
/**
 * A token issued further ahead of the portal's clock than this is refused (`auth.clock_skew`): a
 * token made for later could be kept and used then. The terminal corrects its offset from the
 * answer's `Date` and signs its next token at the portal's time.
 */
export const MAX_FUTURE_IAT_SECONDS = 30;
/** Largest chunk body accepted by `PUT .../parts/{partId}`. */
export const MAX_CHUNK_BYTES = 1024 * 1024;
/** Largest sealed part (compact JWE) a submission may declare. */
export const MAX_PART_BYTES = 32 * 1024 * 1024;
/** Largest JSON request body. */
export const MAX_JSON_BYTES = 1024 * 1024;
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set to `true` on an answer replayed for a repeated `Idempotency-Key`. */
export const IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';

export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();

/** Opaque identifiers chosen by one side: letters, digits, `.`, `_`, `-`. */
export const idSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/);
export const partIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/);
export const idempotencyKeySchema = z
  .string()
  .min(8)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/);

/** `ST-` + 10 Crockford base32 symbols + one check symbol (see sync/tracking.ts). */
export const trackingNumberSchema = z.string().regex(/^ST-[0-9A-HJKMNP-TV-Z]{10}[0-9A-HJKMNP-TV-Z*~$=U]$/);

const b64url = /^[A-Za-z0-9_-]+$/;
const b64urlOrEmpty = /^[A-Za-z0-9_-]*$/;
/** Compact JWS: header.payload.signature */
export const compactJwsSchema = z
  .string()
  .max(MAX_JSON_BYTES)
  .refine((s) => {
    const p = s.split('.');
    return (
      p.length === 3 && b64url.test(p[0] ?? '') && b64urlOrEmpty.test(p[1] ?? '') && b64url.test(p[2] ?? '')
    );
  }, 'not a compact JWS');
/** Compact JWE: header.encryptedKey.iv.ciphertext.tag */
export const compactJweSchema = z
  .string()
  .max(MAX_JSON_BYTES)
  .refine((s) => {
    const p = s.split('.');
    return p.length === 5 && p.every((x, i) => (i === 0 ? b64url.test(x) : b64urlOrEmpty.test(x)));
  }, 'not a compact JWE');

export const sha512HexSchema = z.string().regex(/^[0-9a-f]{128}$/);

/** A terminal's public signing key: EC P-256 (ES256) or Ed25519 (EdDSA). */
export const devicePublicJwkSchema = z.discriminatedUnion('kty', [
  z.object({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: z.string().regex(b64url),
    y: z.string().regex(b64url),
    kid: z.string().min(1).max(100).optional(),
    alg: z.literal('ES256').optional(),
    use: z.literal('sig').optional(),
  }),
  z.object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().regex(b64url),
    kid: z.string().min(1).max(100).optional(),
    alg: z.literal('EdDSA').optional(),
    use: z.literal('sig').optional(),
  }),
]);
export type DevicePublicJwk = z.infer<typeof devicePublicJwkSchema>;

/** The portal's public signing key (ES256): verifies signed configuration and status events. */
export const portalSigningJwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().regex(b64url),
  y: z.string().regex(b64url),
  kid: z.string().min(1),
  alg: z.literal('ES256'),
  use: z.literal('sig'),
});
export type PortalSigningJwk = z.infer<typeof portalSigningJwkSchema>;

/** One of the authority's public encryption keys (RSA-OAEP-256). */
export const authorityPublicJwkSchema = z.object({
  kty: z.literal('RSA'),
  n: z.string().regex(b64url),
  e: z.string().regex(b64url),
  kid: z.string().min(1),
  alg: z.literal('RSA-OAEP-256'),
  use: z.literal('enc'),
});
export type AuthorityPublicJwk = z.infer<typeof authorityPublicJwkSchema>;

/** Error codes the portal answers with. Clients branch on `code`, never on `message`. */
export const ERROR_CODES = [
  'request.invalid',
  'request.too_large',
  'request.unsupported_media_type',
  'route.not_found',
  'auth.invalid',
  'auth.clock_skew',
  'auth.replayed',
  'enrolment.code_invalid',
  'enrolment.code_used',
  'enrolment.code_expired',
  'idempotency.key_required',
  'idempotency.in_flight',
  'idempotency.mismatch',
  'submission.not_found',
  'submission.exists',
  'submission.incomplete',
  'submission.rejected',
  'submission.closed',
  'part.not_found',
  'part.gap',
  'part.overlap',
  'part.too_large',
  'tracking.not_found',
  'case.not_found',
  'case.transition',
  'ticket.not_found',
  'invitation.invalid',
  'invitation.not_today',
  'queue.walk_in_not_offered',
  'queue.empty',
  'queue.full',
  'rate_limited',
  'account.not_found',
  'account.not_pending',
  'account.ambiguous',
  'document_ref.invalid',
  'account.sign_in_failed',
  'account.code_invalid',
  'account.code_expired',
  'account.no_second_factor',
  'terminal.not_found',
  'server.unavailable',
  'server.error',
] as const;
export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string(),
    /** True when the same request may succeed later unchanged. */
    retryable: z.boolean().optional(),
    /** `part.gap` / `part.overlap`: how many bytes of the part the portal holds. */
    received: z.number().int().nonnegative().optional(),
    /** `submission.rejected`: the reason code, e.g. `seal.bad_signature`. */
    reason: z.string().optional(),
    /**
     * `submission.rejected` with reason `dataset.invalid`: where the data set does not hold against
     * its published schema (JSON Pointer and a code; never the value).
     */
    problems: z.array(z.object({ pointer: z.string(), code: z.string() })).optional(),
    /** `submission.incomplete`: the parts not yet fully received. */
    missingParts: z.array(z.string()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Media type of the errors of routes marked `problem` (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/**
 * The error answer of the newer routes (`RouteSpec.problem`): RFC 9457 problem details with the
 * code as `code`, and the same code again as the `ErrorBody` member `error`, so a client that
 * reads `ErrorBody` reads these as well.
 */
export const problemDetailsSchema = z.object({
  /** `urn:serviceterminal:problem:<code>` */
  type: z.string().min(1),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string(),
  code: z.string().min(1),
  error: errorBodySchema.shape.error,
});
export type ProblemDetails = z.infer<typeof problemDetailsSchema>;

/** Claims of the `Authorization: Bearer` token a terminal signs with its device key for each request. */
export const terminalTokenClaimsSchema = z.object({
  /** The terminalId from enrolment. */
  iss: idSchema,
  aud: z.literal(PORTAL_AUDIENCE),
  iat: z.number().int(),
  /** exp - iat ≤ TOKEN_MAX_LIFETIME_SECONDS */
  exp: z.number().int(),
  jti: z.string().min(8).max(100),
});
export type TerminalTokenClaims = z.infer<typeof terminalTokenClaimsSchema>;
