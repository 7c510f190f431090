import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aggregate, type FleetTerminalSource, fleetMetrics } from '../../../portal/fleet.ts';
import type { UsageHour } from '../../../sync/protocol/index.ts';

const now = Date.UTC(2026, 11, 7, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

const terminals: FleetTerminalSource[] = [
  {
    terminalId: 'T-a',
    label: 'Bürgeramt "Mitte"',
    enrolledAt: iso(now - 86_400_000),
    lastSeenAt: iso(now - 30_000),
    appVersion: '0.1.0',
    revokedAt: null,
    lastHeartbeat: {
      queue: { queued: 2, sending: 1, quarantined: 0, oldestAgeSeconds: 15_000 },
      alarms: ['sync.oldest_too_old', 'Anna Müller'],
      readers: [
        { kind: 'mrz', status: 'missing' },
        { kind: 'barcode', status: 'present' },
      ],
      printer: { status: 'out_of_paper' },
    },
  },
  // enrolled an hour ago, never heard of since
  {
    terminalId: 'T-b',
    label: null,
    enrolledAt: iso(now - 3_600_000),
    lastSeenAt: null,
    appVersion: null,
    revokedAt: null,
    lastHeartbeat: null,
  },
  {
    terminalId: 'T-gone',
    label: null,
    enrolledAt: iso(now - 3_600_000),
    lastSeenAt: iso(now - 60_000),
    appVersion: null,
    revokedAt: iso(now - 10_000),
    lastHeartbeat: null,
  },
];

describe('fleetMetrics', () => {
  const text = fleetMetrics(terminals, now);

  it('has a series per active terminal, labelled by id only, from its last heartbeat', () => {
    expect(text).toContain('portal_terminals 2\n');
    expect(text).toContain('portal_terminal_heartbeat_age_seconds{terminal="T-a"} 30\n');
    expect(text).toContain('portal_terminal_heartbeat_age_seconds{terminal="T-b"} 3600\n');
    expect(text).toContain('portal_terminal_queue_items{terminal="T-a"} 3\n');
    expect(text).toContain('portal_terminal_queue_oldest_age_seconds{terminal="T-a"} 15000\n');
    expect(text).toContain('portal_terminal_alarms{terminal="T-a"} 2\n');
    expect(text).toContain('portal_terminal_readers_missing{terminal="T-a"} 1\n');
    expect(text).toContain('portal_terminal_printer_state{terminal="T-a",state="out_of_paper"} 1\n');
    expect(text).toContain('portal_terminal_printer_state{terminal="T-a",state="ready"} 0\n');
    expect(text).not.toContain('T-gone');
    expect(text).not.toContain('Mitte');
    expect(text).not.toContain('Anna');
    expect(text).not.toContain('portal_terminal_queue_items{terminal="T-b"}');
  });

  const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
  it.skipIf(!promtool)('is valid Prometheus text (promtool check metrics)', () => {
    const checked = spawnSync(promtool as string, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(checked.stderr + checked.stdout).toBe('');
    expect(checked.status).toBe(0);
  });
});

describe('aggregate', () => {
  const hour = (over: Partial<UsageHour>): UsageHour => ({
    hour: iso(now),
    sessions: 0,
    journeys: [],
    reads: { mrz: 0, barcode: 0, error: 0 },
    rereads: 0,
    staffCalls: 0,
    prints: [],
    sessionDurations: { counts: new Array(10).fill(0), sum: 0 },
    journeyDurations: [],
    ...over,
  });

  it('sums hours and orders each funnel by the journey, steps it does not know last', () => {
    const usage = aggregate(
      [
        hour({
          sessions: 2,
          journeys: [
            {
              service: 's',
              language: 'de',
              identity: 'guest',
              started: 4,
              completed: 1,
              abandoned: { b: 1, zz: 1 },
            },
          ],
        }),
        hour({
          sessions: 1,
          journeys: [
            {
              service: 's',
              language: 'ar',
              identity: 'account',
              started: 1,
              completed: 0,
              abandoned: { a: 1 },
            },
          ],
          prints: [{ document: 'receipt', outcome: 'printed', count: 1 }],
        }),
      ],
      new Map([['s', ['a', 'b', 'c']]]),
    );
    expect(usage.sessions).toBe(3);
    expect(usage.prints).toEqual({ printed: 1, failed: 0, no_printer: 0 });
    expect(usage.services).toEqual([
      {
        service: 's',
        started: 5,
        completed: 1,
        abandoned: 3,
        steps: [
          { step: 'a', reached: 5, abandoned: 1 },
          { step: 'b', reached: 4, abandoned: 1 },
          { step: 'c', reached: 3, abandoned: 0 },
          { step: 'zz', reached: 3, abandoned: 1 },
        ],
      },
    ]);
    expect(usage.identities.account).toEqual({ started: 1, completed: 0, abandoned: 1 });
    expect(usage.languages.map((l) => l.language)).toEqual(['de', 'ar']);
  });
});
