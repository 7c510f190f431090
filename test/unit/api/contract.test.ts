import { describe, expect, it } from 'vitest';
import { createKioskApi, type Transport } from '../../../api/client.ts';
import { callNames, calls, eventNames } from '../../../api/contract.ts';
import { callNameList } from '../../../api/names.ts';

function fakeTransport(answer: (name: string, input: unknown) => unknown) {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const transport: Transport = {
    call: async (name, input) => answer(name, input),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const push = (name: string, payload: unknown) => {
    for (const listener of listeners) listener(name, payload);
  };
  return { transport, push };
}

describe('the KioskApi contract', () => {
  it('lists the same calls in the plain name list and in the schema table', () => {
    expect([...callNameList].sort()).toEqual([...callNames].sort());
  });

  it('defines the calls and events the skeleton needs', () => {
    expect(callNames).toEqual(
      expect.arrayContaining([
        'session.start',
        'session.end',
        'session.setLanguage',
        'catalogue.list',
        'system.status',
      ]),
    );
    expect(eventNames).toEqual(expect.arrayContaining(['session.ended', 'device.read', 'device.connected']));
  });

  it('rejects unknown keys in inputs', () => {
    expect(calls['session.start'].input.safeParse({ language: 'en', extra: 1 }).success).toBe(false);
    expect(calls['session.setLanguage'].input.safeParse({ language: 'EN!' }).success).toBe(false);
  });
});

describe('createKioskApi', () => {
  it('passes a well-formed answer through', async () => {
    const { transport } = fakeTransport(() => ({ ok: true, value: { ended: true } }));
    const api = createKioskApi(transport);
    expect(await api['session.end']({ reason: 'visitor' })).toEqual({ ok: true, value: { ended: true } });
  });

  it('turns a malformed answer into a transport error instead of bad state', async () => {
    const { transport } = fakeTransport(() => ({ ok: true, value: { ended: 'yes' } }));
    const result = await createKioskApi(transport)['session.end']({ reason: 'visitor' });
    expect(result).toMatchObject({ ok: false, error: { code: 'api.transport' } });
  });

  it('turns a failing transport into an error value', async () => {
    const transport: Transport = {
      call: () => Promise.reject(new Error('socket closed')),
      onEvent: () => () => undefined,
    };
    const result = await createKioskApi(transport)['catalogue.list']({});
    expect(result).toEqual({ ok: false, error: { code: 'api.transport', message: 'socket closed' } });
  });

  it('delivers only valid events of the subscribed name, until unsubscribed', () => {
    const { transport, push } = fakeTransport(() => null);
    const api = createKioskApi(transport);
    const seen: unknown[] = [];
    const off = api.on('session.ended', (payload) => seen.push(payload));
    push('session.ended', { sessionId: 's1', reason: 'timeout' });
    push('session.ended', { sessionId: 's1', reason: 'bogus' });
    push('device.disconnected', { id: 'x' });
    off();
    push('session.ended', { sessionId: 's2', reason: 'visitor' });
    expect(seen).toEqual([{ sessionId: 's1', reason: 'timeout' }]);
  });

  it('is frozen', () => {
    const api = createKioskApi(fakeTransport(() => null).transport);
    expect(Object.isFrozen(api)).toBe(true);
  });
});
