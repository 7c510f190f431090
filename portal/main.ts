/**
 * `npm run portal -- --port N [--data DIR] [fault flags]`: runs the reference portal alone until
 * SIGINT/SIGTERM. Prints `Portal ready: <url>` and, in demo mode (the default), an enrolment code
 * and the demo tracking numbers.
 */
import { parseArgs } from 'node:util';
import { startPortal } from './server.ts';

const USAGE = `Usage: npm run portal -- [options]
  --port N              port to listen on (default 0 = any free port)
  --host H              address to bind (default 127.0.0.1)
  --data DIR            data folder (database and keys); default a fresh temp folder
  --no-demo             no demo data, no enrolment code, no auto-acceptance
  --enrolment-code      print a fresh enrolment code (also without demo)
  --rotate-keys         add a new authority key at start; older keys stay valid 30 days
  --auto-accept S       accept delivered submissions after S seconds (demo default 30)
  --fail-rate R         answer a share R (0..1) of requests with 503
  --lost-ack-rate R     carry out a share R of requests, then drop the connection unanswered
  --latency MS          add MS milliseconds to every request
  --captive             answer every request 200 with an HTML login page
  --down                refuse every connection
  --seed N              seed of the fault random source (same seed, same faults)
  --log                 log requests (method, route, status, duration)`;

function rate(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`--${name} needs a number between 0 and 1`);
  return n;
}

function nonNegative(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number of at least 0`);
  return n;
}

async function main(argv: readonly string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'no-demo': { type: 'boolean' },
        demo: { type: 'boolean' },
        'enrolment-code': { type: 'boolean' },
        'rotate-keys': { type: 'boolean' },
        'auto-accept': { type: 'string' },
        'fail-rate': { type: 'string' },
        'lost-ack-rate': { type: 'string' },
        latency: { type: 'string' },
        captive: { type: 'boolean' },
        down: { type: 'boolean' },
        seed: { type: 'string' },
        log: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  let portal: Awaited<ReturnType<typeof startPortal>>;
  try {
    const demo = values['no-demo'] !== true;
    const autoAccept = nonNegative('auto-accept', str('auto-accept'));
    const seed = nonNegative('seed', str('seed'));
    const port = nonNegative('port', str('port'));
    const host = str('host');
    const dataDir = str('data');
    const failRate = rate('fail-rate', str('fail-rate'));
    const lostAckRate = rate('lost-ack-rate', str('lost-ack-rate'));
    const latencyMs = nonNegative('latency', str('latency'));
    portal = await startPortal({
      port: port ?? 0,
      ...(host === undefined ? {} : { host }),
      ...(dataDir === undefined ? {} : { dataDir }),
      demo,
      log: values.log === true,
      ...(seed === undefined ? {} : { seed }),
      ...(autoAccept === undefined ? {} : { autoAcceptAfterMs: autoAccept * 1000 }),
      faults: {
        ...(failRate === undefined ? {} : { failRate }),
        ...(lostAckRate === undefined ? {} : { lostAckRate }),
        ...(latencyMs === undefined ? {} : { latencyMs }),
        captive: values.captive === true,
        down: values.down === true,
      },
    });
  } catch (e) {
    process.stderr.write(`portal: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (values['rotate-keys'] === true) {
    const kid = await portal.rotateAuthorityKeys();
    process.stdout.write(`Authority key rotated: ${kid}\n`);
  }
  process.stdout.write(`Portal ready: ${portal.url}\n`);
  process.stdout.write(`Admin token: ${portal.adminToken} (Authorization: Bearer, routes under /admin/v1)\n`);
  process.stdout.write(`Fleet page: ${portal.url}/admin/fleet#token=${portal.adminToken}\n`);
  const code =
    portal.demoEnrolmentCode ??
    (values['enrolment-code'] === true ? portal.createEnrolmentCode() : undefined);
  if (code !== undefined) process.stdout.write(`Enrolment code: ${code} (valid 24 h, single use)\n`);
  for (const t of portal.demoTracking) {
    process.stdout.write(`Demo tracking: ${t.trackingNumber} born ${t.birthDate} (${t.status})\n`);
  }
  for (const c of portal.demoCases) {
    process.stdout.write(`Demo case: ${c.caseReference} born ${c.birthDate} (${c.status})\n`);
    if (c.invitationQr) process.stdout.write(`Demo invitation QR: ${c.invitationQr}\n`);
  }
  const faults = portal.faults();
  const active = Object.entries(faults).filter(([, v]) => v !== 0 && v !== false);
  if (active.length > 0) process.stdout.write(`Faults: ${active.map(([k, v]) => `${k}=${v}`).join(' ')}\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await portal.close();
  process.stdout.write('Portal stopped\n');
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
