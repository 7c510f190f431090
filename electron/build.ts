/**
 * Bundles the Electron main process, the sandboxed preload and the core process into
 * dist/electron as CommonJS (a sandboxed preload must be one CommonJS file). Native modules stay
 * external and are loaded from node_modules (rebuilt for Electron's ABI when packaging).
 *
 * CommonJS has no `import.meta`: the bundles get `import.meta.url` as their own file URL, and the
 * data files the core reads beside its modules (the printed papers' texts) are copied next to
 * the core bundle, where those paths then point.
 */
import { cpSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildElectron(outDir = join(root, 'dist', 'electron')): Promise<void> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node22',
    sourcemap: false,
    // sharp loads libvips from its platform package, OpenCV is 10 MB of WebAssembly: both stay
    // in node_modules, loaded by the core process at the first document page
    external: ['electron', 'better-sqlite3', 'node-hid', '@node-rs/argon2', 'sharp', '@techstark/opencv-js'],
    logLevel: 'warning' as const,
  };
  // Not for the preload: a sandboxed preload has neither `__filename` nor `node:url`.
  const withImportMeta = {
    ...common,
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  };
  await Promise.all([
    build({
      ...withImportMeta,
      entryPoints: [join(root, 'electron', 'main.ts')],
      outfile: join(outDir, 'main.cjs'),
    }),
    build({
      ...common,
      entryPoints: [join(root, 'electron', 'preload.ts')],
      outfile: join(outDir, 'preload.cjs'),
    }),
    build({
      ...withImportMeta,
      entryPoints: [join(root, 'electron', 'core-process.ts')],
      outfile: join(outDir, 'core-process.cjs'),
    }),
  ]);
  cpSync(join(root, 'core', 'documents', 'locales'), join(outDir, 'locales'), { recursive: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildElectron();
}
