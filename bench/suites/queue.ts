/**
 * Queue figures:
 *
 * 1. Enqueue of a 4 KiB application with a 200 KiB attachment (sealed, synchronous=FULL):
 *    p50/p99, next to sealing alone and to a bare better-sqlite3 insert transaction of the same
 *    sealed bytes into the same file with the same settings (ratio).
 * 2. Drain of a 5,000-item backlog to the reference portal (its own process) on loopback, next
 *    to a bare HTTP POST loop of the same payloads against the same server (ratio), and the
 *    terminal process's peak RSS while draining.
 *
 * `BENCH_QUEUE_ITEMS` and `BENCH_QUEUE_ENQUEUES` scale it down for a quick look.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair } from 'jose';
import { Alarms } from '../../sync/alarms.ts';
import { systemClock } from '../../sync/clock.ts';
import { Outbox } from '../../sync/outbox.ts';
import { type SealedSubmission, sealSubmission } from '../../sync/sealing.ts';
import { openStore } from '../../sync/store.ts';
import { enrolTerminal, openTerminal } from '../../sync/terminal.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENQUEUES = Number(process.env.BENCH_QUEUE_ENQUEUES ?? '300');
const BACKLOG = Number(process.env.BENCH_QUEUE_ITEMS ?? '5000');

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

function stats(samples: number[]): { p50: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99) };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

function application(): { serviceId: string; data: unknown } {
  // about 4 KiB of JSON
  return {
    serviceId: 'residence-permit',
    data: {
      applicant: { familyName: 'Bench', givenNames: 'Mark', birthDate: '1990-01-31' },
      answers: { text: randomBytes(1900).toString('hex') },
    },
  };
}

async function enqueueBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-queue-'));
  try {
    const authority = await generateKeyPair('RSA-OAEP-256', { modulusLength: 3072, extractable: true });
    const device = await generateKeyPair('ES256', { extractable: true });
    const authorityKey = { kid: 'bench-authority', key: await exportJWK(authority.publicKey) };
    const deviceKey = { kid: 'bench-device', privateKey: await exportJWK(device.privateKey) };
    const opened = openStore({ path: join(dir, 'kiosk.db') });
    if (!opened.ok) throw new Error(opened.error.message);
    const store = opened.value;
    const outbox = new Outbox({
      store,
      alarms: new Alarms(store.db, Date.now),
      clock: systemClock,
      sealing: { terminalId: 'T-bench', deviceKey, authorityKey: () => authorityKey },
    });
    const attachment = randomBytes(200 * 1024);
    const enqueue: number[] = [];
    const seal: number[] = [];
    const sealedItems: SealedSubmission[] = [];
    for (let i = 0; i < ENQUEUES + 10; i++) {
      const t0 = performance.now();
      const r = await outbox.enqueue({
        ...application(),
        attachments: [{ partId: 'summary', mediaType: 'application/pdf', content: attachment }],
      });
      const t1 = performance.now();
      if (!r.ok) throw new Error(r.error.code);
      const t2 = performance.now();
      const s = await sealSubmission(
        {
          submissionId: `seal-${i}`,
          serviceId: 'residence-permit',
          terminalId: 'T-bench',
          createdAt: new Date().toISOString(),
          trackingNumber: r.value.trackingNumber,
          data: application().data,
          attachments: [{ partId: 'summary', mediaType: 'application/pdf', content: attachment }],
        },
        authorityKey,
        deviceKey,
      );
      const t3 = performance.now();
      if (!s.ok) throw new Error(s.error.code);
      if (i >= 10) {
        enqueue.push(t1 - t0);
        seal.push(t3 - t2);
        const stored = outbox.loadSealed(r.value.submissionId);
        if (stored) sealedItems.push(stored);
      }
    }
    // the same sealed bytes, written by a bare insert transaction into the same file
    store.db.exec(
      'CREATE TABLE IF NOT EXISTS bare (id TEXT PRIMARY KEY, metadata TEXT, manifest TEXT, part0 TEXT, part1 TEXT)',
    );
    const insert = store.db.prepare(
      'INSERT INTO bare (id, metadata, manifest, part0, part1) VALUES (?, ?, ?, ?, ?)',
    );
    const bare: number[] = [];
    for (const [i, s] of sealedItems.entries()) {
      const t0 = performance.now();
      store.db.transaction(() => {
        insert.run(
          `bare-${i}`,
          s.metadata,
          s.manifestSignature,
          s.parts[0]?.jwe ?? '',
          s.parts[1]?.jwe ?? '',
        );
      })();
      bare.push(performance.now() - t0);
    }
    const sync = store.db.pragma('synchronous', { simple: true });
    store.close();
    const e = stats(enqueue);
    const sl = stats(seal);
    const b = stats(bare);
    const sealedKiB = (sealedItems[0]?.parts.reduce((n, p) => n + p.sealedSize, 0) ?? 0) / 1024;
    console.log(
      `enqueue (4 KiB application + 200 KiB attachment, ${sealedKiB.toFixed(0)} KiB sealed, synchronous=${sync === 2 ? 'FULL' : sync}), n=${enqueue.length}`,
    );
    console.log(`  enqueue (seal + one transaction)   p50 ${ms(e.p50)}   p99 ${ms(e.p99)}`);
    console.log(`  sealing alone                     p50 ${ms(sl.p50)}   p99 ${ms(sl.p99)}`);
    console.log(`  bare insert transaction, same bytes p50 ${ms(b.p50)}   p99 ${ms(b.p99)}`);
    console.log(
      `  ratio enqueue / bare insert        p50 ${(e.p50 / b.p50).toFixed(1)}x   p99 ${(e.p99 / b.p99).toFixed(1)}x`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PortalProcess {
  readonly url: string;
  readonly code: string;
  readonly child: ChildProcess;
}

function startPortalProcess(dataDir: string): Promise<PortalProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'portal', 'main.ts'), '--no-demo', '--enrolment-code', '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: root },
  );
  return new Promise((resolvePortal, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const url = /Portal ready: (\S+)/.exec(out)?.[1];
      const code = /Enrolment code: (\S+)/.exec(out)?.[1];
      if (url !== undefined && code !== undefined) resolvePortal({ url, code, child });
    });
    child.on('exit', (c) => reject(new Error(`portal exited ${c}`)));
  });
}

async function drainBench(): Promise<void> {
  const portalDir = mkdtempSync(join(tmpdir(), 'bench-portal-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-terminal-'));
  const portal = await startPortalProcess(portalDir);
  try {
    const enrolled = await enrolTerminal({ dataDir, portalUrl: portal.url, code: portal.code });
    if (!enrolled.ok) throw new Error(enrolled.error.code);
    const opened = await openTerminal({ dataDir, engine: { statusPollMs: 3_600_000 } });
    if (!opened.ok) throw new Error(opened.error.code);
    const t = opened.value;
    const keys = await t.refreshAuthorityKeys();
    if (!keys.ok) throw new Error(keys.error.code);
    const ids: string[] = [];
    for (let i = 0; i < BACKLOG; i++) {
      const r = await t.outbox.enqueue(application());
      if (!r.ok) throw new Error(r.error.code);
      ids.push(r.value.submissionId);
    }
    const backlogBytes = t.outbox.counts(Date.now()).pendingBytes;
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const t0 = performance.now();
    let passes = 0;
    while (t.outbox.counts(Date.now()).pending > 0 && passes < 1000) {
      t.outbox.makeAllDue(Date.now());
      await t.engine.runPass();
      passes++;
    }
    const drainMs = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const left = t.outbox.counts(Date.now()).pending;

    // the same payloads, one bare POST each, to the same server (answered right after parsing)
    const payloads = ids.map((id) => {
      const s = t.outbox.loadSealed(id);
      return JSON.stringify({
        submissionId: id,
        metadata: s?.metadata,
        parts: s?.parts,
        manifestSignature: s?.manifestSignature,
      });
    });
    await t.close();
    const b0 = performance.now();
    for (const body of payloads) {
      const res = await fetch(`${portal.url}/v1/enrolment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await res.arrayBuffer();
    }
    const bareMs = performance.now() - b0;
    console.log(
      `drain of a ${BACKLOG}-item backlog (4 KiB applications, ${(backlogBytes / 1024 / 1024).toFixed(1)} MiB sealed) to the reference portal on loopback`,
    );
    console.log(
      `  sync engine (create + part upload + submit, portal opens and verifies)  ${(drainMs / 1000).toFixed(2)} s  (${(BACKLOG / (drainMs / 1000)).toFixed(0)} items/s, ${passes} pass(es), ${left} left)`,
    );
    console.log(
      `  bare HTTP POST loop, same payloads, same server                        ${(bareMs / 1000).toFixed(2)} s  (${(BACKLOG / (bareMs / 1000)).toFixed(0)} items/s)`,
    );
    console.log(
      `  ratio drain / bare POST loop                                           ${(drainMs / bareMs).toFixed(1)}x`,
    );
    console.log(
      `  terminal peak RSS while draining ${(peak / 1024 / 1024).toFixed(0)} MiB (before: ${(rssBefore / 1024 / 1024).toFixed(0)} MiB)`,
    );
  } finally {
    portal.child.kill('SIGTERM');
    await new Promise((r) => portal.child.once('exit', r));
    rmSync(portalDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await enqueueBench();
await drainBench();
