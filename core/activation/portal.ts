import type { ClientError, PortalClient } from '../../sync/client.ts';
import type { AccountLookup, AccountsPort } from './service.ts';

/** The portal could not answer (network, timeout, a 5xx, a captive portal's HTML): say "offline". */
function unreachable(error: ClientError): boolean {
  return error.kind === 'retryable' || error.code.startsWith('net.') || error.code === 'response.invalid';
}

/** Activation's view of the portal's service accounts, on the terminal's portal client. */
export function portalAccounts(client: PortalClient): AccountsPort {
  return {
    async byId(accountId) {
      const answer = await client.pendingAccount(accountId);
      if (answer.ok) return { kind: 'found', account: answer.value };
      return unreachable(answer.error) ? { kind: 'offline' } : { kind: 'not_found' };
    },
    async byNameAndBirthDate(name, birthDate): Promise<AccountLookup> {
      const answer = await client.pendingAccounts(name);
      if (!answer.ok) return unreachable(answer.error) ? { kind: 'offline' } : { kind: 'not_found' };
      const same = answer.value.accounts.filter((a) => a.birthDate === birthDate);
      const [first] = same;
      if (!first) return { kind: 'not_found' };
      return same.length === 1 ? { kind: 'found', account: first } : { kind: 'ambiguous' };
    },
    async activate(accountId, request, idempotencyKey) {
      const answer = await client.activateAccount(accountId, request, idempotencyKey);
      if (answer.ok) return { ok: true, activatedAt: answer.value.activatedAt };
      return { ok: false, code: answer.error.code, offline: unreachable(answer.error) };
    },
  };
}
