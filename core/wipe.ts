import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ENROLMENT_FILE } from '../sync/enrolment.ts';
import { DEVICE_KEY_FILE, fsyncDir, writeFileAtomic } from '../sync/keystore.ts';
import { LOCKOUT_DB_FILE } from '../sync/staff-lockout.ts';
import { isDamagedCopy } from '../sync/store.ts';
import { QUEUE_DB_FILE } from '../sync/terminal.ts';
import type { KioskConfig } from './config.ts';

/**
 * A remote wipe the portal asked for, recorded before it is acknowledged: a process that dies
 * between the acknowledgement and the deletion finishes the wipe at its next start.
 */
export const PENDING_WIPE_FILE = 'wipe-pending.json';

/**
 * Everything that makes a data folder this terminal: the queue, the device key, the enrolment,
 * and the staff lockout counters kept before enrolment.
 */
export const TERMINAL_FILES = [
  QUEUE_DB_FILE,
  `${QUEUE_DB_FILE}-wal`,
  `${QUEUE_DB_FILE}-shm`,
  ENROLMENT_FILE,
  DEVICE_KEY_FILE,
  `${DEVICE_KEY_FILE}.enc`,
  LOCKOUT_DB_FILE,
  `${LOCKOUT_DB_FILE}-wal`,
  `${LOCKOUT_DB_FILE}-shm`,
] as const;

/** The folders a wipe empties besides the data folder's files: log exports and a folder printer's PDFs. */
export function wipeFolders(config: Pick<KioskConfig, 'dataDir' | 'exportDir' | 'printer'>): string[] {
  return [
    config.exportDir ?? join(config.dataDir, 'exports'),
    ...(config.printer.kind === 'file' && config.printer.dir ? [config.printer.dir] : []),
  ];
}

/** Queue databases moved aside as damaged (with their -wal/-shm and salvage files): a wipe deletes them too. */
function damagedCopies(dataDir: string): string[] {
  try {
    return readdirSync(dataDir)
      .filter((name) => isDamagedCopy(QUEUE_DB_FILE, name))
      .map((name) => join(dataDir, name));
  } catch {
    return [];
  }
}

/**
 * Deletes the terminal's files (the store must be closed first), damaged copies of the queue and
 * the given folders (log exports, a folder printer's PDFs). A recorded remote wipe is removed
 * last, only when everything else is gone. Returns what could not be deleted; missing files are fine.
 */
export function deleteTerminalFiles(dataDir: string, folders: readonly string[] = []): string[] {
  const failed: string[] = [];
  const paths = [...TERMINAL_FILES.map((name) => join(dataDir, name)), ...damagedCopies(dataDir), ...folders];
  for (const path of paths) {
    try {
      rmSync(path, { force: true, recursive: true });
    } catch {
      failed.push(path);
    }
  }
  if (failed.length === 0) {
    try {
      fsyncDir(dataDir);
      rmSync(join(dataDir, PENDING_WIPE_FILE), { force: true });
      fsyncDir(dataDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failed.push(join(dataDir, PENDING_WIPE_FILE));
    }
  }
  return failed;
}

/** Records a remote wipe durably; throws when it cannot (the command is then not acknowledged). */
export function recordPendingWipe(dataDir: string, commandId: string): void {
  writeFileAtomic(join(dataDir, PENDING_WIPE_FILE), `${JSON.stringify({ commandId })}\n`, 0o600);
}

/** The id of a recorded remote wipe not yet finished, if there is one. */
export function pendingWipe(dataDir: string): string | undefined {
  const path = join(dataDir, PENDING_WIPE_FILE);
  // a folder in its place (nothing this program writes) is not a record
  if (!existsSync(path) || !statSync(path).isFile()) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { commandId?: unknown };
    return typeof parsed.commandId === 'string' ? parsed.commandId : 'unknown';
  } catch {
    // a record that cannot be read is still a wipe the portal asked for
    return 'unknown';
  }
}
