import { defineConfig } from 'vitest/config';

/**
 * Three projects, run one after the other (`sequence.groupOrder`) so they never compete for the
 * cores:
 * - unit: one module at a time, in memory or a temporary folder; no network, no child process
 *   that outlives its test. `npm run test:quick` runs these with lint, types and layers.
 * - integration: real parts talking to each other: SQLite files, HTTP servers on 127.0.0.1, the
 *   reference portal, CUPS, the `kiosk` command and the launcher as child processes.
 * - e2e: the built renderer (`npm run build:renderer` first; `npm test` does it) in Debian's
 *   Chromium against a kiosk process and the reference portal, one file at a time.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          // Files share a worker's module cache (no fresh module graph per file): the unit tests
          // keep no state in modules, and importing core/documents, pdf-lib and fontkit once per
          // worker instead of once per file saves a third of the project's CPU time.
          isolate: false,
          // Both cores: vitest's default is one worker fewer than the cores, one on this machine.
          maxWorkers: 2,
          testTimeout: 30_000,
          hookTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
