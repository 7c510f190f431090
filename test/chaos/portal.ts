/**
 * The reference portal as its own process for the chaos runs, driven over the IPC channel of
 * `child_process.fork`. The runner SIGKILLs it and starts it again on the same data folder and
 * port; it tells the runner of each fault it injects, so the counts survive a kill.
 *
 *   portal --data DIR --port N --key FILE --seed S   (FILE: a JSON list of PKCS#8 PEM keys)
 *
 * Messages in:  `{ id, op: 'code' | 'submissions' | 'faults' | 'crash', faults? }`
 * Messages out: `{ ready: port }`, `{ fault: kind }`, `{ id, value }`, `{ crashing: true }`
 *
 * `crash` arms a crash: the next delivery request that waits for its latency kills the process
 * (SIGKILL) while that request is open.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FaultOptions } from '../../portal/faults.ts';
import { startPortal } from '../../portal/server.ts';

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`chaos portal: ${name} missing`);
  return v;
}

interface Request {
  readonly id: number;
  readonly op: 'code' | 'submissions' | 'faults' | 'crash';
  readonly faults?: FaultOptions;
}

const send = (m: unknown): void => {
  process.send?.(m);
};

// the runner's keys, handed out in order (a fresh portal makes two)
const keys = (JSON.parse(readFileSync(arg('--key'), 'utf8')) as string[]).map((pem) => createPrivateKey(pem));
let nextKey = 0;
let crashArmed = false;
const portal = await startPortal({
  dataDir: arg('--data'),
  port: Number(arg('--port')),
  seed: Number(arg('--seed')),
  authorityKeySource: async () => {
    const key = keys[nextKey++];
    if (key === undefined) throw new Error('chaos portal: no authority key left');
    return key;
  },
  onFault: (fault) => send({ fault }),
  sleep: (ms) => {
    if (crashArmed) {
      send({ crashing: true });
      process.kill(process.pid, 'SIGKILL');
    }
    return new Promise((r) => setTimeout(r, ms));
  },
});

process.on('message', (m: Request) => {
  switch (m.op) {
    case 'code':
      send({ id: m.id, value: portal.createEnrolmentCode() });
      break;
    case 'submissions':
      send({
        id: m.id,
        value: portal.submissions().map((s) => ({
          submissionId: s.submissionId,
          terminalId: s.terminalId,
          state: s.state,
          trackingNumber: s.trackingNumber,
        })),
      });
      break;
    case 'faults':
      send({ id: m.id, value: portal.setFaults(m.faults ?? {}) });
      break;
    case 'crash':
      crashArmed = true;
      send({ id: m.id, value: true });
      break;
  }
});
process.on('disconnect', () => {
  void portal.close().then(() => process.exit(0));
});
send({ ready: portal.port });
