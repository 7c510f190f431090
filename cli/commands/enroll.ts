import { ConfigError, type KioskConfig, loadConfig } from '../../core/config.ts';
import {
  checkEnrolmentPin,
  type EnrolmentRecord,
  isPinnedOrigin,
  type PortalPin,
  readEnrolment,
} from '../../sync/enrolment.ts';
import { err, ok, type Result } from '../../sync/result.ts';
import { enrolTerminal } from '../../sync/terminal.ts';
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

/**
 * The one way a command enrols this terminal (`kiosk enroll`, `kiosk sync --enrol`): only with
 * the portal the installation pins (URL and signing key from the configuration), a requested
 * URL must name the same origin. A terminal already enrolled with that portal is left as it is
 * (`already`); an enrolment for another portal or key is replaced (`replaced` gives its code).
 * Errors: `enrolment.not_pinned` (the installation names no portal or key),
 * `enrolment.foreign_origin`, `enrolment.foreign_key` and the enrolment's own codes.
 */
export async function enrolWithInstallationPortal(
  config: Pick<KioskConfig, 'dataDir' | 'portal'>,
  code: string,
  requested?: string,
): Promise<
  Result<{ readonly record: EnrolmentRecord; readonly already: boolean; readonly replaced?: string }>
> {
  const { url, signingKeyThumbprint } = config.portal;
  if (!url || !signingKeyThumbprint)
    return err(
      'enrolment.not_pinned',
      'the installation names no portal to enrol with: set portal.url and portal.signingKeyThumbprint (KIOSK_PORTAL_URL, KIOSK_PORTAL_KEY_THUMBPRINT)',
    );
  const pin: PortalPin = { url, signingKeyThumbprint };
  if (requested !== undefined && !isPinnedOrigin(requested, pin))
    return err('enrolment.foreign_origin', `${requested} is not the portal of this installation (${url})`);
  const existing = readEnrolment(config.dataDir);
  let replaced: string | undefined;
  if (existing.ok) {
    const pinned = checkEnrolmentPin(existing.value, pin);
    if (pinned.ok) return ok({ record: existing.value, already: true });
    replaced = pinned.error.code;
  }
  const enrolled = await enrolTerminal({ dataDir: config.dataDir, portalUrl: url, pin, code });
  if (!enrolled.ok) return enrolled;
  return ok({ record: enrolled.value, already: false, ...(replaced === undefined ? {} : { replaced }) });
}

export const command: CliCommand = {
  name: 'enroll',
  summary: 'register this terminal with the installation’s portal using a one-time enrolment code',
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
    const enrolled = await enrolWithInstallationPortal(config, code, requested);
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
