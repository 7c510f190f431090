import { main } from './main.ts';

/**
 * Runs the `kiosk` command in this process and exits with its code: the one start of the command,
 * whether it runs from the sources (`bin/kiosk.mjs`) or as the packaged executable
 * (`cli/packaged.ts`).
 */
export async function runKiosk(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // A reader that stops early (`kiosk --help | head`) closes the pipe: the output is no longer
  // wanted, so the command ends quietly instead of with an EPIPE stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop());
  const code = await main(argv, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stopped,
  });
  process.exitCode = code;
  // Long-running commands have resolved by now; nothing may keep the process alive.
  setImmediate(() => process.exit(code)).unref();
}
