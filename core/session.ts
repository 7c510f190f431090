import type { SessionEndReason, SessionInfo } from '../api/contract.ts';
import type { Clock, TimerHandle } from '../common/clock.ts';
import type { EventBus } from './events.ts';

const slowFactor = 3;

export interface SessionSettings {
  idleTimeoutSeconds: number;
  idleWarningSeconds: number;
}

/**
 * The one visitor session of this terminal. Everything a visitor enters lives in its `data`
 * (memory only) and is forgotten when the session ends: by the visitor, by staff, by the idle
 * timeout, or at shutdown. Other services register what they hold on the session's behalf, to be
 * forgotten with it.
 */
export class SessionService {
  private session: { info: SessionInfo; data: Map<string, unknown>; lastActivity: number } | null = null;
  private warningTimer: TimerHandle | null = null;
  private endTimer: TimerHandle | null = null;
  private readonly forgetters = new Set<() => void>();

  constructor(
    private readonly deps: {
      clock: Clock;
      events: EventBus;
      newId: () => string;
      settings: SessionSettings;
      defaultLanguage: string;
    },
  ) {}

  start(language = this.deps.defaultLanguage): SessionInfo {
    if (this.session) this.end('visitor');
    const { settings, clock } = this.deps;
    const info: SessionInfo = {
      id: this.deps.newId(),
      language,
      startedAt: new Date(clock.now()).toISOString(),
      idleTimeoutSeconds: settings.idleTimeoutSeconds,
      idleWarningSeconds: settings.idleWarningSeconds,
    };
    this.session = { info, data: new Map(), lastActivity: clock.monotonic() };
    this.arm();
    return info;
  }

  current(): SessionInfo | null {
    return this.session?.info ?? null;
  }

  /** Per-session memory for the services acting for the visitor; gone when the session ends. */
  data(): Map<string, unknown> | null {
    return this.session?.data ?? null;
  }

  /** A visitor's touch: the idle countdown starts again. Returns seconds left, or null without a session. */
  touch(): number | null {
    if (!this.session) return null;
    this.session.lastActivity = this.deps.clock.monotonic();
    this.arm();
    return this.session.info.idleTimeoutSeconds;
  }

  setLanguage(language: string): SessionInfo | null {
    if (!this.session) return null;
    this.session.info = { ...this.session.info, language };
    this.touch();
    return this.session.info;
  }

  /** Slow mode: three times the idle time for a visitor who needs longer; for this session only. */
  setSlowMode(slow: boolean): SessionInfo | null {
    if (!this.session) return null;
    const factor = slow ? slowFactor : 1;
    this.session.info = {
      ...this.session.info,
      idleTimeoutSeconds: this.deps.settings.idleTimeoutSeconds * factor,
      idleWarningSeconds: this.deps.settings.idleWarningSeconds * factor,
    };
    this.arm();
    return this.session.info;
  }

  /** Registers a function that forgets what another service holds for the current session. */
  onForget(forget: () => void): () => void {
    this.forgetters.add(forget);
    return () => {
      this.forgetters.delete(forget);
    };
  }

  end(reason: SessionEndReason): boolean {
    const session = this.session;
    if (!session) return false;
    this.disarm();
    this.session = null;
    session.data.clear();
    for (const forget of [...this.forgetters]) forget();
    this.deps.events.emit('session.ended', { sessionId: session.info.id, reason });
    return true;
  }

  dispose(): void {
    this.end('shutdown');
    this.forgetters.clear();
  }

  private arm(): void {
    this.disarm();
    const { clock, events } = this.deps;
    const session = this.session;
    if (!session) return;
    const sessionId = session.info.id;
    const settings = session.info;
    const warnAfter = (settings.idleTimeoutSeconds - settings.idleWarningSeconds) * 1000;
    if (settings.idleWarningSeconds > 0) {
      this.warningTimer = clock.after(warnAfter, () => {
        this.warningTimer = null;
        events.emit('session.idleWarning', { sessionId, remainingSeconds: settings.idleWarningSeconds });
      });
    }
    this.endTimer = clock.after(settings.idleTimeoutSeconds * 1000, () => {
      this.endTimer = null;
      this.end('timeout');
    });
  }

  private disarm(): void {
    this.warningTimer?.cancel();
    this.endTimer?.cancel();
    this.warningTimer = null;
    this.endTimer = null;
  }
}
