/**
 * City service accounts registered online and pending activation. At the terminal a clerk finds
 * the visitor's account by name and birth date — one exact match, the name typed in any script or
 * as the Latin form read from a passport's MRZ — or by the QR on its confirmation letter, checks the document and confirms;
 * the activation records who confirmed how. A visitor whose account is active signs in with user
 * name and password (argon2id in the database) and, where the portal asks for it, a one-time code
 * sent to the registered phone (portal/second-factor.ts); failures are counted per terminal and
 * per name.
 */
import type { Clock } from '../common/clock.ts';
import type {
  AccountSignInChallenge,
  AccountSignInCodeRequest,
  AccountSignInRequest,
  AccountSignInResponse,
  ActivateAccountRequest,
  ActivateAccountResponse,
  PendingAccount,
  PendingAccountSearch,
} from '../sync/protocol/index.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';
import type { DocumentReferences } from './document-ref.ts';
import { type Answer, answer, failure, type Outcome, rateLimited } from './http.ts';
import { type Argon2Cost, hashSecret, OWASP_ARGON2ID, verifySecret } from './passwords.ts';
import type { SecondFactor } from './second-factor.ts';
import { type RateLimit, SlidingWindowLimiter } from './tracking.ts';

/** Folds a name for matching: lower case, no diacritics, no punctuation, single spaces. */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** German umlauts as the MRZ writes them (Ä → AE), then folded. */
function foldGerman(name: string): string {
  return foldName(name.replace(/[äÄ]/g, 'ae').replace(/[öÖ]/g, 'oe').replace(/[üÜ]/g, 'ue'));
}

/** Every form a name may be searched by, joined for a LIKE search. */
export function searchKey(displayName: string, latinName: string): string {
  return ` ${[foldName(displayName), foldGerman(displayName), foldName(latinName)].join(' | ')} `;
}

/** The words of a folded name, sorted: "yilmaz ayse" and "ayse yilmaz" are the same name. */
function wordSet(folded: string): string {
  return folded
    .split(' ')
    .filter((w) => w.length > 0)
    .sort()
    .join(' ');
}

export interface NewAccount {
  readonly accountId: string;
  readonly displayName: string;
  readonly latinName: string;
  readonly birthDate: string;
  readonly email: string;
  readonly registeredAt: number;
  readonly expiresAt: number;
  /** An account activated already, with its sign-in; default pending without one. */
  readonly active?: {
    readonly userName: string;
    /** argon2id PHC string */
    readonly passwordHash: string;
    readonly activatedAt: number;
  };
  readonly phone?: string;
}

/** User names are compared trimmed and in lower case. */
export function normaliseUserName(name: string): string {
  return name.trim().toLowerCase();
}

export function insertAccount(db: Db, a: NewAccount): void {
  db.prepare(
    'INSERT INTO accounts (account_id, display_name, latin_name, search_key, birth_date, email, registered_at, expires_at, status, activated_at, user_name, password_hash, phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    a.accountId,
    a.displayName,
    a.latinName,
    searchKey(a.displayName, a.latinName),
    a.birthDate,
    a.email,
    a.registeredAt,
    a.expiresAt,
    a.active === undefined ? 'pending' : 'active',
    a.active?.activatedAt ?? null,
    a.active === undefined ? null : normaliseUserName(a.active.userName),
    a.active?.passwordHash ?? null,
    a.phone ?? null,
  );
}

export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** `+49 151 2345678` → `+49 *** **78`: enough for the visitor to recognise, not to call. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, '');
  if (digits.length < 6) return '***';
  const country = phone.trim().startsWith('+') ? `+${digits.slice(0, 2)} ` : '';
  return `${country}*** **${digits.slice(-2)}`;
}

export interface SignInLimit {
  /** Failures allowed within the window; the next attempt is refused with 429. */
  readonly maxFailures: number;
  readonly windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMIT: SignInLimit = { maxFailures: 5, windowMs: 15 * 60_000 };

const MAX_TRACKED_KEYS = 10_000;

/** Failed attempts per key in a sliding window (injected clock). */
export class FailureCounter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: SignInLimit,
    private readonly clock: Clock,
  ) {}

  #recent(key: string): number[] {
    const now = this.clock.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => t > now - this.limit.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    else this.failures.set(key, recent);
    return recent;
  }

  /** ms until the key may try again, or 0. */
  blockedForMs(key: string): number {
    const recent = this.#recent(key);
    if (recent.length < this.limit.maxFailures) return 0;
    const oldestThatCounts = recent[recent.length - this.limit.maxFailures] ?? this.clock.now();
    return Math.max(1, oldestThatCounts + this.limit.windowMs - this.clock.now());
  }

  fail(key: string): void {
    this.failures.set(key, [...this.#recent(key), this.clock.now()]);
    // guessed names are keys too: forget those whose failures have left the window
    if (this.failures.size > MAX_TRACKED_KEYS) for (const k of [...this.failures.keys()]) this.#recent(k);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}

interface AccountRow {
  account_id: string;
  display_name: string;
  latin_name: string;
  birth_date: string;
  email: string;
  registered_at: number;
  expires_at: number;
  status: 'pending' | 'active';
  activated_at: number | null;
  user_name: string | null;
  password_hash: string | null;
  phone: string | null;
}

function profileOf(
  row: AccountRow,
  authentication: AccountSignInResponse['authentication'],
): AccountSignInResponse {
  return {
    accountId: row.account_id,
    displayName: row.display_name,
    latinName: row.latin_name,
    birthDate: row.birth_date,
    emailHint: maskEmail(row.email),
    ...(row.phone === null ? {} : { phoneHint: maskPhone(row.phone) }),
    authentication,
  };
}

function toPending(r: AccountRow): PendingAccount {
  return {
    accountId: r.account_id,
    displayName: r.display_name,
    latinName: r.latin_name,
    birthDate: r.birth_date,
    emailHint: maskEmail(r.email),
    registeredAt: iso(r.registered_at),
    expiresAt: iso(r.expires_at),
  };
}

export interface AccountsOptions {
  readonly clock: Clock;
  readonly signInLimit?: SignInLimit;
  /** Cost of the dummy hash an unknown name is checked against (the cost real passwords have). */
  readonly passwordCost?: Argon2Cost;
  /** Pending-account searches allowed per terminal (default 10 in 10 min). */
  readonly searchLimit?: RateLimit;
  /** Opens sealed document references and keys them. */
  readonly documentRefs: DocumentReferences;
  /**
   * The one-time code a right password must be followed by (mTAN); null: the password alone
   * signs in (recorded as such).
   */
  readonly secondFactor?: SecondFactor | null;
}

export const DEFAULT_ACCOUNT_SEARCH_LIMIT: RateLimit = { max: 10, windowMs: 10 * 60_000 };

export class Accounts {
  private readonly byTerminal: FailureCounter;
  private readonly byName: FailureCounter;
  private readonly searches: SlidingWindowLimiter;
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: AccountsOptions,
  ) {
    const limit = options.signInLimit ?? DEFAULT_SIGN_IN_LIMIT;
    this.byTerminal = new FailureCounter(limit, options.clock);
    this.byName = new FailureCounter(limit, options.clock);
    this.searches = new SlidingWindowLimiter(
      options.searchLimit ?? DEFAULT_ACCOUNT_SEARCH_LIMIT,
      options.clock,
    );
  }

  /**
   * The one pending account whose birth date matches and whose name matches exactly: the same
   * words, in any order, as the registered name in its own script, in its German MRZ form or in
   * its Latin form. Never a list: none is 404, more than one is 409 (the clerk uses the letter).
   * Every search counts against the terminal's window, found or not, so names and birth dates
   * cannot be tried out at a terminal.
   */
  findPending(terminalId: string, search: PendingAccountSearch, now: number): Answer {
    const waitMs = this.searches.hit(terminalId);
    if (waitMs > 0) {
      return rateLimited(waitMs, 'Too many account searches from this terminal; try again later.');
    }
    const wanted = wordSet(foldName(search.name));
    if (wanted === '') return failure(404, 'account.not_found', 'No pending account matches.');
    const rows = this.db
      .prepare("SELECT * FROM accounts WHERE status = 'pending' AND expires_at > ? AND birth_date = ?")
      .all(now, search.birthDate) as AccountRow[];
    const matches = rows.filter((r) =>
      [foldName(r.display_name), foldGerman(r.display_name), foldName(r.latin_name)].some(
        (form) => wordSet(form) === wanted,
      ),
    );
    const [only] = matches;
    if (only === undefined) return failure(404, 'account.not_found', 'No pending account matches.');
    if (matches.length > 1) {
      return failure(409, 'account.ambiguous', 'More than one pending account matches; use the letter.', {
        retryable: false,
      });
    }
    return answer(200, toPending(only));
  }

  /** One pending account by id, without regard to case (the letter's QR carries it upper-cased). */
  pendingOne(accountId: string, now: number): Answer {
    const row = this.db
      .prepare('SELECT * FROM accounts WHERE account_id = ? COLLATE NOCASE')
      .get(accountId) as AccountRow | undefined;
    if (row === undefined) return failure(404, 'account.not_found', 'No service account has this id.');
    if (row.status !== 'pending' || row.expires_at <= now) {
      return failure(404, 'account.not_pending', 'The account is not pending activation.');
    }
    return answer(200, toPending(row));
  }

  /**
   * Signs a visitor in. A wrong name and a wrong password are one answer, and take the same
   * time (an unknown name is checked against a dummy hash). After `maxFailures` failures from
   * a terminal or for a name within the window, 429 with Retry-After, before any check.
   */
  async signIn(terminalId: string, request: AccountSignInRequest): Promise<Answer> {
    const name = normaliseUserName(request.accountName);
    const terminalKey = terminalId;
    const nameKey = name;
    const waitMs = Math.max(this.byTerminal.blockedForMs(terminalKey), this.byName.blockedForMs(nameKey));
    if (waitMs > 0) {
      return rateLimited(waitMs, 'Too many failed sign-ins; try again later.');
    }
    const row = this.db
      .prepare("SELECT * FROM accounts WHERE user_name = ? AND status = 'active'")
      .get(name) as AccountRow | undefined;
    const phc = row?.password_hash ?? (await this.#dummy());
    const matches = await verifySecret(phc, request.password);
    if (row === undefined || row.password_hash === null || !matches) {
      this.byTerminal.fail(terminalKey);
      this.byName.fail(nameKey);
      return failure(401, 'account.sign_in_failed', 'The account name or the password is wrong.');
    }
    this.byName.clear(nameKey);
    const secondFactor = this.options.secondFactor ?? null;
    if (secondFactor === null) return answer(200, profileOf(row, 'password'));
    if (row.phone === null) {
      return failure(
        409,
        'account.no_second_factor',
        'The account has no registered phone for the sign-in code.',
        { retryable: false },
      );
    }
    const issued = await secondFactor.issue(terminalId, { accountId: row.account_id, phone: row.phone });
    if (!issued.ok)
      return rateLimited(issued.waitMs, 'Too many sign-in codes for this account; try again later.');
    const body: AccountSignInChallenge = {
      secondFactor: 'mtan',
      challengeId: issued.challengeId,
      phoneHint: maskPhone(row.phone),
      expiresAt: iso(issued.expiresAt),
    };
    return answer(200, body);
  }

  /**
   * Completes a sign-in with the code sent for its challenge. Every wrong, expired or used code
   * counts against the terminal as a failed sign-in does.
   */
  confirmCode(terminalId: string, request: AccountSignInCodeRequest): Answer {
    const secondFactor = this.options.secondFactor ?? null;
    const waitMs = this.byTerminal.blockedForMs(terminalId);
    if (waitMs > 0) return rateLimited(waitMs, 'Too many failed sign-ins; try again later.');
    const checked =
      secondFactor === null
        ? ({ ok: false, reason: 'expired' } as const)
        : secondFactor.check(terminalId, request.challengeId, request.code);
    if (!checked.ok) {
      this.byTerminal.fail(terminalId);
      return checked.reason === 'invalid'
        ? failure(401, 'account.code_invalid', 'The sign-in code is wrong.')
        : failure(401, 'account.code_expired', 'The sign-in code is no longer valid; sign in again.');
    }
    const row = this.db
      .prepare("SELECT * FROM accounts WHERE account_id = ? AND status = 'active'")
      .get(checked.accountId) as AccountRow | undefined;
    if (row === undefined) {
      return failure(401, 'account.code_expired', 'The sign-in code is no longer valid; sign in again.');
    }
    return answer(200, profileOf(row, 'password+mtan'));
  }

  #dummy(): Promise<string> {
    this.dummyHash ??= hashSecret(
      'no account has this password',
      this.options.passwordCost ?? OWASP_ARGON2ID,
    );
    return this.dummyHash;
  }

  /**
   * Activates a pending account. A sealed document reference is opened first and only its keyed
   * hash is stored (portal/document-ref.ts); one that cannot be opened is 422.
   */
  async activate(
    terminalId: string,
    accountId: string,
    request: ActivateAccountRequest,
    now: number,
  ): Promise<Outcome> {
    let documentHash: string | null = null;
    if (request.document.documentRef !== undefined) {
      const keyed = await this.options.documentRefs.fromSealed(request.document.documentRef);
      if (!keyed.ok) return failure(422, keyed.error.code, keyed.error.message, { retryable: false });
      documentHash = keyed.value;
    }
    return {
      commit: () => {
        const row = this.db
          .prepare('SELECT * FROM accounts WHERE account_id = ? COLLATE NOCASE')
          .get(accountId) as AccountRow | undefined;
        if (row === undefined) return failure(404, 'account.not_found', 'No service account has this id.');
        if (row.status !== 'pending' || row.expires_at <= now) {
          return failure(409, 'account.not_pending', 'The account is not pending activation.', {
            retryable: false,
          });
        }
        this.db
          .prepare(
            "UPDATE accounts SET status = 'active', activated_at = ?, activated_by_terminal = ?, clerk_staff_id = ?, clerk_method = ?, document_kind = ?, checked_by = ?, document_hash = ? WHERE account_id = ?",
          )
          .run(
            now,
            terminalId,
            request.clerk.staffId,
            request.clerk.method,
            request.document.kind,
            request.document.checkedBy,
            documentHash,
            row.account_id,
          );
        const body: ActivateAccountResponse = {
          accountId: row.account_id,
          status: 'active',
          activatedAt: iso(now),
        };
        return answer(200, body);
      },
    };
  }
}
