import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { ENROLMENT_FILE, type EnrolmentRecord, signingKeyThumbprint } from '../../sync/enrolment.ts';
import { writeFileAtomic } from '../../sync/keystore.ts';
import type { PortalSigningJwk } from '../../sync/protocol/index.ts';
import { type AssembledTerminal, openTerminal } from '../../sync/terminal.ts';

/**
 * A terminal enrolled with a portal that need not be running: the enrolment record names
 * `portalUrl` and a freshly made portal signing key, and `env` pins both the way an installation
 * does. The terminal opens without the network (queue, audit log, device key), so a kiosk built
 * on it is in service; deliveries wait for a portal that never answers.
 */
export async function offlineEnrolment(
  dataDir: string,
  portalUrl: string,
): Promise<{ thumbprint: string; env: Record<string, string>; open(): Promise<AssembledTerminal> }> {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const portalSigningKey: PortalSigningJwk = {
    kty: 'EC',
    crv: 'P-256',
    x: String(jwk.x),
    y: String(jwk.y),
    kid: 'offline-portal',
    alg: 'ES256',
    use: 'sig',
  };
  const thumbprint = signingKeyThumbprint(portalSigningKey);
  const record: EnrolmentRecord = {
    portalUrl,
    terminalId: 'terminal-offline',
    keyId: 'key-offline',
    audience: 'portal-offline',
    portalSigningKey,
    enrolledAt: new Date(0).toISOString(),
  };
  writeFileAtomic(join(dataDir, ENROLMENT_FILE), JSON.stringify(record), 0o644);
  return {
    thumbprint,
    env: { KIOSK_PORTAL_KEY_THUMBPRINT: thumbprint },
    async open() {
      const opened = await openTerminal({
        dataDir,
        pin: { url: portalUrl, signingKeyThumbprint: thumbprint },
      });
      if (!opened.ok) throw new Error(`offline terminal: ${opened.error.code}`);
      return opened.value;
    },
  };
}
