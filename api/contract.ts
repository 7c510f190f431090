import { z } from 'zod';
import { readerPlacements } from '../common/reader-placement.ts';
import { printerStates, serviceIds } from '../common/vocabulary.ts';
import { documentCalls } from './documents.ts';
import { fieldValuesSchema, journeyStateSchema } from './forms.ts';
import type { CallNameFromList } from './names.ts';
import {
  a11yChecklistSchema,
  adminReadSchema,
  adminSignInSchema,
  adminStatusSchema,
  manualDocumentSchema,
  refuseReasonSchema,
  staffEndReasonSchema,
  staffRoleSchema,
  staffSessionSchema,
  staffSignInSchema,
} from './staff.ts';

/**
 * The KioskApi contract: every call between the touchscreen UI and its host, defined once.
 * Both transports (Electron IPC and the web host's WebSocket) are generated from these tables,
 * and the host parses every input with its schema before a handler sees it.
 */

export const languageCodeSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'a BCP 47 language tag');

export const sessionInfoSchema = z.object({
  id: z.string(),
  language: languageCodeSchema,
  startedAt: z.string(),
  /** Seconds of inactivity after which the session ends and is wiped. */
  idleTimeoutSeconds: z.number().int().positive(),
  /** Seconds before the end at which the UI shows its countdown warning. */
  idleWarningSeconds: z.number().int().nonnegative(),
});

export const serviceIdSchema = z.enum(serviceIds);

export const serviceEntrySchema = z.object({
  id: serviceIdSchema,
  icon: z.string(),
  /** Offered at this terminal, or why not (the UI then says where to go instead). */
  availability: z.enum(['offered', 'not-built', 'switched-off']),
  guestAllowed: z.boolean(),
  /** Visitors may sign in with their service account first (the application is filed under it). */
  signIn: z.boolean(),
});

export const readerStatusSchema = z.object({
  id: z.string(),
  kind: z.enum(['document', 'barcode']),
  name: z.string(),
  connected: z.boolean(),
  simulated: z.boolean(),
});

/** A read the renderer's keystroke listener recognised (readers the OS keeps as a keyboard). */
export const wedgeReadSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('mrz'),
    lines: z
      .array(z.string().regex(/^[A-Z0-9<]{30,44}$/))
      .min(2)
      .max(3),
  }),
  z.object({ kind: z.literal('barcode'), symbology: z.string().max(32), text: z.string().min(1).max(4096) }),
]);

export const systemStatusSchema = z.object({
  terminal: z.object({ id: z.string().nullable(), location: z.string() }),
  portal: z.object({ url: z.string(), reachable: z.boolean(), checkedAt: z.string() }),
  readers: z.array(readerStatusSchema),
  printer: z.object({
    name: z.string().nullable(),
    state: z.enum(printerStates),
  }),
  languages: z.array(languageCodeSchema),
  defaultLanguage: languageCodeSchema,
  /** False until the terminal is enrolled with the portal: the UI shows the enrolment screen. */
  enrolled: z.boolean(),
  /** Why visitors are not served (a code for the administrator), or null; the UI shows out of service. */
  outOfService: z.string().nullable(),
  /** Where the document reader sits on this terminal (installation configuration). */
  readerPlacement: z.enum(readerPlacements),
  /** The renderer listens for reader keystrokes (readers the OS keeps as a keyboard). */
  wedge: z
    .object({ mode: z.enum(['mrz', 'barcode']), layout: z.enum(['en-US', 'de-DE']), maxKeyGapMs: z.number() })
    .nullable(),
  /** The city's facts the screens quote, from the installation's configuration (never from texts). */
  authority: z.object({
    serviceCentrePhone: z.string(),
    phoneExample: z.string(),
    registerCourt: z.string(),
    portalName: z.string(),
    portalUrl: z.string(),
    /** The privacy notice's facts (Art. 13/14 GDPR): controller, officer, supervisory authority, retention. */
    controllerName: z.string(),
    controllerAddress: z.string(),
    stateDataProtectionLaw: z.string(),
    dpoName: z.string(),
    dpoAddress: z.string(),
    dpoPhone: z.string(),
    supervisoryName: z.string(),
    supervisoryAddress: z.string(),
    supervisoryUrl: z.string(),
    retentionYearsMovedAway: z.string(),
    retentionYearsNaturalised: z.string(),
    terminalRetentionHours: z.string(),
  }),
});

export const readKindSchema = z.enum(['mrz', 'barcode']);

/** A document as the terminal read it: fields and verdicts, never the raw MRZ lines. */
export const mrzDocumentSchema = z.object({
  valid: z.boolean(),
  format: z.enum(['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB', 'FRENCH_ID']).nullable(),
  documentCode: z.string().nullable(),
  issuingState: z.string().nullable(),
  documentNumber: z.string().nullable(),
  nationality: z.string().nullable(),
  birthDate: z.string().nullable(),
  expiryDate: z.string().nullable(),
  sex: z.enum(['M', 'F', 'X', '<']).nullable(),
  lastName: z.string().nullable(),
  firstNames: z.string().nullable(),
  /** Codes a UI translates (`mrz.<code>`), e.g. a failed check digit or an expired document. */
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
  /** Fields whose check digit holds with exactly one typical OCR correction: staff may confirm it. */
  suggestions: z.array(z.object({ field: z.string(), value: z.string() })),
});

export const deviceReadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mrz'), readerId: z.string(), document: mrzDocumentSchema }),
  z.object({
    kind: z.literal('barcode'),
    readerId: z.string(),
    symbology: z.string(),
    text: z.string(),
  }),
  z.object({ kind: z.literal('error'), readerId: z.string(), code: z.string() }),
]);

export const trackingStatusSchema = z.enum([
  'queued',
  'received',
  'in_review',
  'accepted',
  'rejected',
  'decided',
  'submitted',
  'documents_missing',
  'invitation_sent',
  'card_ordered',
  'card_ready',
  'closed',
  'documents_received',
]);

/**
 * A status answer (a case or a Service-Center ticket) in the visitor's language, made by the core:
 * the screen shows it and the printed status paper carries the same words.
 */
export const statusViewSchema = z.object({
  title: z.string(),
  referenceLabel: z.string(),
  reference: z.string(),
  headline: z.string(),
  /** When the case reached its status, written out ("Status as of 10 November 2026"). */
  since: z.string().nullable(),
  sections: z.array(z.object({ heading: z.string(), items: z.array(z.string()) })),
  notes: z.array(z.string()),
  nextHeading: z.string(),
  next: z.string(),
});

/** Why a status answer cannot be shown: no portal, too many lookups, an answer that failed its check. */
export const statusUnavailableSchema = z.enum(['offline', 'rate_limited', 'unverified', 'refused']);

const printOutcomeSchema = z.object({
  state: z.enum(['printed', 'failed', 'no_printer']),
  code: z.string().optional(),
});

/** What the visitor gets when a journey ends: a receipt, or the answer to a status lookup. */
export const journeyResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('receipt'),
    serviceId: serviceIdSchema,
    trackingNumber: z.string(),
    createdAt: z.string(),
    /** Still waiting in the terminal's queue (offline): the receipt says so. */
    queued: z.boolean(),
    print: z.object({ state: z.enum(['printed', 'failed', 'no_printer']), code: z.string().optional() }),
    /** The text of the receipt's QR code, to show on screen when printing failed. */
    qr: z.string(),
  }),
  z.object({
    kind: z.literal('information'),
    /** The topic chosen (an option of the information service). */
    topic: z.string(),
    print: z.object({ state: z.enum(['printed', 'failed', 'no_printer']), code: z.string().optional() }),
    /** What to bring, in the visitor's language: the list the printed sheet carries. */
    checklist: z.array(z.string()),
  }),
  z.object({
    kind: z.literal('activation'),
    activatedAt: z.string(),
    print: z.object({ state: z.enum(['printed', 'failed', 'no_printer']), code: z.string().optional() }),
  }),
  z.object({ kind: z.literal('activation_refused'), reason: refuseReasonSchema }),
  z.object({
    kind: z.literal('status'),
    /** What the visitor looked up: a tracking number or a case reference. */
    trackingNumber: z.string(),
    status: trackingStatusSchema.nullable(),
    /** The portal could not be asked: the screen says so plainly. */
    offline: z.boolean(),
    updatedAt: z.string().nullable(),
    /** Why there is no answer when `offline` (else null). */
    unavailable: statusUnavailableSchema.nullable(),
    /** The answer in the visitor's language, printable (`status.print`); null when nothing was found. */
    view: statusViewSchema.nullable(),
    /** Documents missing: the service that takes them at this terminal, where it is offered. */
    handInService: serviceIdSchema.nullable(),
  }),
  z.object({
    kind: z.literal('ticket'),
    ticketNumber: z.string(),
    /** Made just now (the appointment wish), or looked up. */
    created: z.boolean(),
    view: statusViewSchema,
    /** The ticket printed when it was made; null for a looked-up ticket (printed on request). */
    print: printOutcomeSchema.nullable(),
    /** A queue ticket: the address of its phone page, shown as a QR code; else null. */
    followUrl: z.string().nullable(),
  }),
]);

const empty = z.object({}).strict();

/** A visitor signed in with their service account: what the screen may show of it. */
export const signedInAccountSchema = z.object({ displayName: z.string(), emailHint: z.string() });

export const calls = {
  'session.start': {
    input: z.object({ language: languageCodeSchema.optional() }).strict(),
    output: sessionInfoSchema,
  },
  'session.end': {
    input: z.object({ reason: z.enum(['visitor', 'staff']).default('visitor') }).strict(),
    output: z.object({ ended: z.boolean() }),
  },
  'session.touch': { input: empty, output: z.object({ remainingSeconds: z.number() }) },
  'session.setLanguage': {
    input: z.object({ language: languageCodeSchema }).strict(),
    output: sessionInfoSchema,
  },
  'session.current': { input: empty, output: sessionInfoSchema.nullable() },
  /** Slow mode: longer idle times for this session (a visitor who needs more time). */
  'session.setSlowMode': { input: z.object({ slow: z.boolean() }).strict(), output: sessionInfoSchema },
  'catalogue.list': { input: empty, output: z.array(serviceEntrySchema) },
  'system.status': { input: empty, output: systemStatusSchema },
  /** The current step wants reads of these kinds; reads arrive as `device.read` events until cancelled. */
  'reader.expect': {
    input: z.object({ kinds: z.array(readKindSchema).min(1).max(2) }).strict(),
    output: z.object({ readers: z.array(readerStatusSchema) }),
  },
  'reader.cancel': { input: empty, output: z.object({ cancelled: z.boolean() }) },
  /** A read recognised by the renderer's keystroke listener; treated like a read from a HID reader. */
  'reader.wedge': { input: wedgeReadSchema, output: z.object({ accepted: z.boolean() }) },
  /** The visitor asks for a member of staff (the counter is alerted through the monitoring). */
  'staff.call': { input: empty, output: z.object({ called: z.boolean() }) },
  'journey.start': { input: z.object({ serviceId: serviceIdSchema }).strict(), output: journeyStateSchema },
  'journey.current': { input: empty, output: journeyStateSchema.nullable() },
  /** Hands in the current step's values; the answer is the next step, or the same one with errors. */
  'journey.step': { input: z.object({ values: fieldValuesSchema }).strict(), output: journeyStateSchema },
  'journey.back': { input: empty, output: journeyStateSchema },
  'journey.goto': { input: z.object({ stepId: z.string().max(64) }).strict(), output: journeyStateSchema },
  'journey.cancel': { input: empty, output: z.object({ cancelled: z.boolean() }) },
  'journey.submit': { input: empty, output: journeyResultSchema },
  ...documentCalls,
  /** Prints the status answer on screen (a case's status or a ticket) in the session's language. */
  'status.print': { input: empty, output: printOutcomeSchema },

  // ---- visitors with a service account: sign in for this session (else they continue as guests) ----
  'account.signIn': {
    input: z
      .object({ accountName: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) })
      .strict(),
    /** Signed in, or a one-time code went to the account's phone (`account.confirmCode`). */
    output: z.union([
      signedInAccountSchema,
      z.object({ secondFactor: z.literal('mtan'), phoneHint: z.string() }),
    ]),
  },
  /** The one-time code the visitor typed, completing the sign-in. */
  'account.confirmCode': {
    input: z.object({ code: z.string().regex(/^[0-9]{4,10}$/) }).strict(),
    output: signedInAccountSchema,
  },
  'account.signOut': { input: empty, output: z.object({ signedOut: z.boolean() }) },
  'account.current': { input: empty, output: signedInAccountSchema.nullable() },

  // ---- counter staff: on top of the visitor session on screen, and only that one ----
  /** The next barcode read is a staff badge: it stays in the core (`staff.badgeRead` says it came). */
  'staff.awaitBadge': { input: empty, output: z.object({ waiting: z.boolean() }) },
  'staff.signIn': { input: staffSignInSchema, output: staffSessionSchema },
  'staff.signOut': { input: empty, output: z.object({ signedOut: z.boolean() }) },
  /** The clerk or administrator is working on the screen: their idle time starts again. */
  'staff.touch': { input: empty, output: z.object({ remainingSeconds: z.number() }) },
  'staff.current': { input: empty, output: staffSessionSchema.nullable() },
  /** The clerk gives the visitor more time (three times the idle time, this session only). */
  'staff.extendTimeout': { input: empty, output: sessionInfoSchema },
  /** Prints the last receipt of this visitor session again. */
  'staff.reprint': {
    input: empty,
    output: z.object({ state: z.enum(['printed', 'failed', 'no_printer', 'nothing_to_print']) }),
  },
  /** The clerk types the document data when the reader cannot read them (document step only). */
  'staff.enterDocument': { input: manualDocumentSchema, output: journeyStateSchema },
  /** The clerk saw the expired document on the document step and lets the visitor go on with it. */
  'staff.acceptDocument': { input: empty, output: journeyStateSchema },
  /** The clerk's decision on an account activation, after checking the person in front of them. */
  'staff.decideActivation': {
    input: z.discriminatedUnion('decision', [
      z.object({ decision: z.literal('confirm') }).strict(),
      z.object({ decision: z.literal('refuse'), reason: refuseReasonSchema }).strict(),
    ]),
    output: journeyResultSchema,
  },

  // ---- administrators: a separate sign-in, bound to no visitor session ----
  'admin.signIn': { input: adminSignInSchema, output: staffSessionSchema },
  'admin.status': { input: empty, output: adminStatusSchema },
  /** Show reads on the reader screen (as summaries) until switched off or signed out. */
  'admin.watchReads': {
    input: z.object({ on: z.boolean() }).strict(),
    output: z.object({ on: z.boolean() }),
  },
  'admin.syncNow': {
    input: empty,
    output: z.object({ delivered: z.number().int(), pending: z.number().int() }),
  },
  'admin.printTest': {
    input: empty,
    output: z.object({ state: z.enum(['printed', 'failed', 'no_printer']), code: z.string().optional() }),
  },
  /** Writes the audit log and the terminal's state (no personal data) to the export folder. */
  'admin.exportLog': { input: empty, output: z.object({ file: z.string(), entries: z.number().int() }) },
  'admin.recordChecklist': { input: a11yChecklistSchema, output: z.object({ recorded: z.boolean() }) },
  /** Deletes the queue, keys, enrolment and printed files; the terminal must be enrolled again. */
  'admin.wipe': {
    input: z.object({ confirm: z.literal('WIPE'), discardUndelivered: z.boolean() }).strict(),
    output: z.object({ wiped: z.boolean(), discarded: z.number().int() }),
  },

  // ---- first start: enrolment with the portal ----
  /** Before enrolment: the next barcode read is the enrolment code's QR (`enrolment.scanned`). */
  'enrolment.awaitCode': { input: empty, output: z.object({ waiting: z.boolean() }) },
  'enrolment.enrol': {
    input: z
      .object({
        /** Not needed: the portal is the installation's; another origin is refused. */
        portalUrl: z.string().url().max(300).optional(),
        code: z.string().trim().min(6).max(40),
      })
      .strict(),
    output: z.object({ terminalId: z.string() }),
  },
} as const satisfies Record<CallNameFromList, { input: z.ZodType; output: z.ZodType }>;

export const sessionEndReasonSchema = z.enum(['visitor', 'staff', 'timeout', 'shutdown']);

export const events = {
  'session.ended': z.object({ sessionId: z.string(), reason: sessionEndReasonSchema }),
  'session.idleWarning': z.object({ sessionId: z.string(), remainingSeconds: z.number() }),
  'device.connected': readerStatusSchema,
  'device.disconnected': z.object({ id: z.string() }),
  'device.read': deviceReadSchema,
  /** A staff badge was scanned and is held for the sign-in (its code stays in the core). */
  'staff.badgeRead': z.object({}),
  'staff.ended': z.object({ reason: staffEndReasonSchema, role: staffRoleSchema }),
  'admin.read': adminReadSchema,
  /** The terminal was enrolled, or wiped (from the screen or by the portal): the UI follows. */
  'terminal.enrolment': z.object({ enrolled: z.boolean() }),
  /** A barcode read on the enrolment screen: the QR with the one-time code (not personal data). */
  'enrolment.scanned': z.object({ text: z.string().max(4096) }),
  /** The journey changed without a call, e.g. a document read filled its fields. */
  'journey.updated': journeyStateSchema,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type ParsedInput<K extends CallName> = z.output<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
export type KioskEvent = { [K in EventName]: { name: K; payload: EventPayload<K> } }[EventName];

export type SessionInfo = z.output<typeof sessionInfoSchema>;
export type ServiceEntry = z.output<typeof serviceEntrySchema>;
export type ServiceId = z.output<typeof serviceIdSchema>;
export type SystemStatus = z.output<typeof systemStatusSchema>;
export type ReaderStatus = z.output<typeof readerStatusSchema>;
export type DeviceRead = z.output<typeof deviceReadSchema>;
export type MrzDocument = z.output<typeof mrzDocumentSchema>;
export type ReadKind = z.output<typeof readKindSchema>;
export type WedgeRead = z.output<typeof wedgeReadSchema>;
export type JourneyResult = z.output<typeof journeyResultSchema>;
export type TrackingStatus = z.output<typeof trackingStatusSchema>;
export type StatusView = z.output<typeof statusViewSchema>;
export type StatusUnavailable = z.output<typeof statusUnavailableSchema>;
export type SessionEndReason = z.output<typeof sessionEndReasonSchema>;

export const callNames = Object.freeze(Object.keys(calls) as CallName[]);
export const eventNames = Object.freeze(Object.keys(events) as EventName[]);

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
