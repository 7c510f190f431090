/**
 * The portal's late commit (a delivery carried out after the terminal gave up waiting) and the
 * report of each injected fault, over real HTTP on 127.0.0.1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InjectedFault } from '../../../portal/faults.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { createBody, FakeClock, TestTerminal } from './harness.ts';

let portal: RunningPortal | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await portal?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  portal = undefined;
  dataDir = undefined;
});

/** A portal whose waits are held until the test lets them go. */
async function start(): Promise<{
  portal: RunningPortal;
  t: TestTerminal;
  waits: { ms: number; release: () => void }[];
  waited: () => Promise<void>;
  injected: InjectedFault[];
}> {
  dataDir = await mkdtemp(join(tmpdir(), 'portal-late-'));
  const clock = new FakeClock(Date.now());
  const waits: { ms: number; release: () => void }[] = [];
  let onWait: () => void = () => undefined;
  const injected: InjectedFault[] = [];
  portal = await startPortal({
    dataDir,
    clock,
    authorityKeyBits: 2048,
    seed: 11,
    onFault: (f) => injected.push(f),
    // a late commit is held until the test lets it go; plain latency passes at once
    sleep: (ms) =>
      new Promise<void>((release) => {
        waits.push({ ms, release });
        if (ms < 1000) release();
        onWait();
      }),
  });
  const t = await TestTerminal.enrolled(portal, clock);
  const waited = () =>
    new Promise<void>((r) => {
      onWait = r;
    });
  return { portal, t, waits, waited, injected };
}

async function createSubmission(
  p: RunningPortal,
  t: TestTerminal,
  body: unknown,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${p.url}/v1/submissions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': 'late-key-0001',
      ...(await t.headers()),
    },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
}

describe('late commit', () => {
  it('holds a delivery past the terminal giving up, commits it, and answers the retry from the record', async () => {
    const { portal: p, t, waits, waited, injected } = await start();
    const sealed = await t.seal();
    p.setFaults({ lateCommitRate: 1, lateCommitMs: 5000, latencyMs: 3 });
    waits.length = 0;
    const gaveUp = new AbortController();
    const held = waited();
    const first = createSubmission(p, t, createBody(sealed), gaveUp.signal);
    await held;
    expect(waits.map((w) => w.ms)).toEqual([5003]);
    expect(injected).toEqual(['late-commit']);
    // the terminal's request timed out: nothing is committed yet
    gaveUp.abort();
    await expect(first).rejects.toThrow();
    expect(p.submission(sealed.submissionId)).toBeUndefined();
    // the portal carries it out all the same
    const committed = new Promise<void>((r) => {
      const poll = (): void => {
        if (p.submission(sealed.submissionId) !== undefined) r();
        else setImmediate(poll);
      };
      poll();
    });
    waits[0]?.release();
    await committed;
    expect(p.submission(sealed.submissionId)?.state).toBe('open');

    p.setFaults({ lateCommitRate: 0 });
    const answer = await createSubmission(p, t, createBody(sealed));
    // answered from the record at once: nothing more waited for, nothing injected
    expect(waits.map((w) => w.ms)).toEqual([5003]);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('idempotent-replayed')).toBe('true');
    expect(injected).toEqual(['late-commit']);
  });

  it('reports each injected 5xx and lost answer, and nothing when no fault fires', async () => {
    const { portal: p, t, injected } = await start();
    const sealed = await t.seal();
    expect((await fetch(`${p.url}/v1/health`)).status).toBe(200);
    expect(injected).toEqual([]);
    p.setFaults({ failRate: 1 });
    expect((await fetch(`${p.url}/v1/health`)).status).toBe(503);
    expect(injected).toEqual(['fail']);
    p.setFaults({ failRate: 0, lostAckRate: 1 });
    await expect(createSubmission(p, t, createBody(sealed))).rejects.toThrow();
    expect(injected).toEqual(['fail', 'lost-ack']);
  });
});
