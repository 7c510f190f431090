/**
 * The reference portal for the soak benchmark, in a process of its own:
 * `node --import tsx bench/support/soak-portal.ts DATA_DIR`. Demo data (status lookups have
 * applications to find, deliveries are accepted after a while), and a tracking lookup limit far
 * above the default of 10 a minute: the soak packs a day's visitors into minutes, and a limited
 * lookup would read as "portal unreachable" instead of exercising the lookup.
 *
 * stdout: `Portal ready: URL`, `Enrolment code: CODE`, `Signing key thumbprint: T`, one `Demo tracking: TN born DATE (STATUS)`
 * per demo application, then `Demo done`. Stops on SIGTERM or SIGINT.
 */
import { startPortal } from '../../portal/server.ts';
import { signingKeyThumbprint } from '../../sync/enrolment.ts';

const dataDir = process.argv[2];
if (dataDir === undefined) {
  process.stderr.write('usage: soak-portal.ts DATA_DIR\n');
  process.exit(2);
}
const portal = await startPortal({
  port: 0,
  dataDir,
  demo: true,
  trackingRateLimit: { max: 1_000_000, windowMs: 60_000 },
});
const lines = [
  `Portal ready: ${portal.url}`,
  `Enrolment code: ${portal.demoEnrolmentCode ?? portal.createEnrolmentCode()}`,
  `Signing key thumbprint: ${signingKeyThumbprint(portal.signingKey)}`,
];
for (const t of portal.demoTracking)
  lines.push(`Demo tracking: ${t.trackingNumber} born ${t.birthDate} (${t.status})`);
lines.push('Demo done');
process.stdout.write(`${lines.join('\n')}\n`);
await new Promise<void>((resolve) => {
  process.once('SIGTERM', () => resolve());
  process.once('SIGINT', () => resolve());
});
await portal.close();
