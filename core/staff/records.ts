import { z } from 'zod';

/**
 * Staff and administrator records as the terminal's signed configuration carries them. Neither
 * the badge id nor the PIN is in them: `badgeHash` is the keyed hash of the badge code
 * (`kiosk hash-pin --badge CODE --secret HEX`), `pinHash` an argon2id PHC string
 * (`kiosk hash-pin`). A person who is both clerk and administrator has two records, one per role,
 * each with its own PIN or password.
 */

export const staffRoles = ['staff', 'admin'] as const;
export const staffRoleSchema = z.enum(staffRoles);
export type StaffRole = z.output<typeof staffRoleSchema>;

export const badgeHashSchema = z
  .string()
  .regex(
    /^[0-9a-f]{64}$/,
    'must be a keyed badge hash: 64 lowercase hex characters (kiosk hash-pin --badge)',
  );

/**
 * argon2id in PHC form. The schema checks the form only; the cost floor is the hasher's
 * (`acceptStaffRecords`), so that one weak record is refused on its own.
 */
export const ARGON2ID_PHC =
  /^\$argon2id\$(?:v=\d+\$)?m=\d{1,10},t=\d{1,10},p=\d{1,3}\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{6,}$/;

export const pinHashSchema = z
  .string()
  .max(512)
  .regex(
    ARGON2ID_PHC,
    'must be an argon2id PHC string such as $argon2id$v=19$m=19456,t=2,p=1$… (kiosk hash-pin)',
  );

export const staffRecordSchema = z
  .object({
    badgeHash: badgeHashSchema,
    pinHash: pinHashSchema,
    role: staffRoleSchema,
    /** Shown on the terminal while the person is signed in ("Signed in: M. Keller"); never logged. */
    name: z.string().trim().min(1).max(80),
  })
  .strict();

export type StaffRecord = z.output<typeof staffRecordSchema>;

export const staffRecordsSchema = z
  .array(staffRecordSchema)
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

/** The `staff` section of the terminal configuration (for core/config.ts). */
export const staffConfigSchema = z
  .object({
    /** Per-terminal HMAC key for badge hashes, 64–128 hex characters; null: nobody can sign in. */
    badgeSecret: z
      .string()
      .regex(/^(?:[0-9a-fA-F]{2}){32,64}$/, 'must be 64 to 128 hex characters (32 to 64 bytes)')
      .nullable()
      .default(null),
    /** A staff or administrator session ends after this long without activity. */
    sessionIdleSeconds: z.number().int().min(30).max(3_600).default(300),
    records: staffRecordsSchema.default([]),
  })
  .strict()
  .refine((s) => s.records.length === 0 || s.badgeSecret !== null, {
    message: 'staff records need the terminal badge secret they were hashed with',
    path: ['badgeSecret'],
  })
  .default({ badgeSecret: null, sessionIdleSeconds: 300, records: [] });

export type StaffConfig = z.output<typeof staffConfigSchema>;

/**
 * A staff PIN has at least this many characters (6 digits: 10^6 guesses, with the lockout after
 * five failures). Administrators' passwords obey the same minimum. `kiosk hash-pin` refuses a
 * shorter one and sign-in refuses it before anything is verified.
 */
export const PIN_MIN_LENGTH = 6;

/** Why a record was refused when the records were accepted. */
export type RefusedRecordCode = 'staff.record_weak_hash';

export interface RefusedRecord {
  /** The record's position in the list it came with (never its name or badge). */
  readonly index: number;
  readonly role: StaffRole;
  readonly code: RefusedRecordCode;
}

/**
 * The records a terminal accepts: those whose argon2id cost reaches the floor. The others are
 * refused one by one (each named by its index and a code) and the rest kept, so one weakly hashed
 * record does not lock every colleague out.
 */
export function acceptStaffRecords(
  records: readonly StaffRecord[],
  accepts: (pinHash: string) => boolean,
): { readonly accepted: readonly StaffRecord[]; readonly refused: readonly RefusedRecord[] } {
  const accepted: StaffRecord[] = [];
  const refused: RefusedRecord[] = [];
  for (const [index, record] of records.entries()) {
    if (accepts(record.pinHash)) accepted.push(record);
    else refused.push({ index, role: record.role, code: 'staff.record_weak_hash' });
  }
  return { accepted, refused };
}
