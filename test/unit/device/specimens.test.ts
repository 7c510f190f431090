/**
 * Every published specimen MRZ (test/fixtures/mrz-specimens.json), typed by a keyboard-mode
 * reader in en-US and de-DE (with rollover) and sent by a HID POS OCR scanner, reaches the parser
 * as exactly the same lines (invalid specimens too: the driver judges shape, the parser content).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyboardCodec } from '../../../api/keyboard-layouts.ts';
import { VirtualClock } from '../../../device/clock.ts';
import { createHidPosDriver, encodeHidPosScan } from '../../../device/drivers/hid-pos.ts';
import { createKeyboardDriver, encodeKeyboardText } from '../../../device/drivers/keyboard.ts';
import type { ReaderEvent } from '../../../device/events.ts';

interface Specimen {
  readonly id: string;
  readonly lines: readonly string[];
  readonly valid: boolean;
}

const specimens = JSON.parse(
  readFileSync(new URL('../../fixtures/mrz-specimens.json', import.meta.url), 'utf8'),
) as Specimen[];

function viaKeyboard(lines: readonly string[], layout: 'en-US' | 'de-DE'): ReaderEvent[] {
  const clock = new VirtualClock();
  const events: ReaderEvent[] = [];
  const codec = keyboardCodec(layout);
  const driver = createKeyboardDriver({
    deviceId: 'k',
    clock,
    onEvent: (e) => events.push(e),
    codec,
    mode: 'mrz',
  });
  const reports = encodeKeyboardText(lines.map((l) => `${l}\n`).join(''), codec, { rollover: true });
  if (!reports.ok) throw new Error(reports.error.message);
  for (const r of reports.value) {
    driver.push(r);
    clock.advanceBy(3);
  }
  clock.runAll();
  return events;
}

function viaHidPos(lines: readonly string[]): ReaderEvent[] {
  const clock = new VirtualClock();
  const events: ReaderEvent[] = [];
  const driver = createHidPosDriver({ deviceId: 'p', clock, onEvent: (e) => events.push(e), mode: 'mrz' });
  for (const r of encodeHidPosScan(']o0', lines.join('\r\n'))) driver.push(r);
  clock.runAll();
  return events;
}

describe('published specimens through every reader path', () => {
  it('has specimens to test', () => {
    expect(specimens.length).toBeGreaterThan(20);
  });

  for (const s of specimens) {
    it(`${s.id}: the parser gets the same lines`, () => {
      const paths = [viaKeyboard(s.lines, 'en-US'), viaKeyboard(s.lines, 'de-DE'), viaHidPos(s.lines)];
      for (const events of paths)
        expect(events).toEqual([{ kind: 'mrz', lines: s.lines, deviceId: expect.any(String) }]);
    });
  }
});
