import { ConfigError, loadConfig } from '../../core/config.ts';
import { readEnrolment } from '../../sync/enrolment.ts';
import { enrolTerminal } from '../../sync/terminal.ts';
import { type CliCommand, writeLine } from '../command.ts';

const usage = `Usage: kiosk enroll --portal URL --code CODE

Registers this terminal with the portal: creates the device key pair (kept in the data folder),
sends its public key with the one-time enrolment code, and stores the enrolment (terminal id,
the portal's signing key). The data folder comes from the configuration (KIOSK_DATA_DIR, ...).
A terminal that is already enrolled is left as it is.`;

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

export const command: CliCommand = {
  name: 'enroll',
  summary: 'register this terminal with the portal using a one-time enrolment code',
  usage,
  async run(args, io) {
    const portal = option(args, '--portal');
    const code = option(args, '--code');
    if (!portal || !code) {
      writeLine(io.stderr, usage);
      return 2;
    }
    let dataDir: string;
    try {
      dataDir = loadConfig({ env: io.env }).dataDir;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeLine(io.stderr, error.message);
      return 78;
    }
    const existing = readEnrolment(dataDir);
    if (existing.ok) {
      writeLine(
        io.stdout,
        `Already enrolled as ${existing.value.terminalId} with ${existing.value.portalUrl}.`,
      );
      return 0;
    }
    const enrolled = await enrolTerminal({ dataDir, portalUrl: portal, code });
    if (!enrolled.ok) {
      writeLine(io.stderr, `kiosk enroll: ${enrolled.error.code}: ${enrolled.error.message}`);
      return 1;
    }
    writeLine(io.stdout, `Enrolled as ${enrolled.value.terminalId} with ${enrolled.value.portalUrl}.`);
    return 0;
  },
};
