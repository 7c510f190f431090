/**
 * The reference portal: `createPortal` builds it (tests use `portal.app.inject`), `startPortal`
 * also listens (127.0.0.1 by default, port 0 = any free port). The handle carries the
 * administrator's functions and the run-time fault switches.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Clock, type RandomUnit, systemClock } from '../common/clock.ts';
import type { Result } from '../common/result.ts';
import {
  type AuthorityKeysResponse,
  buildOpenApiDocument,
  type CaseEvent,
  type CaseEventDetails,
  type ConfigResponse,
  type EnrolmentResponse,
  type HealthResponse,
  type HeartbeatResponse,
  PORTAL_AUDIENCE,
  type StatusEventsResponse,
  type Ticket,
} from '../sync/protocol/index.ts';
import { Accounts, type SignInLimit } from './accounts.ts';
import { registerAdminRoutes } from './admin.ts';
import { buildApp, type Handlers } from './app.ts';
import { AuditHeads, type TerminalAlarm } from './audit-heads.ts';
import { TerminalAuth } from './auth.ts';
import { Callbacks } from './callbacks.ts';
import { registerCaseAdminRoutes } from './case-admin.ts';
import { type CaseInfo, Cases, type MoveErrorCode, type NewCase } from './cases.ts';
import { registerCodeAdminRoutes } from './code-admin.ts';
import { type CommandInfo, Commands } from './commands.ts';
import {
  DEFAULT_SITE_CONFIG,
  demoStaffSection,
  type SiteConfig,
  signConfig,
  terminalConfig,
} from './config.ts';
import { type Db, getMeta, openPortalDb, setMeta } from './db.ts';
import { type DemoCase, type DemoTracking, seedDemo, seedDemoCases } from './demo.ts';
import { iso, randomSeed, realSleep, type Sleep, seededRandom } from './deps.ts';
import { DocumentReferences } from './document-ref.ts';
import { type FiledDocument, FiledDocuments, registerDocumentAdminRoutes } from './documents.ts';
import { createEnrolmentCode, DEFAULT_CODE_TTL_MS, enrol } from './enrolment.ts';
import { type FaultOptions, type FaultState, Faults, type InjectedFault } from './faults.ts';
import { FleetStore, registerFleetRoutes } from './fleet.ts';
import { registerCaseDocumentRoutes } from './follow-ups.ts';
import { answer } from './http.ts';
import { AuthorityKeyRing, loadSigningKey, type RsaKeySource, type SigningKey } from './keys.ts';
import { DEMO_ARGON2ID } from './passwords.ts';
import { Queue, type QueueSettings, registerQueueRoutes } from './queue.ts';
import {
  type CodeMessage,
  type CodeSender,
  DEFAULT_CODE_SEND_LIMIT,
  DEMO_CODE_SEND_LIMIT,
  LastMessageSender,
  SecondFactor,
} from './second-factor.ts';
import { ServiceCenter } from './service-center.ts';
import { type DecideResult, type Decision, StatusLog } from './status.ts';
import { Submissions } from './submissions.ts';
import { DEFAULT_TRACKING_RATE_LIMIT, type RateLimit, TrackingLookup } from './tracking.ts';

export type { FaultOptions, FaultState } from './faults.ts';

export const PORTAL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface PortalOptions {
  /** 0 (default) = any free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Where the database (and with it the keys) lives; default a fresh temp dir, removed again on close. */
  readonly dataDir?: string;
  /** Seeds demo accounts and tracking entries, creates an enrolment code, auto-accepts submissions. */
  readonly demo?: boolean;
  readonly faults?: FaultOptions;
  /** Request log (method, route, status, duration; never bodies or query strings). */
  readonly log?: boolean;
  readonly clock?: Clock;
  /** Random source for fault decisions; default seeded from `seed`. */
  readonly random?: RandomUnit;
  readonly seed?: number;
  /** How latency is waited for; tests pass one they control. */
  readonly sleep?: Sleep;
  /** Accept delivered submissions by themselves after this long (demo default 30 s). */
  readonly autoAcceptAfterMs?: number;
  readonly trackingRateLimit?: RateLimit;
  /** Case lookups allowed per terminal (default 10 a minute). */
  readonly caseLookupLimit?: RateLimit;
  /** Service-Center ticket lookups allowed per terminal (default 10 a minute). */
  readonly ticketLookupLimit?: RateLimit;
  /** The office code in case references (default `ABH`: `ABH-2026-000001`). */
  readonly caseOffice?: string;
  /** The waiting queue of the building (waiting area, walk-in topics); the demo's by default. */
  readonly queue?: QueueSettings;
  /** RSA modulus of new authority keys (default 3072; terminals refuse fewer bits). */
  readonly authorityKeyBits?: number;
  /** Where new authority keys come from (default: generated); tests hand out keys made once. */
  readonly authorityKeySource?: RsaKeySource;
  /** The site configuration; default `DEFAULT_SITE_CONFIG`, in demo mode with the demo staff. */
  readonly site?: SiteConfig;
  /** Failed service-account sign-ins allowed per terminal and per name (default 5 in 15 min). */
  readonly signInLimit?: SignInLimit;
  /** Pending-account searches allowed per terminal (default 10 in 10 min). */
  readonly accountSearchLimit?: RateLimit;
  /** Bearer token of the `/admin/v1` routes; default a fresh random one per start. */
  readonly adminToken?: string;
  /**
   * `mtan` (default): a right password is followed by a one-time code sent to the account's
   * registered phone; `none`: the password alone signs in (and is recorded as such).
   */
  readonly accountsSecondFactor?: 'mtan' | 'none';
  /** Where sign-in codes go; default the reference sender, which keeps the last one per account. */
  readonly codeSender?: CodeSender;
  /**
   * Sign-in codes sent per account (default 3 in 15 minutes; in demo mode 30, as a demo's few
   * accounts are signed in to over and over).
   */
  readonly codeSendLimit?: RateLimit;
  /** Told of each fault injected into a request (chaos runs count them). */
  readonly onFault?: (fault: InjectedFault) => void;
}

export interface TerminalInfo {
  readonly terminalId: string;
  readonly keyId: string;
  readonly label: string | null;
  readonly enrolledAt: string;
  readonly lastSeenAt: string | null;
  readonly lastHeartbeat: unknown;
  readonly appVersion: string | null;
  readonly revokedAt: string | null;
  readonly commands: readonly CommandInfo[];
  /** Every audit head the terminal reported, oldest first (append-only). */
  readonly auditHeads: readonly {
    readonly seq: number;
    readonly hash: string;
    readonly receivedAt: string;
  }[];
  readonly alarms: readonly TerminalAlarm[];
}

export interface SubmissionInfo {
  readonly submissionId: string;
  readonly terminalId: string;
  readonly state: 'open' | 'delivered' | 'rejected';
  readonly trackingNumber: string | null;
  readonly serviceId: string | null;
  readonly status: string | null;
  readonly rejectCode: string | null;
  readonly authorityKid: string | null;
  readonly application: unknown;
  readonly attachments: readonly {
    readonly partId: string;
    readonly mediaType: string;
    readonly size: number;
  }[];
}

export interface Portal {
  readonly app: FastifyInstance;
  readonly dataDir: string;
  readonly signingKey: SigningKey['publicJwk'];
  /** In demo mode: a fresh enrolment code, valid 24 h. */
  readonly demoEnrolmentCode: string | undefined;
  readonly demoTracking: readonly DemoTracking[];
  /** In demo mode: cases filed at the counter in several states, to look up at a terminal. */
  readonly demoCases: readonly DemoCase[];
  createEnrolmentCode(ttlMs?: number): string;
  rotateAuthorityKeys(): Promise<string>;
  /** Publishes a new configuration version (optionally with new site settings); returns the version. */
  publishConfig(newSite?: SiteConfig): number;
  /** The site configuration and its version in effect. */
  siteConfig(): { readonly version: number; readonly site: SiteConfig };
  /** Asks a terminal to wipe itself (offered in its heartbeats until acknowledged); undefined for an unknown or revoked terminal. */
  requestWipe(terminalId: string): string | undefined;
  /** Bearer token of the `/admin/v1` routes. */
  readonly adminToken: string;
  /** Alarms about terminals (an audit head that does not extend the previous one), oldest first. */
  alarms(): TerminalAlarm[];
  /** The reference sender's last sign-in code message to an account (undefined with another sender). */
  lastCodeMessage(accountId: string): CodeMessage | undefined;
  decide(submissionId: string, decision: Decision, reason?: string): DecideResult;
  /** Files a case on the portal or at the counter (`submitted`); returns its case reference. */
  createCase(input: NewCase): string;
  /** Moves a case (by case reference or tracking number) as the process allows; one signed event. */
  moveCase(reference: string, details: CaseEventDetails): Result<CaseEvent, MoveErrorCode>;
  /** A case with its events, for administrators; undefined when there is none. */
  caseInfo(reference: string): CaseInfo | undefined;
  /** The Service-Center's progress on a ticket; false for an unknown ticket. */
  setTicketStatus(ticketNumber: string, status: Ticket['status']): boolean;
  revokeTerminal(terminalId: string): boolean;
  terminals(): TerminalInfo[];
  submission(submissionId: string): SubmissionInfo | undefined;
  /** The documents handed in with a submission (purpose, hash); undefined for an unknown submission. */
  documents(submissionId: string): FiledDocument[] | undefined;
  submissions(): SubmissionInfo[];
  faults(): FaultState;
  setFaults(change: FaultOptions): FaultState;
  close(): Promise<void>;
}

export interface RunningPortal extends Portal {
  readonly url: string;
  readonly port: number;
}

const DEMO_AUTO_ACCEPT_MS = 30_000;

export async function createPortal(options: PortalOptions = {}): Promise<Portal> {
  const clock = options.clock ?? systemClock;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'portal-')));
  const removeDataDir = async (): Promise<void> => {
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
  };
  const db: Db = openPortalDb(dataDir);
  try {
    const portal = await assemble(db, dataDir, clock, options);
    return {
      ...portal,
      close: async () => {
        await portal.close();
        await removeDataDir();
      },
    };
  } catch (e) {
    db.close();
    await removeDataDir();
    throw e;
  }
}

async function assemble(db: Db, dataDir: string, clock: Clock, options: PortalOptions): Promise<Portal> {
  const signingKey = await loadSigningKey(db, clock.now());
  const keyRing = new AuthorityKeyRing(db, options.authorityKeyBits ?? 3072, options.authorityKeySource);
  await keyRing.ensureKeys(clock.now());
  const autoAccept = options.autoAcceptAfterMs ?? (options.demo === true ? DEMO_AUTO_ACCEPT_MS : undefined);
  const status = new StatusLog(db, signingKey, clock, autoAccept);
  const auth = new TerminalAuth(db, clock);
  const cases = new Cases({
    db,
    dataDir,
    signingKey,
    clock,
    status,
    ...(options.caseLookupLimit === undefined ? {} : { lookupLimit: options.caseLookupLimit }),
    ...(options.caseOffice === undefined ? {} : { office: options.caseOffice }),
  });
  const submissions = new Submissions(db, clock, keyRing, auth, status, cases);
  const serviceCenter = new ServiceCenter(db, clock, signingKey, cases, options.ticketLookupLimit);
  const queue = new Queue(db, clock, signingKey, options.queue);
  const tracking = new TrackingLookup(
    db,
    clock,
    status,
    options.trackingRateLimit ?? DEFAULT_TRACKING_RATE_LIMIT,
  );
  // The reference sender (or one built on it, as the demo launcher's) keeps the last message for
  // the admin route; a real gateway keeps nothing here.
  const referenceSender =
    options.codeSender === undefined
      ? new LastMessageSender()
      : options.codeSender instanceof LastMessageSender
        ? options.codeSender
        : undefined;
  const secondFactor =
    options.accountsSecondFactor === 'none'
      ? null
      : new SecondFactor({
          clock,
          sender: options.codeSender ?? (referenceSender as LastMessageSender),
          sendLimit:
            options.codeSendLimit ?? (options.demo === true ? DEMO_CODE_SEND_LIMIT : DEFAULT_CODE_SEND_LIMIT),
        });
  const accounts = new Accounts(db, {
    clock,
    secondFactor,
    documentRefs: new DocumentReferences(dataDir, () => keyRing.privateKeys()),
    ...(options.signInLimit === undefined ? {} : { signInLimit: options.signInLimit }),
    ...(options.accountSearchLimit === undefined ? {} : { searchLimit: options.accountSearchLimit }),
    ...(options.demo === true ? { passwordCost: DEMO_ARGON2ID } : {}),
  });
  const commands = new Commands(db, signingKey);
  const auditHeads = new AuditHeads(db);
  const callbacks = new Callbacks(db);
  const fleet = new FleetStore(db, clock);
  const faults = new Faults(
    options.faults ?? {},
    options.random ?? seededRandom(options.seed ?? randomSeed()),
    options.onFault,
  );
  let site =
    options.site ??
    (options.demo === true
      ? { ...DEFAULT_SITE_CONFIG, staff: await demoStaffSection() }
      : DEFAULT_SITE_CONFIG);
  const configVersion = (): number => Number(getMeta(db, 'config_version') ?? '1');
  const signedConfig = (terminalId: string): string =>
    signConfig(signingKey, terminalConfig(site, terminalId, configVersion(), clock.now()));

  let demoTracking: DemoTracking[] = [];
  let demoCases: DemoCase[] = [];
  let demoEnrolmentCode: string | undefined;
  if (options.demo === true) {
    demoTracking = await seedDemo(db, status, clock.now());
    demoCases = seedDemoCases(db, cases, clock.now());
    demoEnrolmentCode = createEnrolmentCode(db, clock.now(), DEFAULT_CODE_TTL_MS);
  }

  const handlers: Handlers = {
    health: () =>
      answer(200, { status: 'ok', version: PORTAL_VERSION, time: iso(clock.now()) } satisfies HealthResponse),
    enrolment: ({ body }) => ({
      commit: () => {
        const r = enrol(db, body, clock.now());
        if (!r.ok) return r.answer;
        const response: EnrolmentResponse = {
          terminalId: r.value.terminalId,
          keyId: r.value.keyId,
          audience: PORTAL_AUDIENCE,
          portalSigningKey: signingKey.publicJwk,
          config: signedConfig(r.value.terminalId),
        };
        return answer(201, response);
      },
    }),
    config: ({ terminal }) =>
      answer(200, {
        config: signedConfig(terminal.terminalId),
        version: configVersion(),
      } satisfies ConfigResponse),
    heartbeat: ({ terminal, body }) => ({
      commit: () => {
        const now = clock.now();
        const { usage, ...health } = body;
        db.prepare(
          'UPDATE terminals SET last_seen_at = ?, last_heartbeat = ?, app_version = ? WHERE terminal_id = ?',
        ).run(now, JSON.stringify(health), body.appVersion, terminal.terminalId);
        if (body.auditHead !== undefined) auditHeads.record(terminal.terminalId, body.auditHead, now);
        fleet.record(terminal.terminalId, usage, now);
        const acked = commands.acknowledge(terminal.terminalId, body.ackedCommands ?? [], now);
        const response: HeartbeatResponse = {
          status: 'ok',
          serverTime: iso(now),
          configVersion: configVersion(),
          commands: commands.open(terminal.terminalId, now),
        };
        if (acked.some((c) => c.type === 'wipe')) {
          // the terminal has deleted its key: no copy of it is accepted from now on
          db.prepare('UPDATE terminals SET revoked_at = ? WHERE terminal_id = ? AND revoked_at IS NULL').run(
            now,
            terminal.terminalId,
          );
          auth.forget(terminal.terminalId);
        }
        return answer(200, response);
      },
    }),
    authorityKeys: () =>
      answer(200, { keySet: keyRing.signedSet(signingKey, clock.now()) } satisfies AuthorityKeysResponse),
    createSubmission: ({ terminal, body, idempotencyKey }) =>
      submissions.create(terminal, idempotencyKey ?? '', body),
    putPart: ({ terminal, params, query, body }) =>
      submissions.putPart(terminal, params.id, params.partId, query.offset, body),
    getPart: ({ terminal, params }) => submissions.getPart(terminal, params.id, params.partId),
    submit: ({ terminal, params }) => submissions.submit(terminal, params.id),
    statusEvents: ({ terminal, query }) => {
      const r = status.after(terminal.terminalId, Number(query.after ?? '0'), query.limit ?? 100);
      return answer(200, r satisfies StatusEventsResponse);
    },
    trackingLookup: ({ terminal, body }) => tracking.lookup(terminal.terminalId, body),
    callbacks: ({ terminal, body }) => callbacks.create(terminal.terminalId, body, clock.now()),
    accountsPendingSearch: ({ terminal, body }) =>
      accounts.findPending(terminal.terminalId, body, clock.now()),
    accountPending: ({ params }) => accounts.pendingOne(params.id, clock.now()),
    accountSignIn: ({ terminal, body }) => accounts.signIn(terminal.terminalId, body),
    accountSignInCode: ({ terminal, body }) => accounts.confirmCode(terminal.terminalId, body),
    accountActivate: ({ terminal, params, body }) =>
      accounts.activate(terminal.terminalId, params.id, body, clock.now()),
    caseLookup: ({ terminal, body }) => cases.lookup(terminal.terminalId, body),
    checkIn: ({ terminal, body }) => queue.checkIn(terminal.terminalId, body),
    createTicket: ({ terminal, body }) => serviceCenter.create(terminal.terminalId, body),
    ticketLookup: ({ terminal, body }) => serviceCenter.lookup(terminal.terminalId, body),
  };

  let openapiDocument: unknown;
  const app = buildApp({
    db,
    auth,
    faults,
    sleep: options.sleep ?? realSleep,
    now: () => clock.now(),
    handlers,
    openapi: () => {
      openapiDocument ??= buildOpenApiDocument({ version: PORTAL_VERSION });
      return openapiDocument;
    },
    log: options.log === true,
  });
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');

  const submissionInfo = (row: Record<string, unknown>): SubmissionInfo => {
    const attachments = db
      .prepare('SELECT part_id, media_type, length(content) AS size FROM attachments WHERE submission_id = ?')
      .all(row.submission_id) as { part_id: string; media_type: string; size: number }[];
    return {
      submissionId: String(row.submission_id),
      terminalId: String(row.terminal_id),
      state: row.state as SubmissionInfo['state'],
      trackingNumber: (row.tracking_number as string | null) ?? null,
      serviceId: (row.service_id as string | null) ?? null,
      status: (row.status as string | null) ?? null,
      rejectCode: (row.reject_code as string | null) ?? null,
      authorityKid: (row.authority_kid as string | null) ?? null,
      application: typeof row.application === 'string' ? JSON.parse(row.application) : null,
      attachments: attachments.map((a) => ({ partId: a.part_id, mediaType: a.media_type, size: a.size })),
    };
  };

  const publishConfig = (newSite?: SiteConfig): number => {
    if (newSite !== undefined) site = newSite;
    const version = configVersion() + 1;
    setMeta(db, 'config_version', String(version));
    return version;
  };
  const terminals = (): TerminalInfo[] =>
    (db.prepare('SELECT * FROM terminals ORDER BY enrolled_at').all() as Record<string, unknown>[]).map(
      (r) => ({
        terminalId: String(r.terminal_id),
        keyId: String(r.key_id),
        label: (r.label as string | null) ?? null,
        enrolledAt: iso(Number(r.enrolled_at)),
        lastSeenAt: r.last_seen_at === null ? null : iso(Number(r.last_seen_at)),
        lastHeartbeat: typeof r.last_heartbeat === 'string' ? JSON.parse(r.last_heartbeat) : null,
        appVersion: (r.app_version as string | null) ?? null,
        revokedAt: r.revoked_at === null ? null : iso(Number(r.revoked_at)),
        commands: commands.list(String(r.terminal_id)),
        auditHeads: auditHeads.history(String(r.terminal_id)),
        alarms: auditHeads.alarms(String(r.terminal_id)),
      }),
    );
  const requestWipe = (terminalId: string): string | undefined =>
    commands.request(terminalId, 'wipe', clock.now());
  const siteConfig = () => ({ version: configVersion(), site });
  const alarms = (): TerminalAlarm[] => auditHeads.alarms();
  registerAdminRoutes(app, {
    token: adminToken,
    terminals,
    requestWipe,
    siteConfig,
    publishConfig,
    alarms,
  });
  registerCaseAdminRoutes(app, { token: adminToken, cases });
  const filedDocuments = new FiledDocuments(db);
  registerDocumentAdminRoutes(app, { token: adminToken, documents: filedDocuments });
  if (submissions.followUps)
    registerCaseDocumentRoutes(app, {
      token: adminToken,
      followUps: submissions.followUps,
      documents: filedDocuments,
    });
  registerQueueRoutes(app, { token: adminToken, queue });
  const lastCodeMessage = (accountId: string) => referenceSender?.lastMessage(accountId);
  registerCodeAdminRoutes(app, { token: adminToken, lastMessage: lastCodeMessage });
  registerFleetRoutes(app, {
    token: adminToken,
    store: fleet,
    terminals,
    silentAfterSeconds: () => 3 * site.sync.heartbeatSeconds,
    now: () => clock.now(),
  });
  await app.ready();

  let closed = false;
  return {
    app,
    dataDir,
    signingKey: signingKey.publicJwk,
    demoEnrolmentCode,
    demoTracking,
    demoCases,
    adminToken,
    createEnrolmentCode: (ttlMs) => createEnrolmentCode(db, clock.now(), ttlMs),
    rotateAuthorityKeys: () => keyRing.rotate(clock.now()),
    publishConfig,
    siteConfig,
    requestWipe,
    alarms,
    lastCodeMessage,
    decide: (submissionId, decision, reason) => {
      const decided = status.decide(submissionId, decision, reason);
      if (decided.ok) cases.followDecision(submissionId, decision);
      return decided;
    },
    documents: (submissionId) => filedDocuments.list(submissionId),
    createCase: (input) => cases.create(input).case_reference,
    moveCase: (reference, details) => cases.move(reference, details),
    caseInfo: (reference) => cases.info(reference),
    setTicketStatus: (ticketNumber, status) => serviceCenter.setStatus(ticketNumber, status),
    revokeTerminal: (terminalId) => {
      auth.forget(terminalId);
      return (
        db
          .prepare('UPDATE terminals SET revoked_at = ? WHERE terminal_id = ? AND revoked_at IS NULL')
          .run(clock.now(), terminalId).changes === 1
      );
    },
    terminals,
    submission: (submissionId) => {
      const row = db.prepare('SELECT * FROM submissions WHERE submission_id = ?').get(submissionId) as
        | Record<string, unknown>
        | undefined;
      return row === undefined ? undefined : submissionInfo(row);
    },
    submissions: () =>
      (
        db.prepare('SELECT * FROM submissions ORDER BY created_at, submission_id').all() as Record<
          string,
          unknown
        >[]
      ).map(submissionInfo),
    faults: () => faults.get(),
    setFaults: (change) => faults.set(change),
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      db.close();
    },
  };
}

/** Creates the portal and listens; `url` is the base URL, e.g. `http://127.0.0.1:41234`. */
export async function startPortal(options: PortalOptions = {}): Promise<RunningPortal> {
  const portal = await createPortal(options);
  // down: refuse at the connection, before any byte is read
  const sockets = new Set<Socket>();
  portal.app.server.on('connection', (socket: Socket) => {
    if (portal.faults().down) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await portal.app.listen({ port: options.port ?? 0, host });
  } catch (e) {
    await portal.close();
    throw e;
  }
  const address = portal.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    ...portal,
    url,
    port,
    setFaults: (change) => {
      const state = portal.setFaults(change);
      // going down also cuts the kept-alive connections
      if (state.down) for (const s of sockets) s.destroy();
      return state;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await portal.close();
    },
  };
}
