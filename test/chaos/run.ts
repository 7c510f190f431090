/**
 * `npm run chaos -- --runs N [--seed S] [--concurrency C]`
 *
 * Randomized runs against the reference portal with random faults (5xx, lost acknowledgements,
 * latency): each run enrols a fresh terminal, starts the kiosk worker (test/chaos/worker.ts),
 * SIGKILLs it at random moments during enqueue and sync, restarts it, and finally lets it drain
 * the queue. Then it checks the portal's records against the receipts the worker printed and
 * against the terminal's own queue:
 *
 *   lost       = a committed item (receipt printed, or in the queue) not delivered at the portal
 *   duplicated = more than one portal submission for one tracking number, or one the terminal
 *                never queued
 *
 * Ends with `chaos: runs=N submissions=S delivered=D lost=L duplicated=U`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { startPortal } from '../../portal/server.ts';
import { openStore } from '../../sync/store.ts';
import { enrolTerminal, QUEUE_DB_FILE } from '../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../support/authority-keys.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

export interface ChaosOptions {
  readonly runs: number;
  readonly seed?: number;
  readonly concurrency?: number;
  /** Prints one line per run. */
  readonly log?: (line: string) => void;
}

export interface ChaosResult {
  readonly runs: number;
  readonly submissions: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly kills: number;
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

/** Bundles the worker once so each restart costs a plain `node` start, not a TypeScript load. */
async function bundleWorker(): Promise<string> {
  const outDir = join(root, 'node_modules', '.cache', 'serviceterminal-chaos');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `worker-${process.pid}.mjs`);
  await build({
    entryPoints: [join(here, 'worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

interface WorkerRun {
  readonly receipts: string[];
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  readonly ready: Promise<boolean>;
  readonly child: ChildProcess;
}

function startWorker(workerFile: string, dataDir: string, enqueue: number, seed: number): WorkerRun {
  const child = spawn(
    process.execPath,
    [workerFile, '--data', dataDir, '--enqueue', String(enqueue), '--seed', String(seed)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((r) => {
    child.on('close', (code, signal) => {
      markReady(false);
      r({ code, signal, stderr });
    });
  });
  return { receipts, exit, ready, child };
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const seed = options.seed ?? Date.now() % 1_000_000;
  const rnd = mulberry32(seed);
  const log = options.log ?? (() => undefined);
  const workerFile = await bundleWorker();
  const portalDir = mkdtempSync(join(tmpdir(), 'chaos-portal-'));
  const portal = await startPortal({ dataDir: portalDir, authorityKeySource: pooledAuthorityKeys(), seed });
  const totals = { submissions: 0, delivered: 0, lost: 0, duplicated: 0, kills: 0 };
  const failures: string[] = [];

  async function oneRun(run: number): Promise<void> {
    const dataDir = mkdtempSync(join(tmpdir(), 'chaos-kiosk-'));
    const t0 = performance.now();
    let tFinal = t0;
    try {
      // enrolment is an administrator's step; it is retried here because the faults are global
      let enrolled = await enrolTerminal({
        dataDir,
        portalUrl: portal.url,
        code: portal.createEnrolmentCode(),
      });
      for (let i = 0; !enrolled.ok && i < 50; i++) {
        await delay(20);
        enrolled = await enrolTerminal({
          dataDir,
          portalUrl: portal.url,
          code: portal.createEnrolmentCode(),
        });
      }
      if (!enrolled.ok) throw new Error(`enrolment: ${enrolled.error.code}`);
      const terminalId = enrolled.value.terminalId;
      portal.setFaults({
        failRate: rnd() * 0.15,
        lostAckRate: rnd() * 0.15,
        latencyMs: rnd() < 0.3 ? Math.floor(rnd() * 15) : 0,
      });
      const receipts: string[] = [];
      const kills = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < kills; k++) {
        const enqueue = k === 0 ? 2 + Math.floor(rnd() * 4) : Math.floor(rnd() * 3);
        const w = startWorker(workerFile, dataDir, enqueue, Math.floor(rnd() * 2 ** 31));
        if (await w.ready) await delay(Math.floor(rnd() * 700));
        w.child.kill('SIGKILL');
        const ended = await w.exit;
        if (ended.signal === 'SIGKILL') totals.kills++;
        else if (ended.code !== 0)
          failures.push(`run ${run}: worker exited ${ended.code}: ${ended.stderr.trim()}`);
        receipts.push(...w.receipts);
      }
      // the last start is not killed: it drains the queue, still against a faulty portal
      tFinal = performance.now();
      const final = startWorker(workerFile, dataDir, 0, Math.floor(rnd() * 2 ** 31));
      const timer = setTimeout(() => final.child.kill('SIGKILL'), 120_000);
      const ended = await final.exit;
      clearTimeout(timer);
      if (ended.code !== 0)
        failures.push(`run ${run}: final worker ${ended.code ?? ended.signal}: ${ended.stderr.trim()}`);

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
      const atPortal = portal.submissions().filter((s) => s.terminalId === terminalId);
      let lost = 0;
      let delivered = 0;
      for (const id of committed) {
        const p = portal.submission(id);
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
        `run ${run} (${Math.round(performance.now() - t0)} ms, final ${Math.round(performance.now() - tFinal)} ms): kills=${kills} submissions=${committed.size} delivered=${delivered} lost=${lost} duplicated=${duplicated}`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
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
    await portal.close();
    rmSync(portalDir, { recursive: true, force: true });
    rmSync(workerFile, { force: true });
  }
  return { runs: options.runs, ...totals, failures };
}

function formatResult(r: ChaosResult): string {
  return `chaos: runs=${r.runs} submissions=${r.submissions} delivered=${r.delivered} lost=${r.lost} duplicated=${r.duplicated}`;
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
  process.stdout.write(
    `kills=${result.kills} seconds=${((performance.now() - started) / 1000).toFixed(1)}\n`,
  );
  process.stdout.write(`${formatResult(result)}\n`);
  return result.lost === 0 && result.duplicated === 0 && result.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

export { formatResult };
