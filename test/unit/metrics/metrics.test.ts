import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { EventBus } from '../../../core/events.ts';
import { metricsConfigSchema } from '../../../core/metrics/config.ts';
import { KioskMetrics, labelValues, type QueueSnapshot } from '../../../core/metrics/metrics.ts';

function setup(processMetrics = false) {
  const clock = new ManualClock();
  const events = new EventBus();
  const metrics = new KioskMetrics({ clock, processMetrics });
  return { clock, events, metrics };
}

/** name{labels} -> value, from Prometheus text. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    map.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return map;
}

function labelsOf(series: string): Record<string, string> {
  const inner = /\{(.*)\}$/.exec(series)?.[1];
  if (!inner) return {};
  return Object.fromEntries([...inner.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
}

async function scrape(metrics: KioskMetrics): Promise<Map<string, number>> {
  return samples(await metrics.render());
}

describe('KioskMetrics', () => {
  it('has every series from the start, at 0', async () => {
    const { metrics } = setup();
    const s = await scrape(metrics);
    expect(s.get('kiosk_sessions_started_total')).toBe(0);
    expect(s.get('kiosk_sessions_ended_total{reason="timeout"}')).toBe(0);
    expect(s.get('kiosk_session_duration_seconds_count{reason="visitor"}')).toBe(0);
    expect(s.get('kiosk_device_reads_total{kind="mrz"}')).toBe(0);
    expect(s.get('kiosk_reader_connected{kind="document"}')).toBe(0);
    expect(s.get('kiosk_sync_attempts_total{outcome="delivered"}')).toBe(0);
    expect(s.get('kiosk_printer_state{state="unknown"}')).toBe(1);
    expect(s.get('kiosk_printer_state{state="ready"}')).toBe(0);
    expect(s.get('kiosk_alarms_active{code="sync.auth"}')).toBe(0);
    expect(s.get('kiosk_staff_sign_ins_total{role="admin",outcome="locked"}')).toBe(0);
    // No queue yet (not enrolled): absent, not a reassuring 0.
    expect([...s.keys()].some((k) => k.startsWith('kiosk_queue_items'))).toBe(false);
    expect(s.get('kiosk_queue_readable')).toBe(0);
    expect(s.get('kiosk_queue_oldest_pending_age_seconds')).toBe(0);
    metrics.close();
  });

  it('counts sessions by reason and observes their duration on the monotonic clock', async () => {
    const { metrics, clock, events } = setup();
    metrics.attach(events);
    metrics.sessionStarted('s1');
    clock.advance(95_000);
    events.emit('session.ended', { sessionId: 's1', reason: 'timeout' });
    metrics.sessionStarted('s2');
    clock.advance(10_000);
    events.emit('session.ended', { sessionId: 's2', reason: 'visitor' });
    const s = await scrape(metrics);
    expect(s.get('kiosk_sessions_started_total')).toBe(2);
    expect(s.get('kiosk_sessions_ended_total{reason="timeout"}')).toBe(1);
    expect(s.get('kiosk_sessions_ended_total{reason="visitor"}')).toBe(1);
    expect(s.get('kiosk_session_duration_seconds_sum{reason="timeout"}')).toBe(95);
    expect(s.get('kiosk_session_duration_seconds_bucket{le="60",reason="timeout"}')).toBe(0);
    expect(s.get('kiosk_session_duration_seconds_bucket{le="120",reason="timeout"}')).toBe(1);
    expect(s.get('kiosk_session_duration_seconds_bucket{le="15",reason="visitor"}')).toBe(1);
    metrics.close();
  });

  it('follows reads and readers from the event bus', async () => {
    const { metrics, events } = setup();
    const detach = metrics.attach(events);
    const reader = { name: 'Desko Penta', connected: true, simulated: false } as const;
    events.emit('device.connected', { id: 'hid-1', kind: 'document', ...reader });
    events.emit('device.connected', { id: 'hid-2', kind: 'barcode', ...reader });
    events.emit('device.connected', { id: 'hid-3', kind: 'barcode', ...reader });
    events.emit('device.disconnected', { id: 'hid-2' });
    events.emit('device.read', { kind: 'barcode', readerId: 'hid-3', symbology: 'qr', text: 'Ayşe Yılmaz' });
    events.emit('device.read', { kind: 'error', readerId: 'hid-1', code: 'mrz.unreadable' });
    let s = await scrape(metrics);
    expect(s.get('kiosk_reader_connected{kind="document"}')).toBe(1);
    expect(s.get('kiosk_reader_connected{kind="barcode"}')).toBe(1);
    expect(s.get('kiosk_device_reads_total{kind="barcode"}')).toBe(1);
    expect(s.get('kiosk_device_reads_total{kind="error"}')).toBe(1);
    detach();
    expect(events.listenerCount).toBe(0);
    events.emit('device.read', { kind: 'error', readerId: 'hid-1', code: 'x' });
    s = await scrape(metrics);
    expect(s.get('kiosk_device_reads_total{kind="error"}')).toBe(1);
    metrics.close();
  });

  it('reads the queue at scrape time, and leaves it absent when the source fails', async () => {
    const { metrics } = setup();
    let snapshot: QueueSnapshot = {
      byState: { queued: 3, sending: 1, rejected: 2 },
      oldestPendingAgeMs: 90_500,
    };
    let calls = 0;
    let failing = false;
    const stop = metrics.observeQueue(() => {
      calls += 1;
      if (failing) throw new Error('store closed');
      return snapshot;
    });
    let s = await scrape(metrics);
    // One read per scrape, shared by the queue's series.
    expect(calls).toBe(1);
    expect(s.get('kiosk_queue_readable')).toBe(1);
    expect(s.get('kiosk_queue_items{state="queued"}')).toBe(3);
    expect(s.get('kiosk_queue_items{state="sending"}')).toBe(1);
    expect(s.get('kiosk_queue_items{state="rejected"}')).toBe(2);
    expect(s.get('kiosk_queue_items{state="delivered"}')).toBe(0);
    expect(s.get('kiosk_queue_oldest_pending_age_seconds')).toBe(90.5);
    snapshot = { byState: { queued: 0 }, oldestPendingAgeMs: null };
    s = await scrape(metrics);
    expect(s.get('kiosk_queue_items{state="queued"}')).toBe(0);
    expect(s.get('kiosk_queue_oldest_pending_age_seconds')).toBe(0);
    failing = true;
    s = await scrape(metrics);
    expect([...s.keys()].some((k) => k.startsWith('kiosk_queue_items'))).toBe(false);
    expect(s.get('kiosk_queue_readable')).toBe(0);
    stop();
    failing = false;
    const before = calls;
    await scrape(metrics);
    expect(calls).toBe(before);
    metrics.close();
  });

  it('counts sync attempts by outcome, one by one or from a pass summary', async () => {
    const { metrics } = setup();
    metrics.syncAttempt('skew');
    metrics.recordSyncPass({
      attempted: 5,
      delivered: 3,
      retried: 2,
      quarantined: 0,
      offline: true,
      authFailed: false,
    });
    metrics.recordSyncPass({
      attempted: 2,
      delivered: 0,
      retried: 1,
      quarantined: 1,
      offline: false,
      authFailed: true,
    });
    metrics.recordSyncPass({
      attempted: 0,
      delivered: 0,
      retried: 0,
      quarantined: 0,
      offline: true,
      authFailed: false,
    });
    const s = await scrape(metrics);
    expect(s.get('kiosk_sync_attempts_total{outcome="delivered"}')).toBe(3);
    expect(s.get('kiosk_sync_attempts_total{outcome="retry"}')).toBe(1);
    expect(s.get('kiosk_sync_attempts_total{outcome="offline"}')).toBe(1);
    expect(s.get('kiosk_sync_attempts_total{outcome="quarantined"}')).toBe(1);
    expect(s.get('kiosk_sync_attempts_total{outcome="auth"}')).toBe(1);
    expect(s.get('kiosk_sync_attempts_total{outcome="skew"}')).toBe(1);
    metrics.close();
  });

  it('shows the printer state as 1 for the current state, and open alarms by code', async () => {
    const { metrics } = setup();
    metrics.setPrinterState('out_of_paper');
    metrics.observeAlarms(() => [{ code: 'sync.auth' }, { code: 'storage.full' }, { code: 'future.code' }]);
    let s = await scrape(metrics);
    expect(s.get('kiosk_printer_state{state="out_of_paper"}')).toBe(1);
    expect(
      [...s.entries()].filter(([k, v]) => k.startsWith('kiosk_printer_state') && v === 1).map(([k]) => k),
    ).toEqual(['kiosk_printer_state{state="out_of_paper"}']);
    expect(s.get('kiosk_alarms_active{code="sync.auth"}')).toBe(1);
    expect(s.get('kiosk_alarms_active{code="storage.full"}')).toBe(1);
    expect(s.get('kiosk_alarms_active{code="other"}')).toBe(1);
    expect(s.get('kiosk_alarms_active{code="sync.integrity"}')).toBe(0);
    metrics.setPrinterState('ready');
    metrics.observeAlarms(() => []);
    s = await scrape(metrics);
    expect(s.get('kiosk_printer_state{state="ready"}')).toBe(1);
    expect(s.get('kiosk_printer_state{state="out_of_paper"}')).toBe(0);
    expect(s.get('kiosk_alarms_active{code="sync.auth"}')).toBe(0);
    metrics.close();
  });

  it('counts staff sign-ins by role and outcome', async () => {
    const { metrics } = setup();
    metrics.staffSignIn('staff', 'failed');
    metrics.staffSignIn('staff', 'ok');
    metrics.staffSignIn('admin', 'locked');
    const s = await scrape(metrics);
    expect(s.get('kiosk_staff_sign_ins_total{role="staff",outcome="failed"}')).toBe(1);
    expect(s.get('kiosk_staff_sign_ins_total{role="admin",outcome="locked"}')).toBe(1);
    metrics.close();
  });

  it('no label carries personal data: every label value is from a fixed list, whatever is passed in', async () => {
    const { metrics, events } = setup();
    metrics.attach(events);
    const personal = ['Ayşe Yılmaz', 'L898902C36', 'P<UTOERIKSSON<<ANNA<MARIA', 'ST-000417', '4711'];
    for (const value of personal) {
      metrics.deviceRead(value as never);
      metrics.sessionStarted(value);
      metrics.sessionEnded(value, value as never);
      metrics.readerConnected(value, value as never);
      metrics.syncAttempt(value as never);
      metrics.setPrinterState(value as never);
      metrics.staffSignIn(value as never, value as never);
      events.emit('device.read', { kind: 'barcode', readerId: value, symbology: value, text: value });
      events.emit('device.connected', {
        id: value,
        kind: 'document',
        name: value,
        connected: true,
        simulated: false,
      });
    }
    metrics.sessionStarted('s1');
    events.emit('session.ended', { sessionId: 's1', reason: 'staff' });
    metrics.observeAlarms(() => personal.map((code) => ({ code })));
    metrics.observeQueue(() => ({ byState: { queued: 1 }, oldestPendingAgeMs: 1_000 }));
    const text = await metrics.render();
    for (const value of personal) expect(text).not.toContain(value);
    let labelled = 0;
    for (const series of samples(text).keys()) {
      for (const [name, value] of Object.entries(labelsOf(series))) {
        labelled += 1;
        if (name === 'le') expect(value).toMatch(/^(\d+(\.\d+)?|\+Inf)$/);
        else expect(labelValues[name], `label ${name}`).toContain(value);
      }
    }
    expect(labelled).toBeGreaterThan(40);
    // The invalid calls did nothing visible: only the valid events counted.
    const s = samples(text);
    expect(s.get('kiosk_printer_state{state="unknown"}')).toBe(1);
    expect(s.get('kiosk_device_reads_total{kind="barcode"}')).toBe(personal.length);
    expect(s.get('kiosk_alarms_active{code="other"}')).toBe(personal.length);
    metrics.close();
  });

  it('adds the process metrics with the kiosk_ prefix, shared by every instance', async () => {
    const a = setup(true).metrics;
    const b = setup(true).metrics;
    const text = await a.render();
    expect(text).toMatch(/^kiosk_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^kiosk_nodejs_heap_size_used_bytes \d/m);
    expect(text).toMatch(/^kiosk_process_start_time_seconds \d/m);
    expect(text).not.toMatch(/^(process|nodejs)_/m);
    a.close();
    // Closing one leaves the other whole.
    expect(await b.render()).toMatch(/^kiosk_process_cpu_user_seconds_total \d/m);
    b.close();
  });

  it('close() stops following events and sources and empties the registry', async () => {
    const { metrics, events } = setup();
    metrics.attach(events);
    metrics.attach(events);
    let calls = 0;
    metrics.observeQueue(() => {
      calls += 1;
      return null;
    });
    metrics.close();
    metrics.close();
    expect(events.listenerCount).toBe(0);
    expect(await metrics.render()).toBe('\n');
    expect(calls).toBe(0);
    metrics.deviceRead('mrz');
    expect(await metrics.render()).toBe('\n');
  });
});

describe('metricsConfigSchema', () => {
  it('is off by default on port 9464, and takes a port from 0 to 65535', () => {
    expect(metricsConfigSchema.parse(undefined)).toEqual({ enabled: false, port: 9464 });
    expect(metricsConfigSchema.parse({ enabled: true, port: 0 })).toEqual({ enabled: true, port: 0 });
    expect(metricsConfigSchema.safeParse({ port: 70_000 }).success).toBe(false);
    expect(metricsConfigSchema.safeParse({ host: '0.0.0.0' }).success).toBe(false);
  });
});
