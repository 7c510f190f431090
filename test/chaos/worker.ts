/**
 * The kiosk process of the chaos runs: enqueues applications through sync/ and delivers them to
 * the portal, until the queue is empty. The runner SIGKILLs it at random moments.
 *
 *   worker --data DIR --enqueue N --seed S
 *
 * stdout lines: `ready`, `enqueued <submissionId> <trackingNumber>` (printed only after the commit,
 * like a receipt), `drained`.
 */
import { randomBytes } from 'node:crypto';
import { openTerminal } from '../../sync/terminal.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function line(s: string): void {
  process.stdout.write(`${s}\n`);
}

const dataDir = arg('--data', '');
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
  requestTimeoutMs: 3000,
  engine: {
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
for (let i = 0; toEnqueue > 0 && t.outbox.getState('authority_keys') === undefined; i++) {
  const keys = await t.refreshAuthorityKeys();
  if (keys.ok) break;
  if (i > 400) {
    process.stderr.write('worker: no authority keys\n');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 10));
}
line('ready');
const drained = new Promise<void>((resolve) => {
  t.engine.onProgress((p) => {
    if (p.current === undefined && p.pending === 0 && enqueuedAll) resolve();
  });
});
let enqueuedAll = toEnqueue === 0;
t.engine.start();
for (let i = 0; i < toEnqueue; i++) {
  const withAttachment = random() < 0.5;
  const r = await t.outbox.enqueue({
    serviceId: 'residence-permit',
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
await t.close();
line('drained');
