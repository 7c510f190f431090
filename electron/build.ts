/**
 * Bundles the Electron main process, the sandboxed preload and the core process into
 * dist/electron as CommonJS (a sandboxed preload must be one CommonJS file). Native modules stay
 * external and are loaded from node_modules (rebuilt for Electron's ABI when packaging).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildElectron(): Promise<void> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node22',
    sourcemap: false,
    external: ['electron', 'better-sqlite3', 'node-hid', '@node-rs/argon2'],
    logLevel: 'warning' as const,
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'electron', 'main.ts')],
      outfile: join(root, 'dist', 'electron', 'main.cjs'),
    }),
    build({
      ...common,
      entryPoints: [join(root, 'electron', 'preload.ts')],
      outfile: join(root, 'dist', 'electron', 'preload.cjs'),
    }),
    build({
      ...common,
      entryPoints: [join(root, 'electron', 'core-process.ts')],
      outfile: join(root, 'dist', 'electron', 'core-process.cjs'),
    }),
  ]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildElectron();
}
