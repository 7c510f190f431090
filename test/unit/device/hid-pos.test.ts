import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../device/clock.ts';
import {
  createHidPosDriver,
  encodeHidPosScan,
  HID_POS_ENABLE_FEATURE_REPORT,
} from '../../../device/drivers/hid-pos.ts';
import type { ReaderEvent } from '../../../device/events.ts';

function setup(options: { continuationTimeoutMs?: number; maxScanBytes?: number } = {}) {
  const clock = new VirtualClock();
  const events: ReaderEvent[] = [];
  const driver = createHidPosDriver({
    deviceId: 'scanner',
    clock,
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { clock, events, driver };
}

/** A 64-byte HID POS report built by hand: id, count, payload, continuation flag in byte 63. */
function report(payload: string | number[], more = false, id = 0x02, count?: number): Uint8Array {
  const bytes = typeof payload === 'string' ? [...Buffer.from(payload, 'latin1')] : payload;
  const r = new Uint8Array(64);
  r[0] = id;
  r[1] = count ?? bytes.length;
  r.set(bytes.slice(0, 61), 2);
  if (more) r[63] = 0x01;
  return r;
}

describe('HID POS driver', () => {
  it('reads a single-report EAN-13 scan', () => {
    const { driver, events } = setup();
    driver.push(report(']E04006381333931'));
    expect(events).toEqual([
      { kind: 'barcode', aim: ']E0', symbology: 'ean-13', text: '4006381333931', deviceId: 'scanner' },
    ]);
  });

  it('joins a multi-report QR scan using the continuation bit', () => {
    const { driver, events, clock } = setup();
    const text = `https://service.example.org/t/${'A'.repeat(100)}?x=1`;
    const all = `]Q1${text}`;
    driver.push(report(all.slice(0, 61), true));
    clock.advanceBy(5);
    driver.push(report(all.slice(61, 122), true));
    clock.advanceBy(5);
    expect(events).toEqual([]);
    driver.push(report(all.slice(122)));
    expect(events).toEqual([{ kind: 'barcode', aim: ']Q1', symbology: 'qr', text, deviceId: 'scanner' }]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('maps AIM identifiers to symbology names', () => {
    const { driver, events } = setup();
    for (const aim of [']Q1', ']d1', ']d2', ']C0', ']C1', ']E0', ']E4', ']L2', ']A0', ']z0'])
      driver.push(report(`${aim}X`));
    expect(
      events.map((e) => (e.kind === 'barcode' ? e.symbology : e.kind === 'error' ? e.code : e.kind)),
    ).toEqual([
      'qr',
      'datamatrix',
      'gs1-datamatrix',
      'code128',
      'gs1-128',
      'ean-13',
      'ean-8',
      'pdf417',
      'code39',
      'aztec',
    ]);
  });

  it('decodes UTF-8 across report boundaries and falls back to Latin-1', () => {
    const { driver, events } = setup();
    const text = 'Ausländerbehörde — Antrag für Çağrı Öztürk, 東京 ✓';
    for (const r of encodeHidPosScan(']Q1', `${text}${'.'.repeat(50)}`)) driver.push(r);
    expect(events).toEqual([
      { kind: 'barcode', aim: ']Q1', symbology: 'qr', text: `${text}${'.'.repeat(50)}`, deviceId: 'scanner' },
    ]);
    // 0xE4 alone is not UTF-8: ä in Latin-1.
    driver.push(report([0x5d, 0x51, 0x31, 0x4d, 0xe4, 0x72]));
    expect(events[1]).toMatchObject({ kind: 'barcode', text: 'Mär' });
  });

  it('splits UTF-8 inside a multi-byte character and still decodes it', () => {
    const { driver, events } = setup();
    const text = `${'x'.repeat(57)}€€`; // ']Q1' + 57 = 60 bytes, so the first € straddles reports
    const reports = encodeHidPosScan(']Q1', text);
    expect(reports).toHaveLength(2);
    for (const r of reports) driver.push(r);
    expect(events).toEqual([{ kind: 'barcode', aim: ']Q1', symbology: 'qr', text, deviceId: 'scanner' }]);
  });

  it('reports a wrong report id, an oversized count and a wrong length as errors, never reads', () => {
    const { driver, events } = setup();
    driver.push(report(']Q1hello', false, 0x01));
    driver.push(report(']Q1hello', false, 0x02, 62));
    driver.push(new Uint8Array(63));
    expect(events.map((e) => e.kind === 'error' && e.code)).toEqual([
      'device.bad_report',
      'device.bad_report',
      'device.bad_report',
    ]);
  });

  it('rejects a scan without a valid AIM identifier', () => {
    const { driver, events } = setup();
    driver.push(report('hello'));
    driver.push(report(']#1hello'));
    driver.push(report(']Y0hello'));
    driver.push(report(']Q1'));
    expect(events.map((e) => e.kind === 'error' && e.code)).toEqual([
      'device.bad_symbology',
      'device.bad_symbology',
      'device.bad_symbology',
      'device.bad_report',
    ]);
  });

  it('times out between continuation reports and drops the partial scan', () => {
    const { driver, events, clock } = setup({ continuationTimeoutMs: 100 });
    driver.push(report(']Q1first part', true));
    clock.advanceBy(99);
    expect(events).toEqual([]);
    clock.advanceBy(1);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'error', code: 'device.scan_timeout', deviceId: 'scanner' }),
    ]);
    // The next report starts a fresh scan.
    driver.push(report(']E04006381333931'));
    expect(events[1]).toMatchObject({ kind: 'barcode', text: '4006381333931' });
  });

  it('reports a scan cut off by the end of the stream as truncated', () => {
    const { driver, events, clock } = setup();
    driver.push(report(']Q1first part', true));
    driver.flush();
    expect(events).toEqual([expect.objectContaining({ code: 'device.truncated_scan' })]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('reports a short report in the middle of a scan as truncated', () => {
    const { driver, events } = setup();
    driver.push(report(']Q1first part', true));
    driver.push(new Uint8Array(20));
    expect(events).toEqual([expect.objectContaining({ code: 'device.truncated_scan' })]);
  });

  it('drops a scan longer than the limit, then reads the next one', () => {
    const { driver, events } = setup({ maxScanBytes: 100 });
    for (const r of encodeHidPosScan(']Q1', 'y'.repeat(300))) driver.push(r);
    for (const r of encodeHidPosScan(']Q1', 'ok')) driver.push(r);
    expect(events.map((e) => (e.kind === 'error' ? e.code : e.kind))).toEqual([
      'device.scan_too_long',
      'barcode',
    ]);
  });

  it('emits nothing after dispose and leaves no timer', () => {
    const { driver, events, clock } = setup();
    driver.push(report(']Q1first part', true));
    driver.dispose();
    driver.push(report(']E04006381333931'));
    clock.runAll();
    expect(events).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('encodes scans as 64-byte reports with the continuation bit on all but the last', () => {
    const reports = encodeHidPosScan(']Q1', 'z'.repeat(150));
    expect(reports.map((r) => [r.length, r[0], r[1], r[63]])).toEqual([
      [64, 2, 61, 1],
      [64, 2, 61, 1],
      [64, 2, 31, 0],
    ]);
  });

  it('exports the enable-HID-POS feature report (report 254 = 0x01)', () => {
    expect([...HID_POS_ENABLE_FEATURE_REPORT]).toEqual([0xfe, 0x01]);
  });

  it('in MRZ mode reads one scan as one MRZ document, lines split at CR/LF', () => {
    const { clock } = setup();
    const events: ReaderEvent[] = [];
    const driver = createHidPosDriver({
      deviceId: 'ocr',
      clock,
      onEvent: (e) => events.push(e),
      mode: 'mrz',
    });
    const td3 = [
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
      'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
    ];
    for (const r of encodeHidPosScan(']o0', `${td3.join('\r')}\r`)) driver.push(r);
    for (const r of encodeHidPosScan(']o0', td3[0] ?? '')) driver.push(r);
    for (const r of encodeHidPosScan(']o0', 'not an mrz')) driver.push(r);
    expect(events).toEqual([
      { kind: 'mrz', lines: td3, deviceId: 'ocr' },
      expect.objectContaining({ kind: 'error', code: 'device.partial_document' }),
      expect.objectContaining({ kind: 'error', code: 'device.bad_line' }),
    ]);
  });
});
