import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { command as queue } from '../../../cli/commands/queue.ts';
import { command as sync } from '../../../cli/commands/sync.ts';
import { applicationWith, makeRig, type Rig } from './setup.ts';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

function io(env: NodeJS.ProcessEnv = {}) {
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
  return {
    io: { stdin: new PassThrough(), stdout, stderr, env, stopped: new Promise<void>(() => undefined) },
    out: () => out,
    err: () => err,
  };
}

describe('kiosk queue and kiosk sync', () => {
  it('shows counts without personal data, and delivers with --until-empty', async () => {
    rig = await makeRig();
    const t = await rig.open();
    for (const m of ['a', 'b', 'c']) await t.outbox.enqueue(applicationWith(`secret-${m}`));
    await t.close();
    const q = io({ KIOSK_DATA_DIR: rig.dataDir });
    expect(await queue.run(['--json'], q.io)).toBe(0);
    const counts = JSON.parse(q.out());
    expect(counts.byState).toMatchObject({ queued: 3, delivered: 0 });
    expect(counts.pending).toBe(3);
    expect(q.out()).not.toContain('secret');
    const s = io();
    expect(await sync.run(['--until-empty', '--data', rig.dataDir], s.io)).toBe(0);
    expect(s.out()).toContain('waiting=0');
    expect(rig.portal.submissions()).toHaveLength(3);
    const q2 = io();
    expect(await queue.run(['--data', rig.dataDir], q2.io)).toBe(0);
    expect(q2.out()).toMatch(/delivered\s+3/);
    expect(q2.out()).not.toContain('secret');
  });

  it('reports items still waiting with exit code 3 when the portal is down', async () => {
    rig = await makeRig();
    const t = await rig.open();
    await t.outbox.enqueue(applicationWith('x'));
    await t.close();
    rig.portal.setFaults({ down: true });
    const s = io();
    expect(await sync.run(['--once', '--data', rig.dataDir], s.io)).toBe(3);
    expect(s.out()).toMatch(/waiting=1 \(offline\)/);
    expect(rig.portal.submissions()).toHaveLength(0);
  });

  it('refuses bad usage', async () => {
    const s = io();
    expect(await sync.run(['--data', '/nonexistent'], s.io)).toBe(2);
    expect(await sync.run(['--once', '--until-empty', '--data', 'x'], s.io)).toBe(2);
    expect(await queue.run([], io().io)).toBe(2);
  });
});
