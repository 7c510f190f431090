import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '..', '..');

export interface KioskProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The reference portal `npm start` runs keeps its data beside the terminal's. Made here first, with
 * the pooled test authority keys, it starts without making its two RSA-3072 keys (seconds of CPU
 * each); everything else it sets up at its own start, as on a first start.
 */
async function prepareReferencePortal(portalDir: string): Promise<void> {
  if (existsSync(portalDir)) return;
  const { createPortal } = await import('../../portal/server.ts');
  const { pooledAuthorityKeys } = await import('./authority-keys.ts');
  const portal = await createPortal({ dataDir: portalDir, authorityKeySource: pooledAuthorityKeys() });
  await portal.close();
}

/**
 * Starts `npm start -- --web --no-open` as a real process with a fresh data folder and waits for
 * its `Kiosk ready: <url>` line (an event, not a sleep).
 */
export async function startKioskProcess(
  env: Record<string, string> = {},
  /** An existing data folder (a restart): it is kept when the process stops. */
  options: { dataDir?: string } = {},
): Promise<KioskProcess> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kiosk-test-'));
  if (env.KIOSK_PORTAL_URL === undefined) await prepareReferencePortal(`${dataDir}-reference-portal`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'webhost', 'launcher.ts'), '--web', '--no-open'],
    {
      cwd: projectRoot,
      // the simulator's routes: the tests drive the simulated readers over HTTP
      env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_SIMULATOR_ROUTES: '1', ...env },
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
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const onData = () => {
      const match = /^Kiosk ready: (\S+)$/m.exec(out);
      if (match?.[1]) {
        child.stdout.off('data', onData);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`kiosk exited (${code}) before it was ready:\n${err}`)));
  });
  return {
    url,
    dataDir,
    child,
    stdout: () => out,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      if (ownDataDir) {
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(`${dataDir}-reference-portal`, { recursive: true, force: true });
      }
      return code;
    },
  };
}
