/**
 * A damaged queue database: one page of the outbox table overwritten with garbage. The terminal
 * moves the file aside, salvages what can still be read into a fresh store, queues the recovered applications again (delivered once at the portal, however
 * often they were sent), names the tracking numbers it lost, and a wipe deletes the damaged copy.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Alarms } from '../../../sync/alarms.ts';
import { AuditLog } from '../../../sync/audit.ts';
import { openStore } from '../../../sync/store.ts';
import { deleteTerminalData, QUEUE_DB_FILE } from '../../../sync/terminal.ts';
import { applicationWith, makeRig, type Rig } from './setup.ts';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

const ITEMS = 60;
const DELIVERED_FIRST = 10;

/**
 * A data folder whose queue holds ITEMS applications (the first ones delivered), with one outbox
 * leaf page destroyed, or the schema on page 1 (after the file header).
 */
async function damagedQueue(
  r: Rig,
  where: 'outbox' | 'schema' = 'outbox',
): Promise<{ tracking: Map<string, string> }> {
  const t = await r.open();
  const tracking = new Map<string, string>();
  for (let i = 0; i < ITEMS; i++) {
    const q = await t.outbox.enqueue(applicationWith(`Salvage-${i}`));
    if (!q.ok) throw new Error(q.error.code);
    tracking.set(q.value.submissionId, q.value.trackingNumber);
    if (i === DELIVERED_FIRST - 1) expect((await t.engine.runPass()).delivered).toBe(DELIVERED_FIRST);
  }
  await t.close();
  const path = join(r.dataDir, QUEUE_DB_FILE);
  expect(existsSync(`${path}-wal`)).toBe(false);
  const db = new BetterSqlite3(path, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = (
    db
      .prepare("SELECT pageno FROM dbstat WHERE name = 'outbox' AND pagetype = 'leaf' ORDER BY pageno")
      .all() as {
      pageno: number;
    }[]
  ).map((p) => p.pageno);
  db.close();
  expect(leaves.length).toBeGreaterThan(1);
  const fd = openSync(path, 'r+');
  if (where === 'schema') writeSync(fd, randomBytes(pageSize - 100), 0, pageSize - 100, 100);
  else writeSync(fd, randomBytes(pageSize), 0, pageSize, ((leaves[0] as number) - 1) * pageSize);
  closeSync(fd);
  return { tracking };
}

describe('a damaged queue database', () => {
  it('is salvaged: recovered applications queued again and delivered once, lost tracking numbers named', async () => {
    rig = await makeRig();
    const { tracking } = await damagedQueue(rig);
    const t = await rig.open();
    const alarm = t.startupAlarms[0];
    expect(alarm?.code).toBe('store.damaged');
    const salvage = alarm?.salvage;
    expect(salvage?.reason).toBeUndefined();
    expect(salvage?.outcome).toBe('recovered');
    const recovered = salvage?.recovered ?? 0;
    const lost = salvage?.unrecovered ?? [];
    expect(recovered).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThan(0);
    expect(recovered + lost.length).toBe(ITEMS);
    const known = new Set(tracking.values());
    for (const tn of lost) expect(known.has(tn)).toBe(true);
    // every recovered application waits again, delivered ones too
    expect(t.outbox.counts(Date.now()).byState).toMatchObject({ queued: recovered, delivered: 0 });
    for (const [id, tn] of tracking) {
      expect(t.outbox.get(id) === undefined).toBe(lost.includes(tn));
    }
    const open = t.alarms.open().find((a) => a.code === 'store.damaged');
    expect(open?.message).toContain(`${recovered} application(s) recovered`);
    for (const tn of lost) expect(open?.message).toContain(tn);
    // the fresh audit log starts with the salvage and verifies
    const audit = t.outbox.auditLog;
    expect(audit.entries({ limit: 1 })[0]).toMatchObject({
      event: 'store_salvaged',
      detail: { outcome: 'recovered', recovered, unrecovered: [...lost].sort() },
    });
    expect(audit.verify().ok).toBe(true);

    // delivered again: exactly one application per tracking number at the portal
    const pass = await t.engine.runPass();
    expect(pass.delivered).toBe(recovered);
    const atPortal = rig.portal.submissions().filter((s) => s.terminalId === t.enrolment.terminalId);
    const perTracking = new Map<string, number>();
    for (const s of atPortal)
      perTracking.set(String(s.trackingNumber), (perTracking.get(String(s.trackingNumber)) ?? 0) + 1);
    expect([...perTracking.values()].every((n) => n === 1)).toBe(true);
    for (const [id, tn] of tracking) {
      if (!lost.includes(tn)) expect(rig.portal.submission(id)?.state).toBe('delivered');
    }

    // the damaged copy stays for the administrator; no scratch file of the salvage is left
    const files = readdirSync(rig.dataDir);
    expect(
      files.filter((f) => f.startsWith(`${QUEUE_DB_FILE}.damaged-`) && !f.includes('salvage')),
    ).toHaveLength(1);
    expect(files.filter((f) => f.includes('salvage'))).toEqual([]);
    await t.close();
    expect(deleteTerminalData(rig.dataDir)).toEqual([]);
    expect(readdirSync(rig.dataDir).filter((f) => f.startsWith(QUEUE_DB_FILE))).toEqual([]);
  });

  it('keeps the damaged copy, starts empty and says so when nothing can be read', async () => {
    rig = await makeRig();
    await damagedQueue(rig, 'schema');
    const opened = openStore({ path: join(rig.dataDir, QUEUE_DB_FILE) });
    if (!opened.ok) throw new Error(opened.error.code);
    const store = opened.value;
    try {
      const alarm = store.startupAlarms[0];
      expect(alarm?.salvage).toMatchObject({ outcome: 'failed', recovered: 0 });
      expect(existsSync(alarm?.movedTo ?? '')).toBe(true);
      expect((store.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n).toBe(0);
      const message = new Alarms(store.db, () => 0).open()[0]?.message ?? '';
      expect(message).toContain('Nothing could be salvaged');
      expect(message).toContain('The queue starts empty; the damaged copy is kept');
      expect(new AuditLog(store.db).entries()[0]).toMatchObject({
        event: 'store_salvaged',
        detail: { outcome: 'failed' },
      });
    } finally {
      store.close();
    }
  });
});
