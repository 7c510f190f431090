import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, writeFileAtomic } from '../sync/keystore.ts';
import { deleteTerminalData, type Terminal } from '../sync/terminal.ts';
import type { KioskConfig } from './config.ts';

/**
 * The terminal's data wipe, and the one path to it: an administrator's wipe from the screen, a
 * remote wipe the portal asked for, and a remote wipe a process died in the middle of (finished
 * at the next start) all end in `wipeTerminalData`. The files it deletes are sync's one list
 * (`TERMINAL_FILES` in sync/terminal.ts), the folders are the kiosk's (log exports, a folder
 * printer's papers).
 *
 * Words: a *data wipe* deletes the terminal's files; a *remote wipe* is the portal's command to
 * do one. What a visitor session holds in memory is *forgotten* when it ends, never wiped.
 */

/**
 * A remote wipe the portal asked for, recorded before it is acknowledged: a process that dies
 * between the acknowledgement and the deletion finishes the wipe at its next start.
 */
export const PENDING_WIPE_FILE = 'wipe-pending.json';

/** The folders a wipe empties besides the data folder's files: log exports and a folder printer's PDFs. */
export function wipeFolders(config: Pick<KioskConfig, 'dataDir' | 'exportDir' | 'printer'>): string[] {
  return [
    config.exportDir ?? join(config.dataDir, 'exports'),
    ...(config.printer.kind === 'file' && config.printer.dir ? [config.printer.dir] : []),
  ];
}

/**
 * Deletes the terminal's data: closes the terminal first when one is open, then its files,
 * damaged copies of the queue and the kiosk's folders. A recorded remote wipe is removed last,
 * only when everything else is gone. Returns what could not be deleted.
 */
export async function wipeTerminalData(
  config: Pick<KioskConfig, 'dataDir' | 'exportDir' | 'printer'>,
  terminal: Terminal | null,
): Promise<string[]> {
  const folders = wipeFolders(config);
  const failed = terminal ? await terminal.wipe(folders) : deleteTerminalData(config.dataDir, folders);
  if (failed.length > 0) return failed;
  try {
    fsyncDir(config.dataDir);
    rmSync(join(config.dataDir, PENDING_WIPE_FILE), { force: true });
    fsyncDir(config.dataDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return [join(config.dataDir, PENDING_WIPE_FILE)];
  }
  return [];
}

/** Records a remote wipe durably; throws when it cannot (the command is then not acknowledged). */
export function recordRemoteWipe(dataDir: string, commandId: string): void {
  writeFileAtomic(join(dataDir, PENDING_WIPE_FILE), `${JSON.stringify({ commandId })}\n`, 0o600);
}

/** The id of a recorded remote wipe not yet carried out, if there is one. */
export function pendingRemoteWipe(dataDir: string): string | undefined {
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
