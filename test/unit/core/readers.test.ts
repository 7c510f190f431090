import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskEvent } from '../../../api/contract.ts';
import { ManualClock } from '../../../core/clock.ts';
import { loadConfig } from '../../../core/config.ts';
import { createKiosk, type Kiosk } from '../../../core/kiosk.ts';
import { createLogger } from '../../../core/log.ts';
import type { Terminal } from '../../../sync/terminal.ts';
import { offlineEnrolment } from '../../support/offline-terminal.ts';

// ICAO 9303 part 4 specimen (TD3 passport of Utopia).
const passport = [
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
  'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
];

let kiosk: Kiosk | undefined;
let terminal: Terminal | undefined;
afterEach(async () => {
  await kiosk?.close();
  await terminal?.close();
  terminal = undefined;
  kiosk = undefined;
});

async function setup() {
  const clock = new ManualClock(Date.UTC(2026, 10, 29, 10));
  const logLines: string[] = [];
  const config = loadConfig({
    env: {
      KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-readers-')),
      KIOSK_PORTAL_URL: 'http://127.0.0.1:1',
      KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
      KIOSK_SIMULATE_READERS: 'true',
    },
  });
  terminal = await (await offlineEnrolment(config.dataDir, 'http://127.0.0.1:1')).open();
  const k = createKiosk(config, { clock, terminal, log: createLogger((line) => logLines.push(line)) });
  kiosk = k;
  const seen: KioskEvent[] = [];
  k.events.subscribe((event) => seen.push(event));
  await k.started;
  const simulator = k.simulator;
  if (!simulator) throw new Error('the kiosk should run with simulated readers');
  const reads = () => seen.filter((e) => e.name === 'device.read').map((e) => e.payload);
  return { k, clock, seen, simulator, reads, logLines };
}

describe('readers in the kiosk', () => {
  it('reports the simulated readers as connected', async () => {
    const { k, seen } = await setup();
    expect(seen.filter((e) => e.name === 'device.connected')).toHaveLength(2);
    const status = await k.router.dispatch('system.status', {});
    expect(status.ok && (status.value as { readers: unknown[] }).readers).toEqual([
      expect.objectContaining({ kind: 'document', connected: true, simulated: true }),
      expect.objectContaining({ kind: 'barcode', connected: true, simulated: true }),
    ]);
  });

  it('drops reads that no session step asked for', async () => {
    const { k, clock, simulator, reads } = await setup();
    simulator.present('mrz', passport);
    clock.advance(5_000);
    await k.router.dispatch('session.start', { language: 'en' });
    simulator.present('mrz', passport);
    clock.advance(5_000);
    expect(reads()).toEqual([]);
    expect(k.readers.ignoredReads).toBe(2);
  });

  it('hands a document read to the step that expects one, as parsed fields', async () => {
    const { k, clock, simulator, reads, logLines } = await setup();
    await k.router.dispatch('session.start', { language: 'en' });
    expect(await k.router.dispatch('reader.expect', { kinds: ['mrz'] })).toMatchObject({ ok: true });
    simulator.present('mrz', passport);
    clock.advance(5_000);
    expect(reads()).toEqual([
      {
        kind: 'mrz',
        readerId: expect.any(String),
        document: expect.objectContaining({
          format: 'TD3',
          documentCode: 'P',
          issuingState: 'UTO',
          lastName: 'ERIKSSON',
          firstNames: 'ANNA MARIA',
          birthDate: '1974-08-12',
          documentNumber: 'L898902C3',
        }),
      },
    ]);
    // A barcode is not what this step asked for.
    simulator.scan('ST1:ST-ABCDEFGHJK', 'qr');
    clock.advance(5_000);
    expect(reads()).toHaveLength(1);
    expect(logLines.join('')).not.toMatch(/ERIKSSON|L898902C3/);
  });

  it('forgets what the step expected when the session ends', async () => {
    const { k, clock, simulator, reads } = await setup();
    await k.router.dispatch('session.start', { language: 'en' });
    await k.router.dispatch('reader.expect', { kinds: ['barcode'] });
    await k.router.dispatch('session.end', { reason: 'visitor' });
    await k.router.dispatch('session.start', { language: 'en' });
    simulator.scan('ST1:ST-ABCDEFGHJK', 'qr');
    clock.advance(5_000);
    expect(reads()).toEqual([]);
  });

  it('delivers barcode reads and reports a partial document as an error code', async () => {
    const { k, clock, simulator, reads } = await setup();
    await k.router.dispatch('session.start', { language: 'en' });
    await k.router.dispatch('reader.expect', { kinds: ['mrz', 'barcode'] });
    simulator.scan('ST1:ST-ABCDEFGHJK', 'qr');
    simulator.present('mrz', [passport[0] ?? '']);
    clock.advance(5_000);
    expect(reads()).toEqual([
      { kind: 'barcode', readerId: expect.any(String), symbology: 'qr', text: 'ST1:ST-ABCDEFGHJK' },
      { kind: 'error', readerId: expect.any(String), code: 'device.partial_document' },
    ]);
  });

  it('takes reads from the UI keystroke listener only where a step expects them', async () => {
    const { k, reads } = await setup();
    await k.router.dispatch('session.start', { language: 'en' });
    expect(await k.router.dispatch('reader.wedge', { kind: 'mrz', lines: passport })).toEqual({
      ok: true,
      value: { accepted: false },
    });
    await k.router.dispatch('reader.expect', { kinds: ['mrz'] });
    expect(await k.router.dispatch('reader.wedge', { kind: 'mrz', lines: passport })).toEqual({
      ok: true,
      value: { accepted: true },
    });
    expect(reads()).toEqual([
      {
        kind: 'mrz',
        readerId: 'keyboard-wedge',
        document: expect.objectContaining({ lastName: 'ERIKSSON' }),
      },
    ]);
    // Lower case or stray characters are not an MRZ: refused at the boundary.
    expect(await k.router.dispatch('reader.wedge', { kind: 'mrz', lines: ['p<uto', 'x'] })).toMatchObject({
      ok: false,
      error: { code: 'api.bad_request' },
    });
  });

  it('refuses to expect reads without a session', async () => {
    const { k } = await setup();
    expect(await k.router.dispatch('reader.expect', { kinds: ['mrz'] })).toMatchObject({
      ok: false,
      error: { code: 'session.none' },
    });
  });

  it('reports unplug and replug of a reader', async () => {
    const { clock, simulator, seen } = await setup();
    simulator.detach('barcode-scanner');
    clock.advance(1_000);
    simulator.attach('barcode-scanner');
    clock.advance(1_000);
    expect(seen.map((e) => e.name).filter((n) => n.startsWith('device.'))).toEqual([
      'device.connected',
      'device.connected',
      'device.disconnected',
      'device.connected',
    ]);
  });

  it('closes every reader handle and timer', async () => {
    const { k, clock } = await setup();
    await k.close();
    expect(clock.pendingTimers).toBe(0);
    expect(k.events.listenerCount).toBe(1);
  });
});
