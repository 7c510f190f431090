import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskEvent } from '../../../api/contract.ts';
import type { JourneyState } from '../../../api/forms.ts';
import { badgeHash } from '../../../common/badge.ts';
import { ManualClock } from '../../../common/clock.ts';
import { configSchema } from '../../../core/config.ts';
import { EventBus } from '../../../core/events.ts';
import { IdentifyService } from '../../../core/identify.ts';
import { createKiosk, type Kiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import { FilePrinter } from '../../../core/printing/index.ts';
import { SessionService } from '../../../core/session.ts';
import { createArgon2Hasher, parseBadgeSecret } from '../../../core/staff/index.ts';
import { DEMO_ACTIVE_ACCOUNTS } from '../../../portal/demo.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { accountQrPayload } from '../../../sync/protocol/index.ts';
import { type AssembledTerminal, enrolTerminal, openTerminal } from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { mrzDate, passportMrz } from '../../support/passport.ts';

/**
 * Account activation through the kiosk's contract, against a real reference portal: the account
 * found by its letter's QR or by name, the passport read by the simulated reader, the terminal's
 * comparison, the clerk's sign-in and decision, the portal's activation and the audit trail.
 */

const SECRET_HEX = '5a'.repeat(32);
const CLERK = { badge: 'ST-000417', pin: '471100' };
const cheap = createArgon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

let portal: RunningPortal;
let dataDir: string;
let printed: string;
let terminal: AssembledTerminal;
let kiosk: Kiosk;
let events: KioskEvent[];

const AYSE = { state: 'TUR', last: 'YILMAZ', first: 'AYSE', number: 'U12345678', sex: 'F' } as const;
const expiry = mrzDate(new Date(Date.now() + 3 * 365 * 86_400_000).toISOString().slice(0, 10));

beforeEach(async () => {
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 1, demo: true });
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-activation-'));
  printed = mkdtempSync(join(tmpdir(), 'kiosk-printed-'));
  const enrolled = await enrolTerminal({
    dataDir,
    portalUrl: portal.url,
    code: portal.createEnrolmentCode(),
  });
  if (!enrolled.ok) throw new Error(enrolled.error.code);
  const opened = await openTerminal({ dataDir });
  if (!opened.ok) throw new Error(opened.error.code);
  terminal = opened.value;
  await terminal.refreshAuthorityKeys();
  const secret = parseBadgeSecret(SECRET_HEX);
  if (!secret.ok) throw new Error('secret');
  const config = configSchema.parse({
    dataDir,
    portal: { url: portal.url, allowLoopbackHttp: true },
    readers: { simulate: true },
    staff: {
      badgeSecret: SECRET_HEX,
      records: [
        {
          badgeHash: badgeHash(secret.value, CLERK.badge),
          pinHash: await cheap.hash(CLERK.pin),
          role: 'staff',
          name: 'M. Keller',
        },
      ],
    },
  });
  kiosk = createKiosk(config, {
    terminal,
    pinHasher: cheap,
    printer: new FilePrinter({ dir: printed, now: () => new Date() }),
    log: silentLogger,
  });
  events = [];
  kiosk.events.subscribe((event) => events.push(event));
  await kiosk.started;
});

afterEach(async () => {
  await kiosk.close();
  await terminal.close();
  await portal.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(printed, { recursive: true, force: true });
});

async function call<T = unknown>(name: string, input: unknown = {}): Promise<T> {
  const answer = await kiosk.router.dispatch(name, input);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.code} ${answer.error.message}`);
  return answer.value as T;
}

async function callError(name: string, input: unknown = {}): Promise<string> {
  const answer = await kiosk.router.dispatch(name, input);
  if (answer.ok) throw new Error(`${name} succeeded`);
  return answer.error.code;
}

/** Waits for the next pushed journey state that satisfies `test`. */
async function journeyUpdate(test: (state: JourneyState) => boolean): Promise<JourneyState> {
  for (let i = 0; i < 400; i++) {
    const found = events.find(
      (e): e is Extract<KioskEvent, { name: 'journey.updated' }> =>
        e.name === 'journey.updated' && test(e.payload),
    );
    if (found) return found.payload;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no such journey update');
}

/** Starts an activation and gets to the verification step with this passport. */
async function toVerification(
  passport: { state: string; last: string; first: string; number: string; sex: 'M' | 'F'; birth: string },
  find: 'qr' | 'name' = 'qr',
): Promise<JourneyState> {
  await call('session.start', { language: 'tr' });
  await call('journey.start', { serviceId: 'account-activation' });
  if (find === 'qr') {
    expect(kiosk.simulator?.scan(accountQrPayload('acc-demo-ayse')).ok).toBe(true);
    const scanned = await journeyUpdate((s) => typeof s.values.accountCode === 'string');
    // The scan answered "find by letter" by itself; the id comes upper-cased from the QR.
    expect(scanned.values).toMatchObject({ findBy: 'letter', accountCode: 'ACC-DEMO-AYSE' });
    await call('journey.step', { values: scanned.values });
  } else {
    await call('journey.step', {
      values: { findBy: 'name', accountName: 'Ayşe Yılmaz', accountBirthDate: '1988-03-14' },
    });
  }
  events.length = 0;
  expect(kiosk.simulator?.present('mrz', passportMrz({ ...passport, expiry })).ok).toBe(true);
  await journeyUpdate((s) => s.step.id === 'document' && s.values.docLastName !== null);
  const verification = await call<JourneyState>('journey.step', { values: {} });
  expect(verification.step.kind).toBe('verification');
  return journeyUpdate((s) => s.verification?.state === 'done');
}

async function signInClerk(): Promise<void> {
  await call('staff.awaitBadge');
  expect(kiosk.simulator?.scan(CLERK.badge, 'code128').ok).toBe(true);
  for (let i = 0; i < 200 && !events.some((e) => e.name === 'staff.badgeRead'); i++)
    await new Promise((r) => setTimeout(r, 10));
  await call('staff.signIn', { badge: null, pin: CLERK.pin });
}

describe('account activation at the terminal', () => {
  it('activates with the QR from the letter, the passport read and the clerk confirming', async () => {
    const state = await toVerification({ ...AYSE, birth: '880314' });
    expect(state.verification).toMatchObject({
      outcome: 'match',
      account: { displayName: 'Ayşe Yılmaz' },
      documentSource: 'mrz',
      decision: null,
    });
    expect(state.verification?.checks.every((c) => c.ok)).toBe(true);
    // The visitor cannot activate by themselves, and nobody can without signing in.
    expect(await callError('journey.submit')).toBe('journey.needs_clerk');
    expect(await callError('staff.decideActivation', { decision: 'confirm' })).toBe('staff.no_session');

    await signInClerk();
    const result = await call<{ kind: string; print: { state: string } }>('staff.decideActivation', {
      decision: 'confirm',
    });
    expect(result).toMatchObject({ kind: 'activation', print: { state: 'printed' } });
    expect(readdirSync(printed)).toHaveLength(1);
    // The portal has it active now: no longer pending.
    const pending = await terminal.client.pendingAccount('acc-demo-ayse');
    expect(pending.ok ? 'still pending' : pending.error.code).toBe('account.not_pending');
    // The portal keeps the document only as a keyed hash (the terminal sent it sealed).
    const portalDb = new Database(join(portal.dataDir, 'portal.sqlite'), { readonly: true });
    try {
      const row = portalDb
        .prepare("SELECT document_hash FROM accounts WHERE account_id = 'acc-demo-ayse'")
        .get() as { document_hash: string };
      expect(row.document_hash).toMatch(/^hmac-sha256:[0-9a-f]{8}:[0-9a-f]{64}$/);
      expect(row.document_hash).not.toContain(
        createHash('sha256').update(`${AYSE.state}:${AYSE.number}`).digest('hex'),
      );
    } finally {
      portalDb.close();
    }

    const audit = terminal.outbox.auditLog.entries().map((e) => [e.event, e.detail.action ?? null]);
    expect(audit).toEqual(
      expect.arrayContaining([
        ['staff.sign_in_ok', null],
        ['staff.action', 'activation.confirm'],
        ['activation.result', null],
      ]),
    );
    expect(terminal.outbox.auditLog.verify().ok).toBe(true);
    // Neither the name nor the document number went into the database.
    await call('session.end', { reason: 'visitor' });
    for (const file of readdirSync(dataDir).filter((f) => f.startsWith('kiosk.db'))) {
      const bytes = readFileSync(join(dataDir, file));
      for (const secret of ['YILMAZ', 'Yılmaz', AYSE.number, CLERK.badge, CLERK.pin])
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
    }
  });

  it('finds the account by name and birth date in any script', async () => {
    const state = await toVerification({ ...AYSE, birth: '880314' }, 'name');
    expect(state.verification?.outcome).toBe('match');
  });

  it('shows a mismatch and lets the clerk only refuse, with a reason the visitor sees', async () => {
    const state = await toVerification({ ...AYSE, birth: '880315' });
    expect(state.verification?.outcome).toBe('mismatch');
    expect(state.verification?.checks).toContainEqual({ id: 'birthDate', ok: false });
    await signInClerk();
    expect(await callError('staff.decideActivation', { decision: 'confirm' })).toBe(
      'activation.not_matching',
    );
    const refused = await call('staff.decideActivation', {
      decision: 'refuse',
      reason: 'data_do_not_match_account',
    });
    expect(refused).toEqual({ kind: 'activation_refused', reason: 'data_do_not_match_account' });
    expect(await callError('staff.decideActivation', { decision: 'refuse', reason: 'other' })).toBe(
      'activation.already_decided',
    );
    const pending = await terminal.client.pendingAccount('acc-demo-ayse');
    expect(pending.ok).toBe(true);
  });

  it('takes the document from a clerk when the reader fails, and says so', async () => {
    await call('session.start', { language: 'en' });
    await call('journey.start', { serviceId: 'account-activation' });
    await call('journey.step', { values: { findBy: 'letter', accountCode: 'acc-demo-ayse' } });
    // The visitor cannot type on a reader-only step.
    const typed = await call<JourneyState>('journey.step', {
      values: { docLastName: 'Yilmaz', docBirthDate: '1988-03-14', docExpiryDate: '2030-01-01' },
    });
    expect(typed.step.id).toBe('document');
    expect(typed.values.docLastName).toBeNull();
    const entry = {
      reason: 'mrz_damaged',
      documentCode: 'P',
      issuingState: 'TUR',
      documentNumber: 'U12345678',
      lastName: 'Yılmaz',
      firstNames: 'Ayşe',
      birthDate: '1988-03-14',
      expiryDate: '2031-05-01',
      nationality: 'TUR',
    };
    expect(await callError('staff.enterDocument', entry)).toBe('staff.no_session');
    await signInClerk();
    const filled = await call<JourneyState>('staff.enterDocument', entry);
    // As the MRZ writes it (ICAO transliteration), shown in title case.
    expect(filled.values.docLastName).toBe('Yilmaz');
    await call('journey.step', { values: {} });
    const state = await journeyUpdate((s) => s.verification?.state === 'done');
    expect(state.verification).toMatchObject({ outcome: 'match', documentSource: 'clerk' });
    const actions = terminal.outbox.auditLog.entries().filter((e) => e.event === 'staff.action');
    expect(actions.map((e) => [e.detail.action, e.detail.reason ?? null])).toContainEqual([
      'document.manual_entry',
      'mrz_damaged',
    ]);
  });

  it('says at the first step when the portal cannot be reached, and keeps the visitor there', async () => {
    await call('session.start', { language: 'de' });
    await call('journey.start', { serviceId: 'account-activation' });
    portal.setFaults({ down: true });
    const held = await call<JourneyState>('journey.step', {
      values: { findBy: 'letter', accountCode: 'acc-demo-ayse' },
    });
    expect(held).toMatchObject({
      step: { id: 'find' },
      errors: { accountCode: 'portal_unreachable' },
      values: { findBy: 'letter', accountCode: 'acc-demo-ayse' },
    });
    portal.setFaults({ down: false });
    const onward = await call<JourneyState>('journey.step', { values: held.values });
    expect(onward.step.id).toBe('document');
  });

  it('looks the account up right after the first step, before any document is read', async () => {
    await call('session.start', { language: 'uk' });
    await call('journey.start', { serviceId: 'account-activation' });
    // A code that finds nothing is corrected on the first step, with what was typed still there.
    const unknown = await call<JourneyState>('journey.step', {
      values: { findBy: 'letter', accountCode: 'acc-demo-nobody' },
    });
    expect(unknown).toMatchObject({
      step: { id: 'find' },
      errors: { accountCode: 'account_not_found' },
      values: { accountCode: 'acc-demo-nobody' },
    });
    const byName = await call<JourneyState>('journey.step', {
      values: { findBy: 'name', accountName: 'Ayşe Yılmaz', accountBirthDate: '1988-03-15' },
    });
    expect(byName).toMatchObject({ step: { id: 'find' }, errors: { accountName: 'account_not_found' } });
    const found = await call<JourneyState>('journey.step', {
      values: { findBy: 'name', accountName: 'Ayşe Yılmaz', accountBirthDate: '1988-03-14' },
    });
    expect(found).toMatchObject({ step: { id: 'document' }, errors: {} });
    // The verification uses the account the first step found: it needs the portal no more.
    portal.setFaults({ down: true });
    expect(kiosk.simulator?.present('mrz', passportMrz({ ...AYSE, birth: '880314', expiry })).ok).toBe(true);
    await journeyUpdate((s) => s.step.id === 'document' && s.values.docLastName !== null);
    await call('journey.step', { values: {} });
    const state = await journeyUpdate((s) => s.verification?.state === 'done');
    expect(state.verification?.outcome).toBe('match');
  });

  it('fills nothing from a read whose check digits fail on the reader-only step', async () => {
    await call('session.start', { language: 'en' });
    await call('journey.start', { serviceId: 'account-activation' });
    await call('journey.step', { values: { findBy: 'letter', accountCode: 'acc-demo-ayse' } });
    const [line1, line2] = passportMrz({ ...AYSE, birth: '880314', expiry });
    // One digit of the birth date misread: its check digit no longer holds.
    const misread = `${line2.slice(0, 13)}${line2[13] === '9' ? '8' : '9'}${line2.slice(14)}`;
    events.length = 0;
    expect(kiosk.simulator?.present('mrz', [line1, misread]).ok).toBe(true);
    for (let i = 0; i < 200 && !events.some((e) => e.name === 'device.read'); i++)
      await new Promise((r) => setTimeout(r, 10));
    const read = events.find((e) => e.name === 'device.read');
    expect(read?.payload).toMatchObject({ kind: 'mrz', document: { valid: false } });
    expect(events.some((e) => e.name === 'journey.updated')).toBe(false);
    const state = await call<JourneyState>('journey.current');
    expect(state.values).toEqual({
      docLastName: null,
      docFirstNames: null,
      docBirthDate: null,
      docExpiryDate: null,
    });
  });

  it('ends the clerk session with the visitor session, and the clerk cannot act on the next one', async () => {
    await call('session.start', { language: 'de' });
    await signInClerk();
    expect(await call('staff.current')).toMatchObject({ role: 'staff', name: 'M. Keller' });
    const extended = await call<{ idleTimeoutSeconds: number }>('staff.extendTimeout');
    expect(extended.idleTimeoutSeconds).toBe(3 * kiosk.config.session.idleTimeoutSeconds);
    expect(await call('staff.reprint')).toEqual({ state: 'nothing_to_print' });
    expect(await call('staff.touch')).toEqual({ remainingSeconds: 300 });
    await call('session.end', { reason: 'visitor' });
    expect(events.some((e) => e.name === 'staff.ended')).toBe(true);
    await call('session.start', { language: 'de' });
    expect(await call('staff.current')).toBeNull();
    expect(await callError('staff.extendTimeout')).toBe('staff.no_session');
  });

  it('locks the badge out after five wrong PINs, audited without the PIN', async () => {
    await call('session.start', { language: 'de' });
    for (let i = 0; i < 5; i++)
      expect(await callError('staff.signIn', { badge: CLERK.badge, pin: '000000' })).toBe(
        'staff.invalid_credentials',
      );
    expect(await callError('staff.signIn', { badge: CLERK.badge, pin: CLERK.pin })).toBe('staff.locked');
    const text = terminal.outbox.auditLog.export();
    expect(text).toContain('staff.sign_in_locked');
    expect(text).not.toMatch(/"0000"/);
    expect(text).not.toContain(CLERK.badge);
  });
});

describe('an expired document on a document step', () => {
  it('holds the step until a clerk accepts it, audited, and keeps the note with the data', async () => {
    await call('session.start', { language: 'fr' });
    await call('journey.start', { serviceId: 'commitment-private' });
    await call('journey.step', {
      values: {
        livesInCity: 'yes',
        residenceStatus: 'permit',
        titleValidUntil: '2030-01-01',
        stayLength: 'upTo90Days',
      },
    });
    const guarantor = await call<JourneyState>('journey.step', { values: { liabilityAcknowledged: true } });
    expect(guarantor.step.id).toBe('guarantor');
    events.length = 0;
    const expired = passportMrz({ ...AYSE, birth: '880314', expiry: '120415' });
    expect(kiosk.simulator?.present('mrz', expired).ok).toBe(true);
    const read = await journeyUpdate((s) => s.values.lastName === 'Yilmaz');
    expect(read.document).toEqual({ expired: true, accepted: false });
    const values = { ...read.values, birthPlace: 'Izmir' };
    const held = await call<JourneyState>('journey.step', { values });
    expect(held).toMatchObject({ step: { id: 'guarantor' }, document: { expired: true, accepted: false } });
    // Only a signed-in clerk lets it pass.
    expect(await callError('staff.acceptDocument')).toBe('staff.no_session');
    await signInClerk();
    const accepted = await call<JourneyState>('staff.acceptDocument');
    expect(accepted.document).toEqual({ expired: true, accepted: true });
    expect(await callError('staff.acceptDocument')).toBe('journey.no_expired_document');
    const onward = await call<JourneyState>('journey.step', { values });
    expect(onward.step.id).not.toBe('guarantor');
    const back = await call<JourneyState>('journey.back');
    expect(back).toMatchObject({
      step: { id: 'guarantor' },
      document: { expired: true, accepted: true },
      values: { lastName: 'Yilmaz' },
    });
    const actions = terminal.outbox.auditLog.entries().filter((e) => e.event === 'staff.action');
    expect(actions.map((e) => e.detail.action)).toContain('document.accept_expired');
  });
});

describe('service-account sign-in for a visitor', () => {
  /** The one-time code the portal sent to the account's phone (its reference sender keeps the last). */
  const codeSent = (accountId: string): string => {
    const [code] = /\b\d{6}\b/.exec(portal.lastCodeMessage(accountId)?.text ?? '') ?? [];
    if (code === undefined) throw new Error('no code sent');
    return code;
  };
  const kemal = DEMO_ACTIVE_ACCOUNTS[0];

  it('refuses a wrong password, asks for the code sent to the phone, signs in with it, prefills and forgets at the end', async () => {
    await call('session.start', { language: 'tr' });
    expect(await call('account.current')).toBeNull();
    expect(await callError('account.signIn', { accountName: 'kemal.demo', password: 'wrong' })).toBe(
      'account.invalid_credentials',
    );
    // A right password is not yet a sign-in: a code went to the registered phone (E16).
    expect(await call('account.signIn', { accountName: 'kemal.demo', password: 'Demo-Konto-2026' })).toEqual({
      secondFactor: 'mtan',
      phoneHint: '+49 *** **81',
    });
    expect(await call('account.current')).toBeNull();
    const code = codeSent(kemal.accountId);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(await callError('account.confirmCode', { code: wrong })).toBe('account.code_invalid');
    const signedIn = await call('account.confirmCode', { code });
    expect(signedIn).toMatchObject({ displayName: 'Kemal Öztürk' });
    // used: the same code does not sign in a second time
    expect(await callError('account.confirmCode', { code })).toBe('account.code_expired');
    const status = await call<JourneyState>('journey.start', { serviceId: 'application-status' });
    expect(status.values.birthDate).toBe('1975-06-03');
    // Activation is for accounts not yet active: nothing of the signed-in one is carried into it.
    const activation = await call<JourneyState>('journey.start', { serviceId: 'account-activation' });
    expect(activation.values).not.toHaveProperty('birthDate');
    await call('session.end', { reason: 'visitor' });
    await call('session.start', { language: 'tr' });
    expect(await call('account.current')).toBeNull();
    const bytes = readFileSync(join(dataDir, 'kiosk.db'));
    expect(bytes.includes(Buffer.from('Demo-Konto-2026'))).toBe(false);
  });

  it('says the portal cannot be reached rather than that the password is wrong', async () => {
    await call('session.start', { language: 'de' });
    portal.setFaults({ down: true });
    expect(
      await callError('account.signIn', { accountName: 'kemal.demo', password: 'Demo-Konto-2026' }),
    ).toBe('account.portal_unavailable');
  });

  it('refuses a portal that signs in by password alone unless the installation allows it, and records the level', async () => {
    // A portal configured to take the password alone, and a terminal enrolled with it.
    const lax = await startPortal({
      authorityKeySource: pooledAuthorityKeys(),
      seed: 2,
      demo: true,
      accountsSecondFactor: 'none',
    });
    const laxDir = mkdtempSync(join(tmpdir(), 'kiosk-lax-'));
    try {
      const enrolled = await enrolTerminal({
        dataDir: laxDir,
        portalUrl: lax.url,
        code: lax.createEnrolmentCode(),
      });
      if (!enrolled.ok) throw new Error(enrolled.error.code);
      const opened = await openTerminal({ dataDir: laxDir });
      if (!opened.ok) throw new Error(opened.error.code);
      const laxTerminal = opened.value;
      try {
        // What each application records comes from this profile (core/submit.ts applicationData).
        const identifyAs = (
          secondFactor: 'mtan' | 'none',
          accounts: AssembledTerminal['accounts'] = laxTerminal.accounts,
        ) => {
          const sessions = new SessionService({
            clock: new ManualClock(),
            events: new EventBus(),
            newId: () => secondFactor,
            settings: { idleTimeoutSeconds: 60, idleWarningSeconds: 20 },
            defaultLanguage: 'de',
          });
          sessions.start();
          return new IdentifyService({ sessions, accounts: () => accounts, secondFactor });
        };
        const password = { accountName: 'kemal.demo', password: 'Demo-Konto-2026' };
        const strict = identifyAs('mtan');
        expect(await strict.signIn(password)).toMatchObject({
          ok: false,
          error: { code: 'account.second_factor_required' },
        });
        expect(strict.current()).toBeNull();
        const allowing = identifyAs('none');
        expect(await allowing.signIn(password)).toMatchObject({
          ok: true,
          value: { displayName: 'Kemal Öztürk' },
        });
        expect(allowing.current()).toMatchObject({ authentication: 'password', assurance: 'low' });
        // With the code, the sign-in is recorded as two factors, substantial.
        const twoFactors = identifyAs('mtan', terminal.accounts);
        expect(await twoFactors.signIn(password)).toMatchObject({
          ok: true,
          value: { secondFactor: 'mtan' },
        });
        expect(await twoFactors.confirmCode({ code: codeSent(kemal.accountId) })).toMatchObject({ ok: true });
        expect(twoFactors.current()).toMatchObject({
          accountId: kemal.accountId,
          authentication: 'password+mtan',
          assurance: 'substantial',
        });
      } finally {
        await laxTerminal.close();
      }
    } finally {
      await lax.close();
      rmSync(laxDir, { recursive: true, force: true });
    }
  });
});
