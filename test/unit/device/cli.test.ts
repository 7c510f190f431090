import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/command.ts';
import { createDevicesCommand } from '../../../cli/commands/devices.ts';
import { createHidReplayCommand } from '../../../cli/commands/hid-replay.ts';
import { VirtualClock } from '../../../device/clock.ts';
import { encodeHidPosScan } from '../../../device/drivers/hid-pos.ts';
import { ok } from '../../../device/events.ts';
import type {
  NodeHidDeviceRecord,
  NodeHidHandle,
  NodeHidModule,
} from '../../../device/transports/node-hid.ts';
import { formatCaptureLine } from '../../../device/transports/replay.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/hid');
const today = () => new Date(Date.UTC(2025, 5, 15));

function io(stdin = '', stopped: Promise<void> = new Promise(() => {})) {
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
  const value: CliIo = { stdin: Readable.from([stdin]), stdout, stderr, env: {}, stopped };
  return {
    io: value,
    out: () => out,
    err: () => err,
    json: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l)),
  };
}

describe('kiosk hid-replay', () => {
  const replay = createHidReplayCommand(today);

  it('prints MRZ reads with the parser result, from a de-DE capture', async () => {
    const t = io();
    const code = await replay.run(
      [
        '--driver',
        'keyboard',
        '--layout',
        'de-DE',
        '--mode',
        'mrz',
        join(fixtures, 'keyboard-de-DE-mrz.jsonl'),
      ],
      t.io,
    );
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    const lines = t.json();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      kind: 'mrz',
      lines: ['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4'],
      result: {
        valid: true,
        format: 'TD3',
        documentNumber: 'C01X00T47',
        lastName: 'MUSTERMANN',
        firstNames: 'ERIKA',
        birthDate: '1964-08-12',
      },
    });
    expect(lines[1]).toMatchObject({
      kind: 'mrz',
      result: { format: 'TD1', documentCode: 'AT', lastName: 'RESIDORCE' },
    });
  });

  it('prints barcode reads from a HID POS capture', async () => {
    const t = io();
    const code = await replay.run(['--driver=hid-pos', join(fixtures, 'hid-pos-scans.jsonl')], t.io);
    expect(code).toBe(0);
    expect(t.json().map((l) => [l.kind, l.aim, l.symbology])).toEqual([
      ['barcode', ']Q1', 'qr'],
      ['barcode', ']E0', 'ean-13'],
      ['barcode', ']d1', 'datamatrix'],
    ]);
    expect(t.json()[1]).toEqual({ kind: 'barcode', aim: ']E0', symbology: 'ean-13', text: '4006381333931' });
  });

  it('prints errors and exits 1 when the capture holds faults', async () => {
    const t = io();
    const code = await replay.run(['--driver', 'hid-pos', join(fixtures, 'hid-pos-faults.jsonl')], t.io);
    expect(code).toBe(1);
    expect(t.json()).toEqual([
      { kind: 'error', code: 'device.bad_report', message: expect.any(String) },
      { kind: 'error', code: 'device.scan_timeout', message: expect.any(String) },
      { kind: 'barcode', aim: ']C0', symbology: 'code128', text: 'AB-12345' },
    ]);
  });

  it('honours the time gaps: a partial document, then a whole one', async () => {
    const t = io();
    await replay.run(['--driver', 'keyboard', join(fixtures, 'keyboard-en-US-partial.jsonl')], t.io);
    expect(t.json().map((l) => l.code ?? l.kind)).toEqual(['device.partial_document', 'mrz']);
  });

  it('reads keyboard reports with a report id', async () => {
    const t = io();
    const code = await replay.run(
      ['--driver', 'keyboard', '--report-id', '1', join(fixtures, 'keyboard-en-US-reportid-mrz.jsonl')],
      t.io,
    );
    expect(code).toBe(0);
    expect(t.json().map((l) => l.result.format)).toEqual(['TD1', 'TD2']);
  });

  it('reads the capture from standard input with "-"', async () => {
    const capture = encodeHidPosScan(']Q1', 'hello').map((report, i) => formatCaptureLine({ t: i, report }));
    const t = io(capture.join('\n'));
    expect(await replay.run(['--driver', 'hid-pos', '-'], t.io)).toBe(0);
    expect(t.json()).toEqual([{ kind: 'barcode', aim: ']Q1', symbology: 'qr', text: 'hello' }]);
  });

  it('rejects bad options and bad files with exit code 2', async () => {
    for (const args of [
      [join(fixtures, 'hid-pos-scans.jsonl')],
      ['--driver', 'serial', 'x'],
      ['--driver', 'keyboard', '--layout', 'fr-FR', 'x'],
      ['--driver', 'hid-pos', '--mode', 'text', 'x'],
      ['--driver', 'keyboard', '--report-id', '0', 'x'],
      ['--driver', 'keyboard', '--colour', 'x'],
      ['--driver', 'keyboard'],
      ['--driver', 'keyboard', join(fixtures, 'does-not-exist.jsonl')],
    ]) {
      const t = io();
      expect(await replay.run(args, t.io), args.join(' ')).toBe(2);
      expect(t.err()).toMatch(/^kiosk hid-replay: /);
    }
    const t = io('{"t": 0, "report": "xyz"}\n');
    expect(await replay.run(['--driver', 'hid-pos', '-'], t.io)).toBe(2);
    expect(t.err()).toContain('line 1');
  });
});

class FakeHandle extends EventEmitter implements NodeHidHandle {
  async close(): Promise<void> {}
  async sendFeatureReport(data: number[] | Buffer): Promise<number> {
    return data.length;
  }
}

function fakeHid(devices: NodeHidDeviceRecord[]) {
  const handles: FakeHandle[] = [];
  const hid: NodeHidModule = {
    devicesAsync: async () => devices,
    HIDAsync: {
      open: async () => {
        const h = new FakeHandle();
        handles.push(h);
        return h;
      },
    },
  };
  return { hid, handles };
}

describe('kiosk devices', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-devices-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const scanner: NodeHidDeviceRecord = {
    vendorId: 0x0c2e,
    productId: 0x0b61,
    path: '/dev/hidraw1',
    product: 'Xenon 1950',
    manufacturer: 'Honeywell',
    interface: 0,
    usagePage: 0x8c,
    usage: 0x02,
  };
  const keyboard: NodeHidDeviceRecord = {
    vendorId: 0x046d,
    productId: 0xc31c,
    path: '/dev/hidraw0',
    product: 'Keyboard',
    interface: 0,
    usagePage: 1,
    usage: 6,
  };

  it('says clearly when no HID device is attached', async () => {
    const t = io();
    expect(await createDevicesCommand({ loadHid: async () => ok(fakeHid([]).hid) }).run([], t.io)).toBe(0);
    expect(t.out()).toBe('no HID devices found\n');
  });

  it('lists through the real node-hid (whatever this machine has attached)', async () => {
    const t = io();
    expect(await createDevicesCommand().run([], t.io)).toBe(0);
    expect(t.out()).toMatch(/^(no HID devices found\n|vid:pid .*\n([0-9a-f]{4}:[0-9a-f]{4} .*\n)+)$/);
  });

  it('lists devices with the profile each matches', async () => {
    const { hid } = fakeHid([keyboard, scanner]);
    const t = io();
    expect(await createDevicesCommand({ loadHid: async () => ok(hid) }).run([], t.io)).toBe(0);
    const lines = t.out().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^046d:c31c {2}0001\/0006 {2}Keyboard .* - \(not a reader\)$/);
    expect(lines[2]).toMatch(
      /^0c2e:0b61 {2}008c\/0002 {2}Honeywell Xenon 1950 .* hid-pos-scanner \(hid-pos, barcode\)$/,
    );
  });

  it('lists as JSON lines and applies administrators profiles first', async () => {
    const file = join(dir, 'profiles.json');
    await writeFile(
      file,
      JSON.stringify({
        profiles: [
          {
            id: 'front-desk',
            match: { vendorId: '0x046d', productId: '0xc31c' },
            driver: 'keyboard',
            mode: 'barcode',
          },
        ],
      }),
    );
    const { hid } = fakeHid([keyboard, scanner]);
    const t = io();
    expect(
      await createDevicesCommand({ loadHid: async () => ok(hid) }).run(['--json', '--profiles', file], t.io),
    ).toBe(0);
    expect(t.json().map((l) => l.profile)).toEqual(['front-desk', 'hid-pos-scanner']);
  });

  it('rejects invalid profiles files', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify([{ id: 'x', match: {}, driver: 'keyboard', mode: 'mrz' }]));
    const t = io();
    expect(
      await createDevicesCommand({ loadHid: async () => ok(fakeHid([]).hid) }).run(
        ['--profiles', file],
        t.io,
      ),
    ).toBe(2);
    expect(t.err()).toContain('[0].match');
  });

  it('--watch prints connections and reads until stopped, then closes everything', async () => {
    const { hid, handles } = fakeHid([scanner]);
    const clock = new VirtualClock();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const t = io('', stopped);
    const running = createDevicesCommand({ loadHid: async () => ok(hid), clock, now: today }).run(
      ['--watch'],
      t.io,
    );
    for (let i = 0; i < 20 && handles.length === 0; i++) await new Promise<void>((r) => setImmediate(r));
    expect(handles).toHaveLength(1);
    for (const r of encodeHidPosScan(']Q1', 'https://stadt.example/q'))
      handles[0]?.emit('data', Buffer.from(r));
    stop();
    expect(await running).toBe(0);
    expect(t.out()).toMatch(/^vid:pid .*\n0c2e:0b61 .* hid-pos-scanner/);
    expect(t.json()).toEqual([
      { kind: 'connected', deviceId: expect.stringMatching(/^hid:0c2e:0b61/), profile: 'hid-pos-scanner' },
      { kind: 'barcode', aim: ']Q1', symbology: 'qr', text: 'https://stadt.example/q' },
      { kind: 'disconnected', deviceId: expect.any(String), reason: 'closed' },
    ]);
    expect(clock.pendingTimers()).toBe(0);
    expect(handles[0]?.listenerCount('data')).toBe(0);
  });

  it('fails with exit code 1 when HID cannot be accessed', async () => {
    const t = io();
    const code = await createDevicesCommand({
      loadHid: async () => ({
        ok: false,
        error: { code: 'device.list_failed', message: 'node-hid could not be loaded' },
      }),
    }).run([], t.io);
    expect(code).toBe(1);
    expect(t.err()).toContain('node-hid could not be loaded');
  });
});
