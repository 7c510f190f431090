import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/kiosk-process.ts';

/**
 * The layer rules must fail the build: run the project's dependency-cruiser config on a small tree
 * that breaks each rule once, and on one that keeps them.
 */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-layers-'));
  cpSync(join(projectRoot, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true },
    }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const folders = [...new Set(Object.keys(files).map((p) => p.split('/')[0] ?? ''))];
  const result = spawnSync(
    process.execPath,
    [
      join(projectRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      '--config',
      '.dependency-cruiser.cjs',
      ...folders,
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('layer rules', () => {
  it('accept imports the design allows', () => {
    const { status, output } = cruise({
      'api/contract.ts': 'export const x = 1;\n',
      'core/kiosk.ts': "import { x } from '../api/contract.ts';\nexport const y = x;\n",
      'renderer/app.ts': "import { x } from '../api/contract.ts';\nexport const z = x;\n",
    });
    expect(output).toContain('no dependency violations');
    expect(status).toBe(0);
  });

  it('reject an import from a layer a folder may not reach', () => {
    const { status, output } = cruise({
      'core/kiosk.ts': 'export const y = 1;\n',
      'renderer/app.ts': "import { y } from '../core/kiosk.ts';\nexport const z = y;\n",
      'api/contract.ts':
        "import { readFileSync } from 'node:fs';\nimport { y } from '../core/kiosk.ts';\nexport const x = [readFileSync, y];\n",
      'device/mrz/parse.ts': "import { d } from '../reader.ts';\nexport const p = d;\n",
      'device/reader.ts': 'export const d = 1;\n',
    });
    expect(status).not.toBe(0);
    expect(output).toContain('renderer-layer: renderer/app.ts → core/kiosk.ts');
    expect(output).toContain('api-layer: api/contract.ts → core/kiosk.ts');
    expect(output).toContain('device-mrz-pure: device/mrz/parse.ts → device/reader.ts');
  });

  it('reject Node built-ins in the renderer', () => {
    const { status, output } = cruise({
      'renderer/app.ts': "import { readFileSync } from 'node:fs';\nexport const z = readFileSync;\n",
    });
    expect(status).not.toBe(0);
    expect(output).toMatch(/renderer-no-(node|core-builtins): renderer\/app\.ts → (node:)?fs/);
  });

  it('let every folder import common/, and common/ nothing of the project', () => {
    const accepted = cruise({
      'common/result.ts': "import { createHash } from 'node:crypto';\nexport const ok = createHash;\n",
      'api/contract.ts': "import { ok } from '../common/result.ts';\nexport const x = ok;\n",
      'device/reader.ts': "import { ok } from '../common/result.ts';\nexport const d = ok;\n",
    });
    expect(accepted.output).toContain('no dependency violations');
    expect(accepted.status).toBe(0);

    const rejected = cruise({
      'api/contract.ts': 'export const x = 1;\n',
      'common/result.ts': "import { x } from '../api/contract.ts';\nexport const ok = x;\n",
    });
    expect(rejected.status).not.toBe(0);
    expect(rejected.output).toContain('common-layer: common/result.ts → api/contract.ts');
  });

  it('reject a Node built-in the renderer reaches through common/', () => {
    const { status, output } = cruise({
      'common/badge.ts': "import { createHmac } from 'node:crypto';\nexport const h = createHmac;\n",
      'renderer/app.ts': "import { h } from '../common/badge.ts';\nexport const z = h;\n",
    });
    expect(status).not.toBe(0);
    expect(output).toMatch(/renderer-no-node-through-common: renderer\/app\.ts → (node:)?crypto/);
  });
});
