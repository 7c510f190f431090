import type { ServiceEntry, ServiceId } from '../api/contract.ts';
import { serviceDefinitions } from './services/index.ts';

/**
 * The services a visitor can choose from, in menu order. Titles, texts and "where to go instead"
 * are in the renderer's translation files under `services.<id>`. A service is offered when its
 * journey exists (`core/services`) and the terminal's configuration does not switch it off.
 */
const menu: readonly { id: ServiceId; icon: string; guestAllowed: boolean }[] = [
  { id: 'account-activation', icon: 'id-card', guestAllowed: false },
  { id: 'commitment-private', icon: 'handshake', guestAllowed: true },
  { id: 'commitment-company', icon: 'building', guestAllowed: true },
  { id: 'residence-permit', icon: 'permit', guestAllowed: true },
  { id: 'application-status', icon: 'search', guestAllowed: true },
  { id: 'callback-request', icon: 'phone', guestAllowed: true },
  { id: 'information', icon: 'info', guestAllowed: true },
];

export function listServices(disabled: readonly ServiceId[]): ServiceEntry[] {
  return menu.map((s) => ({
    id: s.id,
    icon: s.icon,
    guestAllowed: s.guestAllowed,
    availability: disabled.includes(s.id)
      ? 'switched-off'
      : serviceDefinitions.has(s.id)
        ? 'offered'
        : 'not-built',
  }));
}

export function isOffered(id: ServiceId, disabled: readonly ServiceId[]): boolean {
  return !disabled.includes(id) && serviceDefinitions.has(id);
}
