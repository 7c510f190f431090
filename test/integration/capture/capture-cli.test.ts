import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/command.ts';
import { createDevicesCommand } from '../../../cli/commands/devices.ts';
import { captureResult } from '../../../cli/commands/doctor.ts';
import { captureConfigSchema } from '../../../core/capture-config.ts';
import type { CaptureDevices } from '../../../device/capture/devices.ts';

/** `kiosk devices --capture` and the doctor's camera and scanner check. */

function io(env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => {
    out += c;
  });
  stderr.on('data', (c) => {
    err += c;
  });
  const value: CliIo = { stdin: Readable.from(['']), stdout, stderr, env, stopped: new Promise(() => {}) };
  return { io: value, out: () => out, err: () => err };
}

const attached: CaptureDevices = {
  cameras: [
    {
      id: 'v4l2:/dev/video0',
      backend: 'v4l2',
      name: 'IPEVO V4K',
      path: '/dev/video0',
      state: 'ready',
      reasons: [],
    },
    { id: 'v4l2:/dev/video2', backend: 'v4l2', name: 'Webcam', state: 'no_access', reasons: ['permission'] },
  ],
  scanners: [
    {
      id: 'sane:fujitsu:fi-7160:1234',
      backend: 'sane',
      device: 'fujitsu:fi-7160:1234',
      vendor: 'FUJITSU',
      model: 'fi-7160',
      type: 'sheetfed scanner',
      state: 'busy',
      reasons: ['in use'],
    },
  ],
  problems: [],
};

const capture = (overrides: Record<string, unknown>) => captureConfigSchema.parse(overrides);

describe('kiosk devices --capture', () => {
  let saneConfig: string;
  beforeAll(async () => {
    saneConfig = await mkdtemp(join(tmpdir(), 'capture-cli-sane-'));
    await writeFile(join(saneConfig, 'dll.conf'), 'test\n');
  });
  afterAll(() => rm(saneConfig, { recursive: true, force: true }));

  it('lists cameras and scanners with their state, as a table and as JSON lines', async () => {
    const command = createDevicesCommand({ listCapture: async () => attached });
    const table = io();
    expect(await command.run(['--capture'], table.io)).toBe(0);
    const lines = table.out().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^camera {3}v4l2:\/dev\/video0 .* IPEVO V4K .* ready$/);
    expect(lines[1]).toMatch(/^camera .* Webcam .* no_access \(permission\)$/);
    expect(lines[2]).toMatch(/^scanner {2}sane:fujitsu:fi-7160:1234 .* FUJITSU fi-7160 .* busy \(in use\)$/);
    const json = io();
    expect(await command.run(['--capture', '--json'], json.io)).toBe(0);
    const parsed = json
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; id: string; state: string });
    expect(parsed.map((p) => [p.kind, p.id, p.state])).toEqual([
      ['camera', 'v4l2:/dev/video0', 'ready'],
      ['camera', 'v4l2:/dev/video2', 'no_access'],
      ['scanner', 'sane:fujitsu:fi-7160:1234', 'busy'],
    ]);
    const bad = io();
    expect(await command.run(['--capture', '--watch'], bad.io)).toBe(2);
  });

  it('asks SANE for real (scanimage, the test backend) and says when there is no camera', async () => {
    const t = io({ ...process.env, SANE_CONFIG_DIR: saneConfig });
    expect(await createDevicesCommand().run(['--capture', '--json'], t.io)).toBe(0);
    const scanners = t
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; id: string })
      .filter((l) => l.kind === 'scanner');
    expect(scanners.map((s) => s.id)).toEqual(['sane:test:0', 'sane:test:1']);
  });
});

describe('kiosk doctor: camera and scanner', () => {
  it('checks nothing where none is configured', () => {
    expect(captureResult(capture({}), null)).toMatchObject({ ok: true });
  });

  it('passes a ready camera and a ready configured scanner; fails what is missing or not ready', () => {
    const ready = {
      ...attached,
      scanners: [{ ...attached.scanners[0], state: 'ready', reasons: [] }],
    } as CaptureDevices;
    expect(captureResult(capture({ camera: true, scanner: 'sane:fujitsu:fi-7160:1234' }), ready)).toEqual({
      name: 'camera, scanner',
      ok: true,
      detail: 'camera ready: IPEVO V4K; scanner sane:fujitsu:fi-7160:1234 ready',
    });
    expect(captureResult(capture({ scanner: 'sane:fujitsu:fi-7160:1234' }), attached)).toMatchObject({
      ok: false,
      detail: 'scanner sane:fujitsu:fi-7160:1234 is busy',
    });
    expect(captureResult(capture({ scanner: 'sane:test:0' }), attached)).toMatchObject({
      ok: false,
      detail: 'scanner sane:test:0 is not attached',
    });
    expect(
      captureResult(capture({ camera: true }), {
        cameras: [attached.cameras[1]],
        scanners: [],
        problems: [],
      } as CaptureDevices),
    ).toMatchObject({ ok: false, detail: 'no camera is ready' });
    expect(
      captureResult(capture({ scanner: 'sane:test:0' }), {
        cameras: [],
        scanners: [],
        problems: [{ source: 'scanners', code: 'scanner.not_installed', message: 'no scanimage' }],
      }),
    ).toMatchObject({ ok: false, detail: 'scanners could not be listed: scanner.not_installed' });
  });
});
