/**
 * The second factor of a service-account sign-in at a public terminal (mTAN, as the city's own
 * account login has it): after a right password the portal sends a one-time code to the account's
 * registered phone, and the sign-in completes only with that code.
 *
 * - A code is 6 digits from the system's random source, valid 5 minutes, good for one sign-in.
 * - It is kept only as an HMAC under a key that lives in this process's memory (a restart voids
 *   the open challenges, which last minutes anyway); the check compares in constant time.
 * - 5 wrong codes void the challenge; the terminal's wrong codes also count as failed sign-ins
 *   (`Accounts`), and an account gets at most 3 codes in 15 minutes, so nobody can flood a phone.
 * - The reference portal sends no SMS: it hands the message to a `CodeSender`; the reference
 *   sender keeps the last message per account in memory, readable only through an admin route.
 *   No code is logged.
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../common/clock.ts';
import { type RateLimit, SlidingWindowLimiter } from './tracking.ts';

/** One message to an account's registered phone. */
export interface CodeMessage {
  readonly accountId: string;
  readonly phone: string;
  readonly text: string;
  /** Epoch ms. */
  readonly sentAt: number;
}

/** Where the portal hands a one-time code: an SMS gateway in production. */
export interface CodeSender {
  send(message: CodeMessage): Promise<void>;
}

/**
 * The reference portal's sender: it sends nothing, it keeps the last message per account (in
 * memory) for tests and demos, read through `GET /admin/v1/accounts/{id}/last-code-message`.
 */
export class LastMessageSender implements CodeSender {
  readonly #last = new Map<string, CodeMessage>();

  async send(message: CodeMessage): Promise<void> {
    this.#last.set(message.accountId, message);
  }

  lastMessage(accountId: string): CodeMessage | undefined {
    return this.#last.get(accountId);
  }
}

export interface SecondFactorOptions {
  readonly clock: Clock;
  readonly sender: CodeSender;
  /** How long a code is good for (default 5 minutes). */
  readonly validityMs?: number;
  /** Wrong codes a challenge takes before it is void (default 5). */
  readonly maxAttempts?: number;
  /** Codes sent per account (default 3 in 15 minutes). */
  readonly sendLimit?: RateLimit;
  /** Digits a code has (default 6). */
  readonly digits?: number;
}

export const DEFAULT_CODE_VALIDITY_MS = 5 * 60_000;
export const DEFAULT_CODE_ATTEMPTS = 5;
export const DEFAULT_CODE_SEND_LIMIT: RateLimit = { max: 3, windowMs: 15 * 60_000 };
/** A demo portal's few accounts are signed in to over and over (demos, end-to-end tests). */
export const DEMO_CODE_SEND_LIMIT: RateLimit = { max: 30, windowMs: 15 * 60_000 };

interface Challenge {
  readonly accountId: string;
  readonly terminalId: string;
  readonly codeMac: Buffer;
  readonly expiresAt: number;
  attempts: number;
}

export type IssueOutcome =
  | { readonly ok: true; readonly challengeId: string; readonly expiresAt: number }
  | { readonly ok: false; readonly waitMs: number };

export type CheckOutcome =
  | { readonly ok: true; readonly accountId: string }
  | { readonly ok: false; readonly reason: 'invalid' | 'expired' };

const MAX_OPEN_CHALLENGES = 10_000;

export class SecondFactor {
  readonly #key = randomBytes(32);
  readonly #challenges = new Map<string, Challenge>();
  readonly #sends: SlidingWindowLimiter;
  readonly #validityMs: number;
  readonly #maxAttempts: number;
  readonly #digits: number;

  constructor(private readonly options: SecondFactorOptions) {
    this.#sends = new SlidingWindowLimiter(options.sendLimit ?? DEFAULT_CODE_SEND_LIMIT, options.clock);
    this.#validityMs = options.validityMs ?? DEFAULT_CODE_VALIDITY_MS;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_CODE_ATTEMPTS;
    this.#digits = options.digits ?? 6;
  }

  #mac(challengeId: string, code: string): Buffer {
    return createHmac('sha256', this.#key).update(`${challengeId}\n${code}`).digest();
  }

  #forgetExpired(now: number): void {
    for (const [id, c] of this.#challenges) if (c.expiresAt <= now) this.#challenges.delete(id);
  }

  /** Sends a new code for a sign-in whose password was right; refused while the account's sends are used up. */
  async issue(terminalId: string, account: { accountId: string; phone: string }): Promise<IssueOutcome> {
    const waitMs = this.#sends.hit(account.accountId);
    if (waitMs > 0) return { ok: false, waitMs };
    const now = this.options.clock.now();
    if (this.#challenges.size >= MAX_OPEN_CHALLENGES) this.#forgetExpired(now);
    const challengeId = randomBytes(24).toString('base64url');
    const code = String(randomInt(0, 10 ** this.#digits)).padStart(this.#digits, '0');
    const expiresAt = now + this.#validityMs;
    // one open challenge per account: a new code voids the one before
    for (const [id, c] of this.#challenges)
      if (c.accountId === account.accountId) this.#challenges.delete(id);
    this.#challenges.set(challengeId, {
      accountId: account.accountId,
      terminalId,
      codeMac: this.#mac(challengeId, code),
      expiresAt,
      attempts: 0,
    });
    const minutes = Math.round(this.#validityMs / 60_000);
    await this.options.sender.send({
      accountId: account.accountId,
      phone: account.phone,
      text: `Ihr Anmeldecode für das Serviceterminal: ${code}. Gültig ${minutes} Minuten. Geben Sie ihn nicht weiter. / Your sign-in code for the service terminal: ${code}. Valid for ${minutes} minutes. Do not share it.`,
      sentAt: now,
    });
    return { ok: true, challengeId, expiresAt };
  }

  /**
   * Checks a code: right once (the challenge is used up), wrong up to `maxAttempts` times (then
   * the challenge is void). A challenge from another terminal is unknown here.
   */
  check(terminalId: string, challengeId: string, code: string): CheckOutcome {
    const challenge = this.#challenges.get(challengeId);
    const now = this.options.clock.now();
    if (challenge === undefined || challenge.terminalId !== terminalId)
      return { ok: false, reason: 'expired' };
    if (challenge.expiresAt <= now) {
      this.#challenges.delete(challengeId);
      return { ok: false, reason: 'expired' };
    }
    if (timingSafeEqual(this.#mac(challengeId, code), challenge.codeMac)) {
      this.#challenges.delete(challengeId);
      return { ok: true, accountId: challenge.accountId };
    }
    challenge.attempts += 1;
    if (challenge.attempts >= this.#maxAttempts) this.#challenges.delete(challengeId);
    return { ok: false, reason: 'invalid' };
  }
}
