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

const invitationsKey = 'scannedInvitations';

/**
 * The invitation letters scanned in this session (memory only, forgotten with it), by case
 * reference: a check-in sends the signed invitation itself, which a typed reference is not.
 */
export class ScannedInvitations {
  readonly #sessions: { data(): Map<string, unknown> | null };

  constructor(sessions: { data(): Map<string, unknown> | null }) {
    this.#sessions = sessions;
  }

  /** The case reference of a scanned invitation QR (kept with its JWS), or null for another code. */
  read(text: string): string | null {
    const reference = invitationCaseReference(text);
    const jws = parseInvitationQr(text);
    const data = this.#sessions.data();
    if (reference === null || jws === undefined || data === null) return reference;
    const kept = (data.get(invitationsKey) as Map<string, string> | undefined) ?? new Map<string, string>();
    kept.set(reference, jws);
    data.set(invitationsKey, kept);
    return reference;
  }

  /** The signed invitation scanned for this case reference, if one was. */
  jwsFor(reference: string): string | undefined {
    return (this.#sessions.data()?.get(invitationsKey) as Map<string, string> | undefined)?.get(reference);
  }
}
