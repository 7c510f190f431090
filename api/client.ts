import {
  type CallInput,
  type CallName,
  type CallOutput,
  calls,
  type EventName,
  type EventPayload,
  events,
  isEventName,
} from './contract.ts';
import { type Envelope, envelopeSchema, errorCodes, fail } from './envelope.ts';

/** What a transport must do: carry one call and its answer, and deliver the host's events. */
export interface Transport {
  call(name: CallName, input: unknown): Promise<unknown>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

export type KioskApi = {
  readonly [K in CallName]: (input: CallInput<K>) => Promise<Envelope<CallOutput<K>>>;
} & {
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/**
 * Builds the typed KioskApi over a transport. Answers and events are checked against the
 * contract on this side too, so a host bug shows up as an error value, never as bad state.
 */
export function createKioskApi(transport: Transport): KioskApi {
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(calls) as CallName[]) {
    const schema = envelopeSchema(calls[name].output);
    api[name] = async (input: unknown) => {
      let raw: unknown;
      try {
        raw = await transport.call(name, input);
      } catch (error) {
        return fail(errorCodes.transport, error instanceof Error ? error.message : String(error));
      }
      const parsed = schema.safeParse(raw);
      return parsed.success ? parsed.data : fail(errorCodes.transport, `malformed answer to ${name}`);
    };
  }
  api.on = (name: EventName, listener: (payload: unknown) => void) =>
    transport.onEvent((eventName, payload) => {
      if (eventName !== name || !isEventName(eventName)) return;
      const parsed = events[eventName].safeParse(payload);
      if (parsed.success) listener(parsed.data);
    });
  return Object.freeze(api) as KioskApi;
}
