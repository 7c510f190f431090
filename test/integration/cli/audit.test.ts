/**
 * `kiosk audit verify` / `kiosk audit export` on a real data folder: a queue database written by
 * the real outbox (sealed submissions) and staff events, then tampered with through SQLite after
 * dropping the triggers, the way someone with the file would.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { command as audit } from '../../../cli/commands/audit.ts';
import { Alarms } from '../../../sync/alarms.ts';
import { AUDIT_TRIGGERS, verifyExport } from '../../../sync/audit.ts';
import { Outbox } from '../../../sync/outbox.ts';
import { openStore } from '../../../sync/store.ts';
import { QUEUE_DB_FILE } from '../../../sync/terminal.ts';
import { projectRoot } from '../../support/kiosk-process.ts';
import {
  type AuthorityKeyPair,
  type DeviceKeyPair,
  makeAuthorityKey,
  makeDeviceKey,
} from '../../unit/sync/keys.ts';

let keys: { authority: AuthorityKeyPair; device: DeviceKeyPair };
let dataDir: string;
let dbPath: string;

beforeAll(async () => {
  const [authority, device] = await Promise.all([makeAuthorityKey('authority-1'), makeDeviceKey('T-1#k1')]);
  keys = { authority, device };
});

/** A data folder whose log holds 9 entries: 2 submissions enqueued and delivered, 3 staff events. */
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-audit-'));
  dbPath = join(dataDir, QUEUE_DB_FILE);
  const opened = openStore({ path: dbPath });
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  let now = Date.UTC(2025, 2, 1, 9, 0, 0);
  const clock = { now: () => now, monotonic: () => now };
  const outbox = new Outbox({
    store,
    alarms: new Alarms(store.db, clock.now),
    clock,
    sealing: {
      terminalId: 'T-1',
      deviceKey: keys.device.signing,
      authorityKey: () => keys.authority.publicKey,
    },
  });
  try {
    outbox.auditLog.append('staff.sign_in_ok', { role: 'staff', badge: '0a1b2c3d' });
    for (const name of ['Mustermann', 'Gabler']) {
      now += 60_000;
      const r = await outbox.enqueue({
        serviceId: 'residence-permit',
        data: { applicant: { familyName: name, birthDate: '1964-08-12' } },
      });
      if (!r.ok) throw new Error(r.error.message);
      outbox.beginAttempt(r.value.submissionId);
      outbox.markDelivered(r.value.submissionId, new Date(now).toISOString());
    }
    outbox.auditLog.append('staff.action', { action: 'print_test' });
    outbox.auditLog.append('staff.sign_out', { reason: 'sign_out' });
  } finally {
    store.close();
  }
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs SQL on the folder's database as an intruder would: triggers dropped first. */
function tamper(sql: string, keepTriggersDropped = false): void {
  const db = new BetterSqlite3(dbPath);
  try {
    for (const name of Object.keys(AUDIT_TRIGGERS)) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
    db.exec(sql);
    if (!keepTriggersDropped) for (const create of Object.values(AUDIT_TRIGGERS)) db.exec(create);
  } finally {
    db.close();
  }
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += String(d);
  });
  stderr.on('data', (d) => {
    err += String(d);
  });
  const code = await audit.run(args, {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env,
    stopped: new Promise<void>(() => undefined),
  });
  return { code, out, err };
}

const lines = (text: string) => text.trim().split('\n');

describe('kiosk audit verify', () => {
  it('says the log is intact and names its head', async () => {
    const r = await run(['verify', '--data', dataDir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^audit log intact: 9 entries, head 9 [0-9a-f]{64}\n$/);
  });

  it('finds the data folder through KIOSK_DATA_DIR and accepts --data-dir', async () => {
    expect((await run(['verify'], { KIOSK_DATA_DIR: dataDir })).code).toBe(0);
    expect((await run(['verify', '--data-dir', dataDir])).code).toBe(0);
  });

  it.each([
    [
      'one edited field',
      "UPDATE audit SET detail = replace(detail, 'print_test', 'nothing') WHERE seq = 8",
      ['entry 8 was edited'],
    ],
    ['an edited time', 'UPDATE audit SET at = at - 3600000 WHERE seq = 2', ['entry 2 was edited']],
    ['a removed middle entry', 'DELETE FROM audit WHERE seq = 4', ['entry 4 is missing']],
    ['two removed entries', 'DELETE FROM audit WHERE seq IN (3, 4)', ['entries 3 to 4 are missing']],
    [
      'a removed last entry',
      'DELETE FROM audit WHERE seq = 9',
      ['entry 9 is missing at the end (the local anchor shows 9 were written)'],
    ],
    [
      'the emptied table',
      'DELETE FROM audit',
      ['the audit log is empty but the local anchor shows 9 entries were written'],
    ],
    [
      'two swapped entries',
      'UPDATE audit SET seq = -1 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = -1',
      [
        'entry 3 does not follow entry 2 (reordered, or one was replaced)',
        'entry 3 was edited',
        'entry 4 does not follow entry 3 (reordered, or one was replaced)',
        'entry 5 does not follow entry 4 (reordered, or one was replaced)',
        'entry 5 was edited',
        'entry 6 does not follow entry 5 (reordered, or one was replaced)',
      ],
    ],
  ])('finds %s: exit 1, one line per problem', async (_label, sql, expected) => {
    tamper(sql);
    const r = await run(['verify', '--data', dataDir]);
    expect(r.code).toBe(1);
    expect(lines(r.out)).toEqual(expected);
    expect(r.err).toContain('NOT intact');
  });

  it('reports the triggers dropped and left so', async () => {
    tamper('SELECT 1', true);
    const r = await run(['verify', '--data', dataDir]);
    expect(r.code).toBe(1);
    expect(lines(r.out)).toEqual(Object.keys(AUDIT_TRIGGERS).map((n) => `trigger ${n} is missing`));
  });

  it('catches a recomputed chain only against a head recorded elsewhere (--anchor)', async () => {
    const before = JSON.parse((await run(['verify', '--data', dataDir, '--json'])).out);
    // Drop entry 7 and rebuild the rest of the chain from the export, as a careful intruder would.
    const exported = lines((await run(['export', '--data', dataDir])).out).map((l) => JSON.parse(l));
    const { createHash } = await import('node:crypto');
    const kept = exported.filter((e) => e.seq !== 7);
    let prev = '0'.repeat(64);
    const statements = ['DELETE FROM audit;', "DELETE FROM sqlite_sequence WHERE name = 'audit';"];
    kept.forEach((e, i) => {
      const seq = i + 1;
      const detail = JSON.stringify(e.detail);
      const body = JSON.stringify([seq, e.at, e.event, e.submissionId, e.state, detail, prev]);
      const hash = createHash('sha256').update(`serviceterminal.audit.v1\n${body}`).digest('hex');
      const q = (v: string | null) => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`);
      statements.push(
        `INSERT INTO audit (seq, at, event, submission_id, state, detail, prev_hash, hash) VALUES (${seq}, ${e.at}, ${q(e.event)}, ${q(e.submissionId)}, ${q(e.state)}, ${q(detail)}, '${prev}', '${hash}');`,
      );
      prev = hash;
    });
    statements.push(`UPDATE audit_head SET seq = ${kept.length}, hash = '${prev}';`);
    tamper(statements.join('\n'));
    expect((await run(['verify', '--data', dataDir])).code).toBe(0);
    // Two heads the portal recorded from earlier heartbeats: at entry 8, and the last one.
    const earlier = exported.find((e) => e.seq === 8);
    const anchored = await run([
      'verify',
      '--data',
      dataDir,
      '--anchor',
      `8:${earlier.hash}`,
      '--anchor',
      `${before.head.seq}:${before.head.hash}`,
    ]);
    expect(anchored.code).toBe(1);
    expect(lines(anchored.out)).toEqual([
      'entry 8 is not the entry a recorded head points to (the log was rewritten)',
      'entry 9 is missing at the end (a recorded head shows 9 were written)',
    ]);
  });

  it('prints one JSON object with --json', async () => {
    tamper('DELETE FROM audit WHERE seq = 2');
    const r = await run(['verify', '--data', dataDir, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      ok: false,
      entries: 8,
      problems: [{ kind: 'gap', seq: 2, count: 1, message: 'entry 2 is missing' }],
    });
  });

  it('refuses bad arguments with exit 2 and a missing database with exit 1', async () => {
    expect((await run(['check'])).code).toBe(2);
    expect((await run(['verify', '--anchor', '7'])).code).toBe(2);
    expect((await run(['verify', '--frobnicate'])).code).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), 'kiosk-audit-empty-'));
    try {
      const r = await run(['verify', '--data', empty]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('audit.no_store');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('kiosk audit export', () => {
  it('writes JSON lines without personal data that verify on their own', async () => {
    const r = await run(['export', '--data', dataDir]);
    expect(r.code).toBe(0);
    const entries = lines(r.out).map((l) => JSON.parse(l));
    expect(entries.map((e) => e.event)).toEqual([
      'staff.sign_in_ok',
      'enqueued',
      'attempt',
      'delivered',
      'enqueued',
      'attempt',
      'delivered',
      'staff.action',
      'staff.sign_out',
    ]);
    expect(r.out).not.toMatch(/Mustermann|Gabler|1964-08-12/);
    expect(verifyExport(r.out)).toMatchObject({ ok: true, entries: entries.length });
  });
});

describe('the kiosk binary', () => {
  function kiosk(args: string[]): Promise<{ code: number | null; stdout: string }> {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'kiosk.mjs'), ...args], {
      env: { ...process.env, KIOSK_DATA_DIR: dataDir },
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout })));
  }

  it('exits 0 on an intact log and 1 on an edited one', async () => {
    expect(await kiosk(['audit', 'verify'])).toMatchObject({ code: 0 });
    tamper("UPDATE audit SET event = 'staff.nothing' WHERE seq = 1");
    const r = await kiosk(['audit', 'verify']);
    expect(r).toEqual({ code: 1, stdout: 'entry 1 was edited\n' });
  });
});
