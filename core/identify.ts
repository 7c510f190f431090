import { type Envelope, err as fail, ok } from '../common/result.ts';
import type { AccountCalls } from '../sync/terminal.ts';
import type { SessionService } from './session.ts';

/**
 * A visitor who already has an active service account signs in for this session: the portal
 * checks name and password (and limits the tries), the terminal keeps the profile in the session's
 * memory only. Applications then carry the account id, so the authority files them with the
 * account, and birth dates are prefilled. The password is passed through once and never kept.
 */
export interface AccountProfile {
  readonly accountId: string;
  readonly displayName: string;
  readonly latinName: string;
  readonly birthDate: string;
  readonly emailHint: string;
}

/**
 * How a visitor signed in at the terminal, as each application records it for the authority: user
 * name and password only (the portal's basic registration, no second factor at a public
 * terminal), so the level of assurance is low (eIDAS) and the sign-in proves no identity; the
 * authority checks the identity document in person.
 */
export const terminalSignIn = { authentication: 'password', assurance: 'low' } as const;

const profileKey = 'account';

export const identifyErrors = {
  invalid: 'account.invalid_credentials',
  locked: 'account.locked',
  unavailable: 'account.portal_unavailable',
  noSession: 'session.none',
} as const;

export class IdentifyService {
  constructor(
    private readonly deps: {
      sessions: SessionService;
      /** The enrolled terminal's account calls; null before enrolment. */
      accounts: () => Pick<AccountCalls, 'signInAccount'> | null;
    },
  ) {}

  async signIn(input: {
    accountName: string;
    password: string;
  }): Promise<Envelope<{ displayName: string; emailHint: string }>> {
    const session = this.deps.sessions.current();
    if (!session) return fail(identifyErrors.noSession, 'no session');
    const accounts = this.deps.accounts();
    if (!accounts) return fail(identifyErrors.unavailable, 'the terminal is not enrolled');
    const answer = await accounts.signInAccount(input);
    if (!answer.ok) {
      const { code, retryAfterMs } = answer.error;
      if (code === 'account.sign_in_failed')
        return fail(identifyErrors.invalid, 'name or password not accepted');
      if (code === 'rate_limited' || answer.error.status === 429) {
        const seconds = Math.ceil((retryAfterMs ?? 60_000) / 1000);
        return fail(identifyErrors.locked, `too many tries (retry after ${seconds} s)`);
      }
      return fail(identifyErrors.unavailable, 'the service portal cannot be reached');
    }
    // The visitor may have gone while the portal answered: the profile belongs to that session only.
    if (this.deps.sessions.current()?.id !== session.id) return fail(identifyErrors.noSession, 'no session');
    const { accountId, displayName, latinName, birthDate, emailHint } = answer.value;
    const profile: AccountProfile = { accountId, displayName, latinName, birthDate, emailHint };
    this.deps.sessions.data()?.set(profileKey, profile);
    return ok({ displayName, emailHint });
  }

  signOut(): boolean {
    return this.deps.sessions.data()?.delete(profileKey) ?? false;
  }

  /** The signed-in account of the session on screen, or null for a guest. */
  current(): AccountProfile | null {
    return (this.deps.sessions.data()?.get(profileKey) as AccountProfile | undefined) ?? null;
  }
}
