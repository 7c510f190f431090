import { z } from 'zod';
import { staffRoles } from './vocabulary.ts';

/**
 * Staff and administrator records as the terminal's signed configuration carries them, for the
 * portal protocol (`sync/protocol`) and the terminal's local configuration alike. Neither the
 * badge id nor the PIN is in them: `badgeHash` is the keyed hash of the badge code
 * (`kiosk hash-pin --badge CODE --secret HEX`), `pinHash` an argon2id PHC string
 * (`kiosk hash-pin`). A person who is both clerk and administrator has two records, one per role,
 * each with its own PIN or password.
 */

/** The per-terminal HMAC key of the badge hashes: 32 to 64 bytes as hex. */
export const badgeSecretHexSchema = z
  .string()
  .regex(/^(?:[0-9a-fA-F]{2}){32,64}$/, 'must be 64 to 128 hex characters (32 to 64 bytes)');

export const badgeHashSchema = z
  .string()
  .regex(
    /^[0-9a-f]{64}$/,
    'must be a keyed badge hash: 64 lowercase hex characters (kiosk hash-pin --badge)',
  );

/**
 * argon2id in PHC form. The schema checks the form only; the cost floor is the terminal's hasher
 * (core/staff `acceptStaffRecords`), so that one weak record is refused on its own.
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
    role: z.enum(staffRoles),
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
