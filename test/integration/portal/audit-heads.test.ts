/**
 * The portal keeps every audit head a terminal reported with its heartbeat, append-only, and
 * raises an alarm when a new head does not extend the previous one: the terminal's log went
 * back, or an entry was rewritten.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, makePortal, TestTerminal } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await makePortal({ adminToken: 'admin-token-audit-heads-000000' });
});
afterEach(async () => {
  await h.close();
});

const hash = (c: string) => c.repeat(64);

async function beat(t: TestTerminal, auditHead?: { seq: number; hash: string }): Promise<number> {
  const res = await t.post('/v1/heartbeat', {
    time: new Date(h.clock.now()).toISOString(),
    appVersion: '1.0.0',
    uptimeSeconds: 10,
    queue: { queued: 0, sending: 0, quarantined: 0, oldestAgeSeconds: null },
    ...(auditHead === undefined ? {} : { auditHead }),
  });
  h.clock.advance(1000);
  return res.statusCode;
}

async function adminAlarms(): Promise<{ terminalId: string; code: string; detail: unknown }[]> {
  const res = await h.portal.app.inject({
    method: 'GET',
    url: '/admin/v1/alarms',
    headers: { authorization: 'Bearer admin-token-audit-heads-000000' },
  });
  expect(res.statusCode).toBe(200);
  return (res.json() as { alarms: { terminalId: string; code: string; detail: unknown }[] }).alarms;
}

describe('audit heads at the portal', () => {
  it('keeps the history of heads that extend each other, once per change, without an alarm', async () => {
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    expect(await beat(t, { seq: 1, hash: hash('a') })).toBe(200);
    expect(await beat(t, { seq: 1, hash: hash('a') })).toBe(200);
    expect(await beat(t)).toBe(200);
    expect(await beat(t, { seq: 7, hash: hash('b') })).toBe(200);
    const info = h.portal.terminals().find((x) => x.terminalId === t.terminalId);
    expect(info?.auditHeads.map((x) => [x.seq, x.hash])).toEqual([
      [1, hash('a')],
      [7, hash('b')],
    ]);
    expect(info?.alarms).toEqual([]);
    expect(await adminAlarms()).toEqual([]);
  });

  it('raises an alarm when the sequence goes back, or the same sequence comes with another hash', async () => {
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    const other = await TestTerminal.enrolled(h.portal, h.clock);
    await beat(t, { seq: 5, hash: hash('a') });
    await beat(other, { seq: 2, hash: hash('c') });
    await beat(t, { seq: 3, hash: hash('d') });
    await beat(t, { seq: 3, hash: hash('e') });
    const alarms = await adminAlarms();
    expect(alarms).toEqual([
      {
        terminalId: t.terminalId,
        code: 'audit.head_rewritten',
        detail: { previous: { seq: 5, hash: hash('a') }, reported: { seq: 3, hash: hash('d') } },
        raisedAt: expect.any(String),
      },
      {
        terminalId: t.terminalId,
        code: 'audit.head_rewritten',
        detail: { previous: { seq: 3, hash: hash('d') }, reported: { seq: 3, hash: hash('e') } },
        raisedAt: expect.any(String),
      },
    ]);
    // the rewritten heads are in the history too; the other terminal is not affected
    expect(h.portal.terminals().find((x) => x.terminalId === t.terminalId)?.auditHeads).toHaveLength(3);
    expect(h.portal.terminals().find((x) => x.terminalId === other.terminalId)?.alarms).toEqual([]);
    expect(h.portal.alarms()).toHaveLength(2);
    const unauthorised = await h.portal.app.inject({ method: 'GET', url: '/admin/v1/alarms' });
    expect(unauthorised.statusCode).toBe(401);
  });

  it('keeps the history append-only: the database refuses to change or delete a head', async () => {
    const t = await TestTerminal.enrolled(h.portal, h.clock);
    await beat(t, { seq: 1, hash: hash('a') });
    const db = new Database(join(h.portal.dataDir, 'portal.sqlite'));
    try {
      expect(() => db.prepare('UPDATE audit_heads SET seq = 9').run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_heads').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
    expect(h.portal.terminals()[0]?.auditHeads).toHaveLength(1);
  });
});
