import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeSecretResult, cupsJobFilesResult, readersResult } from '../../../cli/commands/doctor.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { signingKeyThumbprint } from '../../../sync/enrolment.ts';
import { enrolTerminal } from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { projectRoot } from '../../support/kiosk-process.ts';

function kiosk(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'kiosk.mjs'), ...args], {
    env: {
      ...process.env,
      KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-cli-')),
      KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

let portal: RunningPortal;
/** A second portal: its key is not the one the installation pins. */
let other: RunningPortal;
beforeAll(async () => {
  [portal, other] = await Promise.all([
    startPortal({ port: 0, authorityKeySource: pooledAuthorityKeys() }),
    startPortal({ port: 0, authorityKeySource: pooledAuthorityKeys() }),
  ]);
});
afterAll(async () => {
  await Promise.all([portal.close(), other.close()]);
});

describe('the kiosk command', () => {
  it('ends quietly when the reader of its output has gone (kiosk --help | head)', async () => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'kiosk.mjs'), '--help'], {
      env: { ...process.env, KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-cli-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reading end closes before the command has written anything: every write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise((resolve) => child.once('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('lists its commands, each said in a sentence that starts with a capital', async () => {
    const { code, stdout } = await kiosk(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}doctor {8}/m);
    const commands = stdout.split('\n').filter((line) => /^ {2}[a-z]/.test(line));
    expect(commands.length).toBeGreaterThan(10);
    for (const line of commands) expect(line).toMatch(/^ {2}[a-z-]+ +[A-Z]/);
  });

  it('refuses an unknown command with exit code 2', async () => {
    const { code, stderr } = await kiosk(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
  });

  it('doctor passes on this machine with a reachable portal', async () => {
    const { code, stdout } = await kiosk(['doctor'], {
      KIOSK_PORTAL_URL: portal.url,
      KIOSK_SIMULATE_READERS: '1',
    });
    expect(stdout).toMatch(/^ok {4}data folder/m);
    expect(stdout).toMatch(/^ok {4}SQLite store +journal_mode=wal, synchronous=FULL/m);
    expect(stdout).toMatch(/^ok {4}HID readers +node-hid loaded; \d+ HID device.*the readers are simulated/m);
    expect(stdout).toMatch(/^ok {4}portal +.* answers \/v1\/health/m);
    expect(stdout).toMatch(/^ok {4}badge secret +none in the local configuration/m);
    expect(code).toBe(0);
  });

  it('doctor warns when no reader is connected to a terminal with real readers', async () => {
    // this machine has no USB: node-hid sees no reader
    const { code, stdout } = await kiosk(['doctor'], { KIOSK_PORTAL_URL: portal.url });
    expect(stdout).toMatch(
      /^WARN {2}HID readers +.*0 matching a reader profile: no document or barcode reader/m,
    );
    expect(code).toBe(0);
    expect(readersResult(2, 1, false)).not.toHaveProperty('warning');
    expect(readersResult(0, 0, true)).not.toHaveProperty('warning');
    expect(readersResult(3, 0, false)).toMatchObject({ ok: true, warning: true });
  });

  it('doctor checks the portal the terminal is enrolled with, and an enrolment the installation does not pin', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-doctor-enrolled-'));
    const gone = await startPortal({ port: 0, authorityKeySource: pooledAuthorityKeys() });
    const enrolled = await enrolTerminal({ dataDir, portalUrl: gone.url, code: gone.createEnrolmentCode() });
    if (!enrolled.ok) throw new Error(enrolled.error.code);
    const up = await kiosk(['doctor'], { KIOSK_DATA_DIR: dataDir });
    expect(up.stdout).toMatch(
      /^ok {4}portal +enrolled with http:\/\/127\.0\.0\.1:\d+ \(terminal \S+\) answers/m,
    );
    await gone.close();
    // the portal of enrolment.json is down: no "not configured" ok
    const down = await kiosk(['doctor'], { KIOSK_DATA_DIR: dataDir });
    expect(down.stdout).toMatch(
      /^FAIL {2}portal +enrolled with http:\/\/127\.0\.0\.1:\d+ .*is not reachable/m,
    );
    expect(down.code).toBe(1);
    // the installation pins another portal than the one enrolment.json names
    const foreign = await kiosk(['doctor'], {
      KIOSK_DATA_DIR: dataDir,
      KIOSK_PORTAL_URL: portal.url,
      KIOSK_PORTAL_KEY_THUMBPRINT: signingKeyThumbprint(portal.signingKey),
    });
    expect(foreign.stdout).toMatch(
      /^FAIL {2}portal +enrolment\.json names another portal .*enrolment\.foreign_origin/m,
    );
    expect(foreign.code).toBe(1);
  });

  it('doctor fails, naming the check, when the portal is unreachable', async () => {
    const { code, stdout } = await kiosk(['doctor'], { KIOSK_PORTAL_URL: 'http://127.0.0.1:9' });
    expect(stdout).toMatch(/^FAIL {2}portal +http:\/\/127\.0\.0\.1:9 is not reachable/m);
    expect(code).toBe(1);
  });

  it('doctor warns, without failing, when CUPS keeps the files of printed jobs', async () => {
    const fixtures = join(projectRoot, 'test', 'fixtures', 'cups');
    const kept = await kiosk(['doctor'], {
      KIOSK_PORTAL_URL: portal.url,
      KIOSK_CUPSD_CONF: join(fixtures, 'cupsd-debian-default.conf'),
    });
    expect(kept.stdout).toMatch(
      /^WARN {2}CUPS job files +PreserveJobFiles not set \(CUPS keeps them 86400 s\): .*set "PreserveJobFiles No"/m,
    );
    expect(kept.code).toBe(0);
    const deleted = await kiosk(['doctor'], {
      KIOSK_PORTAL_URL: portal.url,
      KIOSK_CUPSD_CONF: join(fixtures, 'cupsd-kiosk.conf'),
    });
    expect(deleted.stdout).toMatch(/^ok {4}CUPS job files +PreserveJobFiles No/m);
    expect(deleted.code).toBe(0);
    const missing = await kiosk(['doctor'], {
      KIOSK_PORTAL_URL: portal.url,
      KIOSK_PRINTER_KIND: 'cups',
      KIOSK_PRINTER: 'Receipt',
      KIOSK_CUPSD_CONF: join(fixtures, 'no-such.conf'),
    });
    expect(missing.stdout).toMatch(/^WARN {2}CUPS job files +.*no-such\.conf cannot be read \(ENOENT\)/m);
  });

  it('doctor reads PreserveJobFiles as the scheduler does: comments ignored, any case, the last wins', () => {
    expect(cupsJobFilesResult('PreserveJobFiles No\n')).not.toHaveProperty('warning');
    expect(cupsJobFilesResult('preservejobfiles off')).not.toHaveProperty('warning');
    for (const text of [
      '',
      '# PreserveJobFiles No',
      'PreserveJobFiles Yes',
      'PreserveJobFiles 3600',
      'PreserveJobFiles No\nPreserveJobFiles Yes',
      'PreserveJobHistory No',
    ]) {
      expect(cupsJobFilesResult(text), text).toMatchObject({ ok: true, warning: true });
    }
    expect(cupsJobFilesResult('PreserveJobFiles 3600').detail).toMatch(/^PreserveJobFiles 3600: /);
  });

  it('doctor says where the local badge secret is: none, plain beside the hashes, sealed, or lost', () => {
    expect(badgeSecretResult(null, false)).toEqual({
      name: 'badge secret',
      ok: true,
      detail: 'none in the local configuration',
    });
    expect(badgeSecretResult('ab'.repeat(32), false)).toMatchObject({ ok: true, warning: true });
    expect(badgeSecretResult('ab'.repeat(32), false).detail).toMatch(/plain form beside the badge hashes/);
    expect(badgeSecretResult('sealed', true)).toMatchObject({
      ok: true,
      detail: /^sealed under the device key/,
    });
    expect(badgeSecretResult('sealed', true)).not.toHaveProperty('warning');
    expect(badgeSecretResult('sealed', false)).toMatchObject({
      ok: false,
      detail: /badge-secret\.sealed is missing/,
    });
  });

  it('doctor reports a wrong configuration by key', async () => {
    const { code, stderr } = await kiosk(['doctor'], { KIOSK_PORTAL_URL: 'not a url' });
    expect(code).toBe(78);
    expect(stderr).toContain('portal.url');
  });

  it('enrolls the terminal with a one-time code, then reports its status', async () => {
    const env = {
      KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-enroll-')),
      KIOSK_PORTAL_URL: portal.url,
      KIOSK_PORTAL_KEY_THUMBPRINT: signingKeyThumbprint(portal.signingKey),
    };
    expect((await kiosk(['enroll', '--portal', portal.url, '--code', 'WRONG-CODE'], env)).code).toBe(1);
    const enrolled = await kiosk(
      ['enroll', '--portal', portal.url, '--code', portal.createEnrolmentCode()],
      env,
    );
    expect(enrolled.stdout).toMatch(/^Enrolled as \S+ with http:\/\/127\.0\.0\.1:\d+/);
    expect(enrolled.code).toBe(0);
    expect((await kiosk(['enroll', '--portal', portal.url, '--code', 'ANY'], env)).stdout).toMatch(
      /^Already enrolled/,
    );
    const status = await kiosk(['status', '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({
      enrolled: true,
      portalReachable: true,
      queue: { pending: 0 },
      alarms: [],
    });
    expect(status.code).toBe(0);
  });

  it('reports an unenrolled terminal with a non-zero status', async () => {
    const status = await kiosk(['status'], { KIOSK_PORTAL_URL: portal.url });
    expect(status.stdout).toMatch(/^enrolled +false$/m);
    expect(status.code).toBe(1);
  });

  it('enrolls only with the portal and signing key the installation pins', async () => {
    const env = {
      KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-enroll-')),
      KIOSK_PORTAL_URL: portal.url,
    };
    const code = portal.createEnrolmentCode();
    // no pinned key: nothing to trust
    const unpinned = await kiosk(['enroll', '--code', code], env);
    expect(unpinned.code).toBe(78);
    expect(unpinned.stderr).toContain('KIOSK_PORTAL_KEY_THUMBPRINT');
    const pinned = { ...env, KIOSK_PORTAL_KEY_THUMBPRINT: signingKeyThumbprint(other.signingKey) };
    // another origin than the installation's
    const elsewhere = await kiosk(['enroll', '--portal', other.url, '--code', code], pinned);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('enrolment.foreign_origin');
    // the installation's origin answering with another key than the pinned one
    const wrongKey = await kiosk(['enroll', '--code', code], pinned);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('enrolment.foreign_key');
    expect(existsSync(join(env.KIOSK_DATA_DIR, 'enrolment.json'))).toBe(false);
    // plain http to a portal that is not on this machine
    const http = await kiosk(['enroll', '--code', code], {
      ...pinned,
      KIOSK_PORTAL_URL: 'http://portal.example/',
    });
    expect(http.code).toBe(78);
    expect(http.stderr).toMatch(/portal\.url: must be an https: URL/);
  });

  it('sync --enrol enrols only with the portal and signing key the installation pins', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-sync-enrol-'));
    const env = { KIOSK_DATA_DIR: dataDir, KIOSK_PORTAL_URL: portal.url };
    const code = portal.createEnrolmentCode();
    const sync = (extra: string[], e: Record<string, string>) =>
      kiosk(['sync', '--once', '--data', dataDir, ...extra], e);
    // no pinned key: nothing to trust
    const unpinned = await sync(['--enrol', code, '--portal', portal.url], env);
    expect(unpinned.code).toBe(78);
    expect(unpinned.stderr).toContain('enrolment.not_pinned');
    const pinned = { ...env, KIOSK_PORTAL_KEY_THUMBPRINT: signingKeyThumbprint(portal.signingKey) };
    // another origin than the installation's, even with a code that portal would take
    const elsewhere = await sync(['--enrol', other.createEnrolmentCode(), '--portal', other.url], pinned);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('enrolment.foreign_origin');
    // the installation's origin answering with another key than the pinned one
    const wrongKey = await sync(['--enrol', code], {
      ...env,
      KIOSK_PORTAL_KEY_THUMBPRINT: signingKeyThumbprint(other.signingKey),
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('enrolment.foreign_key');
    expect(existsSync(join(dataDir, 'enrolment.json'))).toBe(false);
    // the pinned portal: enrolled, then delivered (nothing waits)
    const enrolled = await sync(['--enrol', portal.createEnrolmentCode(), '--portal', portal.url], pinned);
    expect(enrolled.stdout).toMatch(/^enrolled as \S+$/m);
    expect(enrolled.code).toBe(0);
    const again = await sync(['--enrol', 'ANY'], pinned);
    expect(again.stdout).toMatch(/^already enrolled as \S+$/m);
    expect(again.code).toBe(0);
    // delivering: never to another origin, never on an enrolment the installation does not pin
    const redirected = await sync(['--portal', other.url], pinned);
    expect(redirected.code).toBe(1);
    expect(redirected.stderr).toContain('enrolment.foreign_origin');
    const repinned = await sync([], {
      ...env,
      KIOSK_PORTAL_KEY_THUMBPRINT: signingKeyThumbprint(other.signingKey),
    });
    expect(repinned.code).toBe(1);
    expect(repinned.stderr).toContain('enrolment.foreign_key');
    expect((await sync([], pinned)).code).toBe(0);
  });

  it('shows the configuration in effect', async () => {
    const shown = await kiosk(['config', 'show'], {
      KIOSK_PORTAL_URL: portal.url,
      KIOSK_IDLE_TIMEOUT_SECONDS: '90',
    });
    expect(JSON.parse(shown.stdout)).toMatchObject({
      portal: { url: portal.url },
      session: { idleTimeoutSeconds: 90 },
    });
    expect((await kiosk(['config', 'show'], { KIOSK_IDLE_TIMEOUT_SECONDS: 'x' })).code).toBe(78);
  });
});
