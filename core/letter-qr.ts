import { invitationSchema, parseInvitationQr } from '../sync/protocol/index.ts';

/**
 * The case reference of an invitation letter's QR (`INV1:` and the portal's signed invitation),
 * or null. Only read here, to fill the lookup's field: the lookup itself still needs the birth
 * date, and its answer is checked against the portal key (sync/case-answers.ts).
 */
export function invitationCaseReference(text: string): string | null {
  const jws = parseInvitationQr(text);
  if (jws === undefined) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const parsed = invitationSchema.safeParse(payload);
    return parsed.success ? parsed.data.caseReference : null;
  } catch {
    return null;
  }
}
