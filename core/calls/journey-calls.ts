import { ok } from '../../common/result.ts';
import type { JourneyService } from '../journeys.ts';
import type { CallArea } from './areas.ts';

/** The visitor's journey through a service: start, answer step by step, go back, submit. */
export const journeyCalls = [
  'journey.start',
  'journey.current',
  'journey.step',
  'journey.back',
  'journey.goto',
  'journey.cancel',
  'journey.submit',
] as const;

export type JourneyCalls = (typeof journeyCalls)[number];

export function createJourneyCalls(journeys: JourneyService): CallArea<JourneyCalls> {
  return {
    calls: journeyCalls,
    visitorCalls: journeyCalls,
    handlers: {
      'journey.start': ({ serviceId }) => journeys.start(serviceId),
      'journey.current': () => ok(journeys.current()),
      'journey.step': ({ values }) => journeys.step(values),
      'journey.back': () => journeys.back(),
      'journey.goto': ({ stepId }) => journeys.goto(stepId),
      'journey.cancel': () => ok({ cancelled: journeys.cancel() }),
      'journey.submit': () => journeys.submit(),
    },
  };
}
