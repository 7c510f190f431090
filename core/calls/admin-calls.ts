import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminStatus } from '../../api/staff.ts';
import type { Clock } from '../../common/clock.ts';
import { type Envelope, err as fail, ok } from '../../common/result.ts';
import { writeFileAtomic } from '../../sync/keystore.ts';
import type { Terminal } from '../../sync/terminal.ts';
import type { AuthorityFacts } from '../authority.ts';
import { buildReceipt } from '../documents/receipt.ts';
import { sampleReceiptInput } from '../documents/sample.ts';
import type { EventBus } from '../events.ts';
import { buildAndPrint, type Printer } from '../printing/index.ts';
import type { ReaderService } from '../readers.ts';
import type { StaffService, StaffSessionInfo } from '../staff/index.ts';
import type { CallArea } from './areas.ts';
import { staffFailure } from './desk-calls.ts';

/**
 * The administrators' screens as calls: terminal and queue state, live reader summaries, sync
 * now, a test print, the log export, the accessibility self-test and the wipe. Each call is
 * allowed only in an administrator session and audited by the staff service. Nothing here
 * returns or writes personal data: the export holds the audit log (ids, hashes, codes) and
 * counts.
 */
export interface KeyStorageInfo {
  readonly backend: string;
  readonly encrypted: boolean;
  readonly warning?: string;
}

export interface AdminDeps {
  readonly staff: StaffService;
  readonly readers: ReaderService;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly printer: Printer | null;
  readonly paper: 'a4' | 'roll80';
  /** The installation's facts on the test page; the demo installation's when left out. */
  readonly authority?: AuthorityFacts;
  readonly terminal: () => Terminal | null;
  readonly info: () => {
    terminalId: string | null;
    location: string;
    portalUrl: string;
    configVersion: number | null;
    appVersion: string;
  };
  readonly keyStorage: () => KeyStorageInfo;
  readonly sessionsSinceStart: () => number;
  readonly exportDir: string;
  /** The data wipe (core/terminal-holder.ts); resolves with the number of undelivered items discarded. */
  readonly wipe: (discardUndelivered: boolean) => Promise<Envelope<{ discarded: number }>>;
  readonly startedAt: number;
}

export const adminCalls = [
  'admin.status',
  'admin.watchReads',
  'admin.syncNow',
  'admin.printTest',
  'admin.exportLog',
  'admin.recordChecklist',
  'admin.wipe',
] as const;

export type AdminCalls = (typeof adminCalls)[number];

const MB = 1024 * 1024;

export function createAdminCalls(deps: AdminDeps): CallArea<AdminCalls> & { dispose(): void } {
  const { staff, readers, events, clock } = deps;
  let stopWatching: (() => void) | null = null;
  const unwatch = () => {
    stopWatching?.();
    stopWatching = null;
  };
  const offEnded = staff.onEnded(unwatch);

  const authorize = (action: string, detail: Record<string, string | number | boolean> = {}) => {
    const current = staff.current();
    if (current?.role !== 'admin')
      return {
        ok: false as const,
        error: { code: 'staff.no_session' as const, message: 'no administrator session' },
      };
    return staff.authorizeAdmin(current.id, action, detail);
  };

  // Verifying reads the whole log (about 1.4 s for 100,000 entries): not on every poll of the
  // overview, only when the log grew or a minute passed.
  let lastAudit: { head: string; at: number; state: NonNullable<AdminStatus['audit']> } | null = null;
  const auditState = (terminal: Terminal): NonNullable<AdminStatus['audit']> => {
    const head = JSON.stringify(terminal.auditLog.head());
    const now = clock.monotonic();
    if (lastAudit && lastAudit.head === head && now - lastAudit.at < 60_000) return lastAudit.state;
    const verified = terminal.auditLog.verify({ maxProblems: 20 });
    const state = {
      entries: verified.entries,
      intact: verified.ok,
      problems: verified.ok ? [] : verified.problems.map((p) => p.message),
    };
    lastAudit = { head, at: now, state };
    return state;
  };

  const status = (): AdminStatus => {
    const terminal = deps.terminal();
    const info = deps.info();
    const memory = process.memoryUsage();
    let queue: AdminStatus['queue'] = null;
    let audit: AdminStatus['audit'] = null;
    if (terminal) {
      const { queue: counts, quarantined, alarms } = terminal.status();
      queue = {
        queued: counts.byState.queued,
        sending: counts.byState.sending,
        delivered: counts.byState.delivered,
        rejected: counts.byState.rejected,
        oldestPendingAgeSeconds:
          counts.oldestPendingAgeMs === null ? null : Math.round(counts.oldestPendingAgeMs / 1000),
        lastError: quarantined.at(-1)?.lastErrorCode ?? null,
        alarms: alarms.map((a) => ({
          code: a.code,
          message: a.message,
          at: new Date(a.at).toISOString(),
        })),
      };
      audit = auditState(terminal);
    }
    return {
      terminal: {
        id: info.terminalId,
        location: info.location,
        enrolled: terminal !== null,
        portalUrl: info.portalUrl,
        configVersion: info.configVersion,
        keyStorage: deps.keyStorage(),
        appVersion: info.appVersion,
        uptimeSeconds: Math.round((clock.monotonic() - deps.startedAt) / 1000),
      },
      queue,
      audit,
      sessionsSinceStart: deps.sessionsSinceStart(),
      memoryMb: { rss: Math.round(memory.rss / MB), heapUsed: Math.round(memory.heapUsed / MB) },
    };
  };

  const handlers: CallArea<AdminCalls>['handlers'] = {
    // Looking is not an action: the overview polls this every few seconds, which must neither fill
    // the audit log nor keep an administrator's session alive without a touch.
    'admin.status': () =>
      staff.current()?.role === 'admin' ? ok(status()) : fail('staff.no_session', 'no administrator session'),
    'admin.watchReads': ({ on }) => {
      const allowed = authorize('readers.watch', { on });
      if (!allowed.ok) return staffFailure(allowed.error);
      unwatch();
      if (on) stopWatching = readers.watch((read) => events.emit('admin.read', read));
      return ok({ on });
    },
    'admin.syncNow': async () => {
      const allowed = authorize('sync.now');
      if (!allowed.ok) return staffFailure(allowed.error);
      const terminal = deps.terminal();
      if (!terminal) return fail('terminal.not_enrolled', 'this terminal is not enrolled');
      const pass = await terminal.syncNow();
      return ok({ delivered: pass.delivered, pending: pass.pending });
    },
    'admin.printTest': async () => {
      const allowed = authorize('printer.test');
      if (!allowed.ok) return staffFailure(allowed.error);
      return ok(
        await buildAndPrint(
          deps.printer,
          () =>
            buildReceipt(
              sampleReceiptInput({
                language: 'de',
                paper: deps.paper,
                now: new Date(clock.now()),
                ...(deps.authority ? { authority: deps.authority } : {}),
              }),
            ),
          { jobName: 'Testdruck' },
        ),
      );
    },
    'admin.exportLog': () => {
      const allowed = authorize('log.export');
      if (!allowed.ok) return staffFailure(allowed.error);
      return exportLog(deps, status(), allowed.value);
    },
    'admin.recordChecklist': ({ results }) => {
      const values = Object.entries(results);
      const failed = values.filter(([, r]) => r === 'fail').map(([id]) => id);
      const allowed = authorize('a11y.checklist', {
        passed: values.filter(([, r]) => r === 'pass').length,
        failed: failed.join(' '),
        notChecked: values.filter(([, r]) => r === 'not_checked').length,
      });
      return allowed.ok ? ok({ recorded: true }) : staffFailure(allowed.error);
    },
    'admin.wipe': async ({ discardUndelivered }) => {
      const allowed = authorize('terminal.wipe', { discardUndelivered });
      if (!allowed.ok) return staffFailure(allowed.error);
      unwatch();
      const wiped = await deps.wipe(discardUndelivered);
      return wiped.ok ? ok({ wiped: true, discarded: wiped.value.discarded }) : wiped;
    },
  };

  return {
    calls: adminCalls,
    visitorCalls: [],
    handlers,
    dispose() {
      unwatch();
      offEnded();
    },
  };
}

/** The audit log (JSON lines) and the terminal's state, without personal data, as one file. */
function exportLog(
  deps: AdminDeps,
  status: AdminStatus,
  admin: StaffSessionInfo,
): Envelope<{ file: string; entries: number }> {
  const terminal = deps.terminal();
  const stamp = new Date(deps.clock.now()).toISOString().replace(/[:.]/g, '-');
  const file = join(deps.exportDir, `kiosk-log-${stamp}.jsonl`);
  const audit = terminal ? terminal.auditLog.export() : '';
  const header = JSON.stringify({ kind: 'status', exportedBy: admin.badgeRef, status });
  try {
    mkdirSync(deps.exportDir, { recursive: true, mode: 0o700 });
    writeFileAtomic(file, `${header}\n${audit}`, 0o600);
  } catch {
    return fail('export.failed', 'the export folder cannot be written');
  }
  return ok({ file, entries: status.audit?.entries ?? 0 });
}
