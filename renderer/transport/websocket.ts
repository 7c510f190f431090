import type { Transport } from '../../api/client.ts';
import type { CallName } from '../../api/contract.ts';
import { hostMessageSchema } from '../../api/wire.ts';
import { launchToken } from './launch-token.ts';

/**
 * The web host's transport: one WebSocket to the host that served this page, authenticated by
 * the launch token (launch-token.ts: from the fragment, a one-time launch code, or this tab's
 * sessionStorage after a reload). A dropped socket is reopened; calls made meanwhile wait for it.
 */
export function createWebSocketTransport(
  location: Location,
  history: History,
  storage: Storage,
  fetchFn: typeof fetch,
): Transport {
  const url = launchToken({ location, history, storage, fetch: fetchFn }).then(
    (token) =>
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`,
  );

  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Set<(name: string, payload: unknown) => void>();

  const connect = (): Promise<WebSocket> => {
    opened ??= url.then(
      (address) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(address);
          ws.addEventListener('open', () => {
            socket = ws;
            resolve(ws);
          });
          ws.addEventListener('message', (event) => {
            let data: unknown;
            try {
              data = JSON.parse(String(event.data));
            } catch {
              return;
            }
            const message = hostMessageSchema.safeParse(data);
            if (!message.success) return;
            if (message.data.type === 'result') {
              pending.get(message.data.id)?.resolve(message.data.envelope);
              pending.delete(message.data.id);
            } else {
              for (const listener of listeners) listener(message.data.name, message.data.payload);
            }
          });
          ws.addEventListener('close', () => {
            socket = null;
            opened = null;
            for (const call of pending.values())
              call.reject(new Error('connection to the terminal host closed'));
            pending.clear();
            reject(new Error('cannot connect to the terminal host'));
          });
        }),
    );
    return opened;
  };

  return {
    async call(name: CallName, input: unknown) {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ type: 'call', id, name, input }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
