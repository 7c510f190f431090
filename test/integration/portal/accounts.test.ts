/**
 * Service accounts through the terminal's own portal client against a real portal on
 * 127.0.0.1: pending accounts by name and by the letter's QR, activation, and the sign-in of an
 * active account with its rate limits.
 */
import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.ts';
import { insertAccount } from '../../../portal/accounts.ts';
import { DEMO_ACTIVE_ACCOUNTS } from '../../../portal/demo.ts';
import { DOCUMENT_REF_KEY_FILE } from '../../../portal/document-ref.ts';
import { DEFAULT_CODE_SEND_LIMIT } from '../../../portal/second-factor.ts';
import { type PortalOptions, type RunningPortal, startPortal } from '../../../portal/server.ts';
import {
  ACCOUNT_QR_PREFIX,
  type ActivateAccountRequest,
  accountQrPayload,
  parseAccountQr,
} from '../../../sync/protocol/index.ts';
import { sealDocumentRef } from '../../../sync/sealing.ts';
import { type AssembledTerminal, enrolTerminal, openTerminal } from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';

let portal: RunningPortal;
/** One clock for portal and terminals, so the rate-limit window can pass without waiting. */
let clock: ManualClock;
const opened: { terminal: AssembledTerminal; dir: string }[] = [];

/** A demo portal per test, and the terminals the test opened closed after it. */
function usePortal(options: Pick<PortalOptions, 'accountsSecondFactor' | 'codeSendLimit'> = {}): void {
  beforeEach(async () => {
    clock = new ManualClock(Date.now());
    portal = await startPortal({
      demo: true,
      clock,
      authorityKeySource: pooledAuthorityKeys(),
      seed: 3,
      ...options,
    });
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) {
      await o.terminal.close();
      rmSync(o.dir, { recursive: true, force: true });
    }
    await portal.close();
  });
}

async function terminal(fetch?: typeof globalThis.fetch): Promise<AssembledTerminal> {
  const dir = mkdtempSync(join(tmpdir(), 'accounts-terminal-'));
  const enrolled = await enrolTerminal({
    dataDir: dir,
    portalUrl: portal.url,
    code: portal.createEnrolmentCode(),
    clock,
  });
  if (!enrolled.ok) throw new Error(enrolled.error.code);
  const t = await openTerminal({ dataDir: dir, clock, ...(fetch === undefined ? {} : { fetch }) });
  if (!t.ok) throw new Error(t.error.code);
  opened.push({ terminal: t.value, dir });
  return t.value;
}

const activation: ActivateAccountRequest = {
  clerk: { staffId: 'badge-1a2b3c4d', method: 'badge+pin' },
  document: { kind: 'passport', checkedBy: 'mrz' },
};

describe('the account QR payload', () => {
  it('round-trips an account id, upper-cased, in the QR alphanumeric set', () => {
    const payload = accountQrPayload('acc-demo-ayse');
    expect(payload).toBe('SVK1:ACC-DEMO-AYSE');
    expect(payload).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    expect(parseAccountQr(payload)).toEqual({ ok: true, value: { accountId: 'ACC-DEMO-AYSE' } });
  });

  it('reads what scanners deliver: lower case, surrounding whitespace and line endings', () => {
    expect(parseAccountQr('svk1:acc-demo-ayse')).toEqual({ ok: true, value: { accountId: 'ACC-DEMO-AYSE' } });
    expect(parseAccountQr('  SVK1:ACC-DEMO-LI\r\n')).toEqual({
      ok: true,
      value: { accountId: 'ACC-DEMO-LI' },
    });
  });

  it('refuses garbage, another scheme, a later version and an empty or malformed id', () => {
    const code = (text: string) => {
      const r = parseAccountQr(text);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code('')).toBe('qr.not_account');
    expect(code('hello world')).toBe('qr.not_account');
    expect(code('ST1:ST-9G7D352Q37N')).toBe('qr.not_account');
    expect(code('https://example.org/SVK1:ACC')).toBe('qr.not_account');
    expect(code('SVK2:ACC-DEMO-AYSE')).toBe('qr.unsupported_version');
    expect(code(`${ACCOUNT_QR_PREFIX}`)).toBe('qr.invalid');
    expect(code('SVK1:ACC DEMO')).toBe('qr.invalid');
    expect(code('SVK1:-ACC')).toBe('qr.invalid');
    expect(code(`SVK1:${'A'.repeat(101)}`)).toBe('qr.invalid');
  });
});

describe('pending accounts', () => {
  usePortal();

  it('finds the one pending account by name and birth date, and the same by the id from its letter', async () => {
    const t = await terminal();
    const found = await t.client.findPendingAccount({ name: 'ayse yilmaz', birthDate: '1988-03-14' });
    expect(found).toMatchObject({
      ok: true,
      value: { accountId: 'acc-demo-ayse', displayName: 'Ayşe Yılmaz', emailHint: 'a***@example.org' },
    });
    const scanned = parseAccountQr(accountQrPayload('acc-demo-ayse'));
    if (!scanned.ok) throw new Error(scanned.error.code);
    const one = await t.client.pendingAccount(scanned.value.accountId);
    expect(one).toMatchObject({ ok: true, status: 200 });
    if (one.ok && found.ok) expect(one.value).toEqual(found.value);
  });

  it('sends the name and birth date in a POST body, never in the URL', async () => {
    const seen: { url: string; method: string; body: string }[] = [];
    const recording = (async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(url), method: init?.method ?? 'GET', body: String(init?.body ?? '') });
      return fetch(url, init);
    }) as typeof fetch;
    const t = await terminal(recording);
    seen.length = 0;
    expect((await t.client.findPendingAccount({ name: 'Ayşe Yılmaz', birthDate: '1988-03-14' })).ok).toBe(
      true,
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe(`${portal.url}/v1/accounts/pending/search`);
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({ name: 'Ayşe Yılmaz', birthDate: '1988-03-14' });
    // the old list route is gone
    const list = await fetch(`${portal.url}/v1/accounts/pending?name=ayse`);
    expect(list.status).toBe(404);
  });

  it('answers only an exact match: not a part of the name, not another birth date, never a list', async () => {
    const t = await terminal();
    const code = async (name: string, birthDate: string) => {
      const r = await t.client.findPendingAccount({ name, birthDate });
      return r.ok ? r.value.accountId : r.error.code;
    };
    expect(await code('YILMAZ AYSE', '1988-03-14')).toBe('acc-demo-ayse');
    expect(await code('Олександр Шевченко', '1979-11-02')).toBe('acc-demo-oleksandr');
    expect(await code('OLEKSANDR SHEVCHENKO', '1979-11-02')).toBe('acc-demo-oleksandr');
    expect(await code('Yılmaz', '1988-03-14')).toBe('account.not_found');
    expect(await code('Ayşe Yılmaz', '1988-03-15')).toBe('account.not_found');
    expect(await code('Ayşe Yılmaz Demir', '1988-03-14')).toBe('account.not_found');
    expect(await code('%%', '1988-03-14')).toBe('account.not_found');
    const bad = await t.client.findPendingAccount({ name: 'Ayşe', birthDate: '14.03.1988' });
    expect(bad.ok || bad.error).toMatchObject({ status: 400, code: 'request.invalid' });
  });

  it('says ambiguous, not which accounts, when two pending accounts share name and birth date', async () => {
    const db = new Database(join(portal.dataDir, 'portal.sqlite'));
    try {
      insertAccount(db, {
        accountId: 'acc-second-ayse',
        displayName: 'Ayse Yilmaz',
        latinName: 'AYSE YILMAZ',
        birthDate: '1988-03-14',
        email: 'other@example.org',
        registeredAt: clock.now(),
        expiresAt: clock.now() + 86_400_000,
      });
    } finally {
      db.close();
    }
    const t = await terminal();
    // as the passport's MRZ writes both
    const r = await t.client.findPendingAccount({ name: 'AYSE YILMAZ', birthDate: '1988-03-14' });
    expect(r).toEqual({
      ok: false,
      error: {
        kind: 'permanent',
        status: 409,
        code: 'account.ambiguous',
        message: 'More than one pending account matches; use the letter.',
      },
    });
  });

  it('limits searches per terminal, found or not, until the window has passed', async () => {
    const t = await terminal();
    for (let i = 0; i < 10; i++) {
      const r = await t.client.findPendingAccount({ name: `Guess ${i}`, birthDate: '1988-03-14' });
      expect(r.ok || r.error.code).toBe('account.not_found');
    }
    const blocked = await t.client.findPendingAccount({ name: 'Ayşe Yılmaz', birthDate: '1988-03-14' });
    expect(blocked).toMatchObject({
      ok: false,
      error: { status: 429, code: 'rate_limited', kind: 'retryable' },
    });
    const retryAfterMs = blocked.ok ? 0 : (blocked.error.retryAfterMs ?? 0);
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(10 * 60_000);
    const other = await terminal();
    expect((await other.client.findPendingAccount({ name: 'Ayşe Yılmaz', birthDate: '1988-03-14' })).ok).toBe(
      true,
    );
    clock.advance(retryAfterMs);
    expect((await t.client.findPendingAccount({ name: 'Ayşe Yılmaz', birthDate: '1988-03-14' })).ok).toBe(
      true,
    );
  });

  it('answers 404 for an unknown id and for an account that is not pending', async () => {
    const t = await terminal();
    expect(await t.client.pendingAccount('acc-nobody')).toMatchObject({
      ok: false,
      error: { status: 404, code: 'account.not_found', kind: 'permanent' },
    });
    const active = DEMO_ACTIVE_ACCOUNTS[0].accountId;
    expect(await t.client.pendingAccount(active)).toMatchObject({
      ok: false,
      error: { status: 404, code: 'account.not_pending' },
    });
    expect(await t.client.pendingAccount('bad id!')).toMatchObject({
      ok: false,
      error: { status: 400, code: 'request.invalid' },
    });
  });

  it('activates the account a QR names; a repeat with the same key gets the same answer', async () => {
    const t = await terminal();
    const scanned = parseAccountQr('svk1:acc-demo-oleksandr\n');
    if (!scanned.ok) throw new Error(scanned.error.code);
    const done = await t.client.activateAccount(scanned.value.accountId, activation, 'activation-key-0001');
    expect(done).toMatchObject({ ok: true, value: { accountId: 'acc-demo-oleksandr', status: 'active' } });
    const again = await t.client.activateAccount(scanned.value.accountId, activation, 'activation-key-0001');
    expect(again).toMatchObject({ ok: true, replayed: true });
    if (done.ok && again.ok) expect(again.value).toEqual(done.value);
    expect(await t.client.activateAccount('acc-demo-oleksandr', activation)).toMatchObject({
      ok: false,
      error: { status: 409, code: 'account.not_pending' },
    });
    expect(await t.client.pendingAccount('acc-demo-oleksandr')).toMatchObject({
      ok: false,
      error: { code: 'account.not_pending' },
    });
    const search = await t.client.findPendingAccount({ name: 'Олександр Шевченко', birthDate: '1979-11-02' });
    expect(search.ok || search.error.code).toBe('account.not_found');
  });
});

describe('the document reference of an activation', () => {
  usePortal();

  it('travels sealed and is kept only as an HMAC under a key outside the database', async () => {
    const seen: string[] = [];
    const t = await terminal((async (url: string | URL | Request, init?: RequestInit) => {
      seen.push(String(init?.body ?? ''));
      return fetch(url, init);
    }) as typeof fetch);
    expect((await t.refreshAuthorityKeys()).ok).toBe(true);
    const key = t.authorityKey();
    if (key === undefined) throw new Error('no authority key');
    const sealed = await sealDocumentRef({ issuingState: 'TUR', documentNumber: 'u1234567 8' }, key);
    if (!sealed.ok) throw new Error(sealed.error.code);
    const request = { ...activation, document: { ...activation.document, documentRef: sealed.value } };
    const done = await t.client.activateAccount('acc-demo-ayse', request, 'activation-key-ref-1');
    expect(done.ok).toBe(true);
    expect(seen.some((b) => b.includes('U12345678'))).toBe(false);
    const db = new Database(join(portal.dataDir, 'portal.sqlite'), { readonly: true });
    let stored: string;
    try {
      stored = (
        db.prepare("SELECT document_hash FROM accounts WHERE account_id = 'acc-demo-ayse'").get() as {
          document_hash: string;
        }
      ).document_hash;
      const everything = JSON.stringify(db.prepare('SELECT * FROM accounts').all());
      expect(everything).not.toContain('U12345678');
      expect(everything).not.toContain(createHash('sha256').update('TUR:U12345678').digest('hex'));
    } finally {
      db.close();
    }
    // the keyed hash of the normalised pair, under the key in its own 0600 file
    const keyFile = join(portal.dataDir, DOCUMENT_REF_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const hmacKey = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex');
    const mac = createHmac('sha256', hmacKey).update('TUR:U12345678').digest('hex');
    expect(stored).toMatch(new RegExp(`^hmac-sha256:[0-9a-f]{8}:${mac}$`));
  });

  it('is refused (422) when it cannot be opened: garbage, or sealed to a key the authority does not hold', async () => {
    const t = await terminal();
    const garbage = { ...activation, document: { ...activation.document, documentRef: 'a.b.c.d.e' } };
    expect(await t.client.activateAccount('acc-demo-li', garbage)).toMatchObject({
      ok: false,
      error: { status: 422, code: 'document_ref.invalid', kind: 'permanent' },
    });
    const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    const sealed = await sealDocumentRef(
      { issuingState: 'D', documentNumber: 'C01X00T47' },
      { kid: 'authority-foreign', key: { ...foreign, alg: 'RSA-OAEP-256' } },
    );
    if (!sealed.ok) throw new Error(sealed.error.code);
    const wrongKey = { ...activation, document: { ...activation.document, documentRef: sealed.value } };
    expect(await t.client.activateAccount('acc-demo-li', wrongKey)).toMatchObject({
      ok: false,
      error: { status: 422, code: 'document_ref.invalid' },
    });
    // still pending: nothing was activated
    expect((await t.client.pendingAccount('acc-demo-li')).ok).toBe(true);
  });
});

describe('service-account sign-in', () => {
  // The password's own rules, on a portal configured to take the password alone.
  usePortal({ accountsSecondFactor: 'none' });
  const [kemal, olena] = DEMO_ACTIVE_ACCOUNTS;

  it('signs a visitor in with name and password and answers the account with masked contacts', async () => {
    const t = await terminal();
    const r = await t.client.signInAccount({ accountName: ' Kemal.Demo ', password: kemal.password });
    expect(r).toEqual({
      ok: true,
      status: 200,
      replayed: false,
      value: {
        accountId: kemal.accountId,
        displayName: kemal.displayName,
        latinName: kemal.latinName,
        birthDate: kemal.birthDate,
        emailHint: 'k***@example.org',
        phoneHint: '+49 *** **81',
        authentication: 'password',
      },
    });
    const o = await t.client.signInAccount({ accountName: olena.userName, password: olena.password });
    expect(o.ok && o.value).toMatchObject({ accountId: olena.accountId, emailHint: 'o***@example.org' });
    expect(o.ok && o.value).not.toHaveProperty('phoneHint');
  });

  it('answers a wrong password, an unknown name and a pending account the same, and not as a terminal refusal', async () => {
    const t = await terminal();
    const answers = [
      await t.client.signInAccount({ accountName: kemal.userName, password: 'wrong-password' }),
      await t.client.signInAccount({ accountName: 'nobody.here', password: kemal.password }),
      await t.client.signInAccount({ accountName: 'acc-demo-ayse', password: kemal.password }),
      await t.client.signInAccount({ accountName: olena.userName, password: kemal.password }),
    ];
    for (const a of answers) {
      expect(a).toEqual({
        ok: false,
        error: {
          kind: 'permanent',
          status: 401,
          code: 'account.sign_in_failed',
          message: 'The account name or the password is wrong.',
        },
      });
    }
    expect(t.alarms.isOpen('sync.auth')).toBe(false);
  });

  it('refuses a terminal after 5 failures with 429 and Retry-After, even with the right password, until the window passed', async () => {
    const t = await terminal();
    for (let i = 0; i < 5; i++) {
      const r = await t.client.signInAccount({ accountName: `guess-${i}`, password: 'x' });
      expect(r.ok || r.error.code).toBe('account.sign_in_failed');
    }
    const blocked = await t.client.signInAccount({ accountName: kemal.userName, password: kemal.password });
    expect(blocked).toMatchObject({
      ok: false,
      error: { status: 429, code: 'rate_limited', kind: 'retryable' },
    });
    const retryAfterMs = blocked.ok ? 0 : (blocked.error.retryAfterMs ?? 0);
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(15 * 60_000);
    // another terminal is not affected by this one's failures
    const other = await terminal();
    expect(
      (await other.client.signInAccount({ accountName: kemal.userName, password: kemal.password })).ok,
    ).toBe(true);
    clock.advance(retryAfterMs);
    expect((await t.client.signInAccount({ accountName: kemal.userName, password: kemal.password })).ok).toBe(
      true,
    );
  });

  it('refuses a name after 5 failures from any terminals, and only that name', async () => {
    const a = await terminal();
    const b = await terminal();
    for (let i = 0; i < 3; i++)
      await a.client.signInAccount({ accountName: olena.userName, password: `a-${i}` });
    for (let i = 0; i < 2; i++)
      await b.client.signInAccount({ accountName: 'OLENA.DEMO', password: `b-${i}` });
    const blocked = await b.client.signInAccount({ accountName: olena.userName, password: olena.password });
    expect(blocked).toMatchObject({ ok: false, error: { status: 429, code: 'rate_limited' } });
    expect((await b.client.signInAccount({ accountName: kemal.userName, password: kemal.password })).ok).toBe(
      true,
    );
    clock.advance(15 * 60_000);
    expect((await b.client.signInAccount({ accountName: olena.userName, password: olena.password })).ok).toBe(
      true,
    );
  });

  it('keeps passwords only as argon2id hashes', () => {
    const db = new Database(join(portal.dataDir, 'portal.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare(
          'SELECT user_name, password_hash FROM accounts WHERE password_hash IS NOT NULL ORDER BY user_name',
        )
        .all() as { user_name: string; password_hash: string }[];
      expect(rows.map((r) => r.user_name)).toEqual(['kemal.demo', 'olena.demo']);
      for (const r of rows) expect(r.password_hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
      const all = JSON.stringify(db.prepare('SELECT * FROM accounts').all());
      for (const a of DEMO_ACTIVE_ACCOUNTS) expect(all).not.toContain(a.password);
    } finally {
      db.close();
    }
  });
});

describe('service-account sign-in with a one-time code (mTAN, E16)', () => {
  // a demo portal, with the send limit a real one has (a demo's is higher)
  usePortal({ codeSendLimit: DEFAULT_CODE_SEND_LIMIT });
  const [kemal, olena] = DEMO_ACTIVE_ACCOUNTS;

  /** The reference sender's last message to an account, read as a test or demo reads it. */
  async function lastMessage(accountId: string, token = portal.adminToken): Promise<Response> {
    return fetch(`${portal.url}/admin/v1/accounts/${accountId}/last-code-message`, {
      headers: { authorization: `Bearer ${token}` },
    });
  }
  async function codeSent(accountId: string): Promise<string> {
    const response = await lastMessage(accountId);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { text: string };
    const [code] = /\b\d{6}\b/.exec(body.text) ?? [];
    if (code === undefined) throw new Error('no code in the message');
    return code;
  }
  async function challenge(t: AssembledTerminal): Promise<string> {
    const r = await t.client.signInAccount({ accountName: kemal.userName, password: kemal.password });
    if (!r.ok || !('secondFactor' in r.value)) throw new Error('no challenge');
    return r.value.challengeId;
  }
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('answers a right password with a challenge, sends the code to the registered phone, and signs in with it', async () => {
    const t = await terminal();
    const r = await t.client.signInAccount({ accountName: kemal.userName, password: kemal.password });
    expect(r.ok && r.value).toEqual({
      secondFactor: 'mtan',
      challengeId: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      phoneHint: '+49 *** **81',
      expiresAt: new Date(clock.now() + 5 * 60_000).toISOString(),
    });
    // nothing of the account before the code
    expect(JSON.stringify(r)).not.toContain(kemal.accountId);
    const message = (await (await lastMessage(kemal.accountId)).json()) as { phone: string; text: string };
    expect(message.phone.replace(/\D/g, '').endsWith('81')).toBe(true);
    // the route is the administrators': no token, no message
    expect((await lastMessage(kemal.accountId, 'not-the-token')).status).toBe(401);
    const challengeId = r.ok && 'secondFactor' in r.value ? r.value.challengeId : '';
    const code = await codeSent(kemal.accountId);
    const signedIn = await t.client.confirmSignInCode({ challengeId, code });
    expect(signedIn.ok && signedIn.value).toMatchObject({
      accountId: kemal.accountId,
      displayName: kemal.displayName,
      birthDate: kemal.birthDate,
      authentication: 'password+mtan',
    });
  });

  it('refuses a wrong code and still takes the right one after it', async () => {
    const t = await terminal();
    const challengeId = await challenge(t);
    const code = await codeSent(kemal.accountId);
    expect(await t.client.confirmSignInCode({ challengeId, code: wrong(code) })).toMatchObject({
      ok: false,
      error: { status: 401, code: 'account.code_invalid', kind: 'permanent' },
    });
    expect(t.alarms.isOpen('sync.auth')).toBe(false);
    expect((await t.client.confirmSignInCode({ challengeId, code })).ok).toBe(true);
  });

  it('refuses the right code after 5 minutes', async () => {
    const t = await terminal();
    const challengeId = await challenge(t);
    const code = await codeSent(kemal.accountId);
    clock.advance(5 * 60_000);
    expect(await t.client.confirmSignInCode({ challengeId, code })).toMatchObject({
      ok: false,
      error: { status: 401, code: 'account.code_expired' },
    });
  });

  it('voids the challenge after 5 wrong codes: the right one is refused then', async () => {
    const t = await terminal();
    const challengeId = await challenge(t);
    const code = await codeSent(kemal.accountId);
    for (let i = 0; i < 4; i++) {
      const r = await t.client.confirmSignInCode({ challengeId, code: wrong(code) });
      expect(r.ok || r.error.code).toBe('account.code_invalid');
    }
    // the fifth wrong code: the terminal has now 5 failures and waits, as after 5 wrong passwords
    expect((await t.client.confirmSignInCode({ challengeId, code: wrong(code) })).ok).toBe(false);
    expect(await t.client.confirmSignInCode({ challengeId, code })).toMatchObject({
      ok: false,
      error: { status: 429, code: 'rate_limited' },
    });
    clock.advance(15 * 60_000);
    expect(await t.client.confirmSignInCode({ challengeId, code })).toMatchObject({
      ok: false,
      error: { status: 401, code: 'account.code_expired' },
    });
  });

  it('takes a code once: a replay, or the challenge from another terminal, is refused', async () => {
    const t = await terminal();
    const other = await terminal();
    const challengeId = await challenge(t);
    const code = await codeSent(kemal.accountId);
    expect(await other.client.confirmSignInCode({ challengeId, code })).toMatchObject({
      ok: false,
      error: { code: 'account.code_expired' },
    });
    expect((await t.client.confirmSignInCode({ challengeId, code })).ok).toBe(true);
    expect(await t.client.confirmSignInCode({ challengeId, code })).toMatchObject({
      ok: false,
      error: { status: 401, code: 'account.code_expired' },
    });
  });

  it('sends a new code only 3 times in 15 minutes per account, and the newest voids the one before', async () => {
    expect(DEFAULT_CODE_SEND_LIMIT).toEqual({ max: 3, windowMs: 15 * 60_000 });
    const t = await terminal();
    const first = await challenge(t);
    const firstCode = await codeSent(kemal.accountId);
    await challenge(t);
    const third = await challenge(t);
    const blocked = await t.client.signInAccount({ accountName: kemal.userName, password: kemal.password });
    expect(blocked).toMatchObject({ ok: false, error: { status: 429, code: 'rate_limited' } });
    expect(await t.client.confirmSignInCode({ challengeId: first, code: firstCode })).toMatchObject({
      ok: false,
      error: { code: 'account.code_expired' },
    });
    expect(
      (await t.client.confirmSignInCode({ challengeId: third, code: await codeSent(kemal.accountId) })).ok,
    ).toBe(true);
  });

  it('refuses an account without a registered phone rather than signing it in by password', async () => {
    const t = await terminal();
    expect(
      await t.client.signInAccount({ accountName: olena.userName, password: olena.password }),
    ).toMatchObject({
      ok: false,
      error: { status: 409, code: 'account.no_second_factor', kind: 'permanent' },
    });
    expect((await lastMessage(olena.accountId)).status).toBe(404);
  });
});
