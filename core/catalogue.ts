import type { ServiceEntry, ServiceId } from '../api/contract.ts';
import { serviceDefinitions } from './services/index.ts';

/**
 * The services a visitor can choose from, in menu order. Titles, texts and "where to go instead"
 * are in the renderer's translation files under `services.<id>`. A service is offered when its
 * journey exists (`core/services`) and the terminal's configuration does not switch it off.
 */
const menu: readonly { id: ServiceId; icon: string; guestAllowed: boolean; signIn: boolean }[] = [
  // For accounts not active yet: nobody can sign in with them.
  { id: 'account-activation', icon: 'id-card', guestAllowed: false, signIn: false },
  { id: 'commitment-private', icon: 'handshake', guestAllowed: true, signIn: true },
  { id: 'commitment-company', icon: 'building', guestAllowed: true, signIn: true },
  { id: 'residence-permit', icon: 'permit', guestAllowed: true, signIn: true },
  { id: 'application-status', icon: 'search', guestAllowed: true, signIn: false },
  { id: 'callback-request', icon: 'phone', guestAllowed: true, signIn: false },
  { id: 'information', icon: 'info', guestAllowed: true, signIn: false },
  { id: 'appointment-wish', icon: 'calendar', guestAllowed: true, signIn: false },
  { id: 'check-in', icon: 'ticket', guestAllowed: true, signIn: false },
  { id: 'documents-followup', icon: 'permit', guestAllowed: true, signIn: false },
];

export function listServices(disabled: readonly ServiceId[]): ServiceEntry[] {
  return menu.map((s) => ({
    id: s.id,
    icon: s.icon,
    guestAllowed: s.guestAllowed,
    signIn: s.signIn,
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
