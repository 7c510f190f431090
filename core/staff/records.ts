import { z } from 'zod';
import { staffRoles } from '../../common/vocabulary.ts';
import { siteStaffRecordSchema, siteStaffRecordsSchema } from '../../sync/protocol/messages.ts';

/**
 * Staff and administrator records as the terminal's signed configuration carries them. Neither
 * the badge id nor the PIN is in them: `badgeHash` is the keyed hash of the badge code
 * (`kiosk hash-pin --badge CODE --secret HEX`), `pinHash` an argon2id PHC string
 * (`kiosk hash-pin`). A person who is both clerk and administrator has two records, one per role,
 * each with its own PIN or password.
 */

export const staffRoleSchema = z.enum(staffRoles);
export type StaffRole = z.output<typeof staffRoleSchema>;

/**
 * A record, and the records of a configuration: the same schema as the portal's configuration
 * (sync/protocol), so a record the portal sends is one the terminal's own file may hold.
 */
export const staffRecordSchema = siteStaffRecordSchema;
export type StaffRecord = z.output<typeof staffRecordSchema>;
export const staffRecordsSchema = siteStaffRecordsSchema;

/** The `staff` section of the terminal configuration (for core/config.ts). */
export const staffConfigSchema = z
  .object({
    /**
     * Per-terminal HMAC key for badge hashes, 64–128 hex characters; null: nobody can sign in.
     * "sealed": the terminal took the secret in on an earlier start and keeps it sealed in its
     * data folder (core/staff/badge-secret.ts).
     */
    badgeSecret: z
      .union([
        z.string().regex(/^(?:[0-9a-fA-F]{2}){32,64}$/, 'must be 64 to 128 hex characters (32 to 64 bytes)'),
        z.literal('sealed'),
      ])
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
