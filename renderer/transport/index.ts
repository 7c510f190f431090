import { createKioskApi, type KioskApi, type Transport } from '../../api/client.ts';
import type { CallName } from '../../api/contract.ts';
import { createWebSocketTransport } from './websocket.ts';

/** What the Electron preload exposes: one function per call of the contract, plus events. */
export type ElectronBridge = Readonly<
  Record<CallName, (input: unknown) => Promise<unknown>> & {
    onEvent(listener: (name: string, payload: unknown) => void): () => void;
  }
>;

declare global {
  interface Window {
    readonly kiosk?: ElectronBridge;
  }
}

function bridgeTransport(bridge: ElectronBridge): Transport {
  return { call: (name, input) => bridge[name](input), onEvent: (listener) => bridge.onEvent(listener) };
}

/** Electron's preload bridge when present, otherwise the web host's WebSocket. */
export function connectKiosk(): KioskApi {
  const transport = window.kiosk
    ? bridgeTransport(window.kiosk)
    : createWebSocketTransport(
        window.location,
        window.history,
        window.sessionStorage,
        window.fetch.bind(window),
      );
  return createKioskApi(transport);
}
