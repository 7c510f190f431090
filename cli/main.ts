import { type CliCommand, type CliIo, writeLine } from './command.ts';

/**
 * The `kiosk` command. Each sub-command lives in `cli/commands/<name>.ts` and exports `command`;
 * it is imported only when called, so `kiosk mrz` does not load SQLite or node-hid.
 */
const commands: Record<string, () => Promise<{ command: CliCommand }>> = {
  audit: () => import('./commands/audit.ts'),
  config: () => import('./commands/config.ts'),
  devices: () => import('./commands/devices.ts'),
  doctor: () => import('./commands/doctor.ts'),
  enroll: () => import('./commands/enroll.ts'),
  'hash-pin': () => import('./commands/hash-pin.ts'),
  'hid-replay': () => import('./commands/hid-replay.ts'),
  mrz: () => import('./commands/mrz.ts'),
  receipt: () => import('./commands/receipt.ts'),
  'scan-check': () => import('./commands/scan-check.ts'),
  status: () => import('./commands/status.ts'),
  sync: () => import('./commands/sync.ts'),
  'print-test': () => import('./commands/print-test.ts'),
  queue: () => import('./commands/queue.ts'),
};

export function registeredCommands(): string[] {
  return Object.keys(commands).sort();
}

async function loadAll(): Promise<CliCommand[]> {
  const loaded = await Promise.all(registeredCommands().map((name) => commands[name]?.()));
  return loaded.flatMap((m) => (m ? [m.command] : []));
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeLine(io.stdout, 'Usage: kiosk <command> [options]\n\nCommands:');
    for (const c of await loadAll()) writeLine(io.stdout, `  ${c.name.padEnd(14)} ${c.summary}`);
    writeLine(io.stdout, '\nRun `kiosk <command> --help` for the options of one command.');
    return 0;
  }
  const load = commands[name];
  if (!load) {
    writeLine(io.stderr, `kiosk: unknown command "${name}". Run \`kiosk --help\` for the list.`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    writeLine(io.stdout, command.usage);
    return 0;
  }
  return command.run(rest, io);
}
