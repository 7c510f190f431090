/**
 * The kiosk core in Electron's utilityProcess: the services, the SQLite queue and the readers run
 * here, away from the main process, so a crash in native code cannot take the window with it.
 * Messages from main are contract calls; events go back the same port.
 */
import { callMessageSchema, type HostMessage } from '../api/wire.ts';
import { ConfigError, loadConfig } from '../core/config.ts';
import { createKiosk } from '../core/kiosk.ts';
import { createLogger } from '../core/log.ts';

const port = process.parentPort;
const send = (message: HostMessage | { type: 'fatal'; message: string }) => port.postMessage(message);

try {
  const kiosk = createKiosk(loadConfig(), { log: createLogger((line) => process.stderr.write(line)) });
  kiosk.events.subscribe((event) => send({ type: 'event', name: event.name, payload: event.payload }));
  port.on('message', async ({ data }) => {
    if (data === 'shutdown') {
      await kiosk.close();
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
} catch (error) {
  send({ type: 'fatal', message: error instanceof ConfigError ? error.message : String(error) });
  process.exit(78);
}
