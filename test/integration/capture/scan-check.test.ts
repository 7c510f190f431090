import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flatPage, pageOnDesk } from '../../fixtures/capture/synthetic.ts';
import { projectRoot } from '../../support/kiosk-process.ts';

function kiosk(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'kiosk.mjs'), ...args], {
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Files under `folder` that start with a PNG or JPEG signature. */
async function imagesIn(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const head = (await readFile(path)).subarray(0, 4);
    if (head.toString('hex') === '89504e47' || head.subarray(0, 3).toString('hex') === 'ffd8ff')
      found.push(path);
  }
  return found;
}

let dir: string;
let temp: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capture-cli-'));
  temp = await mkdtemp(join(tmpdir(), 'capture-tmp-'));
  const good = await pageOnDesk();
  await writeFile(join(dir, 'good.jpg'), good);
  await writeFile(join(dir, 'scan.png'), await flatPage());
  await writeFile(join(dir, 'blurred.jpg'), await sharp(good).blur(4).jpeg().toBuffer());
  await writeFile(join(dir, 'notes.txt'), 'not an image');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(temp, { recursive: true, force: true });
});

describe('kiosk scan-check', () => {
  it('prints one JSON line per file and exits 0 when every page is ok', async () => {
    const r = await kiosk(['scan-check', join(dir, 'good.jpg'), join(dir, 'scan.png')], { TMPDIR: temp });
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { file: join(dir, 'good.jpg'), ok: true, problems: [] },
      { file: join(dir, 'scan.png'), ok: true, problems: [] },
    ]);
    // No image was written to the temporary folder (sharp and OpenCV work in memory; tsx keeps
    // its compile cache there).
    expect(await imagesIn(temp)).toEqual([]);
  }, 60_000);

  it('exits 1 when a page has a problem, with --measures on request', async () => {
    const r = await kiosk(['scan-check', '--measures', join(dir, 'blurred.jpg')]);
    expect(r.code).toBe(1);
    const line = JSON.parse(r.stdout);
    expect(line).toMatchObject({ ok: false, problems: ['blurred'], page: { fillsFrame: false } });
    expect(line.measures.sharpness).toBeLessThan(0.27);
  }, 60_000);

  it('exits 2 on usage errors: no files, an unknown option, a file that is not a readable image', async () => {
    expect((await kiosk(['scan-check'])).code).toBe(2);
    expect((await kiosk(['scan-check', '--fast', join(dir, 'good.jpg')])).code).toBe(2);
    const r = await kiosk([
      'scan-check',
      join(dir, 'notes.txt'),
      join(dir, 'missing.jpg'),
      join(dir, 'blurred.jpg'),
    ]);
    expect(r.code).toBe(2);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      {
        file: join(dir, 'notes.txt'),
        ok: false,
        problems: [],
        error: { code: 'capture.not_an_image', message: 'not a PNG or JPEG image' },
      },
      {
        file: join(dir, 'missing.jpg'),
        ok: false,
        problems: [],
        error: { code: 'file.unreadable', message: 'cannot read the file (ENOENT)' },
      },
      { file: join(dir, 'blurred.jpg'), ok: false, problems: ['blurred'] },
    ]);
  }, 60_000);
});
