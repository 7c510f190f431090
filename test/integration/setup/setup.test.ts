import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/kiosk-process.ts';

/** `npm run setup` (scripts/setup.sh) and `.ci/run`, which must call that same setup. */
const script = join(projectRoot, 'scripts', 'setup.sh');

function setup(args: string[], user?: string) {
  const command = user
    ? ['setpriv', `--reuid=${user}`, '--regid=nogroup', '--clear-groups', 'bash', script, ...args]
    : ['bash', script, ...args];
  const [file = 'bash', ...rest] = command;
  return spawnSync(file, rest, {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, HOME: '/nonexistent' },
  });
}

describe('setup', () => {
  it('keeps every system package the tests need in its one list', () => {
    const result = setup(['--print-packages']);
    expect(result.status).toBe(0);
    const packages = result.stdout.trim().split(' ');
    for (const needed of [
      'chromium',
      'libusb-1.0-0',
      'poppler-utils',
      'cups',
      'cups-client',
      'cups-bsd',
      'printer-driver-cups-pdf',
      'sane-utils',
      'prometheus',
      'sqlite3',
      'strace',
    ])
      expect(packages).toContain(needed);
  });

  it('refuses an unknown option with its usage', () => {
    const result = setup(['--frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: scripts/setup.sh');
  });

  it('finds the system packages installed without needing root (a user without sudo)', () => {
    const result = setup(['--system-only'], 'nobody');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('the system packages are installed');
    expect(result.status).toBe(0);
  });

  it('is what CI runs before the README test command', () => {
    const ci = readFileSync(join(projectRoot, '.ci', 'run'), 'utf8');
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.setup).toBe('bash scripts/setup.sh');
    const lines = ci.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines.indexOf('npm run setup')).toBeGreaterThan(-1);
    expect(lines.indexOf('npm test')).toBeGreaterThan(lines.indexOf('npm run setup'));
  });
});
