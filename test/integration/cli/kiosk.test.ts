import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { projectRoot } from '../../support/kiosk-process.ts';

function kiosk(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'kiosk.mjs'), ...args], {
    env: { ...process.env, KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-cli-')), ...env },
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
beforeAll(async () => {
  portal = await startPortal({ port: 0, authorityKeyBits: 2048 });
});
afterAll(async () => {
  await portal.close();
});

describe('the kiosk command', () => {
  it('lists its commands', async () => {
    const { code, stdout } = await kiosk(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}doctor {8}/m);
  });

  it('refuses an unknown command with exit code 2', async () => {
    const { code, stderr } = await kiosk(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
  });

  it('doctor passes on this machine with a reachable portal', async () => {
    const { code, stdout } = await kiosk(['doctor'], { KIOSK_PORTAL_URL: portal.url });
    expect(stdout).toMatch(/^ok {4}data folder/m);
    expect(stdout).toMatch(/^ok {4}SQLite store +journal_mode=wal, synchronous=FULL/m);
    expect(stdout).toMatch(/^ok {4}HID readers +node-hid loaded; \d+ HID device/m);
    expect(stdout).toMatch(/^ok {4}portal +.* answers \/v1\/health/m);
    expect(code).toBe(0);
  });

  it('doctor fails, naming the check, when the portal is unreachable', async () => {
    const { code, stdout } = await kiosk(['doctor'], { KIOSK_PORTAL_URL: 'http://127.0.0.1:9' });
    expect(stdout).toMatch(/^FAIL {2}portal +http:\/\/127\.0\.0\.1:9 is not reachable/m);
    expect(code).toBe(1);
  });

  it('doctor reports a wrong configuration by key', async () => {
    const { code, stderr } = await kiosk(['doctor'], { KIOSK_PORTAL_URL: 'not a url' });
    expect(code).toBe(78);
    expect(stderr).toContain('portal.url');
  });
});
