import { err as fail, ok } from '../../common/result.ts';
import { errorCodes } from '../../common/vocabulary.ts';
import { DEFAULT_RETENTION_MS } from '../../sync/outbox.ts';
import { authorityTexts } from '../authority.ts';
import { listServices } from '../catalogue.ts';
import type { KioskConfig } from '../config.ts';
import type { IdentifyService } from '../identify.ts';
import type { Logger } from '../log.ts';
import type { KioskMetrics } from '../metrics/index.ts';
import type { PortalReachability } from '../portal-reachability.ts';
import type { Printer } from '../printing/index.ts';
import type { ReaderService } from '../readers.ts';
import type { SessionService } from '../session.ts';
import type { CallArea } from './areas.ts';

/**
 * The visitor's session at the terminal: starting and ending it, its language and pace, the
 * services on offer, the terminal's status screen, the readers a step expects, asking for staff,
 * and signing in with a service account.
 */
export const sessionCalls = [
  'session.start',
  'session.end',
  'session.touch',
  'session.setLanguage',
  'session.current',
  'session.setSlowMode',
  'catalogue.list',
  'system.status',
  'reader.expect',
  'reader.cancel',
  'reader.wedge',
  'staff.call',
  'account.signIn',
  'account.confirmCode',
  'account.signOut',
  'account.current',
] as const;

export type SessionCalls = (typeof sessionCalls)[number];

/**
 * The calls of those a visitor makes. The status screen and a cancelled read are not among them:
 * they work out of service too.
 */
export const sessionVisitorCalls: readonly SessionCalls[] = sessionCalls.filter(
  (name) => name !== 'system.status' && name !== 'reader.cancel',
);

export interface SessionCallsDeps {
  readonly config: KioskConfig;
  readonly sessions: SessionService;
  readonly readers: ReaderService;
  readonly identify: IdentifyService;
  readonly metrics: KioskMetrics;
  readonly printer: Printer | null;
  readonly portal: PortalReachability;
  readonly log: Logger;
  /** The enrolled terminal's id, or null. */
  readonly terminalId: () => string | null;
  readonly outOfService: () => string | null;
  /** A visitor session started (the figures for the administrator and the heartbeat). */
  readonly sessionStarted: () => void;
}

export function createSessionCalls(deps: SessionCallsDeps): CallArea<SessionCalls> {
  const { config, sessions, readers, identify, metrics, printer, log } = deps;
  const offered = (language: string) => config.languages.enabled.includes(language);
  const notOffered = () => fail(errorCodes.languageNotOffered, 'language not offered at this terminal');
  return {
    calls: sessionCalls,
    visitorCalls: sessionVisitorCalls,
    handlers: {
      'session.start': ({ language }) => {
        if (language !== undefined && !offered(language)) return notOffered();
        const info = sessions.start(language);
        deps.sessionStarted();
        metrics.sessionStarted(info.id);
        log.info('session.started');
        return ok(info);
      },
      'session.end': ({ reason }) => ok({ ended: sessions.end(reason) }),
      'session.touch': () => {
        const remaining = sessions.touch();
        return remaining === null
          ? fail(errorCodes.noSession, 'no session')
          : ok({ remainingSeconds: remaining });
      },
      'session.setLanguage': ({ language }) => {
        if (!offered(language)) return notOffered();
        const info = sessions.setLanguage(language);
        return info ? ok(info) : fail(errorCodes.noSession, 'no session');
      },
      'session.current': () => ok(sessions.current()),
      'session.setSlowMode': ({ slow }) => {
        const info = sessions.setSlowMode(slow);
        return info ? ok(info) : fail(errorCodes.noSession, 'no session');
      },
      'catalogue.list': () => ok(listServices(config.services.disabled)),
      'system.status': async () => {
        const reach = await deps.portal.check();
        const printerState = printer ? (await printer.state()).status : 'none';
        if (printerState !== 'none') metrics.setPrinterState(printerState);
        const terminalId = deps.terminalId();
        return ok({
          terminal: { id: terminalId ?? config.terminal.id, location: config.terminal.location },
          portal: { url: config.portal.url ?? '', ...reach },
          readers: readers.status(),
          printer: { name: config.printer.name, state: printerState },
          languages: config.languages.enabled,
          defaultLanguage: config.languages.default,
          enrolled: terminalId !== null,
          outOfService: deps.outOfService(),
          readerPlacement: config.readers.placement,
          wedge: config.readers.wedge,
          // The terminal keeps sealed data for the outbox's retention after the authority's acceptance.
          authority: authorityTexts(config.authority, DEFAULT_RETENTION_MS / 3_600_000),
        });
      },
      'reader.expect': ({ kinds }) =>
        readers.expect(kinds) ? ok({ readers: readers.status() }) : fail(errorCodes.noSession, 'no session'),
      'reader.cancel': () => ok({ cancelled: readers.cancel() }),
      'reader.wedge': (read) => ok({ accepted: readers.injectWedgeRead(read) }),
      'staff.call': () => {
        metrics.staffCalled();
        log.warn('staff.called', { inSession: sessions.current() !== null });
        return ok({ called: true });
      },
      'account.signIn': (input) => identify.signIn(input),
      'account.confirmCode': (input) => identify.confirmCode(input),
      'account.signOut': () => ok({ signedOut: identify.signOut() }),
      'account.current': () => {
        const account = identify.current();
        return ok(account ? { displayName: account.displayName, emailHint: account.emailHint } : null);
      },
    },
  };
}
