/** `npm run portal`: the portal as its own process. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dirs: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'portal/main.ts', ...args], { cwd: root });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const line = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((done, fail) => {
      const check = () => {
        const m = stdout.match(pattern);
        if (m !== null) {
          child.stdout.off('data', check);
          done(m);
        }
      };
      child.stdout.on('data', check);
      child.once('exit', () => fail(new Error(`exited before ${pattern}: ${stdout}${stderr}`)));
      check();
    });
  return { child, exit, line, output: () => ({ stdout, stderr }) };
}

describe('npm run portal', () => {
  it('prints the URL and an enrolment code, serves, and stops cleanly on SIGTERM', async () => {
    const data = await mkdtemp(join(tmpdir(), 'portal-main-'));
    dirs.push(data);
    const p = run(['--port', '0', '--data', data, '--latency', '1']);
    const [, url] = await p.line(/Portal ready: (http:\/\/127\.0\.0\.1:\d+)\n/);
    await p.line(/Enrolment code: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    const health = await fetch(`${url}/v1/health`);
    expect(health.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.output().stdout).toMatch(/Faults: latencyMs=1/);
    expect(p.output().stdout).toMatch(/Portal stopped\n$/);
  });

  it('refuses unknown flags and bad values', async () => {
    const unknown = run(['--nonsense']);
    expect(await unknown.exit).toBe(2);
    expect(unknown.output().stderr).toMatch(/Usage/);
    const bad = run(['--fail-rate', '2']);
    expect(await bad.exit).toBe(1);
    expect(bad.output().stderr).toMatch(/--fail-rate needs a number between 0 and 1/);
  });
});
