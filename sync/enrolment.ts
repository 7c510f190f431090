/**
 * The terminal's enrolment with a portal: who it is there, and the portal's signing key that
 * verifies configuration and status events. Not secret; kept as a JSON file in the data folder
 * next to the device key, so it survives a queue database that had to be moved aside.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './keystore.ts';
import { portalSigningJwkSchema } from './protocol/index.ts';
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
