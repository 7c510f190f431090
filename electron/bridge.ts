import { callNameList } from '../api/names.ts';

export const callChannel = 'kiosk:call';
export const eventChannel = 'kiosk:event';

type Invoke = (channel: string, name: string, input: unknown) => Promise<unknown>;
type Subscribe = (channel: string, listener: (name: string, payload: unknown) => void) => () => void;

/**
 * What the preload exposes as `window.kiosk`: exactly one function per call of the contract and
 * `onEvent`, frozen. The renderer never sees ipcRenderer or any Electron object.
 */
export function createBridge(invoke: Invoke, subscribe: Subscribe) {
  const bridge: Record<string, unknown> = {};
  for (const name of callNameList) bridge[name] = (input: unknown) => invoke(callChannel, name, input);
  bridge.onEvent = (listener: (name: string, payload: unknown) => void) => {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    return subscribe(eventChannel, (name, payload) => listener(name, payload));
  };
  return Object.freeze(bridge);
}
