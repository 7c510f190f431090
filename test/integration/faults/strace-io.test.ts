/**
 * I/O errors and a full disk, injected below the process with strace's fault injection
 * (`-e inject=pwrite64,fsync,fdatasync:error=EIO:when=N`, and ENOSPC): the 1st, 2nd, … write or
 * sync of an enqueue, a delivery's bookkeeping, an audit append and the enrolment write fails.
 * Every run fails closed (a translated code, or success only when the change is durable), nothing
 * half-written is used (reopened without faults: the whole change or none, the audit chain
 * verifies, no temp file left), and the same operation succeeds once the disk is well.
 *
 * Needs Debian's `strace`; without it the test is skipped with a message (CI installs it).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Alarms } from '../../../sync/alarms.ts';
import { readEnrolment } from '../../../sync/enrolment.ts';
import { Outbox } from '../../../sync/outbox.ts';
import { openStore } from '../../../sync/store.ts';
import { makeAuthorityKey, makeDeviceKey } from '../../unit/sync/keys.ts';

const here = dirname(fileURLToPath(import.meta.url));
const strace = spawnSync('strace', ['-V']).status === 0;
if (!strace) console.warn('strace is not installed (Debian package strace): the I/O fault tests are skipped');

type Op = 'enqueue' | 'deliver' | 'audit' | 'enrol';
/**
 * Which write or sync fails: the first few one by one, then spread out (an enqueue makes dozens
 * of WAL writes; a full sweep would take minutes); a run past the operation's last one injects
 * nothing and must simply succeed.
 */
const WHEN = [1, 2, 3, 5, 8, 13, 21];

let work: string;
let script: string;
let base: string;

interface Run {
  readonly ok: boolean;
  readonly code?: string;
  readonly injected: boolean;
}

function runScript(op: Op, dir: string, inject?: { errno: 'EIO' | 'ENOSPC'; n: number }): Run {
  const node = [process.execPath, script, op, dir];
  const log = join(work, 'strace.log');
  const r =
    inject === undefined
      ? spawnSync(node[0] as string, node.slice(1), { encoding: 'utf8' })
      : spawnSync(
          'strace',
          [
            '-f',
            '-qq',
            '-o',
            log,
            '-e',
            'trace=pwrite64,fsync,fdatasync',
            '-e',
            `inject=pwrite64,fsync,fdatasync:error=${inject.errno}:when=${inject.n}`,
            ...node,
          ],
          { encoding: 'utf8' },
        );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let parsed: { ok: boolean; code?: string };
  try {
    parsed = JSON.parse(line) as { ok: boolean; code?: string };
  } catch {
    throw new Error(`${op}: no answer (exit ${String(r.status)}): ${r.stderr.slice(0, 400)}`);
  }
  let injected = false;
  if (inject !== undefined) {
    const text = spawnSync('cat', [log], { encoding: 'utf8' }).stdout;
    injected = text.includes('(INJECTED)');
  }
  return { ...parsed, injected };
}

interface State {
  readonly submissions: number;
  readonly delivered: number;
  readonly audit: number;
  readonly enrolled: boolean;
}

/** Opens the data folder without faults and checks that nothing half-written is there. */
function inspect(dir: string): State {
  expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  const enrolment = readEnrolment(dir);
  if (!enrolment.ok) expect(enrolment.error.code).toBe('enrolment.missing');
  const opened = openStore({ path: join(dir, 'kiosk.db') });
  if (!opened.ok) throw new Error(opened.error.code);
  const store = opened.value;
  try {
    expect(store.startupAlarms).toEqual([]);
    const outbox = new Outbox({
      store,
      alarms: new Alarms(store.db, Date.now),
      clock: { now: Date.now, monotonic: () => 0 },
    });
    const ids = (store.db.prepare('SELECT id FROM submissions').all() as { id: string }[]).map((r) => r.id);
    for (const id of ids) {
      // a queued application is whole: its outbox row and every sealed part
      expect(outbox.get(id)).toBeDefined();
      expect(outbox.loadSealed(id)?.parts.length).toBeGreaterThan(0);
    }
    const verified = outbox.auditLog.verify();
    expect(verified.ok).toBe(true);
    return {
      submissions: ids.length,
      delivered: outbox.counts(Date.now()).byState.delivered,
      audit: verified.entries,
      enrolled: enrolment.ok,
    };
  } finally {
    store.close();
  }
}

const changed: Record<Op, (before: State, after: State) => boolean> = {
  enqueue: (b, a) => a.submissions === b.submissions + 1,
  deliver: (b, a) => a.delivered === b.delivered + 1,
  audit: (b, a) => a.audit > b.audit && a.submissions === b.submissions,
  enrol: (b, a) => !b.enrolled && a.enrolled,
};

beforeAll(async () => {
  if (!strace) return;
  work = mkdtempSync(join(tmpdir(), 'io-faults-'));
  script = join(work, 'io-script.mjs');
  const root = resolve(here, '..', '..', '..');
  await build({
    entryPoints: [join(here, 'io-script.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: join(root, 'node_modules', '.cache', 'serviceterminal-io', `io-script-${process.pid}.mjs`),
    logLevel: 'silent',
  });
  script = join(root, 'node_modules', '.cache', 'serviceterminal-io', `io-script-${process.pid}.mjs`);
  const [authority, device, portal] = await Promise.all([
    makeAuthorityKey('authority-1'),
    makeDeviceKey('T-1#k1'),
    generateKeyPair('ES256', { extractable: true }),
  ]);
  const portalJwk = await exportJWK(portal.publicKey);
  base = join(work, 'base');
  mkdirSync(base);
  writeFileSync(
    join(base, 'keys.json'),
    JSON.stringify({
      authority: authority.publicKey,
      device: device.signing,
      enrolment: {
        portalUrl: 'http://127.0.0.1:9/',
        terminalId: 'T-1',
        keyId: 'T-1#k1',
        audience: 'portal',
        portalSigningKey: {
          kty: 'EC',
          crv: 'P-256',
          x: portalJwk.x,
          y: portalJwk.y,
          kid: 'p1',
          alg: 'ES256',
          use: 'sig',
        },
        enrolledAt: new Date(0).toISOString(),
      },
    }),
  );
  // one application queued already, so a delivery has something to record
  expect(runScript('enqueue', base)).toMatchObject({ ok: true });
}, 60_000);

afterAll(() => {
  if (strace) {
    rmSync(work, { recursive: true, force: true });
    rmSync(script, { force: true });
  }
});

const cases: [Op, 'EIO' | 'ENOSPC'][] = [
  ['enqueue', 'EIO'],
  ['enqueue', 'ENOSPC'],
  ['deliver', 'EIO'],
  ['audit', 'EIO'],
  ['enrol', 'EIO'],
];

describe.skipIf(!strace)('I/O faults below the process (strace inject)', () => {
  it.each(cases)('%s with %s at the 1st, 2nd, … write or sync: fails closed, recovers', (op, errno) => {
    let failures = 0;
    for (const n of WHEN) {
      const dir = join(work, `${op}-${errno}-${n}`);
      cpSync(base, dir, { recursive: true });
      const before = inspect(dir);
      const run = runScript(op, dir, { errno, n });
      const after = inspect(dir);
      if (!run.injected) {
        // past the operation's last write and sync: it simply succeeded
        expect(run).toMatchObject({ ok: true });
        expect(changed[op](before, after)).toBe(true);
        break;
      }
      if (run.ok) {
        // success is only reported for a change that is there
        expect(changed[op](before, after)).toBe(true);
      } else {
        failures++;
        expect(run.code).toMatch(/^(storage|store|enrolment)\.[a-z_.A-Z]+$/);
        // the disk is well again: the same operation goes through
        expect(runScript(op, dir)).toMatchObject({ ok: true });
        const healed = inspect(dir);
        expect(changed[op](after, healed) || changed[op](before, healed)).toBe(true);
      }
      rmSync(dir, { recursive: true, force: true });
    }
    expect(failures).toBeGreaterThan(0);
  });
});
