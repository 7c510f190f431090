import { type Envelope, err as fail, ok } from '../common/result.ts';
import type { AccountCalls } from '../sync/terminal.ts';
import type { SessionService } from './session.ts';

/**
 * A visitor who already has an active service account signs in for this session: the portal
 * checks name and password (and limits the tries), then, as the city's own account login does, a
 * one-time code it sends to the account's registered phone (mTAN). The terminal keeps the profile
 * in the session's memory only. Applications then carry the account id and how the visitor signed
 * in, so the authority files them with the account, and birth dates are prefilled. The password
 * and the code are passed through once and never kept.
 */
export interface AccountProfile {
  readonly accountId: string;
  readonly displayName: string;
  readonly latinName: string;
  readonly birthDate: string;
  readonly emailHint: string;
  /** How the visitor signed in, as each application records it for the authority. */
  readonly authentication: SignInLevel['authentication'];
  readonly assurance: SignInLevel['assurance'];
}

/**
 * How a visitor signed in at the terminal, as each application records it: user name and password
 * alone prove nothing at a public terminal (eIDAS level low); with the one-time code sent to the
 * account's registered phone, two factors (possession and knowledge) make it substantial. Either
 * way the authority checks the identity document in person.
 */
export const signInLevels = {
  password: { authentication: 'password', assurance: 'low' },
  'password+mtan': { authentication: 'password+mtan', assurance: 'substantial' },
} as const;
export type SignInLevel = (typeof signInLevels)[keyof typeof signInLevels];

const profileKey = 'account';
/** The open second-factor challenge of this session (its id is no secret; the code is never here). */
const challengeKey = 'accountChallenge';

export const identifyErrors = {
  invalid: 'account.invalid_credentials',
  locked: 'account.locked',
  unavailable: 'account.portal_unavailable',
  noSession: 'session.none',
  /** The code typed is not the one sent. */
  codeInvalid: 'account.code_invalid',
  /** The code is too old, used, or tried too often: sign in again for a new one. */
  codeExpired: 'account.code_expired',
  /** The account has no registered phone for the code: sign-in is not possible here. */
  noSecondFactor: 'account.no_second_factor',
  /** The portal signed in by password alone where this terminal asks for a second factor. */
  secondFactorRequired: 'account.second_factor_required',
} as const;

/** What a right password leads to: signed in, or a code to type first. */
export type SignInStep =
  | { readonly displayName: string; readonly emailHint: string }
  | { readonly secondFactor: 'mtan'; readonly phoneHint: string };

type PortalProfile = {
  readonly accountId: string;
  readonly displayName: string;
  readonly latinName: string;
  readonly birthDate: string;
  readonly emailHint: string;
  readonly authentication: SignInLevel['authentication'];
};

export class IdentifyService {
  constructor(
    private readonly deps: {
      sessions: SessionService;
      /** The enrolled terminal's account calls; null before enrolment. */
      accounts: () => Pick<AccountCalls, 'signInAccount' | 'confirmSignInCode'> | null;
      /** `mtan`: a sign-in by password alone is refused (installation configuration). */
      secondFactor: 'mtan' | 'none';
    },
  ) {}

  async signIn(input: { accountName: string; password: string }): Promise<Envelope<SignInStep>> {
    const session = this.deps.sessions.current();
    if (!session) return fail(identifyErrors.noSession, 'no session');
    const accounts = this.deps.accounts();
    if (!accounts) return fail(identifyErrors.unavailable, 'the terminal is not enrolled');
    this.deps.sessions.data()?.delete(challengeKey);
    const answer = await accounts.signInAccount(input);
    if (!answer.ok) return fail(...this.#refusal(answer.error));
    // The visitor may have gone while the portal answered: the answer belongs to that session only.
    if (this.deps.sessions.current()?.id !== session.id) return fail(identifyErrors.noSession, 'no session');
    const step = answer.value;
    if ('secondFactor' in step) {
      this.deps.sessions.data()?.set(challengeKey, { challengeId: step.challengeId });
      return ok({ secondFactor: 'mtan', phoneHint: step.phoneHint });
    }
    if (this.deps.secondFactor === 'mtan' && step.authentication !== 'password+mtan') {
      return fail(identifyErrors.secondFactorRequired, 'the portal asked for no second factor');
    }
    return ok(this.#keep(step));
  }

  /** The one-time code the visitor typed, for the challenge of this session's sign-in. */
  async confirmCode(input: { code: string }): Promise<Envelope<{ displayName: string; emailHint: string }>> {
    const session = this.deps.sessions.current();
    if (!session) return fail(identifyErrors.noSession, 'no session');
    const challenge = this.deps.sessions.data()?.get(challengeKey) as { challengeId: string } | undefined;
    if (!challenge) return fail(identifyErrors.codeExpired, 'no sign-in waits for a code');
    const accounts = this.deps.accounts();
    if (!accounts) return fail(identifyErrors.unavailable, 'the terminal is not enrolled');
    const answer = await accounts.confirmSignInCode({ challengeId: challenge.challengeId, code: input.code });
    if (this.deps.sessions.current()?.id !== session.id) return fail(identifyErrors.noSession, 'no session');
    if (!answer.ok) {
      // A void challenge takes no more codes: the visitor signs in again for a new one.
      if (answer.error.code !== 'account.code_invalid') this.deps.sessions.data()?.delete(challengeKey);
      return fail(...this.#refusal(answer.error));
    }
    this.deps.sessions.data()?.delete(challengeKey);
    return ok(this.#keep(answer.value));
  }

  #keep(profile: PortalProfile): { displayName: string; emailHint: string } {
    const { accountId, displayName, latinName, birthDate, emailHint } = profile;
    const level = signInLevels[profile.authentication];
    const kept: AccountProfile = { accountId, displayName, latinName, birthDate, emailHint, ...level };
    this.deps.sessions.data()?.set(profileKey, kept);
    return { displayName, emailHint };
  }

  #refusal(error: { code: string; status?: number; retryAfterMs?: number }): [string, string] {
    switch (error.code) {
      case 'account.sign_in_failed':
        return [identifyErrors.invalid, 'name or password not accepted'];
      case 'account.code_invalid':
        return [identifyErrors.codeInvalid, 'the code is not the one sent'];
      case 'account.code_expired':
        return [identifyErrors.codeExpired, 'the code is no longer valid'];
      case 'account.no_second_factor':
        return [identifyErrors.noSecondFactor, 'the account has no phone for the code'];
    }
    if (error.code === 'rate_limited' || error.status === 429) {
      const seconds = Math.ceil((error.retryAfterMs ?? 60_000) / 1000);
      return [identifyErrors.locked, `too many tries (retry after ${seconds} s)`];
    }
    return [identifyErrors.unavailable, 'the service portal cannot be reached'];
  }

  signOut(): boolean {
    this.deps.sessions.data()?.delete(challengeKey);
    return this.deps.sessions.data()?.delete(profileKey) ?? false;
  }

  /** The signed-in account of the session on screen, or null for a guest. */
  current(): AccountProfile | null {
    return (this.deps.sessions.data()?.get(profileKey) as AccountProfile | undefined) ?? null;
  }
}
