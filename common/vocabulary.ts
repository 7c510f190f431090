/**
 * The words every layer shares, written once: the kiosk's services, the visitor languages it
 * ships texts for, staff roles, printer states and the error codes of the UI/host boundary. The
 * contract (`api/`), the portal protocol (`sync/protocol`), the configuration and the metrics
 * build their schemas and label lists from these.
 */

/**
 * The kiosk's service ids (its catalogue, core/catalogue.ts). The portal's configuration names
 * services by these ids; a terminal ignores an id it does not know, so a portal may announce a
 * service before every terminal has it.
 */
export const serviceIds = [
  'account-activation',
  'commitment-private',
  'commitment-company',
  'residence-permit',
  'application-status',
  'callback-request',
  'information',
] as const;
export type ServiceId = (typeof serviceIds)[number];

/** The visitor languages the kiosk ships texts for, in the order a site usually offers them. */
export const visitorLanguages = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar'] as const;
export type VisitorLanguage = (typeof visitorLanguages)[number];

export const staffRoles = ['staff', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** What the spooler says of a printer. */
export const printerStatuses = ['ready', 'out_of_paper', 'offline', 'error', 'unknown'] as const;
export type PrinterStatus = (typeof printerStatuses)[number];

/** The printer as the UI, the heartbeat and the metrics name it: a status, or `none` configured. */
export const printerStates = [...printerStatuses, 'none'] as const;
export type PrinterStateName = (typeof printerStates)[number];

/**
 * Error codes a UI translates (`errors.<code>` in the renderer's locale files). The message that
 * travels with a code is for logs and administrators, never shown to a visitor as is.
 */
export const errorCodes = {
  badRequest: 'api.bad_request',
  unknownCall: 'api.unknown_call',
  internal: 'api.internal',
  transport: 'api.transport',
  noSession: 'session.none',
  languageNotOffered: 'session.language_not_offered',
} as const;
