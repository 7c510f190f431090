import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type DragLike,
  type DropTarget,
  installDropGuard,
  isExternalDrag,
} from '../../../electron/drop-guard.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');

/** The top-level `key: value` pairs of one block of a flat YAML file (two-space indent). */
function yamlBlock(text: string, name: string): Map<string, string> {
  const lines = text.split('\n');
  const start = lines.indexOf(`${name}:`);
  expect(start, `${name} block`).toBeGreaterThanOrEqual(0);
  const entries = new Map<string, string>();
  for (const line of lines.slice(start + 1)) {
    const match = /^ {2}([A-Za-z]+):\s*(\S+)\s*(#.*)?$/.exec(line);
    if (!match) break;
    entries.set(match[1] as string, match[2] as string);
  }
  return entries;
}

describe('electron-builder.yml', () => {
  const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');

  it('sets the fuses: no run-as-node, no NODE_OPTIONS, no inspect, app only from a validated asar', () => {
    const fuses = yamlBlock(yml, 'electronFuses');
    expect(Object.fromEntries(fuses)).toEqual({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    });
  });

  it('names only fuses electron-builder knows (a misspelt fuse would be ignored silently)', () => {
    const types = readFileSync(
      join(root, 'node_modules', 'app-builder-lib', 'out', 'configuration.d.ts'),
      'utf8',
    );
    const body = /export interface FuseOptionsV1 \{([\s\S]*?)\n\}/.exec(types)?.[1] ?? '';
    const known = new Set([...body.matchAll(/^\s+(\w+)\?: boolean;$/gm)].map((m) => m[1]));
    expect(known.has('onlyLoadAppFromAsar')).toBe(true);
    for (const fuse of yamlBlock(yml, 'electronFuses').keys()) expect(known.has(fuse), fuse).toBe(true);
  });

  it('packs the app into an asar and starts the bundled main process', () => {
    expect(yml).toMatch(/^asar: true$/m);
    expect(yml).toMatch(/^ {2}main: dist\/electron\/main\.cjs$/m);
  });
});

function drag(types: string[]) {
  const event = {
    dataTransfer: { types },
    prevented: false,
    stopped: false,
    preventDefault() {
      event.prevented = true;
    },
    stopPropagation() {
      event.stopped = true;
    },
  };
  return event;
}

describe('drop guard', () => {
  it('refuses files and links dragged onto the page, and leaves drags inside the page alone', () => {
    const listeners = new Map<string, (event: DragLike) => void>();
    const target: DropTarget = {
      addEventListener: (type, listener, capture) => {
        expect(capture).toBe(true);
        listeners.set(type, listener);
      },
    };
    installDropGuard(target);
    expect([...listeners.keys()].sort()).toEqual(['dragover', 'drop']);
    const file = drag(['Files']);
    listeners.get('drop')?.(file);
    const link = drag(['text/uri-list', 'text/plain']);
    listeners.get('dragover')?.(link);
    const text = drag(['text/plain']);
    listeners.get('drop')?.(text);
    expect([file.prevented, file.stopped, link.prevented, text.prevented]).toEqual([true, true, true, false]);
    expect(isExternalDrag({ dataTransfer: null, preventDefault() {}, stopPropagation() {} })).toBe(false);
  });
});

/** Server-only and development packages that must not travel inside the packaged kiosk. */
const notShipped = ['tsx', 'esbuild', 'fastify', '@fastify/static', '@fastify/websocket', 'ws'];

describe('what the packaged kiosk carries', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  /** Every package npm installs for production (electron-builder ships exactly these). */
  const production = new Set(
    Object.entries(lock.packages)
      .filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev !== true)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
  );

  it('lists the web host, the TypeScript loader and their kin as devDependencies only', () => {
    for (const name of notShipped) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.devDependencies[name], name).toBeDefined();
    }
  });

  it('installs none of them, nor what only they need, for production (package-lock)', () => {
    for (const name of [...notShipped, 'avvio', 'find-my-way', 'light-my-request', 'get-tsconfig']) {
      expect(production.has(name), name).toBe(false);
    }
    // the lock agrees with package.json: the runtime packages are there
    for (const name of Object.keys(pkg.dependencies)) expect(production.has(name), name).toBe(true);
  });

  it('electron-builder.yml takes the bundles only and excludes the server-only packages and folders', () => {
    const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    const files = /^files:\n((?: {2}- .*\n)+)/m.exec(yml)?.[1]?.split('\n').filter(Boolean) ?? [];
    const patterns = files.map((line) => line.replace(/^ {2}- /, '').replace(/^"|"$/g, ''));
    expect(patterns.filter((p) => !p.startsWith('!'))).toEqual(['dist/**', 'package.json']);
    const excludedModules = patterns.find((p) => p.startsWith('!node_modules/{')) ?? '';
    for (const name of ['tsx', 'esbuild', 'fastify', '@fastify', 'ws']) {
      expect(excludedModules.split(/[{},]/), name).toContain(name);
    }
    expect(patterns).toContain('!{portal,webhost,test,bench}/**');
  });

  it('the Electron bundles need at run time only production dependencies, and no web host or portal', async () => {
    const { buildElectron } = await import('../../../electron/build.ts');
    const out = mkdtempSync(join(tmpdir(), 'kiosk-bundle-'));
    try {
      await buildElectron(out);
      const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
      for (const file of ['main.cjs', 'core-process.cjs', 'preload.cjs', 'capture-worker.cjs']) {
        const code = readFileSync(join(out, file), 'utf8');
        const required = new Set(
          [...code.matchAll(/\brequire\("([^"./][^"]*)"\)/g)].map((m) => m[1] as string),
        );
        for (const name of required) {
          if (builtins.has(name) || name === 'electron') continue;
          const root = name.startsWith('@')
            ? name.split('/').slice(0, 2).join('/')
            : (name.split('/')[0] as string);
          expect([file, root, pkg.dependencies[root] !== undefined]).toEqual([file, root, true]);
        }
        for (const name of notShipped) expect(required.has(name), `${file} requires ${name}`).toBe(false);
        // the reference portal's server (portal/server.ts) is not bundled in
        expect(code).not.toContain('startPortal');
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
