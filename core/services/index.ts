import type { ServiceId } from '../../api/contract.ts';
import type { ServiceDefinition } from '../forms/journey.ts';
import { applicationStatus } from './application-status.ts';
import { callbackRequest } from './callback-request.ts';
import { commitmentPrivate } from './commitment-private.ts';

/** The services whose journeys exist, by id. A service listed in the catalogue without one here is shown as not offered. */
export const serviceDefinitions: ReadonlyMap<ServiceId, ServiceDefinition> = new Map(
  [callbackRequest, applicationStatus, commitmentPrivate].map((d) => [d.id, d]),
);
