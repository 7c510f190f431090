import { ConfigError, type KioskConfig, loadConfig } from '../../core/config.ts';
import { enrolWithPinnedPortal } from '../../core/pinned-portal.ts';
import { type CliCommand, writeLine } from '../command.ts';

const usage = `Usage: kiosk enroll --code CODE [--portal URL]

Registers this terminal with the portal of this installation: creates the device key pair (kept
in the data folder), sends its public key with the one-time enrolment code, and stores the
enrolment (terminal id, the portal's signing key).

The portal is the installation's, never chosen here: its URL (portal.url or KIOSK_PORTAL_URL,
https only) and the RFC 7638 thumbprint of its signing key (portal.signingKeyThumbprint or
KIOSK_PORTAL_KEY_THUMBPRINT) come from the configuration. A portal that answers with another
signing key is refused and nothing is stored. --portal, if given, must name the same origin.

A terminal enrolled with this portal is left as it is; an enrolment for another portal or key
(a changed installation) is replaced. The data folder comes from the configuration
(KIOSK_DATA_DIR, ...).

Exit codes: 0 enrolled (or already), 1 refused or failed, 2 usage, 78 configuration.`;

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

export const command: CliCommand = {
  name: 'enroll',
  summary: 'Register this terminal with the installation’s portal using a one-time enrolment code',
  usage,
  async run(args, io) {
    const requested = option(args, '--portal');
    const code = option(args, '--code');
    if (!code) {
      writeLine(io.stderr, usage);
      return 2;
    }
    let config: KioskConfig;
    try {
      config = loadConfig({ env: io.env });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeLine(io.stderr, error.message);
      return 78;
    }
    const enrolled = await enrolWithPinnedPortal(
      config,
      code,
      requested === undefined ? {} : { requestedUrl: requested },
    );
    if (!enrolled.ok) {
      writeLine(io.stderr, `kiosk enroll: ${enrolled.error.code}: ${enrolled.error.message}`);
      return enrolled.error.code === 'enrolment.not_pinned' ? 78 : 1;
    }
    const { record, already, replaced } = enrolled.value;
    if (already) {
      writeLine(io.stdout, `Already enrolled as ${record.terminalId} with ${record.portalUrl}.`);
      return 0;
    }
    if (replaced !== undefined)
      writeLine(io.stderr, `The enrolment on file was refused (${replaced}) and has been replaced.`);
    writeLine(io.stdout, `Enrolled as ${record.terminalId} with ${record.portalUrl}.`);
    return 0;
  },
};
