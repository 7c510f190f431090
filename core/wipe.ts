import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENROLMENT_FILE } from '../sync/enrolment.ts';
import { DEVICE_KEY_FILE } from '../sync/keystore.ts';
import { QUEUE_DB_FILE } from '../sync/terminal.ts';

/** Everything that makes a data folder this terminal: the queue, the device key, the enrolment. */
export const TERMINAL_FILES = [
  QUEUE_DB_FILE,
  `${QUEUE_DB_FILE}-wal`,
  `${QUEUE_DB_FILE}-shm`,
  ENROLMENT_FILE,
  DEVICE_KEY_FILE,
  `${DEVICE_KEY_FILE}.enc`,
] as const;

/**
 * Deletes the terminal's files (the store must be closed first) and the given folders (log
 * exports, a folder printer's PDFs). Returns what could not be deleted; missing files are fine.
 */
export function deleteTerminalFiles(dataDir: string, folders: readonly string[] = []): string[] {
  const failed: string[] = [];
  for (const path of [...TERMINAL_FILES.map((name) => join(dataDir, name)), ...folders]) {
    try {
      rmSync(path, { force: true, recursive: true });
    } catch {
      failed.push(path);
    }
  }
  return failed;
}
