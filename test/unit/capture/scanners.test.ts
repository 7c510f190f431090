import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listV4l2Cameras, parsePnpCameras } from '../../../device/capture/cameras.ts';
import { listCaptureDevices } from '../../../device/capture/devices.ts';
import type { BinaryResult, BinaryRunner } from '../../../device/capture/run.ts';
import { parseSaneList, SaneDriver, saneError, saneScanArgs } from '../../../device/capture/scanners/sane.ts';
import {
  parseWiaList,
  parseWiaScan,
  powershellArgs,
  psLiteral,
  scanScript,
  WiaDriver,
} from '../../../device/capture/scanners/wia.ts';

const result = (r: Partial<BinaryResult>): BinaryResult => ({
  code: 0,
  stdout: Buffer.alloc(0),
  stderr: '',
  ...r,
});
const fixed =
  (r: Partial<BinaryResult>): BinaryRunner =>
  async () =>
    result(r);
const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAWk1v8QAAAABJRU5ErkJggg==',
  'base64',
);

describe('SANE (scanimage) output and errors', () => {
  it('parses the formatted device list', () => {
    expect(
      parseSaneList(
        'test:0\tNoname\tfrontend-tester\tvirtual device\nepson2:net:10.0.0.5\tEpson\tDS-530\tsheetfed scanner\n',
      ),
    ).toEqual([
      {
        id: 'sane:test:0',
        backend: 'sane',
        device: 'test:0',
        vendor: 'Noname',
        model: 'frontend-tester',
        type: 'virtual device',
        state: 'ready',
        reasons: [],
      },
      {
        id: 'sane:epson2:net:10.0.0.5',
        backend: 'sane',
        device: 'epson2:net:10.0.0.5',
        vendor: 'Epson',
        model: 'DS-530',
        type: 'sheetfed scanner',
        state: 'ready',
        reasons: [],
      },
    ]);
    expect(parseSaneList('')).toEqual([]);
  });

  it('maps scanimage exit codes and messages (as recorded from sane-utils 1.2.1) to codes', () => {
    const cases: [number, string, string][] = [
      [6, 'scanimage: sane_read: Document feeder jammed', 'scanner.jammed'],
      [7, 'scanimage: sane_read: Document feeder out of documents', 'scanner.no_paper'],
      [8, 'scanimage: sane_read: Scanner cover is open', 'scanner.cover_open'],
      [9, 'scanimage: sane_read: Error during device I/O', 'scanner.io_error'],
      [3, 'scanimage: sane_read: Device busy', 'scanner.busy'],
      [2, 'scanimage: sane_read: Operation was canceled', 'scanner.cancelled'],
      [11, 'scanimage: sane_read: Access to resource has been denied', 'scanner.access_denied'],
      [1, 'scanimage: open of device nope failed: Invalid argument', 'scanner.gone'],
      [10, 'scanimage: sane_read: Out of memory', 'scanner.failed'],
    ];
    for (const [code, stderr, expected] of cases) {
      const e = saneError(result({ code, stderr }));
      expect(e.code).toBe(expected);
      expect(e.message).not.toMatch(/^scanimage:/);
    }
    expect(saneError(result({ code: null, failure: 'not_found' })).code).toBe('scanner.not_installed');
    expect(saneError(result({ code: null, failure: 'timeout' })).code).toBe('scanner.timeout');
    expect(saneError(result({ code: null, failure: 'aborted' })).code).toBe('scanner.cancelled');
  });

  it('builds scanimage arguments without a shell', () => {
    expect(
      saneScanArgs('test:0', {
        resolution: 150,
        mode: 'gray',
        source: 'ADF',
        areaMm: { width: 210, height: 297 },
      }),
    ).toEqual([
      '-d',
      'test:0',
      '--format=png',
      '--resolution',
      '150',
      '--mode',
      'Gray',
      '--source',
      'ADF',
      '-x',
      '210',
      '-y',
      '297',
    ]);
  });

  it('refuses output that is not a PNG', async () => {
    const driver = new SaneDriver({ runner: fixed({ stdout: Buffer.from('P5 garbage') }) });
    expect(await driver.scan('test:0')).toMatchObject({ ok: false, error: { code: 'scanner.bad_output' } });
    const good = new SaneDriver({ runner: fixed({ stdout: PNG_1x1 }) });
    expect(await good.scan('test:0', { resolution: 300 })).toMatchObject({
      ok: true,
      value: { resolution: 300 },
    });
  });
});

describe('WIA through PowerShell, with recorded outputs', () => {
  const decode = (args: readonly string[]) => Buffer.from(args.at(-1) ?? '', 'base64').toString('utf16le');

  it('passes the device id as a literal, never as code', () => {
    const id = "{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001'; Remove-Item C:\\ -Recurse; '";
    const script = scanScript(id, { resolution: 300, mode: 'gray', source: 'feeder' });
    expect(script).toContain(`$deviceId = ${psLiteral(id)}`);
    expect(script).toContain("''; Remove-Item");
    expect(script).toContain('Set-Prop $item.Properties 6146 2');
    expect(script).toContain('Set-Prop $item.Properties 6147 300');
    expect(script).toContain('Set-Prop $device.Properties 3088 1');
    expect(decode(powershellArgs(script))).toBe(script);
  });

  // Lines as the scripts print them (ConvertTo-Json -Compress).
  const LIST =
    '{"ok":true,"scanners":[{"id":"{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\\\0001","name":"Canon LiDE 400","manufacturer":"Canon","description":"Canon LiDE 400"}]}';
  const LIST_ONE_AS_OBJECT =
    '{"ok":true,"scanners":{"id":"{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\\\0002","name":"fi-7160","manufacturer":"PFU","description":"fi-7160"}}';
  const JAM = '{"ok":false,"hresult":"0x80210002","message":"Exception from HRESULT: 0x80210002"}';
  const EMPTY = '{"ok":false,"hresult":"0x80210003","message":"Exception from HRESULT: 0x80210003"}';
  const GONE = '{"ok":false,"hresult":"0x80210015","message":"no such scanner"}';
  const COVER = '{"ok":false,"hresult":"0x80210016","message":"Exception from HRESULT: 0x80210016"}';
  const BUSY = '{"ok":false,"hresult":"0x80210006","message":"Exception from HRESULT: 0x80210006"}';
  const OFFLINE = '{"ok":false,"hresult":"0x80210005","message":"Exception from HRESULT: 0x80210005"}';

  it('parses scanner lists', () => {
    const list = parseWiaList(`${LIST}\r\n`);
    expect(list.ok && list.value).toEqual([
      {
        id: 'wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001',
        backend: 'wia',
        device: '{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001',
        vendor: 'Canon',
        model: 'Canon LiDE 400',
        type: 'Canon LiDE 400',
        state: 'ready',
        reasons: [],
      },
    ]);
    const one = parseWiaList(LIST_ONE_AS_OBJECT);
    expect(one.ok && one.value.length).toBe(1);
    expect(parseWiaList('{"ok":true,"scanners":[]}')).toEqual({ ok: true, value: [] });
  });

  it('maps WIA HRESULTs to scanner codes', () => {
    expect(parseWiaScan(JAM, 200)).toMatchObject({ ok: false, error: { code: 'scanner.jammed' } });
    expect(parseWiaScan(EMPTY, 200)).toMatchObject({ ok: false, error: { code: 'scanner.no_paper' } });
    expect(parseWiaScan(GONE, 200)).toMatchObject({ ok: false, error: { code: 'scanner.gone' } });
    expect(parseWiaScan(COVER, 200)).toMatchObject({ ok: false, error: { code: 'scanner.cover_open' } });
    expect(parseWiaScan(BUSY, 200)).toMatchObject({ ok: false, error: { code: 'scanner.busy' } });
    expect(parseWiaScan(OFFLINE, 200)).toMatchObject({ ok: false, error: { code: 'scanner.gone' } });
    expect(parseWiaScan('', 200)).toMatchObject({ ok: false, error: { code: 'scanner.failed' } });
  });

  it('decodes the scanned PNG and refuses anything else', async () => {
    const line = JSON.stringify({ ok: true, width: 1, height: 1, png: PNG_1x1.toString('base64') });
    const ok = parseWiaScan(`WARNING: something\r\n${line}\r\n`, 200);
    expect(ok.ok && Buffer.from(ok.value.png).equals(PNG_1x1)).toBe(true);
    expect(parseWiaScan('{"ok":true,"png":"Qk0="}', 200)).toMatchObject({
      ok: false,
      error: { code: 'scanner.bad_output' },
    });
    const driver = new WiaDriver({ runner: fixed({ stdout: Buffer.from(line) }) });
    expect((await driver.scan('x')).ok).toBe(true);
    const missing = new WiaDriver({ runner: fixed({ code: null, failure: 'not_found' }) });
    expect(await missing.list()).toMatchObject({ ok: false, error: { code: 'scanner.not_installed' } });
  });
});

describe('cameras', () => {
  let root: string;
  beforeAll(async () => {
    // A fake sysfs: a UVC camera (capture node video0, metadata node video1), a second camera
    // whose device node is missing (video2), and something that is not a video node.
    root = await mkdtemp(join(tmpdir(), 'capture-v4l2-'));
    const usb = join(root, 'devices', 'usb1', '1-1');
    await mkdir(join(usb, '1-1:1.0'), { recursive: true });
    await writeFile(join(usb, 'idVendor'), '046d\n');
    await writeFile(join(usb, 'idProduct'), '0892\n');
    const cls = join(root, 'class');
    for (const [node, index, name] of [
      ['video0', '0', 'HD Pro Webcam C920'],
      ['video1', '1', 'HD Pro Webcam C920'],
      ['video2', '0', 'Document Camera'],
    ] as const) {
      await mkdir(join(cls, node), { recursive: true });
      await writeFile(join(cls, node, 'index'), `${index}\n`);
      await writeFile(join(cls, node, 'name'), `${name}\n`);
    }
    await symlink(join(usb, '1-1:1.0'), join(cls, 'video0', 'device'));
    await mkdir(join(cls, 'v4l-subdev0'));
    await mkdir(join(root, 'dev'));
    await writeFile(join(root, 'dev', 'video0'), '');
    await writeFile(join(root, 'dev', 'video1'), '');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('lists V4L2 capture nodes with USB ids and state from a sysfs tree', async () => {
    const list = await listV4l2Cameras({ sysfsRoot: join(root, 'class'), devRoot: join(root, 'dev') });
    expect(list.ok && list.value).toEqual([
      {
        id: `v4l2:${join(root, 'dev', 'video0')}`,
        backend: 'v4l2',
        name: 'HD Pro Webcam C920',
        path: join(root, 'dev', 'video0'),
        vendorId: '046d',
        productId: '0892',
        state: 'ready',
        reasons: [],
      },
      {
        id: `v4l2:${join(root, 'dev', 'video2')}`,
        backend: 'v4l2',
        name: 'Document Camera',
        path: join(root, 'dev', 'video2'),
        state: 'offline',
        reasons: ['no-device-node'],
      },
    ]);
    expect(await listV4l2Cameras({ sysfsRoot: join(root, 'none') })).toEqual({ ok: true, value: [] });
  });

  it('parses the Windows camera list (Get-PnpDevice, recorded)', () => {
    const out =
      '{"ok":true,"cameras":[{"name":"HD Pro Webcam C920","id":"USB\\\\VID_046D&PID_0892&MI_00\\\\7&2A8D&0&0000","status":"OK"},{"name":"IPEVO V4K","id":"USB\\\\VID_1778&PID_0212&MI_00\\\\1","status":"Error"}]}';
    const list = parsePnpCameras(out);
    expect(list.ok && list.value.map((c) => [c.name, c.vendorId, c.productId, c.state])).toEqual([
      ['HD Pro Webcam C920', '046d', '0892', 'ready'],
      ['IPEVO V4K', '1778', '0212', 'error'],
    ]);
    expect(parsePnpCameras('{"ok":false,"message":"Get-PnpDevice failed"}')).toMatchObject({
      ok: false,
      error: { code: 'camera.list_failed' },
    });
  });

  it('lists cameras and scanners together, and names a backend that could not be asked', async () => {
    const devices = await listCaptureDevices({
      platform: 'linux',
      v4l2: { sysfsRoot: join(root, 'class'), devRoot: join(root, 'dev') },
      sane: { command: 'scanimage-not-installed' },
    });
    expect(devices.cameras.map((c) => c.state)).toEqual(['ready', 'offline']);
    expect(devices.scanners).toEqual([]);
    expect(devices.problems).toEqual([
      { source: 'scanners', code: 'scanner.not_installed', message: expect.any(String) },
    ]);
    const windows = await listCaptureDevices({
      platform: 'win32',
      runner: async (_file, args) =>
        result({
          stdout: Buffer.from(
            Buffer.from(args.at(-1) ?? '', 'base64')
              .toString('utf16le')
              .includes('Get-PnpDevice')
              ? '{"ok":true,"cameras":[]}'
              : '{"ok":true,"scanners":[{"id":"{X}\\\\0001","name":"LiDE","manufacturer":"Canon","description":"LiDE"}]}',
          ),
        }),
    });
    expect(windows.scanners.map((s) => s.id)).toEqual(['wia:{X}\\0001']);
    expect(windows.problems).toEqual([]);
  });
});
