import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SafeStorageKeyStore } from '../../../electron/keystore.ts';
import { DEFAULT_SITE_CONFIG, DEMO_BADGE_SECRET, demoStaffSection } from '../../../portal/config.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { DEVICE_KEY_FILE, type KeyStore } from '../../../sync/keystore.ts';
import { SITE_CONFIG_STATE } from '../../../sync/site-config.ts';
import { SyncState } from '../../../sync/state.ts';
import { isSealedState, openState, sealState, stateSealKey } from '../../../sync/state-seal.ts';
import {
  type AssembledTerminal,
  enrolTerminal,
  openTerminal,
  QUEUE_DB_FILE,
} from '../../../sync/terminal.ts';
import { FakeSafeStorage } from '../../support/fake-safe-storage.ts';

/**
 * The badge secret that comes with the portal's signed configuration is not kept in plain form
 * beside the badge hashes: the stored configuration is sealed under a key derived from the device
 * key, which Electron keeps with safeStorage (a reversible fake here). Real portal, real SQLite.
 */

let portal: RunningPortal;
let dataDir: string;
let keyStore: KeyStore;

beforeAll(async () => {
  const staff = await demoStaffSection();
  portal = await startPortal({ authorityKeyBits: 2048, seed: 11, site: { ...DEFAULT_SITE_CONFIG, staff } });
});
afterAll(async () => {
  await portal.close();
});
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-seal-'));
  keyStore = new SafeStorageKeyStore(dataDir, new FakeSafeStorage());
  return () => rmSync(dataDir, { recursive: true, force: true });
});

async function enrolAndOpen(): Promise<AssembledTerminal> {
  const enrolled = await enrolTerminal({
    dataDir,
    portalUrl: portal.url,
    code: portal.createEnrolmentCode(),
    keyStore,
  });
  if (!enrolled.ok) throw new Error(enrolled.error.code);
  return open();
}

async function open(): Promise<AssembledTerminal> {
  const opened = await openTerminal({ dataDir, keyStore });
  if (!opened.ok) throw new Error(opened.error.code);
  return opened.value;
}

function storedState(): string | undefined {
  const db = new BetterSqlite3(join(dataDir, QUEUE_DB_FILE), { readonly: true });
  try {
    const row = db.prepare('SELECT value FROM sync_state WHERE key = ?').get(SITE_CONFIG_STATE) as
      | { value: string }
      | undefined;
    return row?.value;
  } finally {
    db.close();
  }
}

function sealKey(t: AssembledTerminal): Buffer {
  return stateSealKey(t.deviceKey, t.enrolment.terminalId);
}

/** Every byte of the data folder's files, as latin1 text (the queue with its WAL, the key file). */
function folderBytes(): string {
  return readdirSync(dataDir)
    .map((name) => readFileSync(join(dataDir, name)).toString('latin1'))
    .join('\n');
}

describe('the badge secret at rest', () => {
  it('is kept sealed under the key-store-protected device key, and read back after a restart', async () => {
    const first = await enrolAndOpen();
    expect(first.siteConfig()?.staff?.badgeSecret).toBe(DEMO_BADGE_SECRET);
    const key = sealKey(first);
    await first.close();

    const stored = storedState();
    expect(stored && isSealedState(stored)).toBe(true);
    const jws = openState(key, SITE_CONFIG_STATE, stored as string);
    const payload = jws.split('.')[1] as string;
    const bytes = folderBytes();
    // neither the configuration nor the secret in any form the files would show it in
    expect(bytes).not.toContain(payload.slice(0, 64));
    expect(bytes).not.toContain(DEMO_BADGE_SECRET);
    expect(bytes).not.toContain(Buffer.from(DEMO_BADGE_SECRET, 'hex').toString('latin1'));
    // the device key that unseals it is the safeStorage one; no plain key file
    expect(existsSync(join(dataDir, DEVICE_KEY_FILE))).toBe(false);

    const second = await open();
    try {
      expect(second.siteConfig()?.staff?.badgeSecret).toBe(DEMO_BADGE_SECRET);
      expect(second.alarms.open()).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('seals a configuration stored in plain form before, when the terminal opens', async () => {
    const first = await enrolAndOpen();
    const jws = openState(sealKey(first), SITE_CONFIG_STATE, storedState() as string);
    new SyncState(first.store.db).setState(SITE_CONFIG_STATE, jws);
    await first.close();
    expect(storedState()).toBe(jws);

    const second = await open();
    try {
      expect(second.siteConfig()?.staff?.badgeSecret).toBe(DEMO_BADGE_SECRET);
      const stored = storedState() as string;
      expect(isSealedState(stored)).toBe(true);
      expect(openState(sealKey(second), SITE_CONFIG_STATE, stored)).toBe(jws);
    } finally {
      await second.close();
    }
    // and no copy of the plain one left in freed pages or the write-ahead log
    expect(folderBytes()).not.toContain((jws.split('.')[1] as string).slice(0, 64));
  });

  it('refuses a stored value sealed under another key or damaged: not used, an alarm raised', async () => {
    const first = await enrolAndOpen();
    const stored = storedState() as string;
    const jws = openState(sealKey(first), SITE_CONFIG_STATE, stored);
    await first.close();
    const tag = stored.slice(stored.lastIndexOf('.') + 1);
    const damaged = `${stored.slice(0, stored.lastIndexOf('.') + 1)}${tag.startsWith('A') ? 'B' : 'A'}${tag.slice(1)}`;
    for (const planted of [sealState(Buffer.alloc(32, 7), SITE_CONFIG_STATE, jws), damaged]) {
      plantState(planted);
      const t = await open();
      try {
        expect(t.siteConfig()).toBeUndefined();
        expect(
          t.alarms
            .open()
            .map((a) => a.message)
            .join('\n'),
        ).toContain('config.storage_failed');
      } finally {
        await t.close();
      }
    }
  });
});

function plantState(value: string): void {
  const db = new BetterSqlite3(join(dataDir, QUEUE_DB_FILE));
  try {
    db.prepare('UPDATE sync_state SET value = ? WHERE key = ?').run(value, SITE_CONFIG_STATE);
  } finally {
    db.close();
  }
}
