/**
 * A real CUPS print queue for tests: makes sure the scheduler runs, adds a queue with the cups-pdf
 * backend (which writes each job as a PDF file), says where those files appear and removes the
 * queue afterwards. Needs the Debian packages `cups` and `printer-driver-cups-pdf`, and root (or
 * lpadmin rights) to add queues and start cupsd.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const C = { env: { ...process.env, LC_ALL: 'C', LANG: 'C' } };

async function tryExec(file: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await exec(file, args, C);
    return { ok: true, out: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}` };
  }
}

/** Waits by polling `check` at most `attempts` times, `intervalMs` apart (an external process is involved). */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  attempts: number,
  intervalMs: number,
): Promise<T | undefined> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return undefined;
}

/** Starts cupsd when `lpstat -r` says the scheduler is not running. Throws with a clear message if it cannot. */
export async function ensureCupsd(): Promise<void> {
  const status = await tryExec('lpstat', ['-r']);
  if (status.ok && /scheduler is running/.test(status.out)) return;
  if (!existsSync('/usr/sbin/cupsd')) {
    throw new Error(
      'CUPS is not installed: install the Debian packages "cups" and "printer-driver-cups-pdf"',
    );
  }
  const started = await tryExec('/usr/sbin/cupsd', []);
  if (!started.ok) throw new Error(`cupsd could not be started (are we root?): ${started.out.trim()}`);
  const running = await pollUntil(
    async () => ((await tryExec('lpstat', ['-r'])).out.includes('scheduler is running') ? true : undefined),
    50,
    100,
  );
  if (!running) throw new Error('cupsd was started but the scheduler did not come up within 5 s');
}

/** The PPD of the CUPS-PDF printer as lpinfo lists it. */
async function cupsPdfPpd(): Promise<string> {
  const { ok, out } = await tryExec('lpinfo', ['-m']);
  if (!ok) throw new Error(`lpinfo -m failed: ${out.trim()}`);
  const line =
    out.split('\n').find((l) => /CUPS-PDF/i.test(l) && /noopt|no options/i.test(l)) ??
    out.split('\n').find((l) => /CUPS-PDF/i.test(l));
  const ppd = line?.split(' ')[0];
  if (!ppd) throw new Error('No CUPS-PDF driver found: install the Debian package "printer-driver-cups-pdf"');
  return ppd;
}

/** Folders cups-pdf may write a job of this user into (its `Out` setting, and the anonymous folder). */
export function cupsPdfOutputDirs(): string[] {
  const dirs = new Set<string>();
  let conf = '';
  try {
    conf = readFileSync('/etc/cups/cups-pdf.conf', 'utf8');
  } catch {
    // defaults below
  }
  const setting = (key: string) =>
    conf
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith(`${key} `) || l.startsWith(`${key}\t`))
      ?.slice(key.length)
      .trim();
  const user = userInfo().username;
  // cups-pdf's own placeholders, written literally in its configuration.
  const home = ['$', '{HOME}'].join('');
  const userVar = ['$', '{USER}'].join('');
  const out = (setting('Out') ?? `/var/spool/cups-pdf/${userVar}`)
    .replaceAll(home, homedir())
    .replaceAll(userVar, user);
  dirs.add(out);
  dirs.add(setting('AnonDirName') ?? '/var/spool/cups-pdf/ANONYMOUS');
  return [...dirs];
}

export interface PdfQueue {
  readonly name: string;
  /** Resolves with the path of the next PDF that appears in the output folders, or undefined after ~15 s. */
  waitForOutput(): Promise<string | undefined>;
  disable(): Promise<void>;
  enable(): Promise<void>;
  reject(): Promise<void>;
  accept(): Promise<void>;
  dispose(): Promise<void>;
}

async function listPdfs(dirs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const dir of dirs) {
    try {
      for (const f of await readdir(dir)) if (f.endsWith('.pdf')) files.push(join(dir, f));
    } catch {
      // folder not created yet
    }
  }
  return files;
}

export async function createPdfQueue(name: string): Promise<PdfQueue> {
  await ensureCupsd();
  const ppd = await cupsPdfPpd();
  const added = await tryExec('lpadmin', ['-p', name, '-E', '-v', 'cups-pdf:/', '-m', ppd]);
  if (!added.ok) throw new Error(`lpadmin could not add the queue: ${added.out.trim()}`);
  const dirs = cupsPdfOutputDirs();
  const seen = new Set(await listPdfs(dirs));
  const created: string[] = [];
  const admin = async (file: string, args: string[]) => {
    const r = await tryExec(file, args);
    if (!r.ok) throw new Error(`${file} ${args.join(' ')} failed: ${r.out.trim()}`);
  };
  return {
    name,
    async waitForOutput() {
      const path = await pollUntil(
        async () => {
          for (const file of await listPdfs(dirs)) {
            if (seen.has(file)) continue;
            // cups-pdf writes the file in place; wait until it has content.
            const size = (await stat(file)).size;
            if (size > 0) {
              seen.add(file);
              created.push(file);
              return file;
            }
          }
          return undefined;
        },
        150,
        100,
      );
      return path;
    },
    disable: () => admin('cupsdisable', [name]),
    enable: () => admin('cupsenable', [name]),
    reject: () => admin('cupsreject', [name]),
    accept: () => admin('cupsaccept', [name]),
    async dispose() {
      await tryExec('cancel', ['-a', name]);
      await tryExec('lpadmin', ['-x', name]);
      for (const file of created) await rm(file, { force: true });
    },
  };
}
