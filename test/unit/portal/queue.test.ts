import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.ts';
import { type Db, openPortalDb } from '../../../portal/db.ts';
import { loadSigningKey } from '../../../portal/keys.ts';
import { MAX_PER_DAY, Queue } from '../../../portal/queue.ts';

let dir: string;
let db: Db;
let clock: ManualClock;
let queue: Queue;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portal-queue-'));
  db = openPortalDb(dir);
  // 09:00 in Berlin
  clock = new ManualClock(Date.UTC(2026, 11, 8, 8, 0));
  queue = new Queue(db, clock, await loadSigningKey(db, clock.now()));
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the queue of a day', () => {
  it('numbers each kind from 001, calls them in order, and starts again the next day', async () => {
    for (let i = 0; i < 3; i++)
      expect((await queue.checkIn('t-1', { walkIn: 'documents' })).status).toBe(201);
    expect(queue.display().waiting).toEqual(['W-001', 'W-002', 'W-003']);
    expect(queue.callNext('Schalter 1')).toEqual({ number: 'W-001', desk: 'Schalter 1' });
    expect(queue.display()).toEqual({
      called: [{ number: 'W-001', desk: 'Schalter 1' }],
      waiting: ['W-002', 'W-003'],
    });
    clock.advance(24 * 3_600_000);
    expect(queue.display()).toEqual({ called: [], waiting: [] });
    expect(queue.callNext('Schalter 1')).toBeUndefined();
    await queue.checkIn('t-1', { walkIn: 'documents' });
    expect(queue.display().waiting).toEqual(['W-001']);
  });

  it('sends the visitor after the last number of a day to the information desk', async () => {
    for (let i = 0; i < MAX_PER_DAY; i++) await queue.checkIn('t-1', { walkIn: 'cardPickup' });
    expect(queue.display().waiting.at(-1)).toBe('W-999');
    const refused = await queue.checkIn('t-1', { walkIn: 'cardPickup' });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'queue.full' } } });
  });
});
