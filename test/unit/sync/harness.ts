/** A terminal's sync pieces on a temp folder, with a fake clock and fresh keys. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../common/clock.ts';
import { Alarms } from '../../../sync/alarms.ts';
import { type EnqueueStep, Outbox } from '../../../sync/outbox.ts';
import type { AuthorityPublicKey } from '../../../sync/sealing.ts';
import { SyncState } from '../../../sync/state.ts';
import { openStore, type Store } from '../../../sync/store.ts';
import { type AuthorityKeyPair, type DeviceKeyPair, makeDeviceKey, sharedAuthorityKey } from './keys.ts';

/** The sync tests' clock: 2025-03-01 09:00 UTC, monotonic at 1 s. */
export function syncTestClock(): ManualClock {
  return new ManualClock(Date.UTC(2025, 2, 1, 9, 0, 0), 1_000);
}

export interface Harness {
  readonly dir: string;
  readonly dbPath: string;
  readonly clock: ManualClock;
  readonly authority: AuthorityKeyPair;
  readonly device: DeviceKeyPair;
  store: Store;
  alarms: Alarms;
  outbox: Outbox;
  /** The store's key-value state (sync_state). */
  state: SyncState;
  /** Closes and opens the store again from the same file (a restart). */
  reopen(options?: {
    onStep?: (step: EnqueueStep) => void;
    authorityKey?: () => AuthorityPublicKey | undefined;
  }): void;
  dispose(): void;
}

export async function makeHarness(options: { retentionMs?: number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'sync-test-'));
  const dbPath = join(dir, 'queue.db');
  const clock = syncTestClock();
  const [authority, device] = await Promise.all([sharedAuthorityKey('authority-1'), makeDeviceKey('T-1#k1')]);
  const h = {
    dir,
    dbPath,
    clock,
    authority,
    device,
  } as Harness;
  const build = (
    onStep?: (step: EnqueueStep) => void,
    authorityKey?: () => AuthorityPublicKey | undefined,
  ) => {
    const opened = openStore({ path: dbPath, now: () => clock.now() });
    if (!opened.ok) throw new Error(opened.error.message);
    h.store = opened.value;
    h.alarms = new Alarms(h.store.db, () => clock.now());
    h.state = new SyncState(h.store.db);
    h.outbox = new Outbox({
      store: h.store,
      alarms: h.alarms,
      clock,
      sealing: {
        terminalId: 'T-1',
        deviceKey: device.signing,
        authorityKey: authorityKey ?? (() => authority.publicKey),
      },
      retentionMs: options.retentionMs,
      onStep,
    });
  };
  build();
  h.reopen = (o = {}) => {
    h.store.close();
    build(o.onStep, o.authorityKey);
  };
  h.dispose = () => {
    h.store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return h;
}

export function application(marker = 'x'): { serviceId: string; data: unknown } {
  return {
    serviceId: 'residence-permit',
    data: {
      applicant: { familyName: `Name-${marker}`, birthDate: '1990-01-31' },
      answers: { purpose: marker },
    },
  };
}
