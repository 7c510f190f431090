/**
 * Runs an operating-system command with an argument array (never through a shell), optionally
 * feeding bytes to its standard input, with a time limit. Never rejects: failures are part of the
 * result so printer code can turn them into error values.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit code; null when the command could not start or was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the command could not be started (e.g. ENOENT) or timed out. */
  readonly failure?: 'not_found' | 'timeout' | 'spawn_failed';
}

export interface RunOptions {
  readonly input?: Uint8Array;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export type CommandRunner = (
  file: string,
  args: readonly string[],
  options?: RunOptions,
) => Promise<CommandResult>;

/** The real runner. Output is parsed in the C locale so messages are stable. */
export const spawnRunner: CommandRunner = (file, args, options = {}) =>
  new Promise((resolve) => {
    const child = spawn(file, [...args], {
      env: options.env ?? { ...process.env, LC_ALL: 'C', LANG: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let failure: CommandResult['failure'];
    const timer = setTimeout(() => {
      failure = 'timeout';
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 15_000);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure ??= e.code === 'ENOENT' ? 'not_found' : 'spawn_failed';
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: failure ? null : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ...(failure ? { failure } : {}),
      });
    });
    // A command that exits without reading its input must not crash us with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ? Buffer.from(options.input) : undefined);
  });
