/**
 * The kiosk core in Electron's utilityProcess: the services, the SQLite queue and the readers run
 * here, away from the main process, so a crash in native code cannot take the window with it.
 * Everything it does is in core-host.ts; this file only connects it to the parent port.
 */
import { createLogger } from '../core/log.ts';
import { runCoreHost } from './core-host.ts';

void runCoreHost({
  port: process.parentPort,
  log: createLogger((line) => process.stderr.write(line)),
  exit: (code) => process.exit(code),
});
