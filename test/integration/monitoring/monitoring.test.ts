import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { KioskMetrics } from '../../../core/metrics/metrics.ts';
import { fleetMetrics } from '../../../portal/fleet.ts';

/**
 * What monitoring/ ships for cities on Prometheus and Grafana: the alerting rules pass
 * `promtool test rules` (Debian's `prometheus` package), and every metric the rules and the
 * dashboard name is one a live kiosk really exports, with the labels they use.
 */
const root = fileURLToPath(new URL('../../../monitoring/', import.meta.url));
const rulesDir = join(root, 'prometheus');
const rulesFile = join(rulesDir, 'kiosk-alerts.yml');
const rulesTest = join(rulesDir, 'kiosk-alerts.test.yml');
const dashboardFile = join(root, 'grafana', 'kiosk-dashboard.json');

function findPromtool(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'promtool');
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

const promtool = findPromtool();
const missing = 'promtool is not installed (Debian: apt-get install prometheus); the rule tests are skipped';
if (!promtool) console.warn(missing);

function run(file: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

describe.skipIf(!promtool)(`Prometheus alerting rules${promtool ? '' : ` (skipped: ${missing})`}`, () => {
  it('are valid and pass their promtool unit tests', async () => {
    const checked = await run(promtool as string, ['check', 'rules', rulesFile], rulesDir);
    expect(checked.output).toContain('SUCCESS: 8 rules found');
    expect(checked.code).toBe(0);
    const tested = await run(promtool as string, ['test', 'rules', rulesTest], rulesDir);
    expect(tested.output).toContain('SUCCESS');
    expect(tested.code, tested.output).toBe(0);
  });

  it('fail their tests when an alert fires where it should not', async () => {
    // the same tests against rules whose out-of-paper alert waits 10 minutes instead of 2
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-rules-'));
    try {
      const rules = readFileSync(rulesFile, 'utf8');
      const slower = rules.replace(/(alert: KioskPrinterOutOfPaper\n\s+expr: [^\n]+\n\s+for: )2m/, '$110m');
      expect(slower).not.toBe(rules);
      writeFileSync(join(dir, 'kiosk-alerts.yml'), slower);
      writeFileSync(join(dir, 'kiosk-alerts.test.yml'), readFileSync(rulesTest));
      const tested = await run(promtool as string, ['test', 'rules', 'kiosk-alerts.test.yml'], dir);
      expect(tested.code).not.toBe(0);
      expect(tested.output).toContain('KioskPrinterOutOfPaper');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Metric name -> the label names its series carry, from a live kiosk's scrape. */
async function exported(): Promise<Map<string, Set<string>>> {
  const metrics = new KioskMetrics({ clock: new ManualClock(), languages: ['de', 'en'] });
  metrics.observeQueue(() => ({ byState: { queued: 1 }, oldestPendingAgeMs: 5_000 }));
  metrics.observeAlarms(() => [{ code: 'sync.oldest_too_old' }]);
  metrics.usage.journeyStarted('callback-request', 'de', 'guest').abandoned('contact');
  // and the portal's view of the fleet (GET /admin/v1/metrics)
  const portalText = fleetMetrics(
    [
      {
        terminalId: 'T-1',
        label: null,
        enrolledAt: new Date(0).toISOString(),
        lastSeenAt: new Date(0).toISOString(),
        appVersion: null,
        revokedAt: null,
        lastHeartbeat: {
          queue: { queued: 1, sending: 0, oldestAgeSeconds: 5 },
          alarms: [],
          readers: [],
          printer: { status: 'ready' },
        },
      },
    ],
    60_000,
  );
  const text = `${await metrics.render()}${portalText}`;
  metrics.close();
  const names = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
    if (!match?.[1]) continue;
    const labels = names.get(match[1]) ?? new Set<string>();
    for (const [, label] of (match[2] ?? '').matchAll(/(\w+)="/g)) if (label) labels.add(label);
    names.set(match[1], labels);
  }
  return names;
}

/** Every `kiosk_…` or `portal_…` metric an expression names, with the label names its selector matches on. */
function selectors(expr: string): { metric: string; labels: string[] }[] {
  return [...expr.matchAll(/\b((?:kiosk|portal)_[a-z0-9_]+)(\{[^}]*\})?/g)].map((m) => ({
    metric: m[1] as string,
    labels: [...(m[2] ?? '').matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1] as string),
  }));
}

/** Labels every series gets from the scrape itself. */
const targetLabels = new Set(['instance', 'job']);

function checkExpressions(exprs: readonly string[], live: Map<string, Set<string>>): number {
  let named = 0;
  for (const expr of exprs) {
    for (const { metric, labels } of selectors(expr)) {
      named += 1;
      expect(live.has(metric), `${metric} in "${expr}" is not exported by the kiosk`).toBe(true);
      for (const label of labels) {
        if (targetLabels.has(label)) continue;
        expect(live.get(metric)?.has(label), `${metric} has no label ${label} ("${expr}")`).toBe(true);
      }
    }
    // grouping labels exist on some metric of the expression (or come from the scrape)
    for (const [, group] of expr.matchAll(/\bby \(([^)]*)\)/g)) {
      for (const label of (group ?? '').split(',').map((l) => l.trim())) {
        if (targetLabels.has(label) || label === 'le') continue;
        const carriers = selectors(expr).filter(({ metric }) => live.get(metric)?.has(label));
        expect(carriers.length, `no metric in "${expr}" has the label ${label}`).toBeGreaterThan(0);
      }
    }
  }
  return named;
}

describe('the Grafana dashboard', () => {
  interface Target {
    expr: string;
  }
  interface Panel {
    id: number;
    type: string;
    title: string;
    gridPos: { x: number; y: number; w: number; h: number };
    targets?: Target[];
  }
  const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as {
    uid: string;
    panels: Panel[];
    templating: { list: { name: string; query: unknown }[] };
  };

  it('names only metrics and labels a live kiosk exports', async () => {
    const live = await exported();
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    const variables = dashboard.templating.list.flatMap((v) =>
      typeof v.query === 'object' && v.query !== null ? [(v.query as { query: string }).query] : [],
    );
    expect(checkExpressions([...exprs, ...variables], live)).toBeGreaterThan(20);
    // the usage figures are on it
    for (const metric of [
      'kiosk_journeys_started_total',
      'kiosk_journeys_completed_total',
      'kiosk_journeys_abandoned_total',
      'kiosk_rereads_total',
      'kiosk_prints_total',
      'kiosk_staff_calls_total',
      'kiosk_journey_duration_seconds_bucket',
      'kiosk_session_duration_seconds_bucket',
      'kiosk_queue_oldest_pending_age_seconds',
      'kiosk_printer_state',
      'kiosk_reader_connected',
      'kiosk_alarms_active',
      'portal_terminal_heartbeat_age_seconds',
    ])
      expect(
        exprs.some((e) => e.includes(metric)),
        metric,
      ).toBe(true);
  });

  it('has a query in every panel, unique ids, and fits the grid', () => {
    const ids = new Set<number>();
    for (const panel of dashboard.panels) {
      expect(ids.has(panel.id), `panel id ${panel.id}`).toBe(false);
      ids.add(panel.id);
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      if (panel.type !== 'row') expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'instance']);
  });
});

describe('the alerting rules', () => {
  it('name only metrics and labels a live kiosk exports', async () => {
    const live = await exported();
    const exprs = [
      ...readFileSync(rulesFile, 'utf8').matchAll(/expr: >-\n((?:\s{10}.*\n)+)|expr: (.*)\n/g),
    ].map((m) => (m[1] ?? m[2] ?? '').replace(/\s+/g, ' ').trim());
    expect(exprs).toHaveLength(8);
    expect(checkExpressions(exprs, live)).toBe(8);
  });
});
