import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.ts';
import { EventBus } from '../../../core/events.ts';
import { KioskMetrics, labelValues } from '../../../core/metrics/metrics.ts';
import { usageReportSchema } from '../../../sync/protocol/index.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 7, 9, 10);

function setup() {
  const clock = new ManualClock(T0);
  const events = new EventBus();
  const metrics = new KioskMetrics({
    clock,
    processMetrics: false,
    languages: ['de', 'en'],
    run: 'run-0001',
  });
  metrics.attach(events);
  return { clock, events, metrics, usage: metrics.usage };
}

function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    map.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return map;
}

describe('KioskUsage', () => {
  it('counts journeys per hour by service, language and sign-in; the first ending counts', () => {
    const { clock, usage } = setup();
    const a = usage.journeyStarted('callback-request', 'de', 'guest');
    clock.advance(40_000);
    a.completed();
    a.abandoned('topic'); // ignored: it completed
    const b = usage.journeyStarted('callback-request', 'de', 'guest');
    clock.advance(55 * 60_000); // into the next hour
    b.abandoned('contact');
    b.completed(); // ignored
    const report = usage.report();
    expect(usageReportSchema.safeParse(report).success).toBe(true);
    expect(report?.run).toBe('run-0001');
    expect(report?.steps?.['callback-request']).toEqual(['topic', 'contact', 'review', 'declarations']);
    const [first, second] = report?.hours ?? [];
    expect(first?.hour).toBe('2026-12-07T09:00:00.000Z');
    expect(first?.journeys).toEqual([
      {
        service: 'callback-request',
        language: 'de',
        identity: 'guest',
        started: 2,
        completed: 1,
        abandoned: {},
      },
    ]);
    expect(first?.journeyDurations).toEqual([
      { service: 'callback-request', outcome: 'completed', counts: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0], sum: 40 },
    ]);
    expect(second?.hour).toBe('2026-12-07T10:00:00.000Z');
    expect(second?.journeys[0]).toMatchObject({ started: 0, completed: 0, abandoned: { contact: 1 } });
    expect(second?.journeyDurations[0]).toMatchObject({
      outcome: 'abandoned',
      counts: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
    });
  });

  it('keeps every label inside its finite set', async () => {
    const { usage, metrics } = setup();
    usage.journeyStarted('no-such-service', 'xx', 'guest').abandoned('Anna Müller');
    usage.journeyStarted('information', 'it', 'account').abandoned('not-a-step');
    usage.printed('passport' as never, 'printed');
    usage.printed('receipt', 'on fire' as never);
    const text = await metrics.render();
    expect(text).not.toContain('Anna');
    expect(text).not.toContain('no-such-service');
    expect(text).not.toContain('"it"');
    const s = samples(text);
    expect(
      s.get('kiosk_journeys_abandoned_total{service="other",language="other",identity="guest",step="other"}'),
    ).toBe(1);
    expect(
      s.get(
        'kiosk_journeys_abandoned_total{service="information",language="other",identity="account",step="other"}',
      ),
    ).toBe(1);
    for (const series of s.keys()) {
      const inner = /\{(.*)\}$/.exec(series)?.[1] ?? '';
      for (const [, name, value] of inner.matchAll(/(\w+)="([^"]*)"/g)) {
        if (name === 'le' || !name || !value) continue;
        expect(labelValues[name], `label ${name}`).toContain(value);
      }
    }
    expect(s.get('kiosk_prints_total{document="receipt",outcome="printed"}')).toBe(0);
    const hour = usage.report()?.hours[0];
    expect(hour?.prints).toEqual([]);
    expect(usageReportSchema.safeParse(usage.report()).success).toBe(true);
  });

  it('counts sessions, reads and rereads per session, staff calls and prints from the kiosk events', async () => {
    const { events, metrics, usage, clock } = setup();
    metrics.sessionStarted('s1');
    events.emit('device.read', { kind: 'error', readerId: 'doc-1', code: 'read.failed' });
    events.emit('device.read', { kind: 'barcode', readerId: 'scan-1', symbology: 'qr', text: 'ST1:X' });
    events.emit('device.read', {
      kind: 'mrz',
      readerId: 'doc-1',
      document: {} as never,
    });
    metrics.staffCalled();
    usage.printed('receipt', 'failed');
    clock.advance(200_000);
    events.emit('session.ended', { sessionId: 's1', reason: 'visitor' });
    metrics.sessionStarted('s2');
    events.emit('device.read', { kind: 'barcode', readerId: 'scan-1', symbology: 'qr', text: 'ST1:Y' });
    const hour = usage.report()?.hours[0];
    expect(hour).toMatchObject({
      sessions: 2,
      reads: { mrz: 1, barcode: 2, error: 1 },
      rereads: 1, // the document reader's second try in s1; s2's scan is its first
      staffCalls: 1,
      prints: [{ document: 'receipt', outcome: 'failed', count: 1 }],
      sessionDurations: { counts: [0, 0, 0, 0, 1, 0, 0, 0, 0, 0], sum: 200 },
    });
    const s = samples(await metrics.render());
    expect(s.get('kiosk_rereads_total')).toBe(1);
    expect(s.get('kiosk_prints_total{document="receipt",outcome="failed"}')).toBe(1);
  });

  it('sends an hour until the portal took it as it is now, and forgets hours after two days', () => {
    const { usage, clock } = setup();
    expect(usage.report()).toBeUndefined();
    usage.staffCalled();
    const first = usage.report();
    expect(first?.hours).toHaveLength(1);
    // a changed hour is not delivered by an older copy
    usage.staffCalled();
    usage.delivered(structuredClone(first));
    expect(usage.report()?.hours[0]?.staffCalls).toBe(2);
    // a copy of the latest is (the heartbeat parses the body: not the same object)
    usage.delivered(structuredClone(usage.report()));
    expect(usage.report()).toBeUndefined();
    // another run's report changes nothing
    usage.staffCalled();
    const current = usage.report();
    usage.delivered(current && { ...current, run: 'run-9999' });
    expect(usage.report()).toBeDefined();
    usage.delivered(usage.report());
    clock.advance(47 * HOUR);
    usage.staffCalled();
    expect(usage.report()?.hours.map((h) => h.hour)).toEqual(['2026-12-09T08:00:00.000Z']);
    clock.advance(2 * HOUR);
    usage.staffCalled();
    const hours = usage.report()?.hours.map((h) => h.hour);
    expect(hours).toEqual(['2026-12-09T08:00:00.000Z', '2026-12-09T10:00:00.000Z']);
    // after 48 hours the first hour (09:00 of the 7th) is gone: a report holds at most 48 hours
    expect(usageReportSchema.safeParse(usage.report()).success).toBe(true);
  });

  it('takes over the saved counts and run after a restart, adding what the new run counted', () => {
    const before = setup();
    before.usage.journeyStarted('information', 'de', 'guest').abandoned('topic');
    before.usage.staffCalled();
    before.usage.delivered(before.usage.report()); // the portal has 09:00
    before.clock.advance(HOUR);
    before.usage.staffCalled(); // 10:00, not sent yet
    const saved = before.usage.save();
    expect(saved).not.toContain('Anna');

    const after = new KioskMetrics({
      clock: new ManualClock(T0 + HOUR + 60_000),
      processMetrics: false,
      languages: ['de'],
      run: 'run-0002',
    });
    after.usage.staffCalled(); // counted before the store was read
    expect(after.usage.restore('not json')).toBe(false);
    expect(after.usage.restore(JSON.stringify({ v: 2, run: 'run-0001', hours: [] }))).toBe(false);
    expect(after.usage.run).toBe('run-0002');
    expect(after.usage.restore(saved)).toBe(true);
    expect(after.usage.run).toBe('run-0001');
    const report = after.usage.report();
    // 09:00 was delivered and is not sent again; 10:00 holds both runs' calls
    expect(report?.run).toBe('run-0001');
    expect(report?.hours.map((h) => [h.hour, h.staffCalls])).toEqual([['2026-12-07T10:00:00.000Z', 2]]);
    after.usage.journeyStarted('information', 'de', 'guest').completed();
    const saved2 = JSON.parse(after.usage.save()) as { hours: { counts: { journeys: unknown[] } }[] };
    expect(saved2.hours).toHaveLength(2);
    expect(saved2.hours[0]?.counts.journeys).toEqual([
      {
        service: 'information',
        language: 'de',
        identity: 'guest',
        started: 1,
        completed: 0,
        abandoned: { topic: 1 },
      },
    ]);
    expect(saved2.hours[1]?.counts.journeys).toEqual([
      { service: 'information', language: 'de', identity: 'guest', started: 1, completed: 1, abandoned: {} },
    ]);
    after.close();
    before.metrics.close();
  });

  it('counts nothing once closed', async () => {
    const { usage, metrics } = setup();
    const journey = usage.journeyStarted('information', 'de', 'guest');
    metrics.close();
    journey.completed();
    usage.staffCalled();
    usage.printed('receipt', 'printed');
    expect(usage.report()).toBeUndefined();
    expect(await metrics.render()).toBe('\n');
  });
});
