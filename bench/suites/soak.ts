/**
 * Soak: thousands of visitor sessions through one kiosk, and how its memory behaves.
 *
 * One kiosk (createKiosk, the same composition root the hosts use) with simulated readers, a real
 * data folder (SQLite queue, device key, enrolment) and a folder printer, enrolled with the
 * reference portal running in a process of its own on 127.0.0.1; the sync engine delivers in the
 * background as in the field. The sessions cycle through what visitors do: a call-back request
 * (submitted, receipt printed), a status lookup (a receipt's QR scanned, or a tracking number
 * typed), an information sheet, a declaration of commitment with two passports read by the
 * simulated document reader, a session abandoned mid-journey, and one ended by the idle timeout
 * (the kiosk's ManualClock is advanced past it; nothing sleeps).
 *
 * Every `SOAK_SAMPLE_EVERY` sessions (250), after a full garbage collection and with no delivery
 * pass in flight, it samples the heap, external and array buffer memory, RSS, Node's active
 * resources, the SQLite file and WAL, the event bus's listeners and the kiosk clock's timers.
 * It reports the table, the least-squares growth of heapUsed (and RSS, external) in KB per 1,000
 * sessions over the second half, and RSS at start and end. Figures are reported, never asserted:
 * the exit code is non-zero only when a session failed (an error envelope, a validation error on
 * a step whose values are valid, or a result of the wrong kind).
 *
 * `SOAK_SESSIONS` (default 3,000) and `SOAK_SAMPLE_EVERY` change the run. `SOAK_HEAP_DIFF=1` also
 * writes a V8 heap snapshot at the sample nearest half-way and after the last one, and lists what
 * is on the heap at the end that was not there half-way, by kind and by the object holding it
 * (bench/support/heap-diff.ts): where to look when the heap grows. Writing a snapshot disturbs
 * the figures after it (RSS above all), so it is off by default.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JourneyResult } from '../../api/contract.ts';
import type { FieldValues, JourneyState } from '../../api/forms.ts';
import { ManualClock } from '../../common/clock.ts';
import { loadConfig } from '../../core/config.ts';
import { createKiosk } from '../../core/kiosk.ts';
import type { Logger } from '../../core/log.ts';
import { openPinnedTerminal } from '../../core/pinned-portal.ts';
import { computeCheckDigit } from '../../device/mrz/index.ts';
import type { SimulatorTransport } from '../../device/transports/simulator.ts';
import { type AssembledTerminal, QUEUE_DB_FILE } from '../../sync/terminal.ts';
import {
  activeResources,
  collectGarbage,
  type DemoApplication,
  ensureExposedGc,
  growthPer1000,
  kib,
  mib,
  printHeapDiff,
  processRss,
  startPortalProcess,
  table,
  writeHeapSnapshotFile,
} from '../support/soak.ts';

const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 3000);
const SAMPLE_EVERY = Number(process.env.SOAK_SAMPLE_EVERY ?? 250);
const HEAP_DIFF = /^(1|true|yes)$/i.test(process.env.SOAK_HEAP_DIFF ?? '');
/** The sample after which the first heap snapshot is written (the start of the second half). */
const SNAPSHOT_AT = Math.max(SAMPLE_EVERY, Math.round(SESSIONS / 2 / SAMPLE_EVERY) * SAMPLE_EVERY);
const MAX_FAILURES_SHOWN = 20;
const languages = ['de', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr', 'de-x-ls'] as const;
const lastNames = ['MUSTERMANN', 'YILMAZ', 'KOVALENKO', 'IVANOVA', 'HADDAD', 'NGUYEN', 'OKAFOR', 'SCHMIDT'];
const firstNames = ['ERIKA', 'AYSE', 'OLENA', 'DMITRI', 'LEILA', 'MINH', 'CHIDI', 'JONAS<PETER'];
const states = ['D<<', 'TUR', 'UKR', 'RUS', 'SYR', 'VNM', 'NGA', 'AUT'];
const informationTopics = [
  'residencePermitExtension',
  'electronicResidencePermit',
  'commitmentPrivate',
  'commitmentCompany',
];

/** A date as the journeys check it: the day in Berlin, YYYY-MM-DD. */
const berlinDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' });

type Kind = 'callback' | 'status' | 'information' | 'commitment' | 'abandoned' | 'idle';
const cycle: readonly Kind[] = ['callback', 'status', 'information', 'commitment', 'abandoned', 'idle'];

/** A session that did not go as a visitor's would: which call, and the code it answered (no data). */
class SessionFailure extends Error {
  constructor(
    readonly call: string,
    readonly code: string,
  ) {
    super(`${call}: ${code}`);
  }
}

interface Sample {
  sessions: number;
  elapsedS: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  resources: number;
  resourceKinds: string;
  db: number;
  wal: number;
  listeners: number;
  timers: number;
  queued: number;
  delivered: number;
  portalRss: number | null;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** A TD3 passport MRZ with correct check digits (ICAO 9303), as the simulated reader types it. */
function passport(o: {
  state: string;
  last: string;
  first: string;
  number: string;
  birth: string;
  sex: string;
  expiry: string;
}): string[] {
  const cd = (s: string) => String(computeCheckDigit(s));
  const line1 = `P<${o.state}${o.last}<<${o.first}`.padEnd(44, '<').slice(0, 44);
  const number = o.number.padEnd(9, '<');
  const personal = '<'.repeat(14);
  const body = `${number}${cd(number)}${o.state}${o.birth}${cd(o.birth)}${o.sex}${o.expiry}${cd(o.expiry)}${personal}${cd(personal)}`;
  const composite = cd(`${body.slice(0, 10)}${body.slice(13, 20)}${body.slice(21, 43)}`);
  return [line1, `${body}${composite}`];
}

/** A different, valid document per call: names, state, number and birth date vary with `n`. */
function document(n: number): { lines: string[]; birthDate: string } {
  const yy = 40 + (n % 50);
  const mm = 1 + (n % 12);
  const dd = 1 + (n % 28);
  const birth = `${yy}${String(mm).padStart(2, '0')}${String(dd).padStart(2, '0')}`;
  return {
    lines: passport({
      state: states[n % states.length] ?? 'D<<',
      last: lastNames[n % lastNames.length] ?? 'MUSTERMANN',
      first: firstNames[(n * 3) % firstNames.length] ?? 'ERIKA',
      number: `C${n.toString(36).toUpperCase().padStart(8, '0')}`,
      birth,
      sex: n % 2 ? 'F' : 'M',
      expiry: '340228',
    }),
    birthDate: `19${birth.slice(0, 2)}-${birth.slice(2, 4)}-${birth.slice(4, 6)}`,
  };
}

/** Runs the soak in `root`; what must be stopped even on an exception goes into `cleanups`. */
async function main(root: string, cleanups: (() => Promise<void>)[]): Promise<number> {
  const dataDir = join(root, 'terminal');
  const printed = join(root, 'printed');
  mkdirSync(printed, { recursive: true });
  const portal = await startPortalProcess(join(root, 'portal'));
  cleanups.push(() => portal.stop());
  const problems = new Map<string, number>();
  const log: Logger = {
    info() {},
    warn: (event) => problems.set(`warn ${event}`, (problems.get(`warn ${event}`) ?? 0) + 1),
    error: (event) => problems.set(`error ${event}`, (problems.get(`error ${event}`) ?? 0) + 1),
  };
  const clock = new ManualClock(Date.now());
  const config = loadConfig({
    env: { KIOSK_DATA_DIR: dataDir },
    overrides: {
      portal: { url: portal.url, signingKeyThumbprint: portal.signingKeyThumbprint, allowLoopbackHttp: true },
      readers: { simulate: true },
      printer: { kind: 'file', dir: printed },
    },
  });
  const terminal = await openPinnedTerminal(config, log, { enrolmentCode: portal.enrolmentCode });
  if (!terminal) throw new Error('the terminal could not enrol with the reference portal');
  cleanups.push(() => terminal.close());
  // the kiosk owns the terminal from here: its close closes it
  const kiosk = createKiosk(config, { clock, terminal, log });
  cleanups.push(() => kiosk.close());
  terminal.start();
  await kiosk.started;
  if (!kiosk.simulator) throw new Error('the kiosk runs without simulated readers');
  const simulator: SimulatorTransport = kiosk.simulator;
  const ended = new Map<string, number>();
  const offEnded = kiosk.events.subscribe((event) => {
    if (event.name === 'session.ended')
      ended.set(event.payload.reason, (ended.get(event.payload.reason) ?? 0) + 1);
  });

  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const answer = await kiosk.router.dispatch(name, input);
    if (!answer.ok) throw new SessionFailure(name, answer.error.code);
    return answer.value as T;
  };
  /** Hands in a step's values; valid values must move the journey on (or stay at its last step). */
  const step = async (values: FieldValues): Promise<JourneyState> => {
    const before = kiosk.journeys.current();
    const state = await call<JourneyState>('journey.step', { values });
    const invalid = Object.entries(state.errors);
    if (invalid.length > 0)
      throw new SessionFailure(
        `journey.step ${state.step.id}`,
        invalid.map(([f, c]) => `${f}=${c}`).join(','),
      );
    if (before && state.index === before.index && state.index < state.steps.length - 1)
      throw new SessionFailure(`journey.step ${state.step.id}`, 'did not advance');
    return state;
  };
  const expectResult = <K extends JourneyResult['kind']>(result: JourneyResult, kind: K) => {
    if (result.kind !== kind) throw new SessionFailure('journey.submit', `kind ${result.kind}`);
    return result as Extract<JourneyResult, { kind: K }>;
  };
  /** The reader fills the current document step; the fields it filled must be there. */
  const read = (lines: readonly string[], field: string) => {
    const presented = simulator.present('mrz', lines);
    if (!presented.ok) throw new SessionFailure('simulator.present', presented.error.code);
    if (!kiosk.journeys.current()?.values[field])
      throw new SessionFailure('device.read', `${field} not filled`);
  };
  const day = (offset: number) => berlinDay.format(clock.now() + offset * 86_400_000);
  const removePrinted = () => {
    for (const name of readdirSync(printed)) rmSync(join(printed, name), { force: true });
  };

  const ownApplications: { trackingNumber: string; birthDate: string }[] = [];
  const demo: readonly DemoApplication[] = portal.demo;
  const counts = new Map<Kind, { n: number; ms: number }>();
  const failures: { session: number; kind: Kind; call: string; code: string }[] = [];
  let printedJobs = 0;
  const lookups = { queued: 0, portal: 0 };

  async function session(i: number, kind: Kind): Promise<void> {
    const language = languages[i % languages.length] ?? 'de';
    await call('session.start', { language });
    await call('catalogue.list', {});
    switch (kind) {
      case 'callback': {
        await call('journey.start', { serviceId: 'callback-request' });
        await step(
          i % 2
            ? { topic: 'appointment', urgency: 'deadline', deadline: day(30) }
            : { topic: 'residencePermit', urgency: 'normal' },
        );
        await step({
          lastName: 'Kovalenko',
          firstNames: i % 3 ? 'Olena' : null,
          phone: `+49 341 ${String(1_000_000 + i).slice(-7)}`,
          callLanguage: 'uk',
          timeWindow: 'any',
        });
        await step({});
        await step({ consentContact: true });
        const receipt = expectResult(await call('journey.submit', {}), 'receipt');
        if (receipt.print.state !== 'printed') throw new SessionFailure('receipt', receipt.print.state);
        printedJobs += 1;
        break;
      }
      case 'status': {
        await call('journey.start', { serviceId: 'application-status' });
        const own = ownApplications.length > 0 && i % 4 === 1 ? ownApplications.at(-1) : undefined;
        if (own) {
          // typed from the receipt of an earlier visitor's declaration
          await step({ trackingNumber: own.trackingNumber, birthDate: own.birthDate });
        } else {
          const target = demo[i % demo.length];
          if (!target) throw new SessionFailure('portal', 'no demo application');
          const scanned = simulator.scan(`ST1:${target.trackingNumber}`, 'qr');
          if (!scanned.ok) throw new SessionFailure('simulator.scan', scanned.error.code);
          if (kiosk.journeys.current()?.values.trackingNumber !== target.trackingNumber)
            throw new SessionFailure('device.read', 'trackingNumber not filled');
          await step({ birthDate: target.birthDate });
        }
        const status = expectResult(await call('journey.submit', {}), 'status');
        if (status.offline || status.status === null)
          throw new SessionFailure('status', status.offline ? 'offline' : 'not found');
        if (status.status === 'queued') lookups.queued += 1;
        else lookups.portal += 1;
        break;
      }
      case 'information': {
        await call('journey.start', { serviceId: 'information' });
        await step({ caseType: informationTopics[i % informationTopics.length] ?? 'commitmentPrivate' });
        const sheet = expectResult(await call('journey.submit', {}), 'information');
        if (sheet.print.state !== 'printed') throw new SessionFailure('information', sheet.print.state);
        printedJobs += 1;
        break;
      }
      case 'commitment': {
        await call('journey.start', { serviceId: 'commitment-private' });
        await step({ livesInCity: 'yes', residenceStatus: 'permit', stayLength: 'upTo90Days' });
        await step({ liabilityAcknowledged: true });
        const guarantor = document(i);
        read(guarantor.lines, 'lastName');
        await step({});
        await step({
          street: 'Lindenweg',
          houseNumber: String(1 + (i % 120)),
          postcode: '04109',
          city: 'Leipzig',
          phone: '+49 341 1234567',
        });
        await step({ employment: 'employed', netIncome: '2400', rent: '750', dependants: '1' });
        read(document(i + 7).lines, 'guestLastName');
        await step({ guestRelation: 'family' });
        await step({
          arrivalDate: day(60),
          departureDate: day(80),
          stayPurpose: 'visit',
          accommodation: 'guarantorHome',
        });
        await step({});
        await step({});
        await step({ truthful: true, privacy: true });
        const receipt = expectResult(await call('journey.submit', {}), 'receipt');
        if (receipt.print.state !== 'printed') throw new SessionFailure('receipt', receipt.print.state);
        printedJobs += 1;
        ownApplications.splice(0, ownApplications.length, {
          trackingNumber: receipt.trackingNumber,
          birthDate: guarantor.birthDate,
        });
        break;
      }
      case 'abandoned': {
        // Looks around, changes language, asks for more time and for staff, then leaves mid-journey.
        if (i % 5 === 4) await call('system.status', {});
        await call('session.setLanguage', { language: languages[(i + 1) % languages.length] ?? 'en' });
        await call('session.setSlowMode', { slow: true });
        await call('journey.start', { serviceId: i % 2 ? 'callback-request' : 'commitment-private' });
        if (i % 2) {
          await step({ topic: 'other', urgency: 'normal' });
          await call('journey.back', {});
        } else {
          await step({ livesInCity: 'no', residenceStatus: 'eu', stayLength: 'longer' });
          await step({ liabilityAcknowledged: true });
          read(document(i).lines, 'lastName'); // the reader read a passport, then the visitor left
        }
        await call('staff.call', {});
        await call('session.touch', {});
        const left = await call<{ ended: boolean }>('session.end', { reason: 'visitor' });
        if (!left.ended) throw new SessionFailure('session.end', 'not ended');
        return;
      }
      case 'idle': {
        // Walks away at the document step with a passport read: the idle timeout ends it.
        await call('journey.start', { serviceId: 'commitment-private' });
        await step({ livesInCity: 'yes', residenceStatus: 'german', stayLength: 'upTo90Days' });
        await step({ liabilityAcknowledged: true });
        read(document(i).lines, 'lastName');
        const info = kiosk.sessions.current();
        if (!info) throw new SessionFailure('session', 'gone before the timeout');
        clock.advance(info.idleTimeoutSeconds * 1000 + 1);
        if (kiosk.sessions.current() !== null) throw new SessionFailure('idle timeout', 'session still open');
        return;
      }
    }
    const left = await call<{ ended: boolean }>('session.end', { reason: 'visitor' });
    if (!left.ended) throw new SessionFailure('session.end', 'not ended');
  }

  const samples: Sample[] = [];
  const started = performance.now();
  const sample = async (sessions: number) => {
    await terminal.engine.idle();
    await collectGarbage();
    const m = process.memoryUsage();
    const resources = activeResources();
    const queue = terminal.outbox.counts(Date.now());
    samples.push({
      sessions,
      elapsedS: (performance.now() - started) / 1000,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      rss: m.rss,
      resources: resources.total,
      resourceKinds: resources.byKind,
      db: fileSize(join(dataDir, QUEUE_DB_FILE)),
      wal: fileSize(join(dataDir, `${QUEUE_DB_FILE}-wal`)),
      listeners: kiosk.events.listenerCount,
      timers: clock.pendingTimers,
      queued: queue.pending,
      delivered: readDelivered(terminal),
      portalRss: processRss(portal.pid),
    });
  };

  const snapshots: { sessions: number; file: string }[] = [];
  await sample(0);
  for (let i = 0; i < SESSIONS; i++) {
    const kind = cycle[i % cycle.length] ?? 'callback';
    const t0 = performance.now();
    try {
      await session(i, kind);
    } catch (error) {
      const f =
        error instanceof SessionFailure
          ? { call: error.call, code: error.code }
          : { call: 'exception', code: error instanceof Error ? error.name : 'unknown' };
      failures.push({ session: i, kind, ...f });
      kiosk.sessions.end('staff');
    }
    const c = counts.get(kind) ?? { n: 0, ms: 0 };
    counts.set(kind, { n: c.n + 1, ms: c.ms + performance.now() - t0 });
    removePrinted();
    if ((i + 1) % SAMPLE_EVERY === 0 || i + 1 === SESSIONS) {
      await sample(i + 1);
      if (HEAP_DIFF && (i + 1 === SNAPSHOT_AT || i + 1 === SESSIONS)) {
        const file = join(root, `heap-${i + 1}.heapsnapshot`);
        writeHeapSnapshotFile(file);
        snapshots.push({ sessions: i + 1, file });
      }
    }
  }
  const totalS = (performance.now() - started) / 1000;

  // Let the backlog drain, then close everything and see what is left running.
  const drainStarted = performance.now();
  for (let pass = 0; pass < 50 && terminal.outbox.counts(Date.now()).pending > 0; pass++) {
    terminal.outbox.makeAllDue(Date.now());
    await terminal.engine.runPass();
  }
  const drainS = (performance.now() - drainStarted) / 1000;
  const left = terminal.outbox.counts(Date.now()).pending;
  const delivered = readDelivered(terminal);
  offEnded();
  const listenersBeforeClose = kiosk.events.listenerCount;
  await kiosk.close();
  await collectGarbage();
  const afterClose = activeResources();
  await portal.stop();

  // ---- report ----
  console.log(
    `sessions: ${SESSIONS} in ${totalS.toFixed(1)} s (${(SESSIONS / totalS).toFixed(1)} sessions/s), sampled every ${SAMPLE_EVERY} after gc`,
  );
  console.log(
    `  ${[...counts].map(([k, c]) => `${k} ${c.n} (mean ${(c.ms / c.n).toFixed(1)} ms)`).join(', ')}`,
  );
  console.log(
    `  sessions ended: ${[...ended].map(([r, n]) => `${r} ${n}`).join(', ')}; documents printed (and deleted): ${printedJobs}; status answers: ${lookups.portal} from the portal, ${lookups.queued} from the queue`,
  );
  console.log(
    `  delivered to the portal: ${delivered}, still queued after ${drainS.toFixed(1)} s of draining: ${left}`,
  );
  console.log('');
  console.log(
    table(
      [
        'sessions',
        's',
        'heapUsed MiB',
        'heapTotal',
        'external',
        'arrayBuf',
        'RSS MiB',
        'handles',
        'db KiB',
        'wal KiB',
        'listeners',
        'timers',
        'queued',
        'delivered',
        'portal RSS',
      ],
      samples.map((s) => [
        String(s.sessions),
        s.elapsedS.toFixed(0),
        mib(s.heapUsed),
        mib(s.heapTotal),
        mib(s.external),
        mib(s.arrayBuffers),
        mib(s.rss),
        String(s.resources),
        kib(s.db),
        kib(s.wal),
        String(s.listeners),
        String(s.timers),
        String(s.queued),
        String(s.delivered),
        s.portalRss === null ? '-' : mib(s.portalRss),
      ]),
    ),
  );
  console.log('');
  const heap = growthPer1000(samples, (s) => s.heapUsed);
  const rss = growthPer1000(samples, (s) => s.rss);
  const ext = growthPer1000(samples, (s) => s.external);
  const first = samples[0];
  const last = samples.at(-1);
  console.log(
    `heapUsed growth, sessions ${heap.from}-${heap.to} (${heap.points} samples, least squares): ${heap.kbPer1000.toFixed(1)} KB per 1,000 sessions`,
  );
  if (!HEAP_DIFF)
    console.log('  (SOAK_HEAP_DIFF=1 lists the objects that make up the growth and what holds them)');
  console.log(`external growth, same samples: ${ext.kbPer1000.toFixed(1)} KB per 1,000 sessions`);
  console.log(`RSS growth, same samples: ${rss.kbPer1000.toFixed(1)} KB per 1,000 sessions`);
  if (first && last) {
    console.log(
      `RSS: ${mib(first.rss)} MiB at start, ${mib(last.rss)} MiB after ${last.sessions} sessions; heapUsed ${mib(first.heapUsed)} -> ${mib(last.heapUsed)} MiB`,
    );
    console.log(`active resources at the first sample: ${first.resourceKinds}`);
    console.log(`active resources at the last sample:  ${last.resourceKinds}`);
  }
  console.log(
    `after kiosk.close(): event-bus listeners before close ${listenersBeforeClose}, kiosk clock timers ${clock.pendingTimers}, active resources ${afterClose.total} (${afterClose.byKind || 'none'})`,
  );
  const [mid, end] = snapshots;
  if (mid && end && end.sessions > mid.sessions) {
    console.log('');
    printHeapDiff(mid.file, end.file, end.sessions - mid.sessions);
  }
  if (problems.size > 0)
    console.log(
      `log warnings/errors (event names): ${[...problems].map(([e, n]) => `${e} ${n}`).join(', ')}`,
    );
  if (failures.length > 0) {
    console.log(`FAILED sessions: ${failures.length}`);
    for (const f of failures.slice(0, MAX_FAILURES_SHOWN))
      console.log(`  session ${f.session} (${f.kind}): ${f.call} -> ${f.code}`);
    return 1;
  }
  return 0;
}

/** Items the portal acknowledged (delivered, accepted, or purged after acceptance). */
function readDelivered(terminal: AssembledTerminal): number {
  const { byState } = terminal.outbox.counts(Date.now());
  return byState.delivered + byState.accepted + byState.purged;
}

if (ensureExposedGc(import.meta.url)) {
  const root = mkdtempSync(join(tmpdir(), 'bench-soak-'));
  const cleanups: (() => Promise<void>)[] = [];
  try {
    process.exitCode = await main(root, cleanups);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}
