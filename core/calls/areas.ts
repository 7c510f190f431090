import { type CallName, callNames } from '../../api/contract.ts';
import { err as fail } from '../../common/result.ts';
import type { Disposable } from '../disposable.ts';
import type { Handlers } from '../router.ts';

/**
 * The kiosk's calls come in areas, one module each (core/calls/): the visitor's session, the
 * journeys, the staff desk, the administration and the enrolment. Each declares the calls it
 * serves and which of them a visitor makes; the kiosk composes them into one set of handlers.
 */
export interface CallArea<K extends CallName> extends Partial<Disposable> {
  /** The calls this area serves; every call is served by exactly one area. */
  readonly calls: readonly K[];
  /** The calls of those a visitor makes: refused while the terminal is out of service. */
  readonly visitorCalls: readonly K[];
  readonly handlers: Pick<Handlers, K>;
}

/** Any area, as the composition takes them. */
export interface SomeCallArea {
  readonly calls: readonly CallName[];
  readonly visitorCalls: readonly CallName[];
  readonly handlers: Partial<Handlers>;
}

export const OUT_OF_SERVICE = 'terminal.out_of_service';

/**
 * One handler per call from the areas. Visitor calls answer `terminal.out_of_service` while
 * `outOfService()` names a reason (nothing a visitor enters could be delivered safely). Throws
 * when a call is served by no area or by two, or an area's handlers are not the calls it declares.
 */
export function composeAreas(
  areas: readonly SomeCallArea[],
  outOfService: () => string | null,
): { readonly handlers: Handlers; readonly visitorCalls: ReadonlySet<CallName> } {
  const handlers: Partial<Record<CallName, (input: never) => unknown>> = {};
  const visitorCalls = new Set<CallName>();
  for (const area of areas) {
    const declared = [...area.calls].sort();
    const given = (Object.keys(area.handlers) as CallName[]).sort();
    if (declared.join() !== given.join())
      throw new Error(`a call area serves ${given.join(', ')} but declares ${declared.join(', ')}`);
    for (const name of area.calls) {
      if (handlers[name]) throw new Error(`${name} is served by two call areas`);
      handlers[name] = area.handlers[name] as (input: never) => unknown;
    }
    for (const name of area.visitorCalls) {
      if (!area.calls.includes(name))
        throw new Error(`${name} is a visitor call of an area that does not serve it`);
      visitorCalls.add(name);
    }
  }
  const missing = callNames.filter((name) => !handlers[name]);
  if (missing.length > 0) throw new Error(`no call area serves ${missing.join(', ')}`);
  for (const name of visitorCalls) {
    const handler = handlers[name] as (input: never) => unknown;
    handlers[name] = (input) => {
      const reason = outOfService();
      if (reason !== null) return fail(OUT_OF_SERVICE, `this terminal is out of service (${reason})`);
      return handler(input);
    };
  }
  return { handlers: handlers as unknown as Handlers, visitorCalls };
}
