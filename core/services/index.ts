import type { ServiceId } from '../../api/contract.ts';
import type { ServiceDefinition } from '../forms/journey.ts';
import { accountActivation } from './account-activation.ts';
import { applicationStatus } from './application-status.ts';
import { appointmentWish } from './appointment-wish.ts';
import { callbackRequest } from './callback-request.ts';
import { checkIn } from './check-in.ts';
import { commitmentCompany } from './commitment-company.ts';
import { commitmentPrivate } from './commitment-private.ts';
import { documentsFollowUp } from './documents-followup.ts';
import { information } from './information.ts';
import { residencePermit } from './residence-permit.ts';

/** The services whose journeys exist, by id. A service listed in the catalogue without one here is shown as not offered. */
export const serviceDefinitions: ReadonlyMap<ServiceId, ServiceDefinition> = new Map(
  [
    accountActivation,
    callbackRequest,
    applicationStatus,
    commitmentPrivate,
    commitmentCompany,
    residencePermit,
    information,
    appointmentWish,
    checkIn,
    documentsFollowUp,
  ].map((d) => [d.id, d]),
);
