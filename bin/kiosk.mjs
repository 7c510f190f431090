#!/usr/bin/env node
// The `kiosk` command for administrators and scripts. Sources are TypeScript, loaded through tsx.
import { register } from 'tsx/esm/api';

register();
// A reader that stops early (`kiosk --help | head`) closes the pipe: the output is no longer
// wanted, so the command ends quietly instead of with an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main } = await import('../cli/main.ts');
let stop;
const stopped = new Promise((resolve) => {
  stop = resolve;
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop());
const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stopped,
});
process.exitCode = code;
// Long-running commands have resolved by now; nothing may keep the process alive.
setImmediate(() => process.exit(code)).unref();
