/**
 * Runs a command with an argument array (never a shell) and collects its standard output as
 * bytes in memory (a scanner's image never goes through a file), with a time limit and an
 * output cap. Never rejects: failures are part of the result.
 */
import { spawn } from 'node:child_process';

export interface BinaryResult {
  /** Exit code; null when the command could not start or was killed. */
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly failure?: 'not_found' | 'timeout' | 'spawn_failed' | 'too_much_output' | 'aborted';
}

export interface BinaryRunOptions {
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Stops the command (SIGKILL) when aborted: the visitor cancelled, the session ended. */
  readonly signal?: AbortSignal;
}

export type BinaryRunner = (
  file: string,
  args: readonly string[],
  options?: BinaryRunOptions,
) => Promise<BinaryResult>;

export const spawnBinary: BinaryRunner = (file, args, options = {}) =>
  new Promise((resolve) => {
    const child = spawn(file, [...args], {
      env: options.env ?? { ...process.env, LC_ALL: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let failure: BinaryResult['failure'];
    const max = options.maxOutputBytes ?? 200 * 1024 * 1024;
    const stop = (why: NonNullable<BinaryResult['failure']>) => {
      failure ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs ?? 120_000);
    const onAbort = () => stop('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) stop('aborted');
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) stop('too_much_output');
      else out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 64) err.push(c);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure ??= e.code === 'ENOENT' ? 'not_found' : 'spawn_failed';
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        code: failure ? null : code,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8').slice(0, 4000),
        ...(failure ? { failure } : {}),
      });
    });
  });
