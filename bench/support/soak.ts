/**
 * Shared parts of the soak benchmarks (bench/suites/soak.ts, soak-renderer.ts): a process that
 * can force garbage collection, the least-squares slope of a figure over sessions, a plain-text
 * table, the resident set of another process, and the reference portal in a process of its own.
 *
 * Memory is measured and reported, never asserted: a figure depends on the machine, the Node
 * version and what else runs, so a threshold would only make the bench flaky.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `bench/run.ts` starts each suite as `node --import tsx`; heap figures mean something only after
 * a full collection, so a suite without `global.gc` runs itself again with `--expose-gc` and
 * exits with that run's code. Returns true in the process that should do the work.
 */
export function ensureExposedGc(suiteUrl: string): boolean {
  if (typeof globalThis.gc === 'function') return true;
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(suiteUrl), ...process.argv.slice(2)],
    { stdio: 'inherit', env: process.env },
  );
  process.exitCode = result.status ?? 1;
  return false;
}

/**
 * Full collections until the heap has settled: each followed by a timer turn, so that the
 * FinalizationRegistry callbacks the collection queued can run (fetch registers every request's
 * abort signal in one; until the callback has run, the signal, its listener and a WeakRef stay
 * on the heap and look like growth), and the next collection frees what they released.
 */
export async function collectGarbage(rounds = 3): Promise<void> {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('run with --expose-gc');
  for (let round = 0; round < rounds; round++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  gc();
}

/** Least-squares slope of y over x (NaN with fewer than two distinct x). */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

/**
 * Growth of a figure (bytes) in KB per 1,000 sessions over the second half of the samples, after
 * the warm-up (caches, JIT, lazily loaded fonts and modules) has settled.
 */
export function growthPer1000<T extends { sessions: number }>(
  samples: readonly T[],
  bytes: (sample: T) => number,
): { kbPer1000: number; from: number; to: number; points: number } {
  const last = samples.at(-1)?.sessions ?? 0;
  const half = samples.filter((s) => s.sessions >= last / 2);
  const perSession = slope(half.map((s) => ({ x: s.sessions, y: bytes(s) / 1024 })));
  return {
    kbPer1000: perSession * 1000,
    from: half[0]?.sessions ?? 0,
    to: last,
    points: half.length,
  };
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)}`;
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)}`;

/** A plain-text table: columns of figures right-aligned, columns of text left-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const figure = /^(-?[\d.]+|-|NaN)$/;
  const textual = headers.map((_, i) => rows.some((r) => !figure.test(r[i] ?? '-')));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (textual[i] ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Resident set size of another process in bytes (Linux /proc), or null where it cannot be read. */
export function processRss(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/** Counts of `process.getActiveResourcesInfo()` by kind, e.g. `Timeout 3, TCPSocketWrap 2`. */
export function activeResources(): { total: number; byKind: string } {
  const kinds = process.getActiveResourcesInfo();
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  const byKind = [...counts]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return { total: kinds.length, byKind };
}

export interface DemoApplication {
  readonly trackingNumber: string;
  readonly birthDate: string;
  readonly status: string;
}

export interface PortalProcess {
  readonly url: string;
  readonly enrolmentCode: string;
  /** RFC 7638 thumbprint of the portal's signing key, for the terminal's pin. */
  readonly signingKeyThumbprint: string;
  readonly demo: readonly DemoApplication[];
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * The reference portal (bench/support/soak-portal.ts) in its own process, so that its heap and
 * database do not count as the kiosk's. Resolves on its `Portal ready` line and the demo lines.
 */
export function startPortalProcess(dataDir: string): Promise<PortalProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'bench', 'support', 'soak-portal.ts'), dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: projectRoot },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolvePortal, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (!/^Demo done$/m.test(out)) return;
      const url = /^Portal ready: (\S+)$/m.exec(out)?.[1];
      const enrolmentCode = /^Enrolment code: (\S+)$/m.exec(out)?.[1];
      const signingKeyThumbprint = /^Signing key thumbprint: (\S+)$/m.exec(out)?.[1];
      if (url === undefined || enrolmentCode === undefined || signingKeyThumbprint === undefined) {
        reject(new Error('the portal printed no URL, enrolment code or key thumbprint'));
        return;
      }
      const demo = [...out.matchAll(/^Demo tracking: (\S+) born (\S+) \((\w+)\)$/gm)].map((m) => ({
        trackingNumber: m[1] ?? '',
        birthDate: m[2] ?? '',
        status: m[3] ?? '',
      }));
      resolvePortal({
        url,
        enrolmentCode,
        signingKeyThumbprint,
        demo,
        pid: child.pid,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(() => reject(new Error(`the portal exited (${child.exitCode}) before it was ready`)));
  });
}

/**
 * Writes a V8 heap snapshot to `file`. The snapshot is streamed to disk by V8 itself, so the
 * heap being measured gains next to nothing; compare two with bench/support/heap-diff.ts.
 */
export function writeHeapSnapshotFile(file: string): void {
  writeHeapSnapshot(file);
}

/**
 * Runs bench/support/heap-diff.ts on two snapshots in a process of its own (parsing them takes
 * hundreds of MB, which must not show in the figures of the process being measured).
 */
export function printHeapDiff(before: string, after: string, sessionsBetween: number): void {
  spawnSync(
    process.execPath,
    [
      '--max-old-space-size=4096',
      '--import',
      'tsx',
      join(projectRoot, 'bench', 'support', 'heap-diff.ts'),
      before,
      after,
      String(sessionsBetween),
    ],
    { stdio: 'inherit' },
  );
}
