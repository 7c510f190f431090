import { join } from 'node:path';

/** Where the kiosk keeps its files below the data folder. */
export function storePath(dataDir: string): string {
  return join(dataDir, 'kiosk.db');
}
