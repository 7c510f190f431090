/**
 * The kiosk process of the chaos runs: enqueues applications through sync/ and delivers them to
 * the portal, until the queue is empty. The runner SIGKILLs it at random moments.
 *
 *   worker --data DIR --enqueue N --seed S [--stay] [--reconcile] [--reconcile-after MS]
 *
 * `--stay`: once drained, wait to be killed (a kiosk does not stop by itself). `--reconcile`: it
 * is drained only once every delivered item has been checked at the portal since it started
 * (a portal restored from a backup has lost some). `CHAOS_CLOCK_STEP_MS` (with
 * `CHAOS_CLOCK_STEP_AFTER_MS`) steps the worker's wall clock by that much while it runs.
 *
 * stdout lines: `ready`, `enqueued <submissionId> <trackingNumber>` (printed only after the commit,
 * like a receipt), `drained`.
 */
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../../common/clock.ts';
import { openTerminal } from '../../sync/terminal.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function line(s: string): void {
  process.stdout.write(`${s}\n`);
}

const dataDir = arg('--data', '');
const stay = process.argv.includes('--stay');
// the runner holds stdin open; when it is gone, so is this worker (a `--stay` one would linger)
process.stdin.on('end', () => process.exit(3));
process.stdin.on('error', () => process.exit(3));
process.stdin.resume();
const reconcile = process.argv.includes('--reconcile');
const clockStepMs = Number(process.env.CHAOS_CLOCK_STEP_MS ?? '0');
let wallOffsetMs = 0;
if (clockStepMs !== 0) {
  setTimeout(
    () => {
      wallOffsetMs = clockStepMs;
    },
    Number(process.env.CHAOS_CLOCK_STEP_AFTER_MS ?? '0'),
  ).unref();
}
const clock: Clock = { ...systemClock, now: () => Date.now() + wallOffsetMs };
const toEnqueue = Number(arg('--enqueue', '0'));
let seed = Number(arg('--seed', '1')) >>> 0;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const opened = await openTerminal({
  dataDir,
  random,
  clock,
  requestTimeoutMs: Number(arg('--timeout', '3000')),
  engine: {
    reconcileAfterMs: reconcile ? 0 : Number(arg('--reconcile-after', '10000')),
    baseDelayMs: 5,
    maxDelayMs: 150,
    probeIntervalMs: 25,
    chunkBytes: 48 * 1024,
    statusPollMs: 60_000,
  },
});
if (!opened.ok) {
  process.stderr.write(`worker: ${opened.error.code}: ${opened.error.message}\n`);
  process.exit(1);
}
const t = opened.value;
// the first start needs the authority's keys; the portal may be failing on purpose
for (let i = 0; toEnqueue > 0 && t.state.getState('authority_keys') === undefined; i++) {
  const keys = await t.refreshAuthorityKeys();
  if (keys.ok) break;
  if (i > 400) {
    process.stderr.write('worker: no authority keys\n');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 10));
}
line('ready');
const startedAt = clock.now();
let idle = false;
t.engine.onProgress((p) => {
  idle = p.current === undefined && p.pending === 0;
});
const drained = new Promise<void>((resolve) => {
  const check = (): void => {
    if (idle && enqueuedAll) {
      // in this order: an item found lost moves from delivered to queued in one transaction
      const checked = !reconcile || t.outbox.deliveredToReconcile(startedAt, 1).length === 0;
      if (checked && t.outbox.counts(clock.now()).pending === 0) {
        resolve();
        return;
      }
      t.engine.kick();
    }
    setTimeout(check, 20);
  };
  check();
});
let enqueuedAll = toEnqueue === 0;
t.engine.start();
for (let i = 0; i < toEnqueue; i++) {
  const withAttachment = random() < 0.5;
  const r = await t.outbox.enqueue({
    serviceId: 'callback-request',
    data: {
      applicant: { familyName: `Chaos-${randomBytes(4).toString('hex')}`, birthDate: '1988-02-29' },
      answers: { note: 'x'.repeat(Math.floor(random() * 4096)) },
    },
    attachments: withAttachment
      ? [
          {
            partId: 'summary',
            mediaType: 'application/pdf',
            content: randomBytes(Math.floor(random() * 150_000) + 1),
          },
        ]
      : [],
  });
  if (!r.ok) {
    process.stderr.write(`worker: enqueue failed: ${r.error.code}\n`);
    process.exit(1);
  }
  line(`enqueued ${r.value.submissionId} ${r.value.trackingNumber}`);
  t.engine.kick();
}
enqueuedAll = true;
t.engine.kick();
await drained;
if (stay) {
  line('drained');
  // a kiosk keeps running: the runner kills it
  await new Promise<never>(() => setInterval(() => undefined, 60_000));
}
await t.close();
line('drained');
process.stdin.destroy();
