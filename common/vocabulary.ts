/**
 * The words every layer uses for the same things, written once: the UI's contract (api/), the
 * kiosk (core/), the portal protocol (sync/protocol) and the portal name services, languages,
 * roles and printer states by these values.
 */

/**
 * The kiosk's services (its catalogue, core/catalogue.ts). A site's configuration names services
 * by these ids; a terminal ignores an id it does not know, so a portal may announce a service
 * before every terminal has it.
 */
export const serviceIds = [
  'account-activation',
  'commitment-private',
  'commitment-company',
  'residence-permit',
  'application-status',
  'callback-request',
  'information',
  'appointment-wish',
  'check-in',
  'documents-followup',
] as const;
export type ServiceId = (typeof serviceIds)[number];

/** The visitor languages the kiosk ships texts for, in the order a site usually offers them. */
export const visitorLanguages = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'] as const;
export type VisitorLanguage = (typeof visitorLanguages)[number];

/** Who signs in at a terminal: a counter clerk or an administrator. */
export const staffRoles = ['staff', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** A printer's status as its spooler reports it. */
export const printerStatuses = ['ready', 'out_of_paper', 'offline', 'error', 'unknown'] as const;
export type PrinterStatus = (typeof printerStatuses)[number];

/** What a terminal tells of its printer (screens, heartbeat, metrics): a status, or none configured. */
export const printerStates = [...printerStatuses, 'none'] as const;
export type PrinterStateName = (typeof printerStates)[number];

/**
 * Error codes of the UI/host contract that a UI translates (`errors.<code>` in the renderer's
 * locale files). The message that travels with a code is for logs and administrators, never
 * shown to a visitor as is.
 */
export const errorCodes = {
  badRequest: 'api.bad_request',
  unknownCall: 'api.unknown_call',
  internal: 'api.internal',
  transport: 'api.transport',
  noSession: 'session.none',
  languageNotOffered: 'session.language_not_offered',
} as const;
