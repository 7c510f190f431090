/**
 * The `kiosk` command as an installed terminal has it: built by scripts/build-cli.ts (cached per
 * state of the sources, test/support/packaged-cli.ts), copied by electron-builder's own file
 * matching of electron-builder.yml into an app's `resources` folder outside the project, and run
 * from there with no NODE_PATH, no project node_modules and nothing of the test's environment.
 */
import { execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { CLI_EXECUTABLE, CLI_OUT_DIR } from '../../../scripts/build-cli.ts';
import { signingKeyThumbprint } from '../../../sync/enrolment.ts';
import { pageOnDesk } from '../../fixtures/capture/synthetic.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { projectRoot } from '../../support/kiosk-process.ts';
import { packagedCli } from '../../support/packaged-cli.ts';

interface FileMatcher {
  createFilter(): (file: string, stat: ReturnType<typeof statSync>) => boolean;
}
interface MatcherOptions {
  macroExpander: (s: string) => string;
  customBuildOptions: object;
  globalOutDir: string;
  defaultSrc: string;
}
interface AppBuilder {
  getConfig(projectDir: string, configPath: string): Promise<Record<string, unknown>>;
  getFileMatchers(
    config: Record<string, unknown>,
    name: 'files' | 'extraResources',
    destination: string,
    options: {
      macroExpander: (s: string) => string;
      customBuildOptions: object;
      globalOutDir: string;
      defaultSrc: string;
    },
  ): FileMatcher[] | null;
  copyFiles(matchers: FileMatcher[] | null, transformer: null, hardLink: boolean): Promise<unknown>;
}

/** electron-builder's own configuration loading and file matching (app-builder-lib). */
function appBuilder(): AppBuilder {
  const require = createRequire(join(projectRoot, 'node_modules', 'electron-builder', 'package.json'));
  const { getConfig } = require('app-builder-lib/out/util/config/config.js') as Pick<AppBuilder, 'getConfig'>;
  const { getFileMatchers, copyFiles } = require('app-builder-lib/out/fileMatcher.js') as Omit<
    AppBuilder,
    'getConfig'
  >;
  return { getConfig, getFileMatchers, copyFiles };
}

const run = promisify(execFile);

let work: string;
/** The project as electron-builder sees it: the built command at its place in dist/. */
let project: string;
/** `resources` of the installed app. */
let resources: string;
let kiosk: string;
let portal: RunningPortal;
let builder: AppBuilder;
let config: Record<string, unknown>;
let options: MatcherOptions;

/** Runs the installed command with an environment of its own. */
async function installed(
  args: string[],
  env: Record<string, string> = {},
  executable = kiosk,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(executable, args, {
      cwd: work,
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: work, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kiosk-packaged-'));
  project = join(work, 'project');
  resources = join(work, 'Serviceterminal', 'resources');
  const [built, started] = await Promise.all([
    packagedCli(),
    startPortal({ port: 0, authorityKeySource: pooledAuthorityKeys() }),
  ]);
  portal = started;
  const distCli = join(project, CLI_OUT_DIR.slice(projectRoot.length + 1));
  mkdirSync(distCli, { recursive: true });
  cpSync(built.dir, distCli, { recursive: true });
  // installed as electron-builder installs it
  builder = appBuilder();
  config = await builder.getConfig(projectRoot, join(projectRoot, 'electron-builder.yml'));
  options = {
    macroExpander: (s) => s,
    customBuildOptions: {},
    globalOutDir: join(project, 'release'),
    defaultSrc: project,
  };
  await builder.copyFiles(builder.getFileMatchers(config, 'extraResources', resources, options), null, false);
  kiosk = join(resources, 'cli', CLI_EXECUTABLE);
}, 180_000);

afterAll(async () => {
  await portal?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packaged kiosk command', () => {
  it('is copied by electron-builder to resources/cli, and kept out of the app archive', () => {
    expect(statSync(kiosk).mode & 0o111).not.toBe(0);
    for (const module of [
      'better-sqlite3',
      'node-hid',
      'sharp',
      join('@node-rs', 'argon2'),
      'dejavu-fonts-ttf',
    ]) {
      expect(existsSync(join(resources, 'cli', 'lib', 'node_modules', module, 'package.json')), module).toBe(
        true,
      );
    }
    expect(existsSync(join(resources, 'cli', 'lib', 'locales', 'de.json'))).toBe(true);
    // the app's own files (into app.asar): the bundles yes, the command's 140 MB no
    const [files] = builder.getFileMatchers(config, 'files', join(work, 'app'), options) ?? [];
    const inApp = files?.createFilter();
    if (!inApp) throw new Error('electron-builder.yml lists no files');
    const aFile = statSync(join(projectRoot, 'package.json'));
    const file = (path: string) => inApp(join(project, path), aFile);
    expect(file('dist/electron/main.cjs')).toBe(true);
    expect(file(`dist/cli/${CLI_EXECUTABLE}`)).toBe(false);
    expect(file('dist/cli/lib/node_modules/better-sqlite3/package.json')).toBe(false);
  });

  it('lists its commands from the installed folder, with no project and no NODE_PATH', async () => {
    const { code, stdout, stderr } = await installed(['--help']);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toBe('Usage: kiosk <command> [options]');
    expect(stdout).toMatch(/^ {2}doctor +[A-Z]/m);
    expect(stdout).toMatch(/^ {2}status +[A-Z]/m);
    expect(code).toBe(0);
  });

  it('ends quietly when the reader of its output stops (kiosk --help | head -1)', async () => {
    const piped = await run('bash', ['-c', '"$0" --help | head -1; exit $PIPESTATUS', kiosk], {
      cwd: work,
      env: { PATH: '/usr/bin:/bin', HOME: work },
    });
    expect(piped).toEqual({ stdout: 'Usage: kiosk <command> [options]\n', stderr: '' });
    // the reading end closed before the first write: every write meets EPIPE
    const child = spawn(kiosk, ['--help'], {
      cwd: work,
      env: { HOME: work },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('enrols, then runs status and doctor against its data folder and a real portal', async () => {
    const env = {
      KIOSK_DATA_DIR: join(work, 'data'),
      KIOSK_PORTAL_URL: portal.url,
      KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
      KIOSK_PORTAL_KEY_THUMBPRINT: signingKeyThumbprint(portal.signingKey),
      KIOSK_SIMULATE_READERS: '1',
    };
    const unenrolled = await installed(['status'], env);
    expect(unenrolled.stdout).toMatch(/^enrolled +false$/m);
    expect(unenrolled.code).toBe(1);
    const enrolled = await installed(
      ['enroll', '--portal', portal.url, '--code', portal.createEnrolmentCode()],
      env,
    );
    const terminal = /^Enrolled as (\S+) with http:\/\/127\.0\.0\.1:\d+/.exec(enrolled.stdout)?.[1];
    expect(terminal).toBeDefined();
    // the queue's counts come from SQLite, opened by the better-sqlite3 beside the command
    const status = await installed(['status', '--json'], env);
    const { queue, ...facts } = JSON.parse(status.stdout) as { queue: { byState: object; pending: number } };
    expect(facts).toEqual({
      terminal,
      enrolled: true,
      portal: portal.url,
      portalReachable: true,
      alarms: [],
    });
    expect(queue.pending).toBe(0);
    expect(status.code).toBe(0);
    const doctor = await installed(['doctor'], env);
    expect(doctor.stdout).toMatch(/^ok {4}SQLite store +journal_mode=wal, synchronous=FULL/m);
    expect(doctor.stdout).toMatch(/^ok {4}HID readers +node-hid loaded/m);
    expect(doctor.stdout).toMatch(/^ok {4}portal +.* answers \/v1\/health/m);
    expect(doctor.code).toBe(0);
  });

  it('hashes a PIN (Argon2), writes a receipt (font, texts) and checks a page (sharp, OpenCV)', async () => {
    const hashed = await run('bash', ['-c', 'printf "471108\\n" | "$0" hash-pin', kiosk], {
      cwd: work,
      env: { HOME: work },
    });
    expect(hashed.stdout).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const pdf = join(work, 'receipt.pdf');
    const receipt = await installed(['receipt', '--sample', '--out', pdf, '--lang', 'uk']);
    expect(receipt.code).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const { stdout: text } = await run('pdftotext', [pdf, '-']);
    expect(text).toContain('Antragsquittung');
    const good = await pageOnDesk();
    writeFileSync(join(work, 'good.jpg'), good);
    writeFileSync(join(work, 'blurred.jpg'), await sharp(good).blur(4).jpeg().toBuffer());
    const checked = await installed(['scan-check', join(work, 'good.jpg'), join(work, 'blurred.jpg')]);
    expect(
      checked.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toMatchObject([
      { ok: true, problems: [] },
      { ok: false, problems: ['blurred'] },
    ]);
    expect(checked.code).toBe(1);
  });

  it('says in one line which module is missing from an incomplete installation', async () => {
    const broken = join(work, 'broken');
    mkdirSync(broken);
    cpSync(kiosk, join(broken, CLI_EXECUTABLE));
    const { code, stdout, stderr } = await installed(
      ['status'],
      { KIOSK_DATA_DIR: join(work, 'data') },
      join(broken, CLI_EXECUTABLE),
    );
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `kiosk: the module better-sqlite3 is missing from ${join(broken, 'lib', 'node_modules')}; install the terminal software again\n`,
    );
    expect(code).toBe(69);
  });
});
