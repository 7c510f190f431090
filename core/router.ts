import { type CallName, type CallOutput, calls, isCallName, type ParsedInput } from '../api/contract.ts';
import { type Envelope, errorCodes, fail } from '../api/envelope.ts';
import type { Logger } from './log.ts';

export type Handlers = {
  readonly [K in CallName]: (
    input: ParsedInput<K>,
  ) => Envelope<CallOutput<K>> | Promise<Envelope<CallOutput<K>>>;
};

/** The one entry point both transports route into. It never throws. */
export interface Router {
  dispatch(name: unknown, input: unknown): Promise<Envelope<unknown>>;
}

export function createRouter(handlers: Handlers, log: Logger): Router {
  return {
    async dispatch(name, input) {
      if (!isCallName(name)) return fail(errorCodes.unknownCall, 'unknown call');
      const parsed = calls[name].input.safeParse(input ?? {});
      if (!parsed.success) {
        // Say which fields were wrong, never echo what was sent: it may be personal data.
        const fields = parsed.error.issues.map((i) => i.path.join('.') || '(input)').join(', ');
        return fail(errorCodes.badRequest, `invalid input for ${name}: ${fields}`);
      }
      try {
        const handler = handlers[name] as (input: unknown) => Envelope<unknown> | Promise<Envelope<unknown>>;
        return await handler(parsed.data);
      } catch (error) {
        log.error('call.failed', { call: name, error: error instanceof Error ? error.name : 'unknown' });
        return fail(errorCodes.internal, 'the terminal could not complete this step');
      }
    },
  };
}
