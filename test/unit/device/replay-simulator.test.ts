import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyboardCodec } from '../../../api/keyboard-layouts.ts';
import { VirtualClock } from '../../../device/clock.ts';
import type { ReaderEvent } from '../../../device/events.ts';
import { builtinProfiles } from '../../../device/profiles.ts';
import { createDriver, ReaderManager } from '../../../device/readers.ts';
import { parseCapture, ReplayTransport } from '../../../device/transports/replay.ts';
import { SimulatorTransport, simulatorProfiles } from '../../../device/transports/simulator.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/hid');
const layouts = (id: string) => (id === 'en-US' || id === 'de-DE' ? keyboardCodec(id) : undefined);

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** Replays a capture file through the replay transport into one driver on a virtual clock. */
async function replayFile(
  file: string,
  profile: { driver: 'hid-pos' | 'keyboard'; mode: 'mrz' | 'barcode'; layout?: string; reportId?: number },
) {
  const parsed = parseCapture(readFileSync(join(fixtures, file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const clock = new VirtualClock();
  const transport = new ReplayTransport({ capture: parsed.value, clock });
  const opened = await transport.open({ path: 'replay' });
  if (!opened.ok) throw new Error(opened.error.message);
  const events: Array<ReaderEvent & { at: number }> = [];
  const driver = createDriver(
    { id: 'test', name: 'test', match: {}, ...profile },
    'replay',
    { clock, layouts },
    (e) => events.push({ ...e, at: clock.now() }),
  );
  if ('kind' in driver) throw new Error(driver.message);
  opened.value.on('data', (r) => driver.push(r));
  opened.value.on('state', (s) => s === 'closed' && driver.flush());
  clock.runAll();
  await transport.done;
  driver.dispose();
  return { events, clock };
}

describe('capture files', () => {
  it('parses JSON lines and rejects bad ones with their line number', () => {
    expect(parseCapture('{"t":0,"report":"0a0B"}\n\n{"t":5,"report":"ff"}\n')).toEqual({
      ok: true,
      value: [
        { t: 0, report: Uint8Array.of(0x0a, 0x0b) },
        { t: 5, report: Uint8Array.of(0xff) },
      ],
    });
    for (const [text, line] of [
      ['{"t":0,"report":"0"}', 1],
      ['{"t":0,"report":"zz"}', 1],
      ['{"t":5,"report":"00"}\n{"t":4,"report":"00"}', 2],
      ['{"t":-1,"report":"00"}', 1],
      ['{"report":"00"}', 1],
      ['[1,2]', 1],
      ['not json', 1],
    ] as const) {
      expect(parseCapture(text)).toMatchObject({ ok: false, error: { code: 'device.bad_capture', line } });
    }
  });

  it('replays HID POS scans with their timing: multi-report QR, EAN-13, UTF-8 Data Matrix', async () => {
    const { events } = await replayFile('hid-pos-scans.jsonl', { driver: 'hid-pos', mode: 'barcode' });
    expect(events).toEqual([
      {
        kind: 'barcode',
        aim: ']Q1',
        symbology: 'qr',
        text: 'https://termine.stadt.example/a/7f3c9e2b-4d1a-4e8f-9c2d-1b7a6e5f4d3c?lang=de&sig=Q2h4bm9wcXJzdHV2d3h5eg',
        deviceId: 'replay',
        at: 124,
      },
      {
        kind: 'barcode',
        aim: ']E0',
        symbology: 'ean-13',
        text: '4006381333931',
        deviceId: 'replay',
        at: 976,
      },
      {
        kind: 'barcode',
        aim: ']d1',
        symbology: 'datamatrix',
        text: 'Vorgang 2024-00871 · Çağrı Öztürk · Ausländerbehörde',
        deviceId: 'replay',
        at: expect.any(Number),
      },
    ]);
  });

  it('replays HID POS faults as errors and still reads the good scan after them', async () => {
    const { events } = await replayFile('hid-pos-faults.jsonl', { driver: 'hid-pos', mode: 'barcode' });
    expect(events.map((e) => (e.kind === 'error' ? e.code : e.kind === 'barcode' ? e.text : e.kind))).toEqual(
      ['device.bad_report', 'device.scan_timeout', 'AB-12345'],
    );
  });

  it('replays a de-DE keyboard reader: a passport and a residence permit', async () => {
    const { events } = await replayFile('keyboard-de-DE-mrz.jsonl', {
      driver: 'keyboard',
      mode: 'mrz',
      layout: 'de-DE',
    });
    expect(events.map(({ at: _, ...e }) => e)).toEqual([
      {
        kind: 'mrz',
        lines: [
          'P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<',
          'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4',
        ],
        deviceId: 'replay',
      },
      {
        kind: 'mrz',
        lines: [
          'ATD<<6525845096<<<<<<<<<<<<<<<',
          '7008038M2201018USA<<<<<<<<<<<6',
          'RESIDORCE<<ROLAND<<<<<<<<<<<<<',
        ],
        deviceId: 'replay',
      },
    ]);
  });

  it('the same de-DE capture decoded as en-US gives no read', async () => {
    const { events } = await replayFile('keyboard-de-DE-mrz.jsonl', {
      driver: 'keyboard',
      mode: 'mrz',
      layout: 'en-US',
    });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.kind === 'error')).toBe(true);
  });

  it('replays an en-US reader with report ids and rollover: TD1 then TD2', async () => {
    const { events } = await replayFile('keyboard-en-US-reportid-mrz.jsonl', {
      driver: 'keyboard',
      mode: 'mrz',
      layout: 'en-US',
      reportId: 1,
    });
    expect(events.map((e) => (e.kind === 'mrz' ? e.lines.length : e.kind))).toEqual([3, 2]);
  });

  it('replays a partial document as an error followed by the complete document', async () => {
    const { events } = await replayFile('keyboard-en-US-partial.jsonl', {
      driver: 'keyboard',
      mode: 'mrz',
      layout: 'en-US',
    });
    expect(events.map((e) => (e.kind === 'error' ? e.code : e.kind))).toEqual([
      'device.partial_document',
      'mrz',
    ]);
  });

  it('replays a keyboard-mode barcode scanner with and without AIM prefix', async () => {
    const { events } = await replayFile('keyboard-de-DE-barcode.jsonl', {
      driver: 'keyboard',
      mode: 'barcode',
      layout: 'de-DE',
    });
    expect(events.map(({ at: _, ...e }) => e)).toEqual([
      {
        kind: 'barcode',
        aim: ']Q1',
        symbology: 'qr',
        text: 'https://stadt.example/t/AB12-CD34?x=y',
        deviceId: 'replay',
      },
      { kind: 'barcode', aim: null, symbology: 'unknown', text: '4006381333931', deviceId: 'replay' },
    ]);
  });

  it('stops replaying when closed and leaves no timer', async () => {
    const parsed = parseCapture(readFileSync(join(fixtures, 'keyboard-de-DE-mrz.jsonl'), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const clock = new VirtualClock();
    const transport = new ReplayTransport({ capture: parsed.value, clock });
    const opened = await transport.open({ path: 'replay' });
    if (!opened.ok) throw new Error(opened.error.message);
    let n = 0;
    opened.value.on('data', () => n++);
    clock.advanceTo(300);
    expect(n).toBeGreaterThan(0);
    const seen = n;
    await transport.close();
    await transport.done;
    clock.runAll();
    expect(n).toBe(seen);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('reader manager on a replay', () => {
  it('reads a capture through the manager, finishes what is half-read when it ends, and disconnects', async () => {
    const parsed = parseCapture(readFileSync(join(fixtures, 'keyboard-en-US-partial.jsonl'), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    // Only the first two lines of the capture: the document stays incomplete at its end.
    const firstDocument = parsed.value.filter((e) => e.t < 1000);
    const clock = new VirtualClock();
    const transport = new ReplayTransport({
      capture: firstDocument,
      clock,
      device: { vendorId: 0x0db5, productId: 0x0001, usagePage: 1, usage: 6, path: 'replay', serial: 'R1' },
    });
    const manager = new ReaderManager({ transport, profiles: builtinProfiles, clock, layouts });
    const log: string[] = [];
    manager.on('connected', (r) => log.push(`connected:${r.profile.id}`));
    manager.on('disconnected', (r) => log.push(`disconnected:${r.reason}`));
    manager.on('read', (r) => log.push(r.kind));
    manager.on('error', (e) => log.push(e.code));
    await manager.start();
    clock.runAll();
    await transport.done;
    await settle();
    expect(log).toEqual(['connected:access-is-keyboard', 'device.partial_document', 'disconnected:closed']);
    expect(manager.readers()).toEqual([]);
    await manager.close();
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('simulator and reader manager', () => {
  const TD3 = [
    'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
    'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
  ];

  async function start(layout: 'en-US' | 'de-DE' = 'de-DE') {
    const clock = new VirtualClock();
    const simulator = new SimulatorTransport({ clock, codec: keyboardCodec(layout) });
    const manager = new ReaderManager({
      transport: simulator,
      profiles: [...simulatorProfiles(layout), ...builtinProfiles],
      clock,
      layouts,
    });
    const log: string[] = [];
    const reads: ReaderEvent[] = [];
    manager.on('connected', (r) => log.push(`connected:${r.profile.id}`));
    manager.on('disconnected', (r) => log.push(`disconnected:${r.reason}`));
    manager.on('read', (r) => reads.push(r));
    manager.on('error', (e) => reads.push(e));
    await manager.start();
    return { clock, simulator, manager, log, reads };
  }

  it('opens both simulated readers with their profiles and delivers reads through the drivers', async () => {
    const { simulator, manager, log, reads } = await start('de-DE');
    expect(log.sort()).toEqual(['connected:hid-pos-scanner', 'connected:simulated-document-reader']);
    expect(simulator.present('mrz', TD3)).toEqual({ ok: true, value: undefined });
    expect(simulator.scan('https://stadt.example/x', 'qr').ok).toBe(true);
    expect(simulator.scan('4006381333931', ']E0').ok).toBe(true);
    expect(reads).toEqual([
      { kind: 'mrz', lines: TD3, deviceId: expect.stringMatching(/^hid:ffff:0001/) },
      {
        kind: 'barcode',
        aim: ']Q1',
        symbology: 'qr',
        text: 'https://stadt.example/x',
        deviceId: expect.any(String),
      },
      {
        kind: 'barcode',
        aim: ']E0',
        symbology: 'ean-13',
        text: '4006381333931',
        deviceId: expect.any(String),
      },
    ]);
    expect(simulator.scan('x', 'no-such-symbology')).toMatchObject({
      ok: false,
      error: { code: 'device.bad_symbology' },
    });
    await manager.close();
  });

  it('delivers reports paced on the clock when an interval is set', async () => {
    const clock = new VirtualClock();
    const simulator = new SimulatorTransport({ clock, codec: keyboardCodec('en-US'), reportIntervalMs: 3 });
    const manager = new ReaderManager({
      transport: simulator,
      profiles: [...simulatorProfiles('en-US'), ...builtinProfiles],
      clock,
      layouts,
    });
    const reads: ReaderEvent[] = [];
    manager.on('read', (r) => reads.push(r));
    await manager.start();
    simulator.present('mrz', TD3);
    expect(reads).toEqual([]);
    clock.runAll();
    expect(reads).toHaveLength(1);
    await manager.close();
  });

  it('hot-plug: unplug mid-document reports the partial document and disconnection; replug reconnects', async () => {
    const { simulator, manager, log, reads, clock } = await start('en-US');
    log.length = 0;
    // Only the first line arrives, then the reader is unplugged.
    simulator.present('mrz', TD3.slice(0, 1));
    simulator.detach('document-reader');
    expect(log).toEqual(['disconnected:lost']);
    expect(reads.map((r) => r.kind === 'error' && r.code)).toEqual([
      'device.io_error',
      'device.partial_document',
    ]);
    expect(manager.readers().find((r) => r.profile.id === 'simulated-document-reader')?.connected).toBe(
      false,
    );
    expect(simulator.present('mrz', TD3).ok).toBe(false);
    simulator.attach('document-reader');
    await settle();
    expect(log).toEqual(['disconnected:lost', 'connected:simulated-document-reader']);
    simulator.present('mrz', TD3);
    expect(reads.at(-1)).toMatchObject({ kind: 'mrz', lines: TD3 });
    clock.runAll();
    await manager.close();
  });

  it('opens a device plugged in after start, once', async () => {
    const clock = new VirtualClock();
    const simulator = new SimulatorTransport({
      clock,
      codec: keyboardCodec('en-US'),
      attached: ['document-reader'],
    });
    const manager = new ReaderManager({
      transport: simulator,
      profiles: [...simulatorProfiles('en-US'), ...builtinProfiles],
      clock,
      layouts,
    });
    const log: string[] = [];
    manager.on('connected', (r) => log.push(r.profile.id));
    await manager.start();
    simulator.attach('barcode-scanner');
    await settle();
    expect(log).toEqual(['simulated-document-reader', 'hid-pos-scanner']);
    expect(manager.readers()).toHaveLength(2);
    await manager.close();
  });

  it('sends the enable-HID-POS feature report when the profile asks for it', async () => {
    const clock = new VirtualClock();
    const simulator = new SimulatorTransport({
      clock,
      codec: keyboardCodec('en-US'),
      attached: ['barcode-scanner'],
    });
    const sent: number[][] = [];
    const original = simulator.open.bind(simulator);
    simulator.open = async (target) => {
      const r = await original(target);
      if (r.ok) {
        const send = r.value.sendFeatureReport.bind(r.value);
        r.value.sendFeatureReport = async (data) => {
          sent.push([...data]);
          return send(data);
        };
      }
      return r;
    };
    const manager = new ReaderManager({
      transport: simulator,
      profiles: [
        {
          id: 'pos',
          name: 'pos',
          match: { usagePage: 0x8c },
          driver: 'hid-pos',
          mode: 'barcode',
          enableHidPos: true,
        },
      ],
      clock,
      layouts,
    });
    await manager.start();
    expect(sent).toEqual([[0xfe, 0x01]]);
    await manager.close();
  });

  it('reports an unknown keyboard layout as an error and does not keep the device open', async () => {
    const clock = new VirtualClock();
    const simulator = new SimulatorTransport({
      clock,
      codec: keyboardCodec('en-US'),
      attached: ['document-reader'],
    });
    const manager = new ReaderManager({
      transport: simulator,
      profiles: simulatorProfiles('fr-FR'),
      clock,
      layouts,
    });
    const errors: string[] = [];
    manager.on('error', (e) => errors.push(e.code));
    await manager.start();
    expect(errors).toEqual(['device.open_failed']);
    expect(manager.readers()).toEqual([]);
    await manager.close();
  });

  it('close() leaves no timer, listener or handle behind', async () => {
    const { simulator, manager, clock, log } = await start('en-US');
    // Leave a document half-typed and a paced delivery pending.
    simulator.present('mrz', TD3.slice(0, 1));
    expect(clock.pendingTimers()).toBeGreaterThan(0);
    await manager.close();
    expect(clock.pendingTimers()).toBe(0);
    expect(manager.activeHandles()).toBe(0);
    // Each reader said goodbye before the listeners were removed.
    expect(log.filter((l) => l.startsWith('disconnected'))).toEqual([
      'disconnected:closed',
      'disconnected:closed',
    ]);
    expect(simulator.present('mrz', TD3).ok).toBe(false);
  });
});
