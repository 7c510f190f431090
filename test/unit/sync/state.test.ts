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

  it('is one state per database: every reader of the store sees a write at once', () => {
    const terminal = new SyncState(h.store.db);
    const engine = new SyncState(h.store.db);
    terminal.setState('site_config', 'a');
    expect(engine.getState('site_config')).toBe('a');
    engine.setState('site_config', 'b');
    expect(terminal.getState('site_config')).toBe('b');
  });
});
