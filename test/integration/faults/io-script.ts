/**
 * One storage operation of the terminal, run in its own process so `strace` can fail its writes
 * and syncs: `io-script OP DIR`, OP one of `enqueue`, `deliver`, `audit`, `enrol`. Prints one JSON
 * line `{"ok":true}` or `{"ok":false,"code":"..."}` (a translatable code, never a stack).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../../common/clock.ts';
import { Alarms } from '../../../sync/alarms.ts';
import { writeEnrolment } from '../../../sync/enrolment.ts';
import { Outbox } from '../../../sync/outbox.ts';
import { openStore } from '../../../sync/store.ts';

const [op = '', dir = ''] = process.argv.slice(2);
const out = (r: { ok: boolean; code?: string }): void => {
  process.stdout.write(`${JSON.stringify(r)}\n`);
};

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

async function main(): Promise<void> {
  const keys = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8'));
  if (op === 'enrol') {
    const r = writeEnrolment(dir, keys.enrolment);
    return out(r.ok ? { ok: true } : { ok: false, code: r.error.code });
  }
  const opened = openStore({ path: join(dir, 'kiosk.db') });
  if (!opened.ok) return out({ ok: false, code: opened.error.code });
  const store = opened.value;
  try {
    const alarms = new Alarms(store.db, Date.now);
    const outbox = new Outbox({
      store,
      alarms,
      clock: systemClock,
      sealing: {
        terminalId: 'T-1',
        deviceKey: keys.device,
        authorityKey: () => keys.authority,
      },
    });
    if (op === 'enqueue') {
      const r = await outbox.enqueue({ serviceId: 'callback-request', data: { answers: { purpose: 'io' } } });
      return out(r.ok ? { ok: true } : { ok: false, code: r.error.code });
    }
    try {
      if (op === 'deliver') {
        // as the engine does first: an attempt a failed run left `sending` is due again
        outbox.recoverInterrupted();
        const item = outbox.nextDue(Date.now());
        if (item === undefined) return out({ ok: false, code: 'test.nothing_queued' });
        outbox.beginAttempt(item.submissionId);
        outbox.markDelivered(item.submissionId, new Date().toISOString());
      } else if (op === 'audit') {
        outbox.auditLog.append('staff.sign_in', { badge: 'a1b2c3d4', role: 'staff' });
      }
      return out({ ok: true });
    } catch (e) {
      return out({ ok: false, code: `storage.${codeOf(e)}` });
    }
  } finally {
    try {
      store.close();
    } catch {
      // the process ends
    }
  }
}

await main();
