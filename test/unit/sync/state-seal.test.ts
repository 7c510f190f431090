import { describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../../../sync/keystore.ts';
import {
  isSealedState,
  openState,
  SEALED_STATE_PREFIX,
  sealedStateStore,
  sealState,
  stateSealKey,
} from '../../../sync/state-seal.ts';

function memoryState() {
  const values = new Map<string, string>();
  return {
    values,
    getState: (name: string) => values.get(name),
    setState: (name: string, value: string) => {
      values.set(name, value);
    },
  };
}

describe('sealed sync_state values', () => {
  it('derive one key per device key and terminal', async () => {
    const a = await generateDeviceKey();
    const b = await generateDeviceKey();
    expect(stateSealKey(a, 'T-1')).toEqual(stateSealKey(a, 'T-1'));
    expect(stateSealKey(a, 'T-1')).toHaveLength(32);
    expect(stateSealKey(a, 'T-1').equals(stateSealKey(a, 'T-2'))).toBe(false);
    expect(stateSealKey(a, 'T-1').equals(stateSealKey(b, 'T-1'))).toBe(false);
    expect(() => stateSealKey({ privateJwk: { kty: 'EC' } }, 'T-1')).toThrow(/no private part/);
  });

  it('seal with a fresh nonce, open only under the same key and name', () => {
    const key = Buffer.alloc(32, 1);
    const one = sealState(key, 'site_config', 'secret text');
    const two = sealState(key, 'site_config', 'secret text');
    expect(one).not.toBe(two);
    expect(one.startsWith(SEALED_STATE_PREFIX) && isSealedState(one)).toBe(true);
    expect(one).not.toContain('secret');
    expect(openState(key, 'site_config', one)).toBe('secret text');
    expect(() => openState(Buffer.alloc(32, 2), 'site_config', one)).toThrow();
    expect(() => openState(key, 'other_state', one)).toThrow();
    expect(() => openState(key, 'site_config', `${SEALED_STATE_PREFIX}abc`)).toThrow(/malformed/);
  });

  it('a sealed store writes sealed values and reads plain ones as they are', () => {
    const inner = memoryState();
    const store = sealedStateStore(inner, Buffer.alloc(32, 3));
    store.setState('site_config', 'eyJhbGciOi.payload.sig');
    expect(isSealedState(inner.values.get('site_config') as string)).toBe(true);
    expect(store.getState('site_config')).toBe('eyJhbGciOi.payload.sig');
    inner.setState('site_config', 'plain.jws.value');
    expect(store.getState('site_config')).toBe('plain.jws.value');
    expect(store.getState('missing')).toBeUndefined();
  });
});
