import { z } from 'zod';
import { badgeSecretHexSchema, type StaffRecord, staffRecordsSchema } from '../../common/staff-records.ts';
import type { StaffRole } from '../../common/vocabulary.ts';

/** The `staff` section of the terminal configuration (for core/config.ts). */
export const staffConfigSchema = z
  .object({
    /** Per-terminal HMAC key for badge hashes, 64–128 hex characters; null: nobody can sign in. */
    badgeSecret: badgeSecretHexSchema.nullable().default(null),
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
