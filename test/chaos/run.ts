/**
 * `npm run chaos -- --runs N [--seed S] [--concurrency C] [--verbose]`
 *
 * Randomized runs of a kiosk worker (test/chaos/worker.ts) against the reference portal, each run
 * with its own portal process (test/chaos/portal.ts) and data folders. Faults, each counted only
 * when it was injected:
 *
 *   worker-kill     the worker is SIGKILLed at a random moment of enqueue and delivery (at least
 *                   once per run), and started again
 *   portal-restart  the portal SIGKILLs itself while a request is open; it is started again on
 *                   the same data folder and port
 *   late-commit     the portal holds a delivery past the terminal's request timeout, then commits
 *   lost-ack        the portal commits, then drops the connection unanswered
 *   portal-5xx      the portal answers 503 before doing anything
 *   portal-restore  the portal's database is replaced by a copy taken right after enrolment, so
 *                   it has lost what it acknowledged since; the terminal's reconcile must notice
 *                   and deliver those again
 *   clock-step      the worker's wall clock is stepped back 6 h while it runs
 *   io-error        the worker runs under `strace -f -e inject=pwrite64:error=EIO|ENOSPC:when=N+`
 *                   (left out, with a note in the kinds, where strace is missing)
 *
 * The last worker of a run is not killed: it drains the queue and checks every delivered item at
 * the portal once. Then the portal's records are compared with the receipts the workers printed
 * and with the terminal's own queue:
 *
 *   lost       = a committed item (receipt printed, or in the queue) not delivered at the portal
 *   duplicated = more than one portal submission for one tracking number, or one the terminal
 *                never queued
 *
 * Ends with `chaos: runs=N submissions=S delivered=D lost=L duplicated=U faults=<kinds>`.
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { generateKeyPair } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import type { FaultOptions } from '../../portal/faults.ts';
import { openStore } from '../../sync/store.ts';
import { enrolTerminal, QUEUE_DB_FILE } from '../../sync/terminal.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

/** The worker's request timeout; a late commit is held beyond it. */
const REQUEST_TIMEOUT_MS = 1500;
const CLOCK_STEP_MS = -6 * 3600_000;

/** The fault kinds, in the order the result line lists them. */
export const FAULT_KINDS = [
  'worker-kill',
  'portal-restart',
  'late-commit',
  'lost-ack',
  'portal-5xx',
  'portal-restore',
  'clock-step',
  'io-error',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ChaosOptions {
  readonly runs: number;
  readonly seed?: number;
  readonly concurrency?: number;
  /** Prints one line per run. */
  readonly log?: ((line: string) => void) | undefined;
}

export interface ChaosResult {
  readonly runs: number;
  readonly submissions: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly kills: number;
  /** How often each kind was injected. */
  readonly faults: Readonly<Record<FaultKind, number>>;
  /** Acknowledged submissions the portal lost by its restores (and the terminals delivered again). */
  readonly lostByRestore: number;
  /** Whether strace was there to inject I/O errors. */
  readonly strace: boolean;
  readonly failures: readonly string[];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bundles worker and portal once so each (re)start costs a plain `node` start, not a TypeScript load. */
async function bundle(name: 'worker' | 'portal'): Promise<string> {
  const outDir = join(root, 'node_modules', '.cache', 'serviceterminal-chaos');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(here, `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'silent',
    // the portal finds its package.json from its own place
    define:
      name === 'portal'
        ? { 'import.meta.url': JSON.stringify(pathToFileURL(join(root, 'portal', 'server.ts')).href) }
        : {},
  });
  return outfile;
}

interface WorkerRun {
  readonly receipts: string[];
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  readonly ready: Promise<boolean>;
  readonly child: ChildProcess;
  /** SIGKILLs the worker and whatever runs it (strace). */
  kill(): void;
}

interface WorkerStart {
  readonly enqueue: number;
  readonly seed: number;
  readonly stay?: boolean;
  readonly reconcile?: boolean;
  readonly clockStep?: { readonly ms: number; readonly afterMs: number };
  readonly inject?: { readonly errno: 'EIO' | 'ENOSPC'; readonly n: number; readonly log: string };
}

function startWorker(workerFile: string, dataDir: string, o: WorkerStart): WorkerRun {
  const args = [
    workerFile,
    '--data',
    dataDir,
    '--enqueue',
    String(o.enqueue),
    '--seed',
    String(o.seed),
    '--timeout',
    String(REQUEST_TIMEOUT_MS),
    '--reconcile-after',
    '300',
    ...(o.stay === true ? ['--stay'] : []),
    ...(o.reconcile === true ? ['--reconcile'] : []),
  ];
  const [command, argv] =
    o.inject === undefined
      ? [process.execPath, args]
      : [
          'strace',
          [
            '-f',
            '-qq',
            '-o',
            o.inject.log,
            '-e',
            'trace=pwrite64',
            '-e',
            `inject=pwrite64:error=${o.inject.errno}:when=${o.inject.n}+`,
            process.execPath,
            ...args,
          ],
        ];
  const child = spawn(command, argv, {
    // stdin stays open while the runner lives: a worker whose runner died stops by itself
    stdio: ['pipe', 'pipe', 'pipe'],
    // its own process group: a kill reaches strace and the worker it runs
    detached: true,
    env: {
      ...process.env,
      ...(o.clockStep === undefined
        ? {}
        : {
            CHAOS_CLOCK_STEP_MS: String(o.clockStep.ms),
            CHAOS_CLOCK_STEP_AFTER_MS: String(o.clockStep.afterMs),
          }),
    },
  });
  const receipts: string[] = [];
  let stderr = '';
  let buffered = '';
  let markReady: (v: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((r) => {
    markReady = r;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const l = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (l === 'ready') markReady(true);
      const m = /^enqueued (\S+) (\S+)$/.exec(l);
      if (m?.[1] !== undefined) receipts.push(m[1]);
      nl = buffered.indexOf('\n');
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let closed = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((r) => {
    child.on('close', (code, signal) => {
      closed = true;
      markReady(false);
      r({ code, signal, stderr });
    });
  });
  const kill = (): void => {
    if (closed || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return { receipts, exit, ready, child, kill };
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

interface PortalSubmission {
  readonly submissionId: string;
  readonly terminalId: string;
  readonly state: string;
  readonly trackingNumber: string | null;
}

/**
 * One run's portal as a child process: started again on the same data folder and port when it
 * dies (a crash it injected), with the faults it had; replaced by a backup on request.
 */
class PortalProcess {
  #child: ChildProcess | undefined;
  #up: Promise<void> = Promise.resolve();
  #port = 0;
  #faults: FaultOptions = {};
  #next = 0;
  #replies = new Map<number, (v: unknown) => void>();
  #stopping = false;
  restarts = 0;

  constructor(
    private readonly file: string,
    private readonly dataDir: string,
    private readonly keyFile: string,
    private readonly seed: number,
    private readonly onFault: (kind: string) => void,
    private readonly onError: (message: string) => void,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  start(): Promise<void> {
    this.#up = new Promise<void>((resolveUp, rejectUp) => {
      const child = fork(
        this.file,
        [
          '--data',
          this.dataDir,
          '--port',
          String(this.#port),
          '--key',
          this.keyFile,
          '--seed',
          String(this.seed),
        ],
        { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
      );
      this.#child = child;
      let stderr = '';
      let ready = false;
      child.stderr?.on('data', (c: Buffer) => {
        stderr += c.toString('utf8');
      });
      child.on('message', (m: { ready?: number; fault?: string; id?: number; value?: unknown }) => {
        if (m.ready !== undefined) {
          this.#port = m.ready;
          ready = true;
          void this.#send('faults', this.#faults).then(() => resolveUp(), rejectUp);
        } else if (m.fault !== undefined) this.onFault(m.fault);
        else if (m.id !== undefined) {
          this.#replies.get(m.id)?.(m.value);
          this.#replies.delete(m.id);
        }
      });
      child.on('exit', (code, signal) => {
        if (this.#child !== child) return;
        this.#child = undefined;
        if (this.#stopping) return;
        if (!ready) {
          rejectUp(new Error(`portal did not start (${code ?? signal}): ${stderr.trim().slice(0, 400)}`));
          return;
        }
        if (signal !== 'SIGKILL')
          this.onError(`portal exited ${code ?? signal}: ${stderr.trim().slice(0, 400)}`);
        else this.restarts++;
        // a crash mid-request: started again on the same data folder and port
        this.start().catch((e: unknown) => this.onError(e instanceof Error ? e.message : String(e)));
      });
    });
    return this.#up;
  }

  #send(op: string, faults?: FaultOptions): Promise<unknown> {
    const child = this.#child;
    if (child === undefined) return Promise.reject(new Error('portal is not running'));
    const id = ++this.#next;
    return new Promise((r) => {
      this.#replies.set(id, r);
      child.send({ id, op, ...(faults === undefined ? {} : { faults }) });
    });
  }

  /** Asks the portal; waits for a restart in progress. A crash before the answer asks again. */
  async ask(op: 'code' | 'submissions' | 'crash', tries = 5): Promise<unknown> {
    for (let i = 0; ; i++) {
      await this.#up;
      const child = this.#child;
      const died = new Promise<'died'>((r) => child?.once('exit', () => r('died')));
      const answer = await Promise.race([this.#send(op), died]);
      if (answer !== 'died') return answer;
      if (i >= tries) throw new Error(`portal: no answer to ${op}`);
    }
  }

  async setFaults(faults: FaultOptions): Promise<void> {
    this.#faults = faults;
    await this.#up;
    await this.#send('faults', faults);
  }

  async #stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#stopping = true;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
    this.#stopping = false;
  }

  /** Kills the portal, puts the backup in place of its database, starts it again. */
  async restore(backup: string): Promise<void> {
    await this.#up.catch(() => undefined);
    await this.#stop();
    const db = join(this.dataDir, 'portal.sqlite');
    for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    copyFileSync(backup, db);
    await this.start();
  }

  async close(): Promise<void> {
    await this.#up.catch(() => undefined);
    await this.#stop();
  }
}

/** A consistent copy of the portal's database while it runs. */
function backupPortal(dataDir: string, to: string): void {
  const db = new Database(join(dataDir, 'portal.sqlite'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(to);
  } finally {
    db.close();
  }
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const seed = options.seed ?? Date.now() % 1_000_000;
  const rnd = mulberry32(seed);
  const log = options.log ?? (() => undefined);
  const strace = spawnSync('strace', ['-V']).status === 0;
  const [workerFile, portalFile] = await Promise.all([bundle('worker'), bundle('portal')]);
  const work = mkdtempSync(join(tmpdir(), 'chaos-'));
  // the two authority keys a portal starts with, the same for every portal of the run (making a
  // 3072-bit key takes seconds)
  const keyFile = join(work, 'authority-keys.json');
  const keys = await Promise.all(
    [1, 2].map(() => promisify(generateKeyPair)('rsa', { modulusLength: 3072 })),
  );
  writeFileSync(
    keyFile,
    JSON.stringify(keys.map((k) => k.privateKey.export({ type: 'pkcs8', format: 'pem' }))),
    { mode: 0o600 },
  );
  const totals = { submissions: 0, delivered: 0, lost: 0, duplicated: 0, lostByRestore: 0 };
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const failures: string[] = [];

  async function oneRun(run: number): Promise<void> {
    const dataDir = mkdtempSync(join(work, 'kiosk-'));
    const portalDir = mkdtempSync(join(work, 'portal-'));
    const t0 = performance.now();
    const runFaults: string[] = [];
    const count = (kind: FaultKind): void => {
      faults[kind]++;
      runFaults.push(kind);
    };
    const portal = new PortalProcess(
      portalFile,
      portalDir,
      keyFile,
      Math.floor(rnd() * 2 ** 31),
      (kind) => {
        if (kind === 'fail') count('portal-5xx');
        else if (kind === 'lost-ack' || kind === 'late-commit') count(kind);
      },
      (message) => failures.push(`run ${run}: ${message}`),
    );
    try {
      await portal.start();
      const enrolled = await enrolTerminal({
        dataDir,
        portalUrl: portal.url,
        code: String(await portal.ask('code')),
      });
      if (!enrolled.ok) throw new Error(`enrolment: ${enrolled.error.code}`);
      const terminalId = enrolled.value.terminalId;
      // a backup right after enrolment: restored later, the portal has lost all it acknowledged
      const backup = rnd() < 0.4 ? join(work, `backup-${run}.sqlite`) : undefined;
      if (backup !== undefined) backupPortal(portalDir, backup);
      await portal.setFaults({
        failRate: rnd() * 0.15,
        lostAckRate: rnd() * 0.15,
        latencyMs: 1 + Math.floor(rnd() * 15),
        lateCommitRate: rnd() < 0.5 ? rnd() * 0.2 : 0,
        lateCommitMs: REQUEST_TIMEOUT_MS + 300,
      });
      const receipts: string[] = [];
      const starts = 1 + Math.floor(rnd() * 3);
      let kills = 0;
      for (let k = 0; k < starts; k++) {
        const draw = rnd();
        // the first start is always killed (enqueue and delivery under way): kills > 0 in every run
        const mode = k > 0 && strace && draw < 0.25 ? 'io-error' : draw < 0.5 ? 'clock-step' : 'plain';
        const enqueue =
          k === 0
            ? 2 + Math.floor(rnd() * 4)
            : mode === 'io-error'
              ? 1 + Math.floor(rnd() * 3)
              : Math.floor(rnd() * 3);
        const workerSeed = Math.floor(rnd() * 2 ** 31);
        const killAfter = Math.floor(rnd() * 700);
        if (mode === 'io-error') {
          const strLog = join(work, `strace-${run}-${k}.log`);
          const w = startWorker(workerFile, dataDir, {
            enqueue,
            seed: workerSeed,
            inject: { errno: rnd() < 0.5 ? 'EIO' : 'ENOSPC', n: 1 + Math.floor(rnd() * 40), log: strLog },
          });
          // it fails closed and stops by itself, or is killed like any other
          const timer = setTimeout(() => w.kill(), 3000 + killAfter);
          await w.exit;
          clearTimeout(timer);
          receipts.push(...w.receipts);
          let injected = false;
          try {
            injected = readFileSync(strLog, 'utf8').includes('(INJECTED)');
          } catch {
            // strace wrote no log: nothing was injected
          }
          rmSync(strLog, { force: true });
          if (injected) count('io-error');
          continue;
        }
        const w = startWorker(workerFile, dataDir, {
          enqueue,
          seed: workerSeed,
          stay: true,
          ...(mode === 'clock-step'
            ? { clockStep: { ms: CLOCK_STEP_MS, afterMs: Math.floor(rnd() * 300) } }
            : {}),
        });
        const started = await w.ready;
        if (started && rnd() < 0.35) await portal.ask('crash');
        if (started) await delay(killAfter);
        w.kill();
        const ended = await w.exit;
        receipts.push(...w.receipts);
        if (ended.signal === 'SIGKILL') {
          kills++;
          count('worker-kill');
          if (mode === 'clock-step') count('clock-step');
        } else failures.push(`run ${run}: worker exited ${ended.code}: ${ended.stderr.trim()}`);
      }
      let lostByRestore = 0;
      if (backup !== undefined) {
        const before = ((await portal.ask('submissions')) as PortalSubmission[]).length;
        await portal.restore(backup);
        lostByRestore = before - ((await portal.ask('submissions')) as PortalSubmission[]).length;
        totals.lostByRestore += lostByRestore;
        count('portal-restore');
      }
      // the last start is not killed: it drains the queue, still against a faulty portal, and
      // checks every delivered item at the portal once
      const tFinal = performance.now();
      const final = startWorker(workerFile, dataDir, {
        enqueue: 0,
        seed: Math.floor(rnd() * 2 ** 31),
        reconcile: true,
      });
      const timer = setTimeout(() => final.kill(), 120_000);
      const ended = await final.exit;
      clearTimeout(timer);
      if (ended.code !== 0)
        failures.push(`run ${run}: final worker ${ended.code ?? ended.signal}: ${ended.stderr.trim()}`);
      for (let i = 0; i < portal.restarts; i++) count('portal-restart');

      const opened = openStore({ path: join(dataDir, QUEUE_DB_FILE) });
      if (!opened.ok) throw new Error(`store: ${opened.error.code}`);
      const rows = opened.value.db
        .prepare(
          'SELECT o.submission_id AS id, o.state, s.tracking_number AS tn FROM outbox o JOIN submissions s ON s.id = o.submission_id',
        )
        .all() as { id: string; state: string; tn: string }[];
      opened.value.close();
      const queued = new Map(rows.map((r) => [r.id, r]));
      const committed = new Set([...queued.keys(), ...receipts]);
      const atPortal = ((await portal.ask('submissions')) as PortalSubmission[]).filter(
        (s) => s.terminalId === terminalId,
      );
      const byId = new Map(atPortal.map((s) => [s.submissionId, s]));
      let lost = 0;
      let delivered = 0;
      for (const id of committed) {
        const p = byId.get(id);
        if (p?.state === 'delivered') delivered++;
        else {
          lost++;
          failures.push(
            `run ${run}: ${id} not delivered (terminal ${queued.get(id)?.state ?? 'missing'}, portal ${p?.state ?? 'none'})`,
          );
        }
      }
      const byTracking = new Map<string, number>();
      for (const s of atPortal) {
        if (s.trackingNumber !== null)
          byTracking.set(s.trackingNumber, (byTracking.get(s.trackingNumber) ?? 0) + 1);
      }
      let duplicated = [...byTracking.values()].reduce((n, c) => n + (c - 1), 0);
      duplicated += atPortal.filter((s) => !committed.has(s.submissionId)).length;
      if (duplicated > 0) failures.push(`run ${run}: ${duplicated} duplicate(s) at the portal`);
      totals.submissions += committed.size;
      totals.delivered += delivered;
      totals.lost += lost;
      totals.duplicated += duplicated;
      log(
        `run ${run} (${Math.round(performance.now() - t0)} ms, final ${Math.round(performance.now() - tFinal)} ms): kills=${kills} restored=${lostByRestore} submissions=${committed.size} delivered=${delivered} lost=${lost} duplicated=${duplicated} faults=${[...new Set(runFaults)].join(',')}`,
      );
    } finally {
      await portal.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(portalDir, { recursive: true, force: true });
    }
  }

  try {
    let next = 0;
    const lanes = Array.from({ length: Math.max(1, options.concurrency ?? 4) }, async () => {
      while (next < options.runs) {
        const run = ++next;
        try {
          await oneRun(run);
        } catch (e) {
          failures.push(`run ${run}: ${e instanceof Error ? e.message : String(e)}`);
          totals.lost += 1;
        }
      }
    });
    await Promise.all(lanes);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(workerFile, { force: true });
    rmSync(portalFile, { force: true });
  }
  return { runs: options.runs, ...totals, kills: faults['worker-kill'], faults, strace, failures };
}

function formatResult(r: ChaosResult): string {
  const kinds: string[] = FAULT_KINDS.filter((k) => r.faults[k] > 0);
  if (!r.strace) kinds.push('io-error-skipped-no-strace');
  return `chaos: runs=${r.runs} submissions=${r.submissions} delivered=${r.delivered} lost=${r.lost} duplicated=${r.duplicated} faults=${kinds.join(',')}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const runs = Number(value('--runs') ?? '20');
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write('Usage: npm run chaos -- --runs N [--seed S] [--concurrency C] [--verbose]\n');
    return 2;
  }
  const seed = value('--seed') === undefined ? undefined : Number(value('--seed'));
  const verbose = argv.includes('--verbose');
  const started = performance.now();
  const result = await runChaos({
    runs,
    ...(seed === undefined ? {} : { seed }),
    concurrency: Number(value('--concurrency') ?? '4'),
    log: verbose ? (l) => process.stdout.write(`${l}\n`) : undefined,
  });
  for (const f of result.failures.slice(0, 20)) process.stderr.write(`${f}\n`);
  const counts = FAULT_KINDS.map((k) => `${k}=${result.faults[k]}`).join(' ');
  process.stdout.write(
    `${counts} lost-by-restore=${result.lostByRestore} seconds=${((performance.now() - started) / 1000).toFixed(1)}\n`,
  );
  process.stdout.write(`${formatResult(result)}\n`);
  return result.lost === 0 && result.duplicated === 0 && result.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

export { formatResult };
