/**
 * OpenCV (the official WebAssembly build, packaged as `@techstark/opencv-js`), loaded once per
 * process on first use: about 1 s and 100 MB, so nothing loads it before a page is checked.
 *
 * The Emscripten runtime registers process-wide `uncaughtException` and `unhandledRejection`
 * handlers when it is evaluated in Node (the latter aborts the WebAssembly instance); they are
 * removed again at once, so the host's own error handling stays as it was.
 *
 * OpenCV's Mats live in WebAssembly memory and must be freed with `delete()`: use `withMats`.
 */
import { createRequire } from 'node:module';
import type * as OpenCvTypes from '@techstark/opencv-js';

export type OpenCv = typeof OpenCvTypes;
export type Mat = OpenCvTypes.Mat;

type Listener = (...args: unknown[]) => void;

let loading: Promise<{ readonly cv: OpenCv }> | undefined;

async function load(): Promise<{ readonly cv: OpenCv }> {
  const events = ['uncaughtException', 'unhandledRejection'] as const;
  const listeners = (e: (typeof events)[number]) => process.listeners(e as 'uncaughtException') as Listener[];
  const before = new Map(events.map((e) => [e, new Set(listeners(e))]));
  let module: unknown;
  try {
    // require, not import(): the module object is a thenable, and a dynamic import whose
    // namespace exposes `then` would never settle.
    module = createRequire(import.meta.url)('@techstark/opencv-js');
  } finally {
    for (const event of events) {
      for (const listener of listeners(event)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
      }
    }
  }
  const candidate = ((module as { default?: unknown }).default ?? module) as OpenCv & {
    onRuntimeInitialized?: () => void;
  };
  if (candidate instanceof Promise) return { cv: (await candidate) as OpenCv };
  if (typeof candidate.Mat !== 'function') {
    await new Promise<void>((resolve) => {
      candidate.onRuntimeInitialized = () => resolve();
    });
  }
  // Emscripten's module is a thenable that resolves to itself: anything that resolves a promise
  // with it (an async function returning it, `await`) would wait forever. It is ready now.
  delete (candidate as { then?: unknown }).then;
  return { cv: candidate };
}

/** The OpenCV runtime, loaded on first call (a failed load is retried on the next call). */
export async function loadOpenCv(): Promise<OpenCv> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return (await loading).cv;
}

/** Runs `fn` with a list it can push Mats (or other OpenCV objects) onto; all are deleted after. */
export function withMats<T>(fn: (keep: <M extends { delete(): void }>(m: M) => M) => T): T {
  const owned: { delete(): void }[] = [];
  try {
    return fn((m) => {
      owned.push(m);
      return m;
    });
  } finally {
    for (const m of owned.reverse()) {
      try {
        m.delete();
      } catch {
        // already deleted
      }
    }
  }
}
