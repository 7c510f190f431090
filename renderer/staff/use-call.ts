import { useCallback, useMemo, useState } from 'react';
import type { StaffProblem } from './errors.ts';

/** A call's answer as the host sends it (the API's envelope). */
export type Answer<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: StaffProblem };

/**
 * Calls to the host from the staff, administration and enrolment screens: whether one is under
 * way (buttons wait), and the problem of the last one that failed (shown with `problemText`).
 */
export interface Calls {
  /** A call is under way. */
  readonly busy: boolean;
  /** The problem shown: the last failed call's, or one the screen found itself. */
  readonly problem: StaffProblem | null;
  /**
   * One call the person started: busy while it runs, the last problem cleared first and the new
   * one kept, unless its code is one the screen handles itself (`handles`). Returns the answer.
   */
  run<A extends Answer<unknown>>(call: () => Promise<A>, handles?: readonly string[]): Promise<A>;
  /**
   * A read the screen makes by itself (on opening, polling, after an action): not busy, a failure
   * shown, a success leaving what is shown as it is. Returns the value, or null.
   */
  read<T>(call: () => Promise<Answer<T>>): Promise<T | null>;
  /** Shows a problem the screen found before calling (an empty field), or none. */
  show(problem: StaffProblem | null): void;
}

export function useCall(): Calls {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<StaffProblem | null>(null);

  const run = useCallback(
    async <A extends Answer<unknown>>(call: () => Promise<A>, handles: readonly string[] = []) => {
      setBusy(true);
      setProblem(null);
      try {
        const answer = await call();
        if (!answer.ok && !handles.includes(answer.error.code)) setProblem(answer.error);
        return answer;
      } finally {
        setBusy(false);
      }
    },
    [],
  );

  const read = useCallback(async <T>(call: () => Promise<Answer<T>>) => {
    const answer = await call();
    if (answer.ok) return answer.value;
    setProblem(answer.error);
    return null;
  }, []);

  return useMemo(() => ({ busy, problem, run, read, show: setProblem }), [busy, problem, run, read]);
}
