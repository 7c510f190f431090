import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { badgeHash } from '../../../common/badge.ts';
import { configSchema, type KioskConfig } from '../../../core/config.ts';
import { createKiosk, type Kiosk } from '../../../core/kiosk.ts';
import { silentLogger } from '../../../core/log.ts';
import { createArgon2Hasher, parseBadgeSecret } from '../../../core/staff/index.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { signingKeyThumbprint } from '../../../sync/enrolment.ts';
import { LOCKOUT_DB_FILE } from '../../../sync/staff-lockout.ts';
import {
  type AssembledTerminal,
  deleteTerminalData,
  enrolTerminal,
  openTerminal,
  QUEUE_DB_FILE,
} from '../../../sync/terminal.ts';

/**
 * Staff lockout across a restart: five wrong PINs lock the badge; a kiosk built again on the same
 * data folder (a restart) still refuses the right PIN. Real SQLite files, two kiosk constructions.
 */

const SECRET_HEX = '7e'.repeat(32);
const CLERK = { badge: 'ST-000417', pin: '482916' };
const ADMIN = { badge: 'ADM-000815', password: 'Kiosk-Verw-7' };
const hasher = createArgon2Hasher({ memoryCost: 1_024, timeCost: 1, parallelism: 1 });

let portal: RunningPortal;
const dirs: string[] = [];
const open: { kiosk?: Kiosk | undefined; terminal?: AssembledTerminal | null | undefined } = {};

beforeAll(async () => {
  portal = await startPortal({ authorityKeyBits: 2048, seed: 3 });
});
afterAll(async () => {
  await portal.close();
});
afterEach(async () => {
  await open.kiosk?.close();
  await open.terminal?.close();
  open.kiosk = undefined;
  open.terminal = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function kioskConfig(dataDir: string): Promise<KioskConfig> {
  const secret = parseBadgeSecret(SECRET_HEX);
  if (!secret.ok) throw new Error('secret');
  return configSchema.parse({
    dataDir,
    portal: {
      url: portal.url,
      signingKeyThumbprint: signingKeyThumbprint(portal.signingKey),
      allowLoopbackHttp: true,
    },
    readers: { simulate: true },
    staff: {
      badgeSecret: SECRET_HEX,
      records: [
        {
          badgeHash: badgeHash(secret.value, CLERK.badge),
          pinHash: await hasher.hash(CLERK.pin),
          role: 'staff',
          name: 'M. Keller',
        },
        {
          badgeHash: badgeHash(secret.value, ADMIN.badge),
          pinHash: await hasher.hash(ADMIN.password),
          role: 'admin',
          name: 'R. Okafor',
        },
      ],
    },
  });
}

/** Builds the kiosk as a start would; with `enrolled`, on its terminal's queue. */
async function start(dataDir: string, enrolled: boolean): Promise<Kiosk> {
  let terminal: AssembledTerminal | null = null;
  if (enrolled) {
    const opened = await openTerminal({ dataDir });
    if (!opened.ok) throw new Error(opened.error.code);
    terminal = opened.value;
  }
  const kiosk = createKiosk(await kioskConfig(dataDir), { terminal, pinHasher: hasher, log: silentLogger });
  open.kiosk = kiosk;
  open.terminal = terminal;
  await kiosk.started;
  await kiosk.router.dispatch('session.start', {});
  return kiosk;
}

async function stop(): Promise<void> {
  await open.kiosk?.close();
  await open.terminal?.close();
  open.kiosk = undefined;
  open.terminal = undefined;
}

async function signIn(kiosk: Kiosk, pin: string): Promise<string> {
  const answer = await kiosk.router.dispatch('staff.signIn', { badge: CLERK.badge, pin });
  return answer.ok ? 'ok' : answer.error.code;
}

/** An administrator's sign-in: the one sign-in an unenrolled (out of service) terminal offers. */
async function adminSignIn(kiosk: Kiosk, password: string): Promise<string> {
  const answer = await kiosk.router.dispatch('admin.signIn', { badge: ADMIN.badge, password });
  return answer.ok ? 'ok' : answer.error.code;
}

function lockoutRows(path: string): { key: string }[] {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db.prepare('SELECT key FROM staff_lockout ORDER BY key').all() as { key: string }[];
  } finally {
    db.close();
  }
}

describe('staff lockout across a restart', () => {
  it('an enrolled terminal keeps the counters in its queue database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-lockout-'));
    dirs.push(dataDir);
    const enrolled = await enrolTerminal({
      dataDir,
      portalUrl: portal.url,
      code: portal.createEnrolmentCode(),
    });
    if (!enrolled.ok) throw new Error(enrolled.error.code);

    const first = await start(dataDir, true);
    for (let i = 0; i < 4; i += 1) expect(await signIn(first, '000000')).toBe('staff.invalid_credentials');
    expect(await signIn(first, '000000')).toBe('staff.invalid_credentials');
    expect(await signIn(first, CLERK.pin)).toBe('staff.locked');
    await stop();
    expect(lockoutRows(join(dataDir, QUEUE_DB_FILE)).map((r) => r.key)).toContain('terminal');

    const second = await start(dataDir, true);
    expect(await signIn(second, CLERK.pin)).toBe('staff.locked');
  });

  it('a terminal not enrolled yet keeps them in a small database of its own, 0600', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-lockout-'));
    dirs.push(dataDir);
    const first = await start(dataDir, false);
    for (let i = 0; i < 5; i += 1)
      expect(await adminSignIn(first, 'wrong-pass')).toBe('staff.invalid_credentials');
    await stop();
    const file = join(dataDir, LOCKOUT_DB_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lockoutRows(file)).toHaveLength(2);

    const second = await start(dataDir, false);
    expect(await adminSignIn(second, ADMIN.password)).toBe('staff.locked');
  });

  it('counters from before an on-screen enrolment still lock the badge after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-lockout-'));
    dirs.push(dataDir);
    const first = await start(dataDir, false);
    // four failures: the terminal's counter one short of its lock (a success does not reset it)
    for (let i = 0; i < 4; i += 1)
      expect(await adminSignIn(first, 'wrong-pass')).toBe('staff.invalid_credentials');
    expect(await adminSignIn(first, ADMIN.password)).toBe('ok');
    const enrolled = await first.router.dispatch('enrolment.enrol', { code: portal.createEnrolmentCode() });
    expect(enrolled).toMatchObject({ ok: true });
    // carried over into the queue database; the small database is gone
    expect(existsSync(join(dataDir, LOCKOUT_DB_FILE))).toBe(false);
    expect(lockoutRows(join(dataDir, QUEUE_DB_FILE)).map((r) => r.key)).toContain('terminal');
    await stop();

    const second = await start(dataDir, true);
    // the fifth failure in a row: locked, as it would have been without the restart
    expect(await signIn(second, '000000')).toBe('staff.invalid_credentials');
    expect(await signIn(second, CLERK.pin)).toBe('staff.locked');
  });

  it('counters from before an enrolment by command are carried over at the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-lockout-'));
    dirs.push(dataDir);
    const first = await start(dataDir, false);
    for (let i = 0; i < 5; i += 1)
      expect(await adminSignIn(first, 'wrong-pass')).toBe('staff.invalid_credentials');
    await stop();
    const enrolled = await enrolTerminal({
      dataDir,
      portalUrl: portal.url,
      code: portal.createEnrolmentCode(),
    });
    if (!enrolled.ok) throw new Error(enrolled.error.code);

    const second = await start(dataDir, true);
    expect(await signIn(second, CLERK.pin)).toBe('staff.locked');
    expect(existsSync(join(dataDir, LOCKOUT_DB_FILE))).toBe(false);
    await stop();
    // and from the queue database at every start after that
    const third = await start(dataDir, true);
    expect(await signIn(third, CLERK.pin)).toBe('staff.locked');
  });

  it('a wipe deletes the counters kept before enrolment', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-lockout-'));
    dirs.push(dataDir);
    const first = await start(dataDir, false);
    expect(await adminSignIn(first, 'wrong-pass')).toBe('staff.invalid_credentials');
    await stop();
    writeFileSync(join(dataDir, `${LOCKOUT_DB_FILE}-wal`), '');
    expect(existsSync(join(dataDir, LOCKOUT_DB_FILE))).toBe(true);
    expect(deleteTerminalData(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, LOCKOUT_DB_FILE))).toBe(false);
    expect(existsSync(join(dataDir, `${LOCKOUT_DB_FILE}-wal`))).toBe(false);
  });
});
