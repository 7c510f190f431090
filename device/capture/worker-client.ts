/**
 * `capturePreview` and `storePage` in a worker thread (worker.ts), with the same signatures and
 * answers, so the kiosk's event loop stays free while a page is checked and stored. The worker
 * starts at the first page and loads sharp and OpenCV there; `close()` ends it. A worker that
 * dies answers the pages it had with `capture.worker_failed` and is started again for the next.
 *
 * The image bytes are copied into the worker (the caller keeps and zeroes its own) and the
 * answer's JPEG is transferred back; nothing is written to disk.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CaptureLimits } from './limits.ts';
import type { CapturePreview, StoreOptions } from './pipeline.ts';
import type { PageCheckThresholds } from './thresholds.ts';
import type { Result, StoredPage } from './types.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

type Pending = (result: WorkerReply['result']) => void;

/**
 * The worker's script: the bundle's own file beside the core process's bundle (electron/build.ts),
 * or, running from the TypeScript sources (web host, tests), worker.ts through tsx's loader.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./capture-worker.cjs', here));
  const source = fileURLToPath(new URL('./worker.ts', here));
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`, { eval: true });
}

export class CaptureWorker {
  #worker: Worker | null = null;
  #next = 1;
  readonly #pending = new Map<number, Pending>();
  #closed = false;

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = startWorker();
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      pending?.(reply.result);
    });
    const failed = (message: string) => {
      if (this.#worker === worker) this.#worker = null;
      for (const pending of this.#pending.values())
        pending({ ok: false, error: { code: 'capture.worker_failed', message } });
      this.#pending.clear();
    };
    worker.on('error', (error) => failed(error.message));
    worker.on('exit', (code) => failed(`the capture worker ended (${code})`));
    this.#worker = worker;
    return worker;
  }

  #ask<T>(op: WorkerRequest['op'], bytes: Uint8Array, options: object): Promise<T> {
    if (this.#closed)
      return Promise.resolve({ ok: false, error: { code: 'capture.worker_failed', message: 'closed' } } as T);
    const id = this.#next++;
    const copy = new Uint8Array(bytes);
    return new Promise<T>((resolve) => {
      this.#pending.set(id, resolve as Pending);
      this.#start().postMessage({ id, op, bytes: copy, options } as WorkerRequest, [
        copy.buffer as ArrayBuffer,
      ]);
    });
  }

  capturePreview(
    bytes: Uint8Array,
    options: { size?: number; thresholds?: Partial<PageCheckThresholds>; limits?: CaptureLimits } = {},
  ): Promise<Result<CapturePreview>> {
    return this.#ask('preview', bytes, options);
  }

  storePage(bytes: Uint8Array, options: StoreOptions = {}): Promise<Result<StoredPage>> {
    return this.#ask('store', bytes, options);
  }

  /** Ends the worker; pages still in it are answered `capture.worker_failed`. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }
}
