import { ConfigError, loadConfig } from '../../core/config.ts';
import { type CliCommand, writeLine } from '../command.ts';

const usage = `Usage: kiosk config show

Prints the configuration in effect (defaults, then the config file, then the environment) as
JSON, so an administrator sees what the kiosk will use. A wrong value is reported by key.`;

export const command: CliCommand = {
  name: 'config',
  summary: 'Show the configuration in effect (defaults, file, environment)',
  usage,
  async run(args, io) {
    if (args[0] !== 'show') {
      writeLine(io.stderr, usage);
      return 2;
    }
    try {
      writeLine(io.stdout, JSON.stringify(loadConfig({ env: io.env }), null, 2));
      return 0;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeLine(io.stderr, error.message);
      return 78;
    }
  },
};
