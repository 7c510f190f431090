import type { ClientError } from '../../sync/client.ts';
import type { Terminal } from '../../sync/terminal.ts';
import type { AccountLookup, AccountsPort } from './service.ts';

/** The portal could not answer (network, timeout, a 5xx, a captive portal's HTML): say "offline". */
function unreachable(error: ClientError): boolean {
  return error.kind === 'retryable' || error.code.startsWith('net.') || error.code === 'response.invalid';
}

/**
 * Activation's view of the portal's service accounts, on the enrolled terminal's account calls;
 * document references are sealed to the authority's current key of the terminal's verified set.
 */
export function portalAccounts(terminal: Pick<Terminal, 'accounts' | 'sealDocumentRef'>): AccountsPort {
  const client = terminal.accounts;
  return {
    sealReference: (reference) => terminal.sealDocumentRef(reference),
    async byId(accountId) {
      const answer = await client.pendingAccount(accountId);
      if (answer.ok) return { kind: 'found', account: answer.value };
      return unreachable(answer.error) ? { kind: 'offline' } : { kind: 'not_found' };
    },
    /**
     * One exact match at the portal, asked in a POST body (name and birth date never travel in a
     * URL); the portal answers one account or none, never a list. Too many searches from this
     * terminal (429) read as "portal unavailable": the clerk tries again later or uses the letter.
     */
    async byNameAndBirthDate(name, birthDate): Promise<AccountLookup> {
      const answer = await client.findPendingAccount({ name, birthDate });
      if (answer.ok) return { kind: 'found', account: answer.value };
      if (answer.error.code === 'account.ambiguous') return { kind: 'ambiguous' };
      return unreachable(answer.error) ? { kind: 'offline' } : { kind: 'not_found' };
    },
    async activate(accountId, request, idempotencyKey) {
      const answer = await client.activateAccount(accountId, request, idempotencyKey);
      if (answer.ok) return { ok: true, activatedAt: answer.value.activatedAt };
      return { ok: false, code: answer.error.code, offline: unreachable(answer.error) };
    },
  };
}
