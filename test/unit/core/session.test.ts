import { describe, expect, it } from 'vitest';
import type { KioskEvent } from '../../../api/contract.ts';
import { ManualClock } from '../../../common/clock.ts';
import { EventBus } from '../../../core/events.ts';
import { SessionService } from '../../../core/session.ts';

function setup(settings = { idleTimeoutSeconds: 60, idleWarningSeconds: 20 }) {
  const clock = new ManualClock();
  const events = new EventBus();
  const seen: KioskEvent[] = [];
  events.subscribe((event) => seen.push(event));
  let n = 0;
  const sessions = new SessionService({
    clock,
    events,
    newId: () => `s${++n}`,
    settings,
    defaultLanguage: 'de',
  });
  return { clock, events, seen, sessions };
}

describe('SessionService', () => {
  it('warns before the idle timeout and then ends and forgets the session', () => {
    const { clock, seen, sessions } = setup();
    sessions.start('en');
    sessions.data()?.set('draft', { name: 'Ayşe Yılmaz' });
    clock.advance(39_999);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual([
      { name: 'session.idleWarning', payload: { sessionId: 's1', remainingSeconds: 20 } },
    ]);
    clock.advance(20_000);
    expect(seen.at(-1)).toEqual({ name: 'session.ended', payload: { sessionId: 's1', reason: 'timeout' } });
    expect(sessions.current()).toBeNull();
    expect(sessions.data()).toBeNull();
    expect(clock.pendingTimers).toBe(0);
  });

  it('starts the countdown again on a touch', () => {
    const { clock, seen, sessions } = setup();
    sessions.start();
    clock.advance(50_000);
    expect(sessions.touch()).toBe(60);
    clock.advance(50_000);
    expect(seen.filter((e) => e.name === 'session.ended')).toEqual([]);
    clock.advance(10_000);
    expect(seen.at(-1)?.name).toBe('session.ended');
  });

  it('runs everything registered to forget when the session ends, and clears its data', () => {
    const { sessions } = setup();
    const forgotten: string[] = [];
    sessions.onForget(() => forgotten.push('readers'));
    const off = sessions.onForget(() => forgotten.push('never'));
    off();
    sessions.start();
    const data = sessions.data();
    data?.set('passport', 'X1234567');
    expect(sessions.end('visitor')).toBe(true);
    expect(data?.size).toBe(0);
    expect(forgotten).toEqual(['readers']);
    expect(sessions.end('visitor')).toBe(false);
  });

  it('keeps the session when the language changes', () => {
    const { sessions } = setup();
    const started = sessions.start('de');
    sessions.data()?.set('field', 'value');
    const changed = sessions.setLanguage('ar');
    expect(changed).toMatchObject({ id: started.id, language: 'ar' });
    expect(sessions.data()?.get('field')).toBe('value');
  });

  it('ends a running session when a new one starts', () => {
    const { seen, sessions } = setup();
    sessions.start();
    sessions.start();
    expect(seen).toEqual([{ name: 'session.ended', payload: { sessionId: 's1', reason: 'visitor' } }]);
    expect(sessions.current()?.id).toBe('s2');
  });

  it('leaves no timers behind when disposed', () => {
    const { clock, seen, sessions } = setup();
    sessions.start();
    sessions.dispose();
    expect(clock.pendingTimers).toBe(0);
    expect(seen.at(-1)).toEqual({ name: 'session.ended', payload: { sessionId: 's1', reason: 'shutdown' } });
  });

  it('gives a visitor who needs more time three times the idle time, for this session only', () => {
    const { clock, seen, sessions } = setup();
    sessions.start();
    expect(sessions.setSlowMode(true)).toMatchObject({ idleTimeoutSeconds: 180, idleWarningSeconds: 60 });
    clock.advance(119_999);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual([
      { name: 'session.idleWarning', payload: { sessionId: 's1', remainingSeconds: 60 } },
    ]);
    expect(sessions.touch()).toBe(180);
    sessions.start();
    expect(sessions.current()).toMatchObject({ idleTimeoutSeconds: 60 });
  });

  it('without a session, touch and language changes report that', () => {
    const { sessions } = setup();
    expect(sessions.touch()).toBeNull();
    expect(sessions.setLanguage('en')).toBeNull();
    expect(sessions.setSlowMode(true)).toBeNull();
  });
});
