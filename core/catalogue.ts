import type { ServiceEntry, ServiceId } from '../api/contract.ts';

/**
 * The services a visitor can choose from. Titles, texts and "where to go instead" are in the
 * renderer's translation files under `services.<id>`; this list carries what the terminal decides.
 * `journey` is false until the service's journey exists: the menu then shows it as not offered here.
 */
interface ServiceDefinition {
  readonly id: ServiceId;
  readonly icon: string;
  readonly guestAllowed: boolean;
  readonly journey: boolean;
}

export const serviceDefinitions: readonly ServiceDefinition[] = [
  { id: 'account-activation', icon: 'id-card', guestAllowed: false, journey: false },
  { id: 'commitment-private', icon: 'handshake', guestAllowed: true, journey: false },
  { id: 'commitment-company', icon: 'building', guestAllowed: true, journey: false },
  { id: 'residence-permit', icon: 'permit', guestAllowed: true, journey: false },
  { id: 'application-status', icon: 'search', guestAllowed: true, journey: false },
  { id: 'callback-request', icon: 'phone', guestAllowed: true, journey: false },
  { id: 'information', icon: 'info', guestAllowed: true, journey: false },
];

export function listServices(disabled: readonly ServiceId[]): ServiceEntry[] {
  return serviceDefinitions.map((s) => ({
    id: s.id,
    icon: s.icon,
    guestAllowed: s.guestAllowed,
    availability: disabled.includes(s.id) ? 'switched-off' : s.journey ? 'offered' : 'not-built',
  }));
}
