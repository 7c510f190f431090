import type { Clock } from '../common/clock.ts';
import { openLockoutFile, type SqliteLockoutStore } from '../sync/staff-lockout.ts';
import type { Store } from '../sync/store.ts';
import { openAuditLogOnly, type Terminal, type TerminalAuditLog } from '../sync/terminal.ts';
import type { KioskConfig } from './config.ts';
import type { Disposable } from './disposable.ts';
import type { EventBus } from './events.ts';
import type { Logger } from './log.ts';
import type { SessionService } from './session.ts';
import type { AppliedSiteConfig } from './site-overlay.ts';
import {
  type AuditSink,
  acceptStaffRecords,
  acceptsHash,
  type PinHasher,
  parseBadgeSecret,
  type StaffConfig,
  type StaffCredentials,
  StaffService,
} from './staff/index.ts';

/**
 * Who may sign in at the counter and where what they do is recorded. Records in the local
 * configuration win (set up by hand, e.g. before the portal has any); otherwise the portal's
 * signed configuration says who may sign in. Staff access exists only where the audit log can
 * record it (fail closed): the enrolled terminal's log, or before enrolment (an administrator
 * signs in to enrol) the same hash chain in the queue's database, opened for the audit log alone.
 * Lockout counters outlive a restart: in the queue's database, before enrolment in a small file of
 * their own that the terminal takes over once it is held.
 */
export interface StaffAccessDeps {
  readonly config: KioskConfig;
  readonly log: Logger;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly sessions: SessionService;
  readonly hasher: PinHasher;
  /** The terminal the kiosk holds, or null (before enrolment, after a wipe). */
  readonly terminal: () => Terminal | null;
  /** The portal's configuration in effect at start, if there is one. */
  readonly site?: AppliedSiteConfig | undefined;
}

/**
 * Who may sign in: the records and the parsed badge secret of a staff section. A record hashed
 * below the hasher's cost floor is refused on its own with a logged code; the others are kept.
 */
function staffCredentials(
  staff: StaffConfig,
  hasher: PinHasher,
  log: Logger,
  source: 'local' | 'portal',
): StaffCredentials {
  const secret = staff.badgeSecret ? parseBadgeSecret(staff.badgeSecret) : null;
  const { accepted, refused } = acceptStaffRecords(staff.records, (phc) => acceptsHash(hasher, phc));
  for (const r of refused) log.warn(r.code, { source, index: r.index, role: r.role });
  return { badgeSecret: secret?.ok ? secret.value : null, records: accepted };
}

export class StaffAccess implements Disposable {
  readonly staff: StaffService;
  readonly audit: AuditSink;
  readonly #deps: StaffAccessDeps;
  #credentials: StaffCredentials;
  /** The audit log before enrolment. */
  #standby: { readonly auditLog: TerminalAuditLog; close(): void } | null = null;
  /** The lockout counters before enrolment. */
  #lockoutFile: { readonly store: SqliteLockoutStore; readonly file: Store } | null = null;

  constructor(deps: StaffAccessDeps) {
    this.#deps = deps;
    this.#credentials = this.#credentialsFrom(deps.site);
    this.audit = (event, fields) => this.#auditLog().append(event, fields);
    // a terminal enrolled while the kiosk was not running (`kiosk enroll`), or a carry-over that
    // failed: its counters move into the queue before the staff service reads them
    const held = deps.terminal();
    if (held) this.terminalHeld(held);
    const lockoutStore = () => this.#lockoutStore();
    this.staff = new StaffService({
      clock: deps.clock,
      events: deps.events,
      hasher: deps.hasher,
      lockoutStore: {
        load: () => lockoutStore().load(),
        save: (entry) => lockoutStore().save(entry),
        remove: (key) => lockoutStore().remove(key),
      },
      onLockoutStoreError: (operation) => deps.log.error('staff.lockout_store_failed', { operation }),
      credentials: () => this.#credentials,
      currentVisitorSessionId: () => deps.sessions.current()?.id ?? null,
      idleSeconds: deps.config.staff.sessionIdleSeconds,
      audit: this.audit,
    });
  }

  /** A newer configuration from the portal: who may sign in takes effect at once. */
  applySite(site: AppliedSiteConfig | undefined): void {
    this.#credentials = this.#credentialsFrom(site);
  }

  /**
   * The terminal is about to open the queue's database: the audit log opened there before
   * enrolment is closed (and opened again should the terminal not open).
   */
  releaseQueueDatabase(): void {
    this.#standby?.close();
    this.#standby = null;
  }

  /**
   * The kiosk holds a terminal now (at start, or enrolled from the screen): its queue's database
   * takes over the audit log, and the counters kept before enrolment move into it, so that a
   * restart still reads them.
   */
  terminalHeld(terminal: Terminal): void {
    this.#closeFiles();
    const carried = terminal.adoptLockoutFile();
    if (!carried.ok) this.#deps.log.error('staff.lockout_carry_failed', { code: carried.error.code });
  }

  /**
   * The terminal's data is being wiped: the files opened before enrolment are closed, and the
   * portal's configuration went with the wipe: only the installation's records let anyone in now
   * (an administrator who enrols the terminal again).
   */
  terminalDropped(): void {
    this.#closeFiles();
    this.#credentials = this.#credentialsFrom(undefined);
  }

  dispose(): void {
    this.staff.dispose();
    this.#closeFiles();
  }

  #credentialsFrom(site: AppliedSiteConfig | undefined): StaffCredentials {
    const { config, hasher, log } = this.#deps;
    return config.staff.records.length > 0
      ? staffCredentials(config.staff, hasher, log, 'local')
      : staffCredentials(site?.staff ?? config.staff, hasher, log, site?.staff ? 'portal' : 'local');
  }

  #auditLog(): TerminalAuditLog {
    const terminal = this.#deps.terminal();
    if (terminal) return terminal.auditLog;
    if (!this.#standby) {
      const { dataDir } = this.#deps.config;
      const opened = openAuditLogOnly(dataDir, () => this.#deps.clock.now());
      if (!opened.ok) throw new Error(`no audit log: ${opened.error.code}`);
      this.#standby = opened.value;
    }
    return this.#standby.auditLog;
  }

  #lockoutStore(): SqliteLockoutStore {
    const terminal = this.#deps.terminal();
    if (terminal) return terminal.lockoutStore();
    if (!this.#lockoutFile) {
      const opened = openLockoutFile(this.#deps.config.dataDir, () => this.#deps.clock.now());
      if (!opened.ok) throw new Error(opened.error.code);
      this.#lockoutFile = opened.value;
    }
    return this.#lockoutFile.store;
  }

  #closeFiles(): void {
    this.#standby?.close();
    this.#standby = null;
    this.#lockoutFile?.file.close();
    this.#lockoutFile = null;
  }
}
