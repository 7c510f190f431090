/** Request and response bodies of every `/v1` route, and the payloads of the portal's signed JWS. */
import { z } from 'zod';
import { printerStates, staffRoles } from '../../common/vocabulary.ts';
import {
  authorityPublicJwkSchema,
  compactJweSchema,
  compactJwsSchema,
  devicePublicJwkSchema,
  idSchema,
  isoDate,
  isoDateTime,
  MAX_JSON_BYTES,
  MAX_PART_BYTES,
  partIdSchema,
  portalSigningJwkSchema,
  sha512HexSchema,
  trackingNumberSchema,
} from './common.ts';
import { usageReportSchema } from './usage.ts';

// ---- health -------------------------------------------------------------------------------

export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  time: isoDateTime,
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

// ---- configuration (payload of the signed JWS) ----------------------------------------------

const localisedText = z.record(z.string().min(2).max(10), z.string().min(1).max(500));
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/**
 * argon2id in PHC form. The schema checks the form only; the cost floor is the terminal's hasher's
 * (core/staff `acceptStaffRecords`), so that one weak record is refused on its own.
 */
export const ARGON2ID_PHC_PATTERN =
  /^\$argon2id\$(?:v=\d+\$)?m=\d{1,10},t=\d{1,10},p=\d{1,3}\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{6,}$/;

/**
 * One clerk or administrator, as the portal's configuration and the terminal's own configuration
 * file (core/staff/records.ts) carry it. Neither the badge id nor the PIN is in it: `badgeHash` =
 * HMAC-SHA-256 hex of the normalised badge code keyed with the section's `badgeSecret`
 * (`kiosk hash-pin --badge CODE --secret HEX`), `pinHash` = argon2id PHC of the PIN or password
 * (`kiosk hash-pin`). A person who is both clerk and administrator has two records, one per role.
 */
export const siteStaffRecordSchema = z
  .object({
    badgeHash: z
      .string()
      .regex(
        /^[0-9a-f]{64}$/,
        'must be a keyed badge hash: 64 lowercase hex characters (kiosk hash-pin --badge)',
      ),
    pinHash: z
      .string()
      .max(512)
      .regex(
        ARGON2ID_PHC_PATTERN,
        'must be an argon2id PHC string such as $argon2id$v=19$m=19456,t=2,p=1$… (kiosk hash-pin)',
      ),
    role: z.enum(staffRoles),
    /** Shown on the terminal while the person is signed in ("Signed in: M. Keller"); never logged. */
    name: z.string().trim().min(1).max(80),
  })
  .strict();
export type SiteStaffRecord = z.infer<typeof siteStaffRecordSchema>;

/** The records of a site: at most 5,000, and at most one per badge and role. */
export const siteStaffRecordsSchema = z
  .array(siteStaffRecordSchema)
  .max(5_000)
  .superRefine((records, ctx) => {
    const seen = new Set<string>();
    for (const [index, record] of records.entries()) {
      const key = `${record.role}:${record.badgeHash}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          message: `a second ${record.role} record for the same badge`,
          path: [index, 'badgeHash'],
        });
      }
      seen.add(key);
    }
  });

export const siteStaffSchema = z
  .object({
    /** HMAC key of the badge hashes, 32 to 64 bytes as hex. */
    badgeSecret: z.string().regex(/^(?:[0-9a-fA-F]{2}){32,64}$/),
    sessionIdleSeconds: z.number().int().min(30).max(3_600),
    records: siteStaffRecordsSchema,
  })
  .strict();
export type SiteStaff = z.infer<typeof siteStaffSchema>;

export const readerProfileSchema = z.object({
  id: idSchema,
  kind: z.enum(['mrz', 'barcode']),
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
  /** `hid-pos` (usage page 0x8C) or `keyboard` / `hid-keyboard-*` (a reader that types). */
  protocol: z.string().min(1).max(60),
  usagePage: z.number().int().min(0).max(0xffff).optional(),
  usage: z.number().int().min(0).max(0xffff).optional(),
  /** Keyboard readers: the layout they type in. */
  layout: z.enum(['en-US', 'de-DE']).optional(),
});
export type ReaderProfile = z.infer<typeof readerProfileSchema>;

export const terminalConfigSchema = z.object({
  version: z.number().int().positive(),
  terminalId: idSchema,
  issuedAt: isoDateTime,
  location: z.object({
    id: idSchema,
    name: z.string().min(1).max(200),
    address: z.string().min(1).max(300),
    timeZone: z.string().min(1).max(60),
  }),
  /** day 1 = Monday … 7 = Sunday; several intervals per day allowed. */
  openingHours: z.array(
    z.object({ day: z.number().int().min(1).max(7), opens: clockTime, closes: clockTime }),
  ),
  /** BCP 47 codes; the first is the default. */
  languages: z.array(z.string().min(2).max(10)).min(1),
  services: z.array(
    z.object({
      /** One of common/vocabulary.ts `serviceIds`; others are ignored by the terminal. */
      id: idSchema,
      enabled: z.boolean(),
      /** Optional: the kiosk has its own texts for its services. */
      title: localisedText.optional(),
      attachmentsRequired: z.boolean().optional(),
    }),
  ),
  timeouts: z.object({
    idleSeconds: z.number().int().positive(),
    warningSeconds: z.number().int().positive(),
    sessionMaxSeconds: z.number().int().positive(),
  }),
  readerProfiles: z.array(readerProfileSchema),
  printer: z.object({
    queue: z.string().min(1).max(100),
    paper: z.enum(['A4', 'receipt-80mm']),
    copies: z.number().int().min(1).max(3),
  }),
  retention: z.object({
    /** Sealed data is purged this long after the authority accepted it. */
    acceptedHours: z.number().positive(),
    /** Alarm when the oldest queued item is older than this. */
    oldestItemAlarmHours: z.number().positive(),
  }),
  sync: z.object({
    heartbeatSeconds: z.number().int().positive(),
    chunkBytes: z.number().int().positive(),
  }),
  /** Who may sign in at the terminal; absent: nobody. */
  staff: siteStaffSchema.optional(),
});
export type TerminalConfig = z.infer<typeof terminalConfigSchema>;

/** `typ` of the configuration JWS. */
export const CONFIG_JWS_TYPE = 'config+jwt';

export const configResponseSchema = z.object({
  /** Compact JWS (ES256, portal signing key, typ `config+jwt`) whose payload is a `TerminalConfig`. */
  config: compactJwsSchema,
  version: z.number().int().positive(),
});
export type ConfigResponse = z.infer<typeof configResponseSchema>;

// ---- enrolment -----------------------------------------------------------------------------

export const enrolmentRequestSchema = z.object({
  /** The one-time code an administrator got from the portal; case, spaces and hyphens are ignored. */
  code: z.string().min(6).max(40),
  publicKey: devicePublicJwkSchema,
  /** A label for administrators, e.g. "Foyer left"; no personal data. */
  label: z.string().min(1).max(100).optional(),
  appVersion: z.string().min(1).max(40).optional(),
});
export type EnrolmentRequest = z.infer<typeof enrolmentRequestSchema>;

export const enrolmentResponseSchema = z.object({
  terminalId: idSchema,
  /** The kid the terminal puts in its tokens and signatures: the JWK's own kid, or its RFC 7638 thumbprint. */
  keyId: z.string().min(1),
  audience: z.string().min(1),
  portalSigningKey: portalSigningJwkSchema,
  config: compactJwsSchema,
});
export type EnrolmentResponse = z.infer<typeof enrolmentResponseSchema>;

// ---- heartbeat -----------------------------------------------------------------------------

export const READER_STATES = ['present', 'missing', 'error'] as const;

/** A terminal's health, every `sync.heartbeatSeconds`. Figures and codes only, no personal data. */
export const heartbeatRequestSchema = z.object({
  time: isoDateTime,
  appVersion: z.string().min(1).max(40),
  uptimeSeconds: z.number().nonnegative(),
  /** The version of the configuration the terminal runs with; absent when it has none. */
  configVersion: z.number().int().nonnegative().optional(),
  queue: z.object({
    queued: z.number().int().nonnegative(),
    sending: z.number().int().nonnegative(),
    quarantined: z.number().int().nonnegative(),
    oldestAgeSeconds: z.number().nonnegative().nullable(),
  }),
  /** Codes of the open alarms, e.g. `sync.oldest_too_old`. */
  alarms: z.array(z.string().min(1).max(80)).max(50).optional(),
  /** Each expected reader by kind (`mrz`, `barcode`). */
  readers: z
    .array(z.object({ kind: z.string().min(1).max(40), status: z.enum(READER_STATES) }))
    .max(20)
    .optional(),
  printer: z.object({ status: z.enum(printerStates) }).optional(),
  memory: z
    .object({
      rssMb: z.number().nonnegative(),
      heapUsedMb: z.number().nonnegative(),
      heapTotalMb: z.number().nonnegative().optional(),
    })
    .optional(),
  /** Visitor sessions since the kiosk started. */
  sessionsSinceStart: z.number().int().nonnegative().optional(),
  /** The newest entry of the terminal's hash-chained audit log. */
  auditHead: z
    .object({
      seq: z.number().int().nonnegative(),
      hash: z.string().regex(/^[0-9a-f]{64}(?:[0-9a-f]{64})?$/),
    })
    .optional(),
  disk: z.object({ freeBytes: z.number().int().nonnegative() }).optional(),
  /** Ids of commands the terminal has carried out since its last heartbeat was answered. */
  ackedCommands: z.array(idSchema).max(50).optional(),
  /** Usage counts per hour (sync/protocol/usage.ts): the hours changed since the portal last took them. */
  usage: usageReportSchema.optional(),
});
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

export const TERMINAL_COMMAND_TYPES = ['wipe'] as const;

/**
 * Payload of a command an administrator gave at the portal (compact JWS, ES256, portal signing
 * key, typ `command+jwt`). `wipe`: the terminal forgets its identity and its queue. `exp`
 * (seconds): the portal signs each offer afresh with a short life, and a terminal refuses a
 * command after it, so a copy of an old heartbeat answer cannot be played back later.
 */
export const terminalCommandSchema = z.object({
  id: idSchema,
  type: z.enum(TERMINAL_COMMAND_TYPES),
  terminalId: idSchema,
  issuedAt: isoDateTime,
  exp: z.number().int(),
});
export type TerminalCommand = z.infer<typeof terminalCommandSchema>;
export const COMMAND_JWS_TYPE = 'command+jwt';
/** How long a command the portal offers stays valid. */
export const COMMAND_TTL_SECONDS = 10 * 60;
/** `typ` of a signed status event. */
export const STATUS_JWS_TYPE = 'status+jwt';

export const heartbeatResponseSchema = z.object({
  status: z.literal('ok'),
  serverTime: isoDateTime,
  /** The current configuration version: fetch `GET /v1/config` when it differs from the terminal's. */
  configVersion: z.number().int().positive(),
  /** Signed commands not yet acknowledged (`TerminalCommand` payloads), oldest first. */
  commands: z.array(compactJwsSchema).max(20).default([]),
});
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>;

// ---- authority keys ------------------------------------------------------------------------

export const authorityKeySchema = z.object({
  kid: z.string().min(1),
  jwk: authorityPublicJwkSchema,
  notBefore: isoDateTime,
  notAfter: isoDateTime,
});
export type AuthorityKey = z.infer<typeof authorityKeySchema>;

/** `typ` of the signed authority key set. */
export const AUTHORITY_KEYS_JWS_TYPE = 'authority-keys+jwt';
/** Smallest RSA modulus a terminal seals to. */
export const MIN_AUTHORITY_KEY_BITS = 3072;

/**
 * Payload of the signed key set (compact JWS, ES256, portal signing key, typ
 * `authority-keys+jwt`): every key valid now, newest first (seal new submissions to the first);
 * `iat`/`exp` in seconds bound how long a copy of the set may be presented as current.
 */
export const authorityKeySetSchema = z.object({
  keys: z.array(authorityKeySchema).min(1).max(20),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AuthorityKeySet = z.infer<typeof authorityKeySetSchema>;

export const authorityKeysResponseSchema = z.object({
  /**
   * The key set: a compact JWS signed by the portal key the terminal recorded at enrolment. Only
   * a string here, so that an unsigned or malformed set reaches the terminal's check and is
   * refused there with its own code (sync/authority-keys.ts).
   */
  keySet: z.string().min(1).max(MAX_JSON_BYTES),
});
export type AuthorityKeysResponse = z.infer<typeof authorityKeysResponseSchema>;

// ---- submissions -----------------------------------------------------------------------------

export const partManifestEntrySchema = z.object({
  partId: partIdSchema,
  kind: z.enum(['data', 'attachment']),
  mediaType: z.string().min(1).max(200),
  /** Bytes of the sealed part (the compact JWE) as it will be uploaded. */
  sealedSize: z.number().int().positive().max(MAX_PART_BYTES),
  sha512OfSealed: sha512HexSchema,
});
export type PartManifestEntry = z.infer<typeof partManifestEntrySchema>;

export const createSubmissionRequestSchema = z.object({
  /** Chosen by the terminal at enqueue; the same id is inside the sealed metadata. */
  submissionId: idSchema,
  /** JWE(JWS(metadata JSON)), see sync/sealing.ts. */
  metadata: compactJweSchema,
  parts: z
    .array(partManifestEntrySchema)
    .min(1)
    .max(32)
    .refine((parts) => new Set(parts.map((p) => p.partId)).size === parts.length, 'part ids must be unique'),
  /** Optional compact JWS of the device over the sealed manifest (see sync/sealing.ts). */
  manifestSignature: compactJwsSchema.optional(),
});
export type CreateSubmissionRequest = z.infer<typeof createSubmissionRequestSchema>;

export const partStateSchema = z.object({
  partId: partIdSchema,
  sealedSize: z.number().int().positive(),
  received: z.number().int().nonnegative(),
  complete: z.boolean(),
});
export type PartState = z.infer<typeof partStateSchema>;

export const submissionStateSchema = z.enum(['open', 'delivered', 'rejected']);

export const createSubmissionResponseSchema = z.object({
  submissionId: idSchema,
  state: submissionStateSchema,
  createdAt: isoDateTime,
  parts: z.array(partStateSchema),
});
export type CreateSubmissionResponse = z.infer<typeof createSubmissionResponseSchema>;

export const submissionParamsSchema = z.object({ id: idSchema });
export const partParamsSchema = z.object({ id: idSchema, partId: partIdSchema });
export const partQuerySchema = z.object({ offset: z.coerce.number().int().nonnegative() });

/** Answer of `PUT` and `GET` on a part. */
export const partResponseSchema = partStateSchema;
export type PartResponse = z.infer<typeof partResponseSchema>;

export const submitRequestSchema = z.object({}).strict();
export type SubmitRequest = z.infer<typeof submitRequestSchema>;

export const submitResponseSchema = z.object({
  status: z.literal('delivered'),
  submissionId: idSchema,
  trackingNumber: trackingNumberSchema,
  receivedAt: isoDateTime,
});
export type SubmitResponse = z.infer<typeof submitResponseSchema>;

// ---- status events -------------------------------------------------------------------------

export const STATUS_KINDS = ['received', 'in_review', 'accepted', 'rejected', 'decided'] as const;
export const statusKindSchema = z.enum(STATUS_KINDS);
export type StatusKind = z.infer<typeof statusKindSchema>;

/** Payload of one signed status event (compact JWS, ES256, portal signing key, typ `status+jwt`). */
export const statusEventSchema = z.object({
  eventId: idSchema,
  /** Opaque, increasing; pass the last one seen as `after`. */
  cursor: z.string().min(1),
  terminalId: idSchema,
  submissionId: idSchema,
  trackingNumber: trackingNumberSchema,
  status: statusKindSchema,
  /** A reason code for `rejected` (e.g. `documents.missing`); never free text about a person. */
  reason: z.string().min(1).max(80).optional(),
  at: isoDateTime,
});
export type StatusEvent = z.infer<typeof statusEventSchema>;

export const statusEventsQuerySchema = z.object({
  after: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type StatusEventsQuery = z.infer<typeof statusEventsQuerySchema>;

export const statusEventsResponseSchema = z.object({
  events: z.array(compactJwsSchema),
  /** Pass as `after` next time; equals the request's `after` when there was nothing new. */
  cursor: z.string(),
});
export type StatusEventsResponse = z.infer<typeof statusEventsResponseSchema>;

// ---- tracking lookup -----------------------------------------------------------------------

export const trackingLookupRequestSchema = z.object({
  trackingNumber: trackingNumberSchema,
  birthDate: isoDate,
});
export type TrackingLookupRequest = z.infer<typeof trackingLookupRequestSchema>;

export const trackingLookupResponseSchema = z.object({
  trackingNumber: trackingNumberSchema,
  serviceId: idSchema,
  status: statusKindSchema,
  reason: z.string().optional(),
  updatedAt: isoDateTime,
});
export type TrackingLookupResponse = z.infer<typeof trackingLookupResponseSchema>;

// ---- call-back tickets ---------------------------------------------------------------------

export const callbackRequestSchema = z.object({
  serviceId: idSchema,
  language: z.string().min(2).max(10),
  name: z.string().trim().min(1).max(200),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()/-]{5,30}$/),
  /** Free slots the visitor chose, e.g. `weekday-morning`. */
  preferredSlots: z
    .array(z.enum(['morning', 'midday', 'afternoon']))
    .max(3)
    .optional(),
  trackingNumber: trackingNumberSchema.optional(),
});
export type CallbackRequest = z.infer<typeof callbackRequestSchema>;

export const callbackResponseSchema = z.object({
  ticketId: idSchema,
  /** Short number a visitor can quote, e.g. `R-4821`. */
  ticketNumber: z.string().min(1),
  createdAt: isoDateTime,
});
export type CallbackResponse = z.infer<typeof callbackResponseSchema>;

// ---- service accounts pending activation ---------------------------------------------------

/**
 * A search for one pending account: the name as the visitor typed it (any script, or the Latin
 * form of the passport's MRZ) and the birth date, in the body, never in a URL. Both must match
 * exactly (the name's words in any order, without regard to case, diacritics and punctuation).
 */
export const pendingAccountSearchSchema = z.object({
  name: z.string().trim().min(2).max(100),
  birthDate: isoDate,
});
export type PendingAccountSearch = z.infer<typeof pendingAccountSearchSchema>;

export const pendingAccountSchema = z.object({
  accountId: idSchema,
  /** As the person registered it, in any script. */
  displayName: z.string(),
  /** The ICAO 9303 Latin transliteration, as it appears in a passport's MRZ. */
  latinName: z.string(),
  birthDate: isoDate,
  /** Masked, e.g. `o***@example.org`. */
  emailHint: z.string(),
  registeredAt: isoDateTime,
  expiresAt: isoDateTime,
});
export type PendingAccount = z.infer<typeof pendingAccountSchema>;

export const accountParamsSchema = z.object({ id: idSchema });

/** One pending account by id (as read from the QR on its confirmation letter). */
export const pendingAccountResponseSchema = pendingAccountSchema;
export type PendingAccountResponse = PendingAccount;

export const activateAccountRequestSchema = z.object({
  /** The counter clerk who checked the document, and how they confirmed at the terminal. */
  clerk: z.object({
    staffId: idSchema,
    method: z.enum(['badge', 'pin', 'badge+pin']),
  }),
  document: z.object({
    kind: z.enum(['passport', 'id_card', 'residence_permit', 'other']),
    /** How the identity was checked: read from the MRZ, or looked at by the clerk. */
    checkedBy: z.enum(['mrz', 'visual']),
    /**
     * Issuing state and document number sealed to the authority's key (compact JWE, see
     * sync/sealing.ts `sealDocumentRef`); the portal keeps only an HMAC of them under its own key.
     */
    documentRef: compactJweSchema.optional(),
  }),
});
export type ActivateAccountRequest = z.infer<typeof activateAccountRequestSchema>;

export const activateAccountResponseSchema = z.object({
  accountId: idSchema,
  status: z.literal('active'),
  activatedAt: isoDateTime,
});
export type ActivateAccountResponse = z.infer<typeof activateAccountResponseSchema>;

// ---- what the portal reads from the opened application data ---------------------------------

/**
 * The sealed application data is the kiosk's own JSON; the portal relies only on this much of it:
 * the applicant's birth date, which a visitor gives with the tracking number to look up a status.
 */
export const applicationDataForPortalSchema = z.looseObject({
  applicant: z.looseObject({ birthDate: isoDate }),
});

// ---- service-account sign-in ---------------------------------------------------------------

export const accountSignInRequestSchema = z.object({
  /** The account's user name; compared without regard to case and surrounding spaces. */
  accountName: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type AccountSignInRequest = z.infer<typeof accountSignInRequestSchema>;

export const accountSignInResponseSchema = z.object({
  accountId: idSchema,
  displayName: z.string(),
  latinName: z.string(),
  birthDate: isoDate,
  emailHint: z.string(),
  /** Masked, e.g. `+49 *** ** 12`. */
  phoneHint: z.string().optional(),
  /**
   * How the visitor proved it: the password alone (a portal without a second factor), or the
   * password and a one-time code sent to the account's registered phone (mTAN).
   */
  authentication: z.enum(['password', 'password+mtan']).default('password'),
});
export type AccountSignInResponse = z.infer<typeof accountSignInResponseSchema>;

/**
 * A right password where the portal asks for a second factor: a one-time code went to the
 * account's registered phone; the terminal sends it back with this challenge's id.
 */
export const accountSignInChallengeSchema = z.object({
  secondFactor: z.literal('mtan'),
  /** Opaque, one challenge per sign-in; it is no secret, the code is. */
  challengeId: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
  /** Masked, e.g. `+49 *** **81`, so the visitor knows which phone to look at. */
  phoneHint: z.string(),
  expiresAt: isoDateTime,
});
export type AccountSignInChallenge = z.infer<typeof accountSignInChallengeSchema>;

/** The first sign-in step's answer: the account, or a second factor to complete first. */
export const accountSignInStepSchema = z.union([accountSignInChallengeSchema, accountSignInResponseSchema]);
export type AccountSignInStep = z.infer<typeof accountSignInStepSchema>;

export const accountSignInCodeRequestSchema = z.object({
  challengeId: accountSignInChallengeSchema.shape.challengeId,
  /** The digits as the visitor typed them. */
  code: z.string().regex(/^[0-9]{4,10}$/),
});
export type AccountSignInCodeRequest = z.infer<typeof accountSignInCodeRequestSchema>;
