/** The metrics endpoint over real HTTP on 127.0.0.1, port 0. */
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { KioskMetrics } from '../../../core/metrics/metrics.ts';
import { type MetricsServer, startMetricsServer } from '../../../core/metrics/server.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(
  port: number,
  options: { path?: string; method?: string; host?: string; address?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.address ?? '127.0.0.1',
        port,
        path: options.path ?? '/metrics',
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${port}` },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function value(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function serverHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
}

const open: { metrics: KioskMetrics; server?: MetricsServer }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.server?.close();
    o.metrics.close();
  }
});

async function start() {
  const metrics = new KioskMetrics({ clock: new ManualClock() });
  const entry: { metrics: KioskMetrics; server?: MetricsServer } = { metrics };
  open.push(entry);
  const result = await startMetricsServer(metrics, { port: 0 });
  if (!result.ok) throw new Error(result.error.message);
  entry.server = result.value;
  return { metrics, server: result.value };
}

describe('metrics endpoint', () => {
  it('serves GET /metrics in Prometheus text format on 127.0.0.1, and values follow updates', async () => {
    const { metrics, server } = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);

    const first = await get(server.port);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(first.body).toMatch(/^# HELP kiosk_sessions_started_total /m);
    expect(first.body).toMatch(/^kiosk_process_cpu_user_seconds_total \d/m);
    expect(value(first.body, 'kiosk_sessions_started_total')).toBe(0);

    metrics.sessionStarted('s1');
    metrics.deviceRead('mrz');
    metrics.setPrinterState('offline');
    metrics.observeQueue(() => ({ byState: { queued: 4 }, oldestPendingAgeMs: 120_000 }));
    const second = await get(server.port, { path: '/metrics?ignored=1' });
    expect(value(second.body, 'kiosk_sessions_started_total')).toBe(1);
    expect(value(second.body, 'kiosk_device_reads_total{kind="mrz"}')).toBe(1);
    expect(value(second.body, 'kiosk_printer_state{state="offline"}')).toBe(1);
    expect(value(second.body, 'kiosk_queue_items{state="queued"}')).toBe(4);
    expect(value(second.body, 'kiosk_queue_oldest_pending_age_seconds')).toBe(120);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const { server } = await start();
    for (const path of ['/', '/metric', '/metrics/', '/metrics/../metrics', '/health']) {
      const answer = await get(server.port, { path });
      expect(answer.status, path).toBe(404);
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const answer = await get(server.port, { method });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
    }
    const head = await get(server.port, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('refuses a request naming another host (DNS rebinding)', async () => {
    const { server } = await start();
    for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1:1', '10.0.0.5']) {
      expect((await get(server.port, { host })).status, host).toBe(403);
    }
    expect((await get(server.port, { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('listens on loopback only: refuses other bind addresses, and is not reachable on other interfaces', async () => {
    const metrics = new KioskMetrics({ clock: new ManualClock(), processMetrics: false });
    open.push({ metrics });
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'localhost', 'example.org']) {
      const refused = await startMetricsServer(metrics, { port: 0, host });
      expect(refused.ok ? null : refused.error.code, host).toBe('metrics.not_loopback');
    }
    const badPort = await startMetricsServer(metrics, { port: 70_000 });
    expect(badPort.ok ? null : badPort.error.code).toBe('metrics.bad_port');

    const { server } = await start();
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;
    if (external) {
      await expect(get(server.port, { address: external })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
  });

  it('reports a port in use as an error value', async () => {
    const { server } = await start();
    const metrics = new KioskMetrics({ clock: new ManualClock(), processMetrics: false });
    open.push({ metrics });
    const before = serverHandles();
    const clash = await startMetricsServer(metrics, { port: server.port });
    expect(clash.ok ? null : clash.error.code).toBe('metrics.listen_failed');
    expect(serverHandles()).toBe(before);
  });

  it('close() frees the port and leaves no handle, even with a keep-alive connection open', async () => {
    const before = serverHandles();
    const metrics = new KioskMetrics({ clock: new ManualClock() });
    const started = await startMetricsServer(metrics, { port: 0 });
    if (!started.ok) throw new Error(started.error.message);
    const server = started.value;
    expect(serverHandles()).toBe(before + 1);

    // An idle keep-alive client connection must not hold close() up.
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: keep-alive\r\n\r\n`);
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));

    await server.close();
    await server.close();
    metrics.close();
    await socketClosed;
    expect(serverHandles()).toBe(before);
    await expect(get(server.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('answers 500 without details when rendering fails', async () => {
    const started = await startMetricsServer(
      {
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
        render: () => Promise.reject(new Error('secret detail')),
      },
      { port: 0 },
    );
    if (!started.ok) throw new Error(started.error.message);
    const answer = await get(started.value.port);
    expect(answer.status).toBe(500);
    expect(answer.body).not.toContain('secret detail');
    await started.value.close();
  });
});
