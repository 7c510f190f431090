/**
 * Builds the administrator's `kiosk` command as a self-contained folder for an installed terminal
 * (electron-builder copies it to `resources/cli`):
 *
 *   kiosk (kiosk.exe)     a Node single-executable application: this Node binary with the
 *                         bundled command (cli/packaged.ts) injected as its main script
 *   lib/node_modules/     the native modules the command loads (SQLite, Argon2, HID, sharp), built
 *                         for this Node's ABI, with their runtime dependencies, and the JavaScript
 *                         packages it reads files from (the document font, OpenCV)
 *   lib/locales/          the texts of the printed papers (core/documents/locales)
 *
 * Under lib/, not beside the executable: electron-builder leaves out a node_modules folder at the
 * top of what it copies.
 *
 * The packaged Electron app cannot run the command: its fuses forbid running Electron as Node
 * (runAsNode: false), and its native modules are rebuilt for Electron's ABI. So the command brings
 * its own runtime. Build it on the platform it is for (a Windows build host makes kiosk.exe) and
 * before electron-builder rebuilds the native modules for Electron (`npm run dist` keeps that
 * order).
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm run build:cli` puts the command; electron-builder.yml's extraResources copy it from here. */
export const CLI_OUT_DIR = join(root, 'dist', 'cli');

/** The executable's file name on this platform. */
export const CLI_EXECUTABLE = process.platform === 'win32' ? 'kiosk.exe' : 'kiosk';

/** Node's marker for the place of the injected script (the same in every Node 20 and 22 binary). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Packages the command loads at run time from its folder rather than from the bundle. */
const NATIVE = ['better-sqlite3', '@node-rs/argon2', 'node-hid', 'sharp'];
/** Packages the code reads through `createRequire(import.meta.url)` (files, or too big to bundle). */
const RESOLVED_AT_RUN_TIME = ['dejavu-fonts-ttf', '@techstark/opencv-js'];
/** Dependencies needed only to install or compile a native module, never to load it. */
const BUILD_TIME_ONLY = new Set(['prebuild-install', 'node-addon-api', 'node-gyp']);

/**
 * What to leave out of a copied package: the sources and object files of a package compiled on
 * install (only the built `.node` of `build/Release` is loaded), prebuilt binaries of other
 * platforms, and the fonts the papers do not use.
 */
function keepFile(packageName: string, compiled: boolean, relativePath: string): boolean {
  const parts = relativePath.split(sep);
  const [top, second] = parts;
  if (compiled) {
    if (top === 'deps' || top === 'src' || relativePath.endsWith('.gyp')) return false;
    if (top === 'build') {
      return (
        parts.length === 1 || (second === 'Release' && (parts.length === 2 || relativePath.endsWith('.node')))
      );
    }
  }
  if (packageName === 'node-hid' && top === 'prebuilds' && second !== undefined) {
    return second.endsWith(`-${process.platform}-${process.arch}`);
  }
  if (packageName === 'dejavu-fonts-ttf' && top === 'ttf' && second !== undefined) {
    return second === 'DejaVuSans.ttf' || second === 'DejaVuSans-Bold.ttf';
  }
  return true;
}

/** The folder of `name` as Node finds it from `fromDir` (a nested node_modules first, then upward). */
function packageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

/**
 * The packages `names` with every runtime dependency (optional ones where installed: sharp's
 * libvips for this platform), as folders under the project, each once.
 */
export function runtimePackages(names: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (name: string, fromDir: string, required: boolean) => {
    if (BUILD_TIME_ONLY.has(name)) return;
    const dir = packageDir(name, fromDir);
    if (dir === undefined) {
      if (required) throw new Error(`build-cli: ${name} is not installed (npm ci)`);
      return;
    }
    if (found.has(dir)) return;
    found.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir, true);
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) visit(dep, dir, false);
  };
  for (const name of names) visit(name, root, true);
  return [...found].sort();
}

/**
 * Native packages come from the executable's folder: the script injected into a single-executable
 * application has a `require` for Node's built-in modules only.
 */
const fromCliFolder: Plugin = {
  name: 'kiosk-cli-folder',
  setup(b) {
    const filter = new RegExp(`^(${NATIVE.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'kiosk-cli-folder' }));
    b.onLoad({ filter: /.*/, namespace: 'kiosk-cli-folder' }, (args) => ({
      contents: `module.exports = __kioskNative(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** The code of the error thrown when a module the command loads from its folder is not there. */
export const PACKAGE_INCOMPLETE = 'KIOSK_PACKAGE_INCOMPLETE';

/**
 * `import.meta.url` of every bundled module becomes a file in the executable's lib/ folder, so
 * what the code finds beside itself (the papers' locales) or resolves (`createRequire`) is found
 * there. A native module missing from the folder is said in one sentence, not a stack trace.
 */
const BANNER = [
  'const __kioskDir = require("node:path").dirname(require("node:sea").isSea() ? process.execPath : __filename);',
  'const __kioskUrl = require("node:url").pathToFileURL(require("node:path").join(__kioskDir, "lib", "kiosk.cjs")).href;',
  'const __kioskRequire = require("node:module").createRequire(__kioskUrl);',
  'function __kioskNative(name) {',
  '  try {',
  '    return __kioskRequire(name);',
  '  } catch (error) {',
  '    if (error?.code !== "MODULE_NOT_FOUND") throw error;',
  '    const folder = require("node:path").join(__kioskDir, "lib", "node_modules");',
  '    const missing = new Error("the module " + name + " is missing from " + folder + "; install the terminal software again");',
  `    missing.code = "${PACKAGE_INCOMPLETE}";`,
  '    throw missing;',
  '  }',
  '}',
].join('\n');

/** Bundles the command into one CommonJS script (what a single-executable application runs). */
export async function bundleCli(outfile: string): Promise<void> {
  await build({
    entryPoints: [join(root, 'cli', 'packaged.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: false,
    minify: false,
    legalComments: 'none',
    external: ['electron'],
    plugins: [fromCliFolder],
    define: { 'import.meta.url': '__kioskUrl' },
    banner: { js: BANNER },
    logLevel: 'warning',
  });
}

/** Injects `script` into a copy of this Node binary as a single-executable application. */
function makeExecutable(script: string, executable: string, work: string): void {
  const blob = join(work, 'kiosk.blob');
  const config = join(work, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'pipe' });
  copyFileSync(process.execPath, executable);
  chmodSync(executable, 0o755);
  // postject as a child: its binary parser prints harmless warnings about Node's note sections
  const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  execFileSync(
    process.execPath,
    [
      postject,
      executable,
      'NODE_SEA_BLOB',
      blob,
      '--sentinel-fuse',
      SEA_FUSE,
      ...(process.platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : []),
    ],
    { stdio: 'pipe' },
  );
  if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', executable]);
}

export interface BuiltCli {
  readonly dir: string;
  readonly executable: string;
}

/** Builds the command's folder at `outDir` (replaced). */
export async function buildCli(outDir: string = CLI_OUT_DIR): Promise<BuiltCli> {
  const work = mkdtempSync(join(tmpdir(), 'kiosk-cli-build-'));
  try {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const script = join(work, 'kiosk.cjs');
    await bundleCli(script);
    const executable = join(outDir, CLI_EXECUTABLE);
    makeExecutable(script, executable, work);
    for (const dir of runtimePackages([...NATIVE, ...RESOLVED_AT_RUN_TIME])) {
      const name = relative(join(root, 'node_modules'), dir).split(`${sep}node_modules${sep}`).at(-1) ?? '';
      const compiled = existsSync(join(dir, 'binding.gyp'));
      cpSync(dir, join(outDir, 'lib', relative(root, dir)), {
        recursive: true,
        filter: (source) => source === dir || keepFile(name, compiled, relative(dir, source)),
      });
    }
    cpSync(join(root, 'core', 'documents', 'locales'), join(outDir, 'lib', 'locales'), { recursive: true });
    return { dir: outDir, executable };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildCli(process.argv[2] ? resolve(process.argv[2]) : CLI_OUT_DIR);
  process.stdout.write(`kiosk command built: ${relative(process.cwd(), built.executable)}\n`);
}
