import type { StatusAnswers } from '../status-answers.ts';
import type { CallArea } from './areas.ts';

/** The status answer on the visitor's screen: printed on request. */
export const statusCalls = ['status.print'] as const;

export type StatusCalls = (typeof statusCalls)[number];

export function createStatusCalls(answers: StatusAnswers): CallArea<StatusCalls> {
  return {
    calls: statusCalls,
    visitorCalls: statusCalls,
    handlers: {
      'status.print': () => answers.print(),
    },
  };
}
