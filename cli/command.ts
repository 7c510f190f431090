/** What every `kiosk` sub-command provides. `cli/main.ts` loads a command only when it is called. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when the user asks the command to stop (SIGINT/SIGTERM); for long-running commands. */
  readonly stopped: Promise<void>;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `kiosk --help`. */
  readonly summary: string;
  /** Full usage text for `kiosk <name> --help`. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. Never calls process.exit itself. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Reads a whole stream as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function writeLine(stream: NodeJS.WritableStream, line: string): void {
  stream.write(`${line}\n`);
}
