/**
 * City service accounts registered online and pending activation. At the terminal a clerk finds
 * the visitor's account by name — typed in any script, or as the Latin form read from a
 * passport's MRZ — checks the document and confirms; the activation records who confirmed how.
 */
import type {
  ActivateAccountRequest,
  ActivateAccountResponse,
  PendingAccount,
  PendingAccountsResponse,
} from '../sync/protocol/index.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';
import { type Answer, answer, failure, type Outcome } from './http.ts';

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

export interface NewAccount {
  readonly accountId: string;
  readonly displayName: string;
  readonly latinName: string;
  readonly birthDate: string;
  readonly email: string;
  readonly registeredAt: number;
  readonly expiresAt: number;
}

export function insertAccount(db: Db, a: NewAccount): void {
  db.prepare(
    "INSERT INTO accounts (account_id, display_name, latin_name, search_key, birth_date, email, registered_at, expires_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
  ).run(
    a.accountId,
    a.displayName,
    a.latinName,
    searchKey(a.displayName, a.latinName),
    a.birthDate,
    a.email,
    a.registeredAt,
    a.expiresAt,
  );
}

function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
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
}

export class Accounts {
  constructor(private readonly db: Db) {}

  pending(name: string, now: number): Answer {
    const words = foldName(name)
      .split(' ')
      .filter((w) => w.length > 0);
    if (words.length === 0) return answer(200, { accounts: [] } satisfies PendingAccountsResponse);
    const where = words.map(() => "search_key LIKE ? ESCAPE '\\'").join(' AND ');
    const rows = this.db
      .prepare(
        `SELECT * FROM accounts WHERE status = 'pending' AND expires_at > ? AND ${where} ORDER BY latin_name LIMIT 20`,
      )
      .all(now, ...words.map((w) => `% ${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)) as AccountRow[];
    const accounts: PendingAccount[] = rows.map((r) => ({
      accountId: r.account_id,
      displayName: r.display_name,
      latinName: r.latin_name,
      birthDate: r.birth_date,
      emailHint: maskEmail(r.email),
      registeredAt: iso(r.registered_at),
      expiresAt: iso(r.expires_at),
    }));
    return answer(200, { accounts } satisfies PendingAccountsResponse);
  }

  activate(terminalId: string, accountId: string, request: ActivateAccountRequest, now: number): Outcome {
    return {
      commit: () => {
        const row = this.db.prepare('SELECT * FROM accounts WHERE account_id = ?').get(accountId) as
          | AccountRow
          | undefined;
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
            request.document.documentHash ?? null,
            accountId,
          );
        const body: ActivateAccountResponse = { accountId, status: 'active', activatedAt: iso(now) };
        return answer(200, body);
      },
    };
  }
}
