import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../../../core/platform.ts';
import { signingKeyThumbprint } from '../../../sync/enrolment.ts';
import { projectRoot, startKioskProcess } from '../../support/kiosk-process.ts';

describe('npm start -- --web --no-open', () => {
  it('serves until SIGTERM, then shuts down cleanly with exit code 0', async () => {
    const kiosk = await startKioskProcess();
    expect(kiosk.stdout()).toBe(`Kiosk ready: ${kiosk.url}\n`);
    const health = await fetch(new URL('/', kiosk.url));
    expect(health.status).toBe(200);
    const origin = new URL(kiosk.url).origin;
    expect(await kiosk.stop('SIGTERM')).toBe(0);
    await expect(fetch(origin)).rejects.toThrow();
  });

  it('also stops cleanly on SIGINT', async () => {
    const kiosk = await startKioskProcess();
    expect(await kiosk.stop('SIGINT')).toBe(0);
  });

  it('pins the built-in portal in the demo, and enrols again when it comes back on another port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-demo-'));
    try {
      const first = await startKioskProcess({}, { dataDir });
      const record = JSON.parse(readFileSync(join(dataDir, 'enrolment.json'), 'utf8'));
      const portalUrl = /Reference portal \(demo data\): (\S+)/.exec(first.stderr())?.[1];
      expect(record.portalUrl).toBe(portalUrl);
      expect(first.stderr()).not.toContain('out of service');
      expect(await first.stop()).toBe(0);

      // the same data folder and the same portal data: the portal's key is the pinned one again
      const second = await startKioskProcess({}, { dataDir });
      const again = JSON.parse(readFileSync(join(dataDir, 'enrolment.json'), 'utf8'));
      expect(signingKeyThumbprint(again.portalSigningKey)).toBe(
        signingKeyThumbprint(record.portalSigningKey),
      );
      expect(again.portalUrl).toBe(/Reference portal \(demo data\): (\S+)/.exec(second.stderr())?.[1]);
      expect(second.stderr()).not.toContain('out of service');
      expect(await second.stop()).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}-reference-portal`, { recursive: true, force: true });
    }
  });

  it('is out of service with a portal named by KIOSK_PORTAL_URL but no pinned key', async () => {
    const kiosk = await startKioskProcess({ KIOSK_PORTAL_URL: 'http://127.0.0.1:9/' });
    expect(kiosk.stderr()).toContain('out of service (enrolment.not_pinned)');
    expect(await kiosk.stop()).toBe(0);
  });

  it('uses the portal named by KIOSK_PORTAL_URL instead of starting its own', async () => {
    const kiosk = await startKioskProcess({ KIOSK_PORTAL_URL: 'http://127.0.0.1:9/' });
    expect(kiosk.stderr()).not.toContain('Reference portal');
    expect(await kiosk.stop()).toBe(0);
  });

  it('refuses a wrong configuration with a message that names the key', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'webhost', 'launcher.ts'), '--web', '--no-open'],
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-launch-')),
          KIOSK_IDLE_TIMEOUT_SECONDS: 'never',
        },
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('session.idleTimeoutSeconds');
    expect(result.stderr).toContain('KIOSK_IDLE_TIMEOUT_SECONDS');
  });
});

describe('npm start -- --web (a browser started by the launcher)', () => {
  it('gives the browser a one-time launch code, never the token, on its command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-launch-browser-'));
    const argsFile = join(dir, 'args');
    // A stand-in for Chromium: writes its arguments down and stays open like a browser window.
    const fake = join(dir, 'chromium');
    writeFileSync(
      fake,
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${argsFile}.tmp"\nmv "${argsFile}.tmp" "${argsFile}"\nexec sleep 600\n`,
      {
        mode: 0o755,
      },
    );
    const dataDir = join(dir, 'data');
    const written = new Promise<void>((resolve) => {
      const watcher = watch(dir, (_event, name) => {
        if (name === 'args' && existsSync(argsFile)) {
          watcher.close();
          resolve();
        }
      });
    });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'webhost', 'launcher.ts'), '--web'],
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          KIOSK_DATA_DIR: dataDir,
          CHROMIUM_PATH: fake,
          KIOSK_PORTAL_URL: 'http://127.0.0.1:9/',
          // a display for the stand-in browser (without one the launcher stops before it starts one)
          DISPLAY: process.env.DISPLAY ?? ':75',
        },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await written;
      const args = readFileSync(argsFile, 'utf8').trim().split('\n');
      const app = args.find((a) => a.startsWith('--app='))?.slice('--app='.length) ?? '';
      const launch = new URL(app);
      expect(launch.hash).toMatch(/^#launch=[A-Za-z0-9_-]{43}$/);
      expect(out).toBe(`Kiosk ready: ${launch.origin}/\n`);
      // the page's exchange: the token, once
      const exchange = () =>
        fetch(`${launch.origin}/launch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: launch.origin },
          body: JSON.stringify({ code: launch.hash.slice('#launch='.length) }),
        });
      const first = await exchange();
      const { token } = (await first.json()) as { token: string };
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await exchange()).status).toBe(403);
      for (const where of [args.join(' '), out, err]) expect(where).not.toContain(token);
      // no simulator routes: not the demo, and KIOSK_SIMULATOR_ROUTES is not set
      const simulator = await fetch(`${launch.origin}/simulator/barcode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ text: 'x' }),
      });
      expect(simulator.status).toBe(404);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The environment of this process without a display, as in an ssh session or a service. */
function withoutDisplay(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return { ...env, ...extra };
}

/** Every process: pid, parent, process group and state, read from /proc. */
function processes(): { pid: number; ppid: number; pgid: number; state: string }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        // Fields after the command name (in parentheses, which may itself hold spaces).
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const [state = '', ppid = '', pgid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid), state }];
      } catch {
        return []; // ended while we looked
      }
    });
}

/** The processes below `root`, children first found through their parents. */
function descendants(root: number): number[] {
  const all = processes();
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid)).map((p) => p.pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** Pids of `pids`, or of process group `group`, that still run (zombies waiting to be reaped count as ended). */
function stillRunning(pids: readonly number[], group: number): number[] {
  return processes()
    .filter((p) => p.state !== 'Z' && (pids.includes(p.pid) || p.pgid === group))
    .map((p) => p.pid);
}

describe.skipIf(process.platform !== 'linux')('npm start with a window', () => {
  it('says there is no display and how to serve the kiosk instead, and starts nothing', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-launch-'));
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'webhost', 'launcher.ts')],
      {
        cwd: projectRoot,
        env: withoutDisplay({ KIOSK_DATA_DIR: dataDir }),
        encoding: 'utf8',
      },
    );
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('No display: neither DISPLAY nor WAYLAND_DISPLAY is set');
    expect(result.stderr).toContain('npm start -- --web --no-open');
    expect(result.stderr).not.toContain('browser window was closed');
    expect(result.status).toBe(69);
    expect(existsSync(`${dataDir}-reference-portal`)).toBe(false);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops with an error and the hint when Chromium cannot open its window', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-launch-'));
    // A display that names no X server: the real Chromium starts and ends at once.
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'webhost', 'launcher.ts')],
      {
        cwd: projectRoot,
        env: withoutDisplay({ KIOSK_DATA_DIR: dataDir, DISPLAY: ':75' }),
        encoding: 'utf8',
        timeout: 100_000,
      },
    );
    expect(result.stderr).toMatch(/Chromium ended \(exit code \d+\) without a kiosk window/);
    expect(result.stderr).toContain('npm start -- --web --no-open');
    expect(result.stderr).not.toContain('browser window was closed');
    expect(result.status).toBe(1);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-reference-portal`, { recursive: true, force: true });
  }, 120_000);

  it('stops Chromium with its helpers, the portal and itself when npm start gets SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-launch-'));
    const dataDir = join(dir, 'data');
    // The real Chromium, headless so that it needs no display; it tells its pid through a FIFO
    // before it starts, so the test waits for that event rather than for time to pass.
    const fifo = join(dir, 'chromium-started');
    spawnSync('mkfifo', [fifo]);
    const chromium = join(dir, 'chromium');
    writeFileSync(
      chromium,
      `#!/bin/sh\necho $$ > '${fifo}'\nexec '${findChromium()}' --headless=new --disable-gpu "$@"\n`,
      { mode: 0o755 },
    );
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: projectRoot,
      env: withoutDisplay({ KIOSK_DATA_DIR: dataDir, DISPLAY: ':75', CHROMIUM_PATH: chromium }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    npm.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    const chromiumPid = Number(
      (
        await Promise.race([
          readFile(fifo, 'utf8'),
          exited.then((code) => {
            throw new Error(`npm start ended (${code}) before Chromium started:\n${stderr}`);
          }),
        ])
      ).trim(),
    );
    expect(chromiumPid).toBeGreaterThan(0);

    const started = descendants(npm.pid ?? 0);
    expect(started).toContain(chromiumPid);
    const portalDb = join(`${dataDir}-reference-portal`, 'portal.sqlite');
    expect(existsSync(portalDb)).toBe(true);

    npm.kill('SIGTERM');
    expect(await exited).not.toBeNull();
    expect(stillRunning(started, chromiumPid)).toEqual([]);
    expect(stderr).not.toContain('Kiosk failed');
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
