/**
 * HID reader drivers: report-to-read latency (from the moment the last report of a scan or
 * document enters the driver to the read event) as p50/p99, and throughput in reports per second,
 * for HID POS scans and keyboard-mode MRZ documents (both layouts), and through the whole
 * simulator → reader manager path.
 */
import { keyboardCodec } from '../../api/keyboard-layouts.ts';
import { VirtualClock } from '../../device/clock.ts';
import { createHidPosDriver, encodeHidPosScan } from '../../device/drivers/hid-pos.ts';
import { createKeyboardDriver, encodeKeyboardText } from '../../device/drivers/keyboard.ts';
import type { Driver, ReaderEvent } from '../../device/events.ts';
import { builtinProfiles } from '../../device/profiles.ts';
import { ReaderManager } from '../../device/readers.ts';
import { SimulatorTransport, simulatorProfiles } from '../../device/transports/simulator.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = [
  'IDD<<T220001293<<<<<<<<<<<<<<<',
  '6408125<2010315D<<<<<<<<<<<<<5',
  'MUSTERMANN<<ERIKA<<<<<<<<<<<<<',
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Case {
  readonly name: string;
  readonly reports: readonly Uint8Array[];
  /** The report that completes the scan or document (keyboard: the last Enter, before its release). */
  readonly completing: number;
  readonly make: (clock: VirtualClock, onEvent: (e: ReaderEvent) => void) => Driver;
}

function keyboardCase(name: string, lines: readonly string[], layout: 'en-US' | 'de-DE'): Case {
  const codec = keyboardCodec(layout);
  const encoded = encodeKeyboardText(lines.map((l) => `${l}\n`).join(''), codec);
  if (!encoded.ok) throw new Error(encoded.error.message);
  return {
    name,
    reports: encoded.value,
    completing: encoded.value.length - 2,
    make: (clock, onEvent) => createKeyboardDriver({ deviceId: 'bench', clock, onEvent, codec, mode: 'mrz' }),
  };
}

function hidPosCase(name: string, aim: string, text: string): Case {
  return {
    name,
    reports: encodeHidPosScan(aim, text),
    completing: encodeHidPosScan(aim, text).length - 1,
    make: (clock, onEvent) => createHidPosDriver({ deviceId: 'bench', clock, onEvent }),
  };
}

function run(c: Case, iterations: number): void {
  const clock = new VirtualClock();
  let readAt = 0n;
  let reads = 0;
  const driver = c.make(clock, (e) => {
    if (e.kind === 'error') throw new Error(`unexpected ${e.code}`);
    readAt = process.hrtime.bigint();
    reads++;
  });
  const latencies: number[] = [];
  // Warm up, then measure.
  for (let i = 0; i < 200; i++) for (const r of c.reports) driver.push(r);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < c.completing; j++) driver.push(c.reports[j] as Uint8Array);
    const before = process.hrtime.bigint();
    driver.push(c.reports[c.completing] as Uint8Array);
    latencies.push(Number(readAt - before) / 1000);
    for (let j = c.completing + 1; j < c.reports.length; j++) driver.push(c.reports[j] as Uint8Array);
    clock.advanceBy(2000);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  driver.dispose();
  if (reads !== iterations + 200)
    throw new Error(`${c.name}: ${reads} reads for ${iterations + 200} documents`);
  latencies.sort((a, b) => a - b);
  const reportsPerSecond = (iterations * c.reports.length) / seconds;
  console.log(
    `${c.name.padEnd(34)} ${String(c.reports.length).padStart(4)} reports  latency p50 ${percentile(latencies, 50).toFixed(1).padStart(6)} µs  p99 ${percentile(latencies, 99).toFixed(1).padStart(6)} µs  ${Math.round(reportsPerSecond).toLocaleString('en-US').padStart(11)} reports/s  ${Math.round(
      iterations / seconds,
    )
      .toLocaleString('en-US')
      .padStart(8)} reads/s`,
  );
}

/** The full path: simulator connection → reader manager → driver → manager event. */
async function endToEnd(iterations: number): Promise<void> {
  const clock = new VirtualClock();
  const codec = keyboardCodec('de-DE');
  const simulator = new SimulatorTransport({ clock, codec });
  const manager = new ReaderManager({
    transport: simulator,
    profiles: [...simulatorProfiles('de-DE'), ...builtinProfiles],
    clock,
    layouts: (id) => (id === 'de-DE' ? codec : undefined),
  });
  let reads = 0;
  manager.on('read', () => reads++);
  await manager.start();
  for (let i = 0; i < 500; i++) {
    simulator.present('mrz', TD3);
    clock.advanceBy(2000);
  }
  reads = 0;
  const start = process.hrtime.bigint();
  const latencies: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const before = process.hrtime.bigint();
    simulator.present('mrz', TD3);
    latencies.push(Number(process.hrtime.bigint() - before) / 1000);
    simulator.scan('https://stadt.example/t/AB12-CD34', 'qr');
    clock.advanceBy(2000);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await manager.close();
  if (reads !== 2 * iterations) throw new Error(`end to end: ${reads} reads`);
  latencies.sort((a, b) => a - b);
  console.log(
    `${'simulator→manager, TD3 de-DE + QR'.padEnd(34)} encode+deliver+decode per document p50 ${percentile(latencies, 50).toFixed(1)} µs  p99 ${percentile(latencies, 99).toFixed(1)} µs  ${Math.round((2 * iterations) / seconds).toLocaleString('en-US')} reads/s`,
  );
}

const cases: Case[] = [
  hidPosCase('HID POS EAN-13 (1 report)', ']E0', '4006381333931'),
  hidPosCase('HID POS QR URL (3 reports)', ']Q1', `https://termine.stadt.example/a/${'7f3c9e2b'.repeat(12)}`),
  hidPosCase('HID POS QR 1 KiB UTF-8', ']Q1', 'Ausländerbehörde Çağrı '.repeat(44)),
  keyboardCase('keyboard TD3 en-US', TD3, 'en-US'),
  keyboardCase('keyboard TD3 de-DE', TD3, 'de-DE'),
  keyboardCase('keyboard TD1 de-DE', TD1, 'de-DE'),
];

console.log(`node ${process.version}; latency = last report of a scan/document into the driver → read event`);
for (const c of cases) run(c, c.reports.length > 20 ? 5_000 : 50_000);
await endToEnd(3_000);
