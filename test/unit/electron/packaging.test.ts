import { readFileSync } from 'node:fs';
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
