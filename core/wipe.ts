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
 * Deletes the terminal's files (the store must be closed first). Returns the names that could
 * not be deleted; missing files are fine.
 */
export function deleteTerminalFiles(dataDir: string): string[] {
  const failed: string[] = [];
  for (const name of TERMINAL_FILES) {
    try {
      rmSync(join(dataDir, name), { force: true });
    } catch {
      failed.push(name);
    }
  }
  return failed;
}
