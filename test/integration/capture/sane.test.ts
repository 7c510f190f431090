import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SaneDriver } from '../../../device/capture/scanners/sane.ts';

describe('SANE test backend, for real (scanimage -d test)', () => {
  let config: string;
  beforeAll(async () => {
    // A SANE configuration whose only backend is `test`, so the list is what the test expects.
    config = await mkdtemp(join(tmpdir(), 'capture-sane-'));
    await writeFile(join(config, 'dll.conf'), 'test\n');
  });
  afterAll(() => rm(config, { recursive: true, force: true }));
  const env = () => ({ ...process.env, SANE_CONFIG_DIR: config });

  it('lists the test devices and scans a PNG page into memory', async () => {
    const driver = new SaneDriver({ env: env() });
    const list = await driver.list();
    expect(list.ok && list.value.map((s) => s.device)).toEqual(['test:0', 'test:1']);
    const scan = await driver.scan('test:0', {
      resolution: 100,
      mode: 'gray',
      areaMm: { width: 80, height: 100 },
    });
    if (!scan.ok) throw new Error(scan.error.code);
    expect(Buffer.from(scan.value.png.subarray(1, 4)).toString()).toBe('PNG');
    // 80 x 100 mm at 100 dpi.
    const meta = await sharp(scan.value.png).metadata();
    expect([meta.width, meta.height]).toEqual([314, 393]);
  });

  it.each([
    ['SANE_STATUS_JAMMED', 'scanner.jammed'],
    ['SANE_STATUS_NO_DOCS', 'scanner.no_paper'],
    ['SANE_STATUS_COVER_OPEN', 'scanner.cover_open'],
    ['SANE_STATUS_IO_ERROR', 'scanner.io_error'],
    ['SANE_STATUS_DEVICE_BUSY', 'scanner.busy'],
  ])('maps %s to %s', async (status, code) => {
    const driver = new SaneDriver({ env: env(), backendArgs: ['--read-return-value', status] });
    expect(await driver.scan('test:0', { resolution: 50 })).toMatchObject({ ok: false, error: { code } });
  });

  it('reports a scanner that is gone, a slow scan as a timeout, and a cancelled scan', async () => {
    const driver = new SaneDriver({
      env: env(),
      backendArgs: ['--read-delay=yes', '--read-delay-duration', '200000'],
    });
    expect(await new SaneDriver({ env: env() }).scan('test:9')).toMatchObject({
      ok: false,
      error: { code: 'scanner.gone' },
    });
    expect(await driver.scan('test:0', { resolution: 300, timeoutMs: 300 })).toMatchObject({
      ok: false,
      error: { code: 'scanner.timeout' },
    });
    const abort = new AbortController();
    const pending = driver.scan('test:0', { resolution: 300, signal: abort.signal });
    abort.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'scanner.cancelled' } });
    expect(await new SaneDriver({ command: 'scanimage-not-installed' }).list()).toMatchObject({
      ok: false,
      error: { code: 'scanner.not_installed' },
    });
  });
});
