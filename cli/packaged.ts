/**
 * The entry of the packaged `kiosk` executable (`npm run build:cli`, scripts/build-cli.ts): the
 * same command as `bin/kiosk.mjs`, bundled into one script for a Node single-executable
 * application. An incomplete installation (a module missing beside the executable) is said in one
 * line; any other failure keeps its stack for the bug report.
 */
import { runKiosk } from './run.ts';

runKiosk().catch((error: unknown) => {
  // the code the bundle's loader of native modules gives (PACKAGE_INCOMPLETE in scripts/build-cli.ts)
  const incomplete = (error as { code?: unknown } | null)?.code === 'KIOSK_PACKAGE_INCOMPLETE';
  const text =
    error instanceof Error ? (incomplete ? error.message : (error.stack ?? error.message)) : String(error);
  process.stderr.write(`kiosk: ${text}\n`);
  process.exit(incomplete ? 69 : 70);
});
