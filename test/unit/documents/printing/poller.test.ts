import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilePrinter } from '../../../../core/printing/file.ts';
import { PrinterStatePoller, type Scheduler } from '../../../../core/printing/poller.ts';
import type { Printer, PrinterState } from '../../../../core/printing/types.ts';

class FakeScheduler implements Scheduler {
  readonly pending = new Map<number, () => void>();
  private next = 1;
  setTimeout(callback: () => void): unknown {
    const id = this.next++;
    this.pending.set(id, callback);
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Runs every due callback once. */
  fire(): void {
    const due = [...this.pending.entries()];
    this.pending.clear();
    for (const [, cb] of due) cb();
  }
}

class ScriptedPrinter implements Printer {
  constructor(private readonly states: PrinterState[]) {}
  calls = 0;
  async state(): Promise<PrinterState> {
    const s = this.states[Math.min(this.calls, this.states.length - 1)];
    this.calls++;
    if (!s) throw new Error('no state');
    return s;
  }
  async print() {
    return { ok: true as const, value: { jobId: '1' } };
  }
}

const ready: PrinterState = { status: 'ready', reasons: [] };
const empty: PrinterState = { status: 'out_of_paper', reasons: ['media-empty-error'] };

/** Resolves once the poller emitted `count` states. */
function collect(poller: PrinterStatePoller, count: number): Promise<PrinterState[]> {
  const seen: PrinterState[] = [];
  return new Promise((resolve) => {
    poller.on('state', (s) => {
      seen.push(s);
      if (seen.length === count) resolve(seen);
    });
  });
}

/** Lets pending promise callbacks run (no wall-clock wait). */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('PrinterStatePoller', () => {
  it('emits only when the state changes', async () => {
    const scheduler = new FakeScheduler();
    const printer = new ScriptedPrinter([ready, ready, empty, empty, ready]);
    const poller = new PrinterStatePoller(printer, scheduler, 5000);
    const states = collect(poller, 3);
    poller.start();
    for (let i = 0; i < 4; i++) {
      await settle();
      scheduler.fire();
    }
    expect(await states).toEqual([ready, empty, ready]);
    expect(printer.calls).toBe(5);
    expect(poller.current).toEqual(ready);
    poller.dispose();
  });

  it('reports a throwing printer as unknown', async () => {
    const scheduler = new FakeScheduler();
    const poller = new PrinterStatePoller(new ScriptedPrinter([]), scheduler);
    expect(await poller.refresh()).toEqual({ status: 'unknown', reasons: ['state-query-failed'] });
    poller.dispose();
  });

  it('stops polling and emitting after dispose, also for a poll in flight', async () => {
    const scheduler = new FakeScheduler();
    const printer = new ScriptedPrinter([ready, empty]);
    const poller = new PrinterStatePoller(printer, scheduler);
    const seen: PrinterState[] = [];
    poller.on('state', (s) => seen.push(s));
    poller.start();
    poller.dispose();
    await settle();
    expect(seen).toEqual([]);
    expect(scheduler.pending.size).toBe(0);
    expect(poller.listenerCount('state')).toBe(0);
  });
});

describe('FilePrinter', () => {
  it('writes each copy into the folder and names it by the injected clock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-fileprinter-'));
    try {
      const printer = new FilePrinter({ dir, now: () => new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) });
      expect(await printer.state()).toEqual({ status: 'ready', reasons: [] });
      const result = await printer.print(new Uint8Array([37, 80, 68, 70]), {
        jobName: 'receipt/../x',
        copies: 2,
      });
      expect(result).toEqual({ ok: true, value: { jobId: '2025-01-02T03-04-05-000Z-0001-receipt..x' } });
      const files = (await readdir(dir)).sort();
      expect(files).toEqual([
        '2025-01-02T03-04-05-000Z-0001-receipt..x-copy2.pdf',
        '2025-01-02T03-04-05-000Z-0001-receipt..x.pdf',
      ]);
      expect([...(await readFile(join(dir, files[1] ?? '')))]).toEqual([37, 80, 68, 70]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is offline when the folder cannot be created', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-fileprinter-'));
    try {
      const blocker = join(dir, 'file');
      await writeFile(blocker, 'x');
      const printer = new FilePrinter({ dir: join(blocker, 'sub'), now: () => new Date(0) });
      expect((await printer.state()).status).toBe('offline');
      expect(await printer.print(new Uint8Array([1]), { jobName: 'r' })).toMatchObject({
        ok: false,
        error: { code: 'printer.offline' },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
