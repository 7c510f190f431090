/**
 * The fleet for administrators: every terminal with its health, alarms, queue age and last
 * heartbeat, and the usage figures the terminals send with their heartbeats (counts per hour, no
 * personal data), as charts: a funnel per service, languages, guest or signed in, durations.
 *
 * `GET /admin/fleet` is a page without data; it asks `GET /admin/v1/fleet?terminal=&hours=` with
 * the admin token (the same bearer token as every `/admin/v1` route), which it takes from the
 * URL fragment (`#token=…`, never sent to a server) or from a form. The page loads nothing from
 * another origin and runs no inline script (CSP).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  idSchema,
  PRINTER_STATES,
  USAGE_DURATION_BUCKETS,
  type UsageHour,
  type UsageReport,
  usageHourSchema,
} from '../sync/protocol/index.ts';
import { adminAuthorised } from './admin.ts';
import type { Db } from './db.ts';
import type { PortalClock } from './deps.ts';
import { failure } from './http.ts';

const HOUR_MS = 3_600_000;
/** The longest period the page offers (90 days). */
export const FLEET_MAX_HOURS = 24 * 90;

/** What the portal knows of a terminal (server.ts `TerminalInfo` fits). */
export interface FleetTerminalSource {
  readonly terminalId: string;
  readonly label: string | null;
  readonly enrolledAt: string;
  readonly lastSeenAt: string | null;
  readonly lastHeartbeat: unknown;
  readonly appVersion: string | null;
  readonly revokedAt: string | null;
}

export type FleetHealth = 'ok' | 'warning' | 'alarm' | 'silent' | 'revoked';

export interface FleetTerminal {
  readonly terminalId: string;
  readonly label: string | null;
  readonly health: FleetHealth;
  readonly alarms: readonly string[];
  readonly queue: { readonly queued: number; readonly oldestAgeSeconds: number | null } | null;
  readonly printer: string | null;
  readonly readersMissing: readonly string[];
  readonly lastHeartbeatAt: string | null;
  readonly lastHeartbeatAgeSeconds: number | null;
  readonly appVersion: string | null;
}

export interface FunnelStep {
  readonly step: string;
  /** Journeys that got to this step (started minus those abandoned at an earlier step). */
  readonly reached: number;
  readonly abandoned: number;
}

export interface ServiceUsage {
  readonly service: string;
  readonly started: number;
  readonly completed: number;
  readonly abandoned: number;
  readonly steps: readonly FunnelStep[];
}

export interface JourneyFigures {
  readonly started: number;
  readonly completed: number;
  readonly abandoned: number;
}

export interface FleetUsage {
  readonly sessions: number;
  readonly journeys: JourneyFigures;
  readonly services: readonly ServiceUsage[];
  readonly languages: readonly ({ readonly language: string } & JourneyFigures)[];
  readonly identities: Readonly<Record<'guest' | 'account', JourneyFigures>>;
  readonly reads: { readonly mrz: number; readonly barcode: number; readonly error: number };
  readonly rereads: number;
  readonly staffCalls: number;
  readonly prints: Readonly<Record<'printed' | 'failed' | 'no_printer', number>>;
  readonly durations: {
    readonly buckets: readonly number[];
    readonly sessions: readonly number[];
    readonly journeys: readonly number[];
  };
}

export interface FleetView {
  readonly now: string;
  readonly period: { readonly from: string; readonly to: string; readonly hours: number };
  readonly terminal: string | null;
  readonly terminals: readonly FleetTerminal[];
  readonly usage: FleetUsage;
}

export const fleetQuerySchema = z
  .object({
    terminal: idSchema.optional(),
    hours: z.coerce.number().int().min(1).max(FLEET_MAX_HOURS).default(24),
  })
  .strict();
export type FleetQuery = z.output<typeof fleetQuerySchema>;

const heartbeatShape = z
  .object({
    queue: z.object({ queued: z.number(), sending: z.number(), oldestAgeSeconds: z.number().nullable() }),
    alarms: z.array(z.string()).optional(),
    readers: z.array(z.object({ kind: z.string(), status: z.string() })).optional(),
    printer: z.object({ status: z.string() }).optional(),
  })
  .partial();

const zeroFigures = (): { started: number; completed: number; abandoned: number } => ({
  started: 0,
  completed: 0,
  abandoned: 0,
});

/**
 * Usage hours as the terminals sent them, one row per terminal, run and hour: a later copy of an
 * hour replaces the earlier one, so repeated heartbeats count once.
 */
export class FleetStore {
  readonly #db: Db;
  readonly #clock: PortalClock;

  constructor(db: Db, clock: PortalClock) {
    this.#db = db;
    this.#clock = clock;
    db.exec(`
      CREATE TABLE IF NOT EXISTS usage_hours (
        terminal_id TEXT NOT NULL, run TEXT NOT NULL, hour INTEGER NOT NULL, counts TEXT NOT NULL,
        received_at INTEGER NOT NULL, PRIMARY KEY (terminal_id, run, hour)
      );
      CREATE INDEX IF NOT EXISTS usage_hours_hour ON usage_hours (hour, terminal_id);
      CREATE TABLE IF NOT EXISTS usage_steps (service TEXT PRIMARY KEY, steps TEXT NOT NULL);
    `);
  }

  /** Keeps a heartbeat's usage hours (call inside the heartbeat's transaction). */
  record(terminalId: string, report: UsageReport | undefined, now: number): void {
    if (!report) return;
    const put = this.#db.prepare(
      `INSERT INTO usage_hours (terminal_id, run, hour, counts, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (terminal_id, run, hour) DO UPDATE SET counts = excluded.counts, received_at = excluded.received_at`,
    );
    for (const hour of report.hours) {
      const start = Date.parse(hour.hour);
      if (start % HOUR_MS !== 0) continue; // not the start of an hour: not an hour of this protocol
      put.run(terminalId, report.run, start, JSON.stringify(hour), now);
    }
    const steps = this.#db.prepare(
      'INSERT INTO usage_steps (service, steps) VALUES (?, ?) ON CONFLICT (service) DO UPDATE SET steps = excluded.steps',
    );
    for (const [service, list] of Object.entries(report.steps ?? {}))
      steps.run(service, JSON.stringify(list));
  }

  /** The fleet and its usage in the period (the last `hours` hours, this one included). */
  view(query: FleetQuery, terminals: readonly FleetTerminalSource[], silentAfterSeconds: number): FleetView {
    const now = this.#clock.now();
    const to = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
    const from = to - query.hours * HOUR_MS;
    const rows = (
      query.terminal === undefined
        ? this.#db.prepare('SELECT counts FROM usage_hours WHERE hour >= ? AND hour < ?').all(from, to)
        : this.#db
            .prepare('SELECT counts FROM usage_hours WHERE hour >= ? AND hour < ? AND terminal_id = ?')
            .all(from, to, query.terminal)
    ) as { counts: string }[];
    const hours: UsageHour[] = [];
    for (const row of rows) {
      const parsed = usageHourSchema.safeParse(JSON.parse(row.counts));
      if (parsed.success) hours.push(parsed.data);
    }
    const stepRows = this.#db.prepare('SELECT service, steps FROM usage_steps').all() as {
      service: string;
      steps: string;
    }[];
    const order = new Map(stepRows.map((r) => [r.service, JSON.parse(r.steps) as string[]]));
    return {
      now: new Date(now).toISOString(),
      period: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), hours: query.hours },
      terminal: query.terminal ?? null,
      terminals: terminals.map((t) => fleetTerminal(t, now, silentAfterSeconds)),
      usage: aggregate(hours, order),
    };
  }
}

/**
 * The fleet in Prometheus text format, for cities whose Prometheus cannot reach the terminals
 * (their endpoint listens on the terminal only): one series per enrolled terminal, labelled by
 * its id (never by its location text), from the last heartbeat the portal received.
 */
export function fleetMetrics(terminals: readonly FleetTerminalSource[], now: number): string {
  const active = terminals.filter((t) => t.revokedAt === null);
  const families: { name: string; help: string; samples: [string, number][] }[] = [
    {
      name: 'portal_terminals',
      help: 'Terminals enrolled and not revoked.',
      samples: [['', active.length]],
    },
  ];
  const family = (name: string, help: string) => {
    const samples: [string, number][] = [];
    families.push({ name, help, samples });
    return samples;
  };
  const age = family(
    'portal_terminal_heartbeat_age_seconds',
    'Seconds since the terminal last sent a heartbeat (its enrolment when it never did).',
  );
  const queued = family(
    'portal_terminal_queue_items',
    'Applications waiting on the terminal (last heartbeat).',
  );
  const oldest = family(
    'portal_terminal_queue_oldest_age_seconds',
    'Age of the oldest application waiting on the terminal when it sent its last heartbeat.',
  );
  const alarms = family('portal_terminal_alarms', 'Open alarms of the terminal (last heartbeat).');
  const readers = family('portal_terminal_readers_missing', 'Readers the terminal misses (last heartbeat).');
  const printer = family(
    'portal_terminal_printer_state',
    'The printer state of the terminal (last heartbeat): 1 for the current state.',
  );
  for (const t of active) {
    const id = `terminal="${t.terminalId}"`;
    const beat = heartbeatShape.safeParse(t.lastHeartbeat ?? {});
    const hb = beat.success ? beat.data : {};
    const seen = Date.parse(t.lastSeenAt ?? t.enrolledAt);
    if (Number.isFinite(seen)) age.push([`{${id}}`, Math.max(0, Math.round((now - seen) / 1000))]);
    if (hb.queue) {
      queued.push([`{${id}}`, hb.queue.queued + hb.queue.sending]);
      oldest.push([`{${id}}`, hb.queue.oldestAgeSeconds ?? 0]);
    }
    alarms.push([`{${id}}`, hb.alarms?.length ?? 0]);
    readers.push([`{${id}}`, (hb.readers ?? []).filter((r) => r.status !== 'present').length]);
    const state = hb.printer?.status;
    if (state !== undefined)
      for (const s of PRINTER_STATES) printer.push([`{${id},state="${s}"}`, s === state ? 1 : 0]);
  }
  return `${families
    .map((f) =>
      [
        `# HELP ${f.name} ${f.help}`,
        `# TYPE ${f.name} gauge`,
        ...f.samples.map(([l, v]) => `${f.name}${l} ${v}`),
      ].join('\n'),
    )
    .join('\n')}\n`;
}

function fleetTerminal(t: FleetTerminalSource, now: number, silentAfterSeconds: number): FleetTerminal {
  const beat = heartbeatShape.safeParse(t.lastHeartbeat ?? {});
  const hb = beat.success ? beat.data : {};
  const lastAt = t.lastSeenAt === null ? null : Date.parse(t.lastSeenAt);
  const age = lastAt === null ? null : Math.max(0, Math.round((now - lastAt) / 1000));
  const alarms = hb.alarms ?? [];
  const readersMissing = (hb.readers ?? []).filter((r) => r.status !== 'present').map((r) => r.kind);
  const printer = hb.printer?.status ?? null;
  let health: FleetHealth = 'ok';
  if (t.revokedAt !== null) health = 'revoked';
  else if (age === null || age > silentAfterSeconds) health = 'silent';
  else if (alarms.length > 0) health = 'alarm';
  else if (readersMissing.length > 0 || (printer !== null && printer !== 'ready' && printer !== 'none'))
    health = 'warning';
  return {
    terminalId: t.terminalId,
    label: t.label,
    health,
    alarms,
    queue: hb.queue
      ? { queued: hb.queue.queued + hb.queue.sending, oldestAgeSeconds: hb.queue.oldestAgeSeconds }
      : null,
    printer,
    readersMissing,
    lastHeartbeatAt: t.lastSeenAt,
    lastHeartbeatAgeSeconds: age,
    appVersion: t.appVersion,
  };
}

/** Sums hours into the page's figures; a funnel's steps in the journey's order. */
export function aggregate(
  hours: readonly UsageHour[],
  stepOrder: ReadonlyMap<string, readonly string[]>,
): FleetUsage {
  const buckets = USAGE_DURATION_BUCKETS.length + 1;
  const services = new Map<string, { started: number; completed: number; abandoned: Map<string, number> }>();
  const languages = new Map<string, { started: number; completed: number; abandoned: number }>();
  const identities = { guest: zeroFigures(), account: zeroFigures() };
  const total = zeroFigures();
  const reads = { mrz: 0, barcode: 0, error: 0 };
  const prints = { printed: 0, failed: 0, no_printer: 0 };
  const sessionDurations = new Array<number>(buckets).fill(0);
  const journeyDurations = new Array<number>(buckets).fill(0);
  let sessions = 0;
  let rereads = 0;
  let staffCalls = 0;
  for (const hour of hours) {
    sessions += hour.sessions;
    rereads += hour.rereads;
    staffCalls += hour.staffCalls;
    reads.mrz += hour.reads.mrz;
    reads.barcode += hour.reads.barcode;
    reads.error += hour.reads.error;
    for (const p of hour.prints) prints[p.outcome] += p.count;
    hour.sessionDurations.counts.forEach((n, i) => {
      sessionDurations[i] = (sessionDurations[i] ?? 0) + n;
    });
    for (const d of hour.journeyDurations)
      d.counts.forEach((n, i) => {
        journeyDurations[i] = (journeyDurations[i] ?? 0) + n;
      });
    for (const j of hour.journeys) {
      const abandoned = Object.values(j.abandoned).reduce((a, b) => a + b, 0);
      let s = services.get(j.service);
      if (!s) {
        s = { started: 0, completed: 0, abandoned: new Map() };
        services.set(j.service, s);
      }
      s.started += j.started;
      s.completed += j.completed;
      for (const [step, n] of Object.entries(j.abandoned))
        s.abandoned.set(step, (s.abandoned.get(step) ?? 0) + n);
      let l = languages.get(j.language);
      if (!l) {
        l = zeroFigures();
        languages.set(j.language, l);
      }
      for (const figures of [l, identities[j.identity], total]) {
        figures.started += j.started;
        figures.completed += j.completed;
        figures.abandoned += abandoned;
      }
    }
  }
  const serviceList: ServiceUsage[] = [...services]
    .map(([service, s]) => {
      const known = stepOrder.get(service) ?? [];
      const order = [...known, ...[...s.abandoned.keys()].filter((step) => !known.includes(step)).sort()];
      let reached = s.started;
      const steps: FunnelStep[] = order.map((step) => {
        const abandoned = s.abandoned.get(step) ?? 0;
        const here = { step, reached: Math.max(0, reached), abandoned };
        reached -= abandoned;
        return here;
      });
      const abandoned = [...s.abandoned.values()].reduce((a, b) => a + b, 0);
      return { service, started: s.started, completed: s.completed, abandoned, steps };
    })
    .sort((a, b) => b.started - a.started || a.service.localeCompare(b.service));
  return {
    sessions,
    journeys: total,
    services: serviceList,
    languages: [...languages]
      .map(([language, figures]) => ({ language, ...figures }))
      .sort((a, b) => b.started - a.started || a.language.localeCompare(b.language)),
    identities,
    reads,
    rereads,
    staffCalls,
    prints,
    durations: {
      buckets: [...USAGE_DURATION_BUCKETS],
      sessions: sessionDurations,
      journeys: journeyDurations,
    },
  };
}

export interface FleetRouteDeps {
  readonly token: string;
  readonly store: FleetStore;
  terminals(): readonly FleetTerminalSource[];
  /** A terminal whose last heartbeat is older than this is shown as silent. */
  silentAfterSeconds(): number;
  now(): number;
}

const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function registerFleetRoutes(app: FastifyInstance, deps: FleetRouteDeps): void {
  app.get('/admin/fleet', async (_request, reply) =>
    reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(FLEET_PAGE),
  );
  app.get('/admin/fleet/fleet.js', async (_request, reply) =>
    reply.headers(PAGE_HEADERS).type('text/javascript; charset=utf-8').send(FLEET_SCRIPT),
  );
  app.get('/admin/fleet/fleet.css', async (_request, reply) =>
    reply.headers(PAGE_HEADERS).type('text/css; charset=utf-8').send(FLEET_STYLE),
  );
  app.get('/admin/fleet/icon.svg', async (_request, reply) =>
    reply.headers(PAGE_HEADERS).type('image/svg+xml').send(FLEET_ICON),
  );
  app.get('/admin/v1/metrics', async (request, reply) => {
    if (!adminAuthorised(request.headers.authorization, deps.token)) {
      const a = failure(401, 'auth.invalid', 'The admin token is missing or wrong.');
      return reply.code(a.status).send(a.body);
    }
    return reply
      .header('cache-control', 'no-store')
      .type('text/plain; version=0.0.4; charset=utf-8')
      .send(fleetMetrics(deps.terminals(), deps.now()));
  });
  app.get('/admin/v1/fleet', async (request, reply) => {
    if (!adminAuthorised(request.headers.authorization, deps.token)) {
      const a = failure(401, 'auth.invalid', 'The admin token is missing or wrong.');
      return reply.code(a.status).send(a.body);
    }
    const query = fleetQuerySchema.safeParse(request.query);
    if (!query.success) {
      const a = failure(400, 'request.invalid', 'terminal must be an id, hours 1 to 2160.');
      return reply.code(a.status).send(a.body);
    }
    reply.header('cache-control', 'no-store');
    return deps.store.view(query.data, deps.terminals(), deps.silentAfterSeconds());
  });
}

const FLEET_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b3d63"/><rect x="3" y="8" width="2" height="5" fill="#fff"/><rect x="7" y="5" width="2" height="8" fill="#fff"/><rect x="11" y="3" width="2" height="10" fill="#fff"/></svg>';

const FLEET_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fleet – Serviceterminal</title>
<link rel="stylesheet" href="/admin/fleet/fleet.css">
<link rel="icon" href="/admin/fleet/icon.svg" type="image/svg+xml">
<script src="/admin/fleet/fleet.js" defer></script>
</head>
<body>
<header><h1>Fleet</h1></header>
<main>
<form id="token-form" hidden>
  <label for="token">Admin token</label>
  <input id="token" name="token" type="password" autocomplete="off" required>
  <button type="submit">Show the fleet</button>
</form>
<form id="filters" hidden>
  <label for="terminal">Terminal</label>
  <select id="terminal" name="terminal"><option value="">All terminals</option></select>
  <label for="hours">Period</label>
  <select id="hours" name="hours">
    <option value="1">This hour</option>
    <option value="24" selected>Last 24 hours</option>
    <option value="168">Last 7 days</option>
    <option value="720">Last 30 days</option>
    <option value="2160">Last 90 days</option>
  </select>
</form>
<p id="status" role="status"></p>
<div id="content"></div>
</main>
</body>
</html>
`;

const FLEET_STYLE = `
[hidden] { display: none !important; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
:root { font-family: system-ui, sans-serif; color: #1a1a1a; background: #f6f7f9; }
body { margin: 0; }
header { background: #0b3d63; color: #fff; padding: 0.6rem 1.2rem; }
h1 { margin: 0; font-size: 1.4rem; }
main { padding: 1rem 1.2rem; max-width: 72rem; }
form { display: flex; gap: 0.6rem; align-items: center; margin-bottom: 1rem; flex-wrap: wrap; }
section { background: #fff; border: 1px solid #d5d9de; border-radius: 6px; padding: 0.8rem 1rem; margin-bottom: 1rem; }
h2 { font-size: 1.1rem; margin: 0 0 0.6rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e5e7ea; }
.health { font-weight: 600; padding: 0.1rem 0.4rem; border-radius: 4px; }
.health-ok { background: #dff3e4; color: #145c2c; }
.health-warning { background: #fff1c9; color: #6b4e00; }
.health-alarm, .health-silent { background: #fbdcdc; color: #8a1010; }
.health-revoked { background: #e5e7ea; color: #444; }
.figures { display: flex; gap: 1rem; flex-wrap: wrap; margin: 0; }
.figures div { min-width: 8rem; }
.figures dt { font-size: 0.85rem; color: #555; }
.figures dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(21rem, 1fr)); gap: 1rem; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 0.4rem; }
ol.bars, ul.bars { list-style: none; margin: 0; padding: 0; }
.bars li { display: grid; grid-template-columns: 9rem 1fr 3rem; gap: 0.4rem; align-items: center; margin: 0.15rem 0; font-size: 0.88rem; }
.bar { height: 0.9rem; background: #2a6fb0; border-radius: 2px; min-width: 1px; }
.bar.completed { background: #2e8b57; }
.bar.abandoned { background: #c0392b; }
.value { text-align: right; font-variant-numeric: tabular-nums; }
.columns { display: flex; align-items: flex-end; gap: 0.3rem; height: 8rem; list-style: none; padding: 0; margin: 0; }
.columns li { flex: 1; display: flex; flex-direction: column; justify-content: flex-end; align-items: center; height: 100%; font-size: 0.75rem; }
.columns .bar { width: 100%; }
`;

const FLEET_SCRIPT = `'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v; else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  };
  let token = '';
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('token')) {
    token = fragment.get('token');
    history.replaceState(null, '', location.pathname + location.search);
  }
  const age = (s) => s === null ? 'never' : s < 90 ? s + ' s ago' : s < 5400 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
  const bars = (tag, caption, rows) => {
    const max = Math.max(1, ...rows.map((r) => r.value));
    const list = el(tag, { class: 'bars' });
    for (const r of rows) {
      const bar = el('span', { class: 'bar ' + (r.kind || '') });
      bar.style.width = (100 * r.value / max).toFixed(1) + '%';
      list.append(el('li', { 'aria-label': r.label + ': ' + r.value }, el('span', { class: 'label' }, r.label), bar, el('span', { class: 'value' }, r.value)));
    }
    return el('figure', { 'aria-label': caption }, el('figcaption', {}, caption), list);
  };
  const columns = (caption, labels, values) => {
    const max = Math.max(1, ...values);
    const list = el('ul', { class: 'columns' });
    values.forEach((v, i) => {
      const bar = el('span', { class: 'bar' });
      bar.style.height = (100 * v / max).toFixed(1) + '%';
      list.append(el('li', { 'aria-label': labels[i] + ': ' + v }, el('span', { class: 'value' }, v), bar, el('span', {}, labels[i])));
    });
    return el('figure', { 'aria-label': caption }, el('figcaption', {}, caption), list);
  };
  const figures = (pairs) => el('dl', { class: 'figures' }, ...pairs.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v))));
  const section = (title, ...children) => el('section', { 'aria-label': title }, el('h2', {}, title), ...children);

  const render = (view) => {
    const select = $('terminal');
    const chosen = view.terminal || '';
    select.replaceChildren(el('option', { value: '' }, 'All terminals'), ...view.terminals.map((t) => el('option', { value: t.terminalId }, t.label ? t.label + ' (' + t.terminalId + ')' : t.terminalId)));
    select.value = chosen;
    const table = el('table', {},
      el('caption', { class: 'visually-hidden' }, 'Terminals'),
      el('thead', {}, el('tr', {}, ...['Terminal', 'Health', 'Alarms', 'Queue', 'Oldest item', 'Printer', 'Readers missing', 'Last heartbeat', 'Version'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...view.terminals.map((t) => el('tr', {},
        el('th', { scope: 'row' }, t.label || t.terminalId),
        el('td', {}, el('span', { class: 'health health-' + t.health }, t.health)),
        el('td', {}, t.alarms.join(', ') || '–'),
        el('td', {}, t.queue ? t.queue.queued : '–'),
        el('td', {}, t.queue && t.queue.oldestAgeSeconds !== null ? age(t.queue.oldestAgeSeconds).replace(' ago', '') : '–'),
        el('td', {}, t.printer || '–'),
        el('td', {}, t.readersMissing.join(', ') || '–'),
        el('td', {}, age(t.lastHeartbeatAgeSeconds)),
        el('td', {}, t.appVersion || '–')))));
    const u = view.usage;
    const summary = figures([
      ['Sessions', u.sessions], ['Journeys started', u.journeys.started], ['Completed', u.journeys.completed],
      ['Abandoned', u.journeys.abandoned], ['Staff called', u.staffCalls], ['Prints', u.prints.printed],
      ['Print failures', u.prints.failed], ['Without printer', u.prints.no_printer], ['Reads', u.reads.mrz + u.reads.barcode], ['Rereads', u.rereads], ['Read errors', u.reads.error],
    ]);
    const funnels = el('div', { class: 'charts' }, ...u.services.map((s) => bars('ol', 'Funnel ' + s.service, [
      { label: 'Started', value: s.started },
      ...s.steps.map((step) => ({ label: 'Reached ' + step.step, value: step.reached })),
      { label: 'Completed', value: s.completed, kind: 'completed' },
      ...s.steps.filter((step) => step.abandoned > 0).map((step) => ({ label: 'Left at ' + step.step, value: step.abandoned, kind: 'abandoned' })),
    ])));
    const languages = bars('ul', 'Journeys by language', u.languages.map((l) => ({ label: l.language, value: l.started })));
    const identity = bars('ul', 'Guest or signed in', [
      { label: 'Guest', value: u.identities.guest.started }, { label: 'Signed in', value: u.identities.account.started },
    ]);
    const labels = [...u.durations.buckets.map((b) => '≤' + (b < 60 ? b + ' s' : Math.round(b / 60) + ' min')), '> 1 h'];
    const durations = el('div', { class: 'charts' },
      columns('Session durations', labels, u.durations.sessions), columns('Journey durations', labels, u.durations.journeys));
    $('content').replaceChildren(
      section('Terminals', table),
      section('Usage ' + view.period.from.slice(0, 16).replace('T', ' ') + ' to ' + view.period.to.slice(0, 16).replace('T', ' ') + ' UTC', summary),
      section('Funnels per service', u.services.length ? funnels : el('p', {}, 'No journeys in this period.')),
      section('Languages and sign-in', el('div', { class: 'charts' }, languages, identity)),
      section('Durations', durations));
    $('status').textContent = 'Updated ' + view.now.slice(11, 19) + ' UTC.';
  };

  const load = async () => {
    const params = new URLSearchParams();
    if ($('terminal').value) params.set('terminal', $('terminal').value);
    params.set('hours', $('hours').value);
    $('status').textContent = 'Loading…';
    let answer;
    try {
      answer = await fetch('/admin/v1/fleet?' + params, { headers: { authorization: 'Bearer ' + token } });
    } catch {
      $('status').textContent = 'The portal cannot be reached.';
      return;
    }
    if (answer.status === 401) {
      token = '';
      $('filters').hidden = true;
      $('token-form').hidden = false;
      $('status').textContent = 'The admin token was not accepted.';
      return;
    }
    if (!answer.ok) {
      $('status').textContent = 'The portal answered ' + answer.status + '.';
      return;
    }
    render(await answer.json());
  };
  const begin = () => {
    $('token-form').hidden = true;
    $('filters').hidden = false;
    void load();
  };
  document.addEventListener('DOMContentLoaded', () => {
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      token = $('token').value.trim();
      $('token').value = '';
      begin();
    });
    $('terminal').addEventListener('change', () => void load());
    $('hours').addEventListener('change', () => void load());
    if (token) begin(); else $('token-form').hidden = false;
  });
})();
`;
