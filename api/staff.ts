import { z } from 'zod';

/**
 * What counter staff and administrators see and do at the terminal. A badge code, PIN or password
 * goes from the UI to the core once, in the sign-in call, and never comes back; a badge scanned
 * with the barcode reader stays in the core altogether (`staff.badgeRead` only says that one was
 * read).
 */

export const staffRoleSchema = z.enum(['staff', 'admin']);

export const staffSessionSchema = z.object({
  role: staffRoleSchema,
  /** The person's display name, for the overlay only ("Signed in: M. Keller"). */
  name: z.string(),
  /** First 8 hex characters of the badge's keyed hash: what the audit log names. */
  badgeRef: z.string(),
  startedAt: z.string(),
  idleSeconds: z.number().int().positive(),
});

/** Badge: typed, or null to use the one just scanned (`staff.awaitBadge`). */
const badgeInput = z.string().trim().min(1).max(128).nullable();

export const staffSignInSchema = z.object({ badge: badgeInput, pin: z.string().min(1).max(128) }).strict();
export const adminSignInSchema = z
  .object({ badge: badgeInput, password: z.string().min(1).max(128) })
  .strict();

export const staffEndReasonSchema = z.enum([
  'sign_out',
  'timeout',
  'replaced',
  'visitor_session_ended',
  'shutdown',
]);

/** Why a clerk refuses an activation (texts under `staff.refuseReasons.<id>`). */
export const refuseReasonSchema = z.enum([
  'person_does_not_match_photo',
  'document_damaged_or_doubtful',
  'data_do_not_match_account',
  'visitor_withdrew',
  'other',
]);

/** Why the clerk types the document data instead of the reader reading them. */
export const manualEntryReasonSchema = z.enum([
  'reader_failed',
  'document_without_mrz',
  'mrz_damaged',
  'reader_unavailable',
]);

const mrzName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[\p{L}' -]+$/u, 'letters, spaces, apostrophes and hyphens');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** Document data a clerk types from the document in hand. */
export const manualDocumentSchema = z
  .object({
    reason: manualEntryReasonSchema,
    documentCode: z.enum(['P', 'I', 'A', 'C', 'V']),
    issuingState: z.string().regex(/^[A-Z<]{3}$/, 'three letters, e.g. UKR'),
    documentNumber: z.string().regex(/^[A-Z0-9]{5,20}$/, 'letters and digits'),
    lastName: mrzName,
    firstNames: mrzName.or(z.literal('')),
    birthDate: isoDate,
    expiryDate: isoDate,
    nationality: z.string().regex(/^[A-Z<]{3}$/, 'three letters'),
  })
  .strict();

export const adminQueueSchema = z.object({
  queued: z.number().int(),
  sending: z.number().int(),
  delivered: z.number().int(),
  rejected: z.number().int(),
  oldestPendingAgeSeconds: z.number().nullable(),
  lastError: z.string().nullable(),
  alarms: z.array(z.object({ code: z.string(), message: z.string(), at: z.string() })),
});

export const adminStatusSchema = z.object({
  terminal: z.object({
    id: z.string().nullable(),
    location: z.string(),
    enrolled: z.boolean(),
    portalUrl: z.string(),
    configVersion: z.number().nullable(),
    keyStorage: z.object({ backend: z.string(), encrypted: z.boolean(), warning: z.string().optional() }),
    appVersion: z.string(),
    uptimeSeconds: z.number(),
  }),
  queue: adminQueueSchema.nullable(),
  audit: z
    .object({ entries: z.number().int(), intact: z.boolean(), problems: z.array(z.string()) })
    .nullable(),
  sessionsSinceStart: z.number().int(),
  memoryMb: z.object({ rss: z.number(), heapUsed: z.number() }),
});

/** A read shown on the administrators' reader screen: what came in, never what it says. */
export const adminReadSchema = z.object({
  readerId: z.string(),
  kind: z.enum(['mrz', 'barcode', 'error']),
  at: z.string(),
  /** mrz: format and whether every check digit held; barcode: symbology and length; error: code. */
  summary: z.string(),
  valid: z.boolean(),
});

/** The accessibility self-test an administrator walks through on the terminal itself. */
export const a11yCheckIds = [
  'reach_from_wheelchair',
  'targets_large_enough',
  'contrast_mode_readable',
  'large_text_no_overlap',
  'speech_audible',
  'rtl_layout_mirrored',
  'idle_warning_extend',
  'no_time_pressure_slow_mode',
  'call_staff_visible',
  'receipt_printer_reachable',
] as const;

export const a11yChecklistSchema = z
  .object({
    results: z.record(z.enum(a11yCheckIds), z.enum(['pass', 'fail', 'not_checked'])),
    /** Free text is not allowed (it could carry personal data); failures are named by id. */
  })
  .strict();

export type StaffSession = z.output<typeof staffSessionSchema>;
export type StaffEndReason = z.output<typeof staffEndReasonSchema>;
export type RefuseReason = z.output<typeof refuseReasonSchema>;
export type ManualEntryReason = z.output<typeof manualEntryReasonSchema>;
export type ManualDocument = z.output<typeof manualDocumentSchema>;
export type AdminStatus = z.output<typeof adminStatusSchema>;
export type AdminRead = z.output<typeof adminReadSchema>;
export type A11yCheckId = (typeof a11yCheckIds)[number];
