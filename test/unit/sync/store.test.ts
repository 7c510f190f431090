import {
  chmodSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Alarms } from '../../../sync/alarms.ts';
import { migrations as shipped } from '../../../sync/migrations/index.ts';
import {
  checkpoint,
  isStorageFull,
  openStore,
  STORE_FILE_MODE,
  type Store,
  SYNCHRONOUS_FULL,
} from '../../../sync/store.ts';

let dir: string;
const opened: Store[] = [];
const latest = Math.max(...shipped.map((m) => m.version));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-test-'));
});
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(path = join(dir, 'queue.db'), now = () => 1_700_000_000_000): Store {
  const result = openStore({ path, now });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  opened.push(result.value);
  return result.value;
}

function fill(store: Store, rows = 200): void {
  const insert = store.db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?)');
  store.db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`k${i}`, 'x'.repeat(500));
  })();
}

describe('openStore', () => {
  it('uses WAL and synchronous=FULL on the first open and on every reopen', () => {
    const path = join(dir, 'queue.db');
    const a = open(path);
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(a.db.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_FULL);
    expect(a.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(a.db.pragma('temp_store', { simple: true })).toBe(2);
    a.close();
    const b = open(path);
    expect(b.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(b.db.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_FULL);
    expect(b.startupAlarms).toEqual([]);
  });

  it('creates the database, its -wal and -shm 0600 whatever the umask, and narrows wider ones', () => {
    const path = join(dir, 'queue.db');
    const umask = process.umask(0o022);
    try {
      const store = open(path);
      fill(store, 5);
      for (const suffix of ['', '-wal', '-shm']) {
        expect([suffix, statSync(path + suffix).mode & 0o777]).toEqual([suffix, STORE_FILE_MODE]);
      }
      store.close();
      for (const suffix of ['', '-wal', '-shm'])
        if (existsSync(path + suffix)) chmodSync(path + suffix, 0o644);
      open(path);
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(path + suffix))
          expect([suffix, statSync(path + suffix).mode & 0o777]).toEqual([suffix, 0o600]);
      }
    } finally {
      process.umask(umask);
    }
  });

  it('records numbered migrations once and keeps the data across reopens', () => {
    const path = join(dir, 'queue.db');
    const a = open(path);
    a.db.prepare("INSERT INTO sync_state (key, value) VALUES ('cursor', '42')").run();
    const versions = a.db.prepare('SELECT version, name FROM schema_migrations').all();
    expect(versions).toEqual(shipped.map(({ version, name }) => ({ version, name })));
    expect(versions.slice(0, 3)).toEqual([
      { version: 1, name: 'outbox' },
      { version: 2, name: 'audit-chain' },
      { version: 3, name: 'staff-lockout' },
    ]);
    expect(a.db.pragma('user_version', { simple: true })).toBe(latest);
    a.close();
    const b = open(path);
    expect(b.db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: shipped.length });
    expect(b.db.prepare("SELECT value FROM sync_state WHERE key = 'cursor'").get()).toEqual({ value: '42' });
  });

  it('applies a later migration on reopen, and rolls back a failing one', () => {
    const path = join(dir, 'queue.db');
    open(path).close();
    const failing = openStore({
      path,
      migrations: [
        ...shipped.map(({ version, name }) => ({ version, name, up: () => undefined })),
        {
          version: latest + 1,
          name: 'broken',
          up: (db) => {
            db.exec('CREATE TABLE half (x INTEGER)');
            throw new Error('boom');
          },
        },
      ],
    });
    expect(failing).toMatchObject({ ok: false, error: { code: 'store.migration_failed' } });
    const again = open(path);
    expect(again.db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(again.db.pragma('user_version', { simple: true })).toBe(latest);
  });

  it.each([
    ['garbage over the header', (p: string) => overwrite(p, 0, Buffer.alloc(100, 0x41))],
    ['garbage in the middle pages', (p: string) => overwrite(p, 4096 * 3, Buffer.alloc(4096 * 4, 0x5a))],
    ['a truncated file', (p: string) => truncateSync(p, Math.floor(statSync(p).size / 2) + 17)],
  ])('moves a damaged store aside with %s, raises an alarm and starts fresh', (_label, damage) => {
    const path = join(dir, 'queue.db');
    const a = open(path);
    fill(a);
    checkpoint(a);
    a.close();
    opened.length = 0;
    damage(path);
    const b = open(path);
    expect(b.startupAlarms).toHaveLength(1);
    expect(b.startupAlarms[0]?.code).toBe('store.damaged');
    const movedTo = b.startupAlarms[0]?.movedTo ?? '';
    expect(existsSync(movedTo)).toBe(true);
    // what could still be read was salvaged into the fresh store, nothing more
    const salvaged = (b.db.prepare('SELECT count(*) AS n FROM sync_state').get() as { n: number }).n;
    expect(salvaged).toBeLessThanOrEqual(200);
    expect(salvaged === 0).toBe(b.startupAlarms[0]?.salvage.outcome === 'failed');
    expect(b.db.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_FULL);
    expect(new Alarms(b.db, () => 0).open().map((x) => x.code)).toEqual(['store.damaged']);
    b.close();
    // the next start does not see damage again (no crash loop, no repeated alarm)
    const c = open(path);
    expect(c.startupAlarms).toEqual([]);
    expect(
      readdirSync(dir).filter((f) => f.includes('.damaged-') && !f.endsWith('-wal') && !f.endsWith('-shm')),
    ).toHaveLength(1);
  });

  it('moves the -wal and -shm files aside with the damaged database', () => {
    const path = join(dir, 'queue.db');
    const a = open(path);
    fill(a, 20);
    a.close();
    opened.length = 0;
    overwrite(path, 0, Buffer.alloc(100, 0x41));
    for (const suffix of ['-wal', '-shm']) overwrite(path + suffix, 0, Buffer.from(`left over ${suffix}`));
    const b = open(path);
    const movedTo = b.startupAlarms[0]?.movedTo ?? '';
    expect(existsSync(movedTo)).toBe(true);
    expect(readFileSync(`${movedTo}-wal`, 'utf8')).toBe('left over -wal');
    expect(readFileSync(`${movedTo}-shm`, 'utf8')).toBe('left over -shm');
  });

  it('fails with a value, not an exception, when the folder cannot be created', () => {
    const file = join(dir, 'file');
    closeSync(openSync(file, 'w'));
    const result = openStore({ path: join(file, 'sub', 'queue.db') });
    expect(result).toMatchObject({ ok: false, error: { code: 'store.open_failed' } });
  });
});

describe('isStorageFull', () => {
  it('recognises SQLITE_FULL and ENOSPC as a full disk, and nothing else', () => {
    expect(isStorageFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(
      true,
    );
    expect(
      isStorageFull(Object.assign(new Error('disk I/O error: ENOSPC'), { code: 'SQLITE_IOERR_WRITE' })),
    ).toBe(true);
    expect(isStorageFull(Object.assign(new Error('no space left'), { code: 'ENOSPC' }))).toBe(true);
    expect(isStorageFull(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT' }))).toBe(false);
    expect(isStorageFull(new Error('boom'))).toBe(false);
  });
});

describe('Alarms', () => {
  it('keeps one open alarm per code, notifies listeners each time, and clears', () => {
    const store = open();
    const alarms = new Alarms(store.db, () => 5);
    const seen: string[] = [];
    const off = alarms.onAlarm((a) => seen.push(a.code));
    alarms.raise('sync.auth', 'x');
    alarms.raise('sync.auth', 'x');
    expect(seen).toEqual(['sync.auth', 'sync.auth']);
    expect(alarms.open()).toHaveLength(1);
    alarms.clear('sync.auth');
    expect(alarms.isOpen('sync.auth')).toBe(false);
    off();
    alarms.raise('sync.auth', 'x');
    expect(seen).toHaveLength(2);
  });
});

function overwrite(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, existsSync(path) ? 'r+' : 'w');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}
