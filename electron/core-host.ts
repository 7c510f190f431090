/**
 * What the core process does, behind a small port so it runs under Node in tests as it runs in
 * Electron's utilityProcess: it asks main for the device key, opens the terminal (queue, sealing,
 * delivery) and the kiosk's services, answers contract calls and main's control messages, and
 * pushes the kiosk's events. The queue is SQLite on disk: a core that crashed and was started
 * again opens it with everything it held.
 */
import { callMessageSchema, type HostMessage } from '../api/wire.ts';
import { type Clock, systemClock } from '../common/clock.ts';
import { err, ok } from '../common/result.ts';
import { ConfigError, configFileOf, loadConfig } from '../core/config.ts';
import type { Kiosk } from '../core/kiosk.ts';
import type { Logger } from '../core/log.ts';
import { startKiosk } from '../core/start.ts';
import type { DeviceKey } from '../sync/keystore.ts';
import {
  type CoreControlMessage,
  type DeviceKeyMessage,
  deviceKeyMessageSchema,
  idleQuerySchema,
} from './core-messages.ts';
import { MemoryKeyStore } from './memory-keystore.ts';

/** Electron's parentPort, or a child-process channel in tests. */
export interface CorePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

export interface CoreHostOptions {
  readonly port: CorePort;
  readonly log: Logger;
  readonly exit: (code: number) => void;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: Clock;
  /** How long to wait for main's answer with the device key (ms). */
  readonly keyTimeoutMs?: number;
}

function keyStoreFrom(answer: DeviceKeyMessage | null): MemoryKeyStore {
  if (answer === null)
    return new MemoryKeyStore(err('keystore.read_failed', 'main did not hand over the device key'));
  if (answer.key) return new MemoryKeyStore(ok(answer.key));
  if (answer.error) return new MemoryKeyStore(err(answer.error.code, answer.error.message));
  return new MemoryKeyStore(ok(undefined));
}

export function runCoreHost(options: CoreHostOptions): Promise<void> {
  const { port, log } = options;
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  const send = (message: HostMessage | CoreControlMessage) => port.postMessage(message);
  let kiosk: Kiosk | null = null;
  let closing = false;
  let onKey: (answer: DeviceKeyMessage | null) => void = () => undefined;
  const keyAnswer = new Promise<DeviceKeyMessage | null>((resolve) => {
    onKey = resolve;
  });
  let markReady: (kiosk: Kiosk | null) => void = () => undefined;
  const ready = new Promise<Kiosk | null>((resolve) => {
    markReady = resolve;
  });

  port.on('message', async ({ data }) => {
    if (data === 'shutdown') {
      if (closing) return;
      closing = true;
      await kiosk?.close();
      options.exit(0);
      return;
    }
    const key = deviceKeyMessageSchema.safeParse(data);
    if (key.success) return onKey({ ...key.data, key: key.data.key as DeviceKey | null });
    const idle = idleQuerySchema.safeParse(data);
    if (idle.success) {
      send({ type: 'idle', id: idle.data.id, active: kiosk?.sessions.current() != null });
      return;
    }
    const call = callMessageSchema.safeParse(data);
    if (!call.success) return;
    const running = await ready;
    if (!running || closing) return;
    send({
      type: 'result',
      id: call.data.id,
      envelope: await running.router.dispatch(call.data.name, call.data.input),
    });
  });

  const start = async () => {
    send({ type: 'device-key?' });
    const timeout = clock.after(options.keyTimeoutMs ?? 10_000, () => onKey(null));
    const answer = await keyAnswer;
    timeout.cancel();
    if (answer === null) log.error('keystore.no_answer');
    else if (answer.status.warning) log.warn(answer.status.warning.code, { backend: answer.status.backend });
    const keyStore = keyStoreFrom(answer);

    const config = loadConfig({ env });
    const portalUrl = config.portal.url;
    if (!portalUrl)
      throw new ConfigError('Invalid kiosk configuration:\n  portal.url: not set (KIOSK_PORTAL_URL)');
    const code = env.KIOSK_DEMO_ENROLMENT_CODE;
    const status = answer?.status;
    kiosk = await startKiosk(
      { ...config, portal: { ...config.portal, url: portalUrl } },
      {
        log,
        env,
        configFile: configFileOf({ env }),
        ...(code ? { enrolmentCode: code } : {}),
        // A terminal enrolled from the screen keeps its key where main keeps it.
        keyStore,
        keyStorage: () =>
          status
            ? {
                backend: status.backend,
                encrypted: status.encrypted,
                ...(status.warning ? { warning: status.warning.message } : {}),
              }
            : { backend: 'unknown', encrypted: false, warning: 'the main process did not hand over a key' },
      },
    );
    if (kiosk.terminal() && keyStore.used) send({ type: 'device-key.used' });
    kiosk.events.subscribe((event) => send({ type: 'event', name: event.name, payload: event.payload }));
    markReady(kiosk);
  };

  return start().catch((error: unknown) => {
    markReady(null);
    send({ type: 'fatal', message: error instanceof ConfigError ? error.message : String(error) });
    options.exit(78);
  });
}
