/**
 * Property tests: random valid MRZ documents read the same through every reader path, and
 * random bytes or random timing never throw and never produce a wrong read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyboardCodec } from '../../../api/keyboard-layouts.ts';
import { VirtualClock } from '../../../device/clock.ts';
import { createHidPosDriver, encodeHidPosScan } from '../../../device/drivers/hid-pos.ts';
import { createKeyboardDriver, encodeKeyboardText } from '../../../device/drivers/keyboard.ts';
import type { ReaderMode } from '../../../device/drivers/lines.ts';
import type { ReaderEvent } from '../../../device/events.ts';
import { parseMrz } from '../../../device/mrz/index.ts';
import { MRZ_GEN_TODAY, mrzDocument } from '../../support/mrz-gen.ts';

type Layout = 'en-US' | 'de-DE';

function keyboard(layout: Layout, mode: ReaderMode = 'mrz') {
  const clock = new VirtualClock();
  const events: ReaderEvent[] = [];
  const driver = createKeyboardDriver({
    deviceId: 'k',
    clock,
    onEvent: (e) => events.push(e),
    codec: keyboardCodec(layout),
    mode,
  });
  return { clock, events, driver };
}

function hidPos(mode: ReaderMode) {
  const clock = new VirtualClock();
  const events: ReaderEvent[] = [];
  const driver = createHidPosDriver({ deviceId: 'p', clock, onEvent: (e) => events.push(e), mode });
  return { clock, events, driver };
}

/** Feeds reports with the given gaps (cycled), then lets every timer run out. */
function feed(
  s: { clock: VirtualClock; driver: { push(r: Uint8Array): void } },
  reports: readonly Uint8Array[],
  gaps: readonly number[],
): void {
  reports.forEach((r, i) => {
    s.driver.push(r);
    s.clock.advanceBy(gaps.length === 0 ? 0 : (gaps[i % gaps.length] ?? 0));
  });
  s.clock.runAll();
}

const fields = (lines: readonly string[]) => {
  const r = parseMrz(lines, { today: MRZ_GEN_TODAY });
  return {
    valid: r.valid,
    format: r.format,
    documentNumber: r.documentNumber,
    birthDate: r.birthDate,
    expiryDate: r.expiryDate,
    lastName: r.lastName,
    firstNames: r.firstNames,
    nationality: r.nationality,
  };
};

describe('every reader path reads a valid MRZ the same', () => {
  it('keyboard en-US, keyboard de-DE (with and without rollover, random key timing) and HID POS agree', () => {
    fc.assert(
      fc.property(
        mrzDocument(),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom('\r', '\n', '\r\n'),
        (doc, rollover, gaps, separator) => {
          const results: ReaderEvent[][] = [];
          for (const layout of ['en-US', 'de-DE'] as const) {
            const s = keyboard(layout);
            const reports = encodeKeyboardText(
              doc.lines.map((l) => `${l}\n`).join(''),
              keyboardCodec(layout),
              { rollover },
            );
            if (!reports.ok) throw new Error(reports.error.message);
            feed(s, reports.value, gaps);
            results.push(s.events);
          }
          const p = hidPos('mrz');
          feed(p, encodeHidPosScan(']o0', doc.lines.join(separator)), [1]);
          results.push(p.events);
          for (const events of results) {
            expect(events).toEqual([{ kind: 'mrz', lines: doc.lines, deviceId: expect.any(String) }]);
          }
          const parsed = fields(doc.lines);
          expect(parsed).toMatchObject({
            valid: true,
            documentNumber: doc.expected.documentNumber,
            birthDate: doc.expected.birthDate,
            expiryDate: doc.expected.expiryDate,
            lastName: doc.expected.lastName,
            firstNames: doc.expected.firstNames,
            nationality: doc.expected.nationality,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random pauses between keys never produce a wrong read: the document, or errors only', () => {
    fc.assert(
      fc.property(
        mrzDocument(),
        fc.constantFrom<Layout>('en-US', 'de-DE'),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 4000 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (doc, layout, gaps) => {
          const s = keyboard(layout);
          const reports = encodeKeyboardText(doc.lines.map((l) => `${l}\n`).join(''), keyboardCodec(layout));
          if (!reports.ok) throw new Error(reports.error.message);
          feed(s, reports.value, gaps);
          for (const e of s.events) {
            if (e.kind === 'error') expect(e.code).toMatch(/^device\.(partial_document|bad_line)$/);
            else expect(e).toEqual({ kind: 'mrz', lines: doc.lines, deviceId: 'k' });
          }
          expect(s.events.length).toBeGreaterThan(0);
          expect(s.clock.pendingTimers()).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('random input never throws and never produces a read', () => {
  const report = (length: fc.Arbitrary<number>) =>
    length.chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));

  it('keyboard driver in MRZ mode, both layouts, with and without a report id, random timing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(report(fc.constant(8)), report(fc.integer({ min: 0, max: 12 }))), {
          maxLength: 200,
        }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 50 }),
        fc.constantFrom<Layout>('en-US', 'de-DE'),
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        (reports, gaps, layout, reportId) => {
          const clock = new VirtualClock();
          const events: ReaderEvent[] = [];
          const driver = createKeyboardDriver({
            deviceId: 'k',
            clock,
            onEvent: (e) => events.push(e),
            codec: keyboardCodec(layout),
            mode: 'mrz',
            ...(reportId === undefined ? {} : { reportId }),
          });
          feed({ clock, driver }, reports, gaps);
          driver.flush();
          expect(events.filter((e) => e.kind !== 'error')).toEqual([]);
          expect(clock.pendingTimers()).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keyboard driver: random presses of MRZ keys with Enter never form a read unless they spell a document', () => {
    // Keys that type MRZ characters (letters, digits, `<` in en-US), Enter, with random Shift.
    const key = fc.oneof(
      fc.integer({ min: 0x04, max: 0x27 }),
      fc.constant(0x36),
      fc.constant(0x28),
      fc.constant(0x64),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.boolean()), { maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 20 }),
        (keys, gaps) => {
          const s = keyboard('en-US');
          const reports = keys.flatMap(([k, shift]) => [
            Uint8Array.of(shift ? 2 : 0, 0, k, 0, 0, 0, 0, 0),
            new Uint8Array(8),
          ]);
          feed(s, reports, gaps);
          for (const e of s.events) {
            if (e.kind === 'mrz') expect(parseMrz(e.lines).format).not.toBeNull();
            else expect(e.kind).toBe('error');
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('HID POS driver in MRZ mode, random reports and timing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(report(fc.constant(64)), report(fc.integer({ min: 0, max: 70 }))), {
          maxLength: 100,
        }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 20 }),
        (reports, gaps) => {
          const s = hidPos('mrz');
          feed(s, reports, gaps);
          s.driver.flush();
          expect(s.events.filter((e) => e.kind !== 'error')).toEqual([]);
          expect(s.clock.pendingTimers()).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('HID POS driver in barcode mode: a read only ever comes from a well-formed scan', () => {
    // Random reports, with report id 0x02 and a leading `]` made likely so that some parse.
    const hidPosLike = fc
      .tuple(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.boolean(), fc.boolean())
      .map(([bytes, id, aim]) => {
        const r = bytes.slice();
        if (id) r[0] = 0x02;
        if (aim) r[2] = 0x5d;
        return r;
      });
    fc.assert(
      fc.property(
        fc.array(hidPosLike, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 10 }),
        (reports, gaps) => {
          const s = hidPos('barcode');
          feed(s, reports, gaps);
          s.driver.flush();
          for (const e of s.events) {
            if (e.kind !== 'barcode') {
              expect(e.kind).toBe('error');
              continue;
            }
            // A read needs a start report with id 2, a count <= 61 and `]` + a known AIM code.
            const starts = reports.filter(
              (r) => r[0] === 0x02 && (r[1] ?? 0) <= 61 && (r[1] ?? 0) >= 3 && r[2] === 0x5d,
            );
            expect(starts.length).toBeGreaterThan(0);
            expect(e.aim).toMatch(/^\][A-Za-z][0-9A-Za-z]$/);
          }
          expect(s.clock.pendingTimers()).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
