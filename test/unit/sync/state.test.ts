import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncState } from '../../../sync/state.ts';
import { type Harness, makeHarness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(() => h.dispose());

describe('SyncState', () => {
  it('keeps a value per key, overwrites it, and keeps it across a restart', () => {
    const state = new SyncState(h.store.db);
    expect(state.getState('status_cursor')).toBeUndefined();
    state.setState('status_cursor', '1');
    state.setState('status_cursor', '2');
    state.setState('authority_keys', 'jws');
    expect(state.getState('status_cursor')).toBe('2');
    h.reopen();
    const again = new SyncState(h.store.db);
    expect([again.getState('status_cursor'), again.getState('authority_keys')]).toEqual(['2', 'jws']);
  });

  it('is the same state the outbox offers the terminal', () => {
    new SyncState(h.store.db).setState('site_config', 'a');
    expect(h.outbox.getState('site_config')).toBe('a');
    h.outbox.setState('site_config', 'b');
    expect(new SyncState(h.store.db).getState('site_config')).toBe('b');
  });
});
