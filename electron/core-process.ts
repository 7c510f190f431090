/**
 * The kiosk core in Electron's utilityProcess: the services, the SQLite queue and the readers run
 * here, away from the main process, so a crash in native code cannot take the window with it.
 * Messages from main are contract calls; events go back the same port.
 */
import { callMessageSchema, type HostMessage } from '../api/wire.ts';
import { ConfigError, loadConfig } from '../core/config.ts';
import { createKiosk } from '../core/kiosk.ts';
import { createLogger } from '../core/log.ts';
import { openKioskTerminal } from '../core/terminal.ts';

const port = process.parentPort;
const send = (message: HostMessage | { type: 'fatal'; message: string }) => port.postMessage(message);

async function start(): Promise<void> {
  const config = loadConfig();
  const log = createLogger((line) => process.stderr.write(line));
  const portalUrl = config.portal.url;
  if (!portalUrl)
    throw new ConfigError('Invalid kiosk configuration:\n  portal.url: not set (KIOSK_PORTAL_URL)');
  const code = process.env.KIOSK_DEMO_ENROLMENT_CODE;
  const terminal = await openKioskTerminal({ ...config, portal: { ...config.portal, url: portalUrl } }, log, {
    ...(code ? { enrolmentCode: code } : {}),
  });
  const kiosk = createKiosk(config, { log, terminal });
  kiosk.events.subscribe((event) => send({ type: 'event', name: event.name, payload: event.payload }));
  port.on('message', async ({ data }) => {
    if (data === 'shutdown') {
      await kiosk.close();
      await terminal?.close();
      process.exit(0);
    }
    const call = callMessageSchema.safeParse(data);
    if (!call.success) return;
    send({
      type: 'result',
      id: call.data.id,
      envelope: await kiosk.router.dispatch(call.data.name, call.data.input),
    });
  });
}

start().catch((error: unknown) => {
  send({ type: 'fatal', message: error instanceof ConfigError ? error.message : String(error) });
  process.exit(78);
});
