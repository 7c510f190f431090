import { z } from 'zod';

/**
 * Services are data: a definition lists the steps of a journey and the fields of each step, with
 * types, validation, conditions and which reader fills which field. One form engine renders and
 * checks them all, so a new service needs no new screen code. Texts are not here: the renderer
 * finds them under `services.<serviceId>.…` in the visitor's language.
 */

export const fieldTypeSchema = z.enum([
  'text',
  'name',
  'date',
  'phone',
  'email',
  'number',
  'money',
  'choice',
  'boolean',
  'country',
  'postcode',
  'tracking',
  /** A service account: the code from the QR on its confirmation letter, or typed. */
  'account',
  /** A certified photo provider's code (QR or DataMatrix), scanned or typed: format and age checked. */
  'photoCode',
]);

export const mrzFieldSchema = z.enum([
  'lastName',
  'firstNames',
  'birthDate',
  'nationality',
  'documentNumber',
  'expiryDate',
  'sex',
  'issuingState',
  'documentCode',
]);

export const conditionSchema = z.object({ field: z.string(), equals: z.union([z.string(), z.boolean()]) });

export const fieldSchema = z.object({
  id: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
  type: fieldTypeSchema,
  required: z.boolean(),
  /** For `choice`: the option ids (texts under `options.<id>`). */
  options: z.array(z.string()).optional(),
  maxLength: z.number().int().positive().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** For `date`: must it lie in the past (birth dates) or the future (arrival)? */
  dateRange: z.enum(['past', 'future', 'any']).optional(),
  /** Shown and checked only when another field has this value. */
  visibleIf: conditionSchema.optional(),
  /** A document read fills this field from the named MRZ field. */
  fillFrom: mrzFieldSchema.optional(),
  /** Personal data of a third person or sensitive: never echoed in a log (all fields are sealed anyway). */
  sensitive: z.boolean().optional(),
});

export const stepKindSchema = z.enum([
  'form',
  'acknowledge',
  'document',
  'checklist',
  'review',
  'declarations',
  /** The core checks what was entered against the portal and shows the outcome (activation). */
  'verification',
  /**
   * The core's honest assessment of the answers so far (fee, timeliness, a guarantor's income, the
   * photo): notes with codes and amounts (`assessment` in the state), never a decision.
   */
  'assessment',
]);

/**
 * A rule between two fields of a step: `notBefore`: `field` must not lie before `other` (dates,
 * amounts); `atMostDaysAfter`: the date `field` lies at most `days` days after the date `other`,
 * while `when` holds (a condition on any answer so far, e.g. "a visit of up to 90 days").
 */
export const stepCheckSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notBefore'), field: z.string(), other: z.string() }),
  z.object({
    kind: z.literal('atMostDaysAfter'),
    field: z.string(),
    other: z.string(),
    days: z.number().int().positive(),
    when: conditionSchema.optional(),
  }),
]);

/**
 * An answer that rules the service out at this terminal: the journey stops at the step and says
 * where to go instead (texts under `services.<id>.stops.<code>`); changing the answer goes on.
 */
export const stopRuleSchema = z.object({
  field: z.string(),
  equals: z.union([z.string(), z.boolean()]),
  code: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
});

export const stepSchema = z.object({
  id: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
  kind: stepKindSchema,
  fields: z.array(fieldSchema),
  checks: z.array(stepCheckSchema).optional(),
  /** `document` steps: reading a document is optional (typing is allowed). */
  readerOptional: z.boolean().optional(),
  /** `document` steps: only a reader (or a clerk, `staff.enterDocument`) fills the fields. */
  readerOnly: z.boolean().optional(),
  /** The step is part of the journey only while an earlier answer has this value (a child's representative). */
  showIf: conditionSchema.optional(),
  /** Answers of this step that end the journey here, with where to go instead. */
  stops: z.array(stopRuleSchema).optional(),
});

/** One comparison of a verification step (texts under `verification.checks.<id>`). */
export const verificationCheckSchema = z.object({
  id: z.enum(['name', 'birthDate', 'documentValid', 'notExpired']),
  ok: z.boolean(),
});

/** What a `verification` step found; filled in by the core, shown to the visitor and the clerk. */
export const verificationSchema = z.object({
  state: z.enum(['checking', 'done']),
  outcome: z
    .enum(['match', 'mismatch', 'account_not_found', 'ambiguous', 'offline', 'document_invalid'])
    .nullable(),
  /** The account found, as the portal shows it (display name, masked e-mail). */
  account: z.object({ displayName: z.string(), emailHint: z.string() }).nullable(),
  checks: z.array(verificationCheckSchema),
  /** How the document data came in: read from the MRZ, or typed by a clerk. */
  documentSource: z.enum(['mrz', 'clerk']).nullable(),
  /** The clerk's decision, once given. */
  decision: z.enum(['confirmed', 'refused']).nullable(),
});

/**
 * One statement of an assessment step, for the screen to say in the visitor's language
 * (`assessment.<code>`): amounts in euro cents, dates as `YYYY-MM-DD`, counts, and list items
 * that are codes too (`assessment.items.<item>`).
 */
export const assessmentNoteSchema = z.object({
  code: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
  tone: z.enum(['ok', 'info', 'warning', 'stop']),
  amounts: z.record(z.string(), z.number().int()).optional(),
  dates: z.record(z.string(), z.string()).optional(),
  counts: z.record(z.string(), z.number().int()).optional(),
  items: z.array(z.string()).optional(),
  /** The installation's own words, shown as they are (the photo station's place). */
  facts: z.record(z.string(), z.string().max(200)).optional(),
});

export const fieldValueSchema = z.union([z.string().max(2000), z.boolean(), z.null()]);
export const fieldValuesSchema = z.record(z.string().max(64), fieldValueSchema);

export const journeyStateSchema = z.object({
  serviceId: z.string(),
  steps: z.array(z.object({ id: z.string(), kind: stepKindSchema })),
  index: z.number().int().nonnegative(),
  step: stepSchema,
  /** Values of the current step's visible fields (review: of every visible field). */
  values: fieldValuesSchema,
  /** Values from earlier steps that this step's conditions depend on (so the UI shows the same fields). */
  context: fieldValuesSchema.optional(),
  /** For a `verification` step: what the core found. */
  verification: verificationSchema.optional(),
  /** For an `assessment` step: what the core estimates from the answers so far. */
  assessment: z.array(assessmentNoteSchema).optional(),
  /** An answer rules the service out here: the stop's code (`services.<id>.stops.<code>`). */
  stop: z.string().optional(),
  /** Field id → validation code (`validation.<code>` in the locale files). */
  errors: z.record(z.string(), z.string()),
  /**
   * For a `document` step whose fields hold an expired document: it holds the step until a clerk
   * accepts it (`staff.acceptDocument`), and stays noted with the data after that.
   */
  document: z.object({ expired: z.literal(true), accepted: z.boolean() }).optional(),
  /** For a `checklist` step: what to bring for these answers, the list the receipt prints. */
  checklist: z.array(z.string()).optional(),
  /**
   * Whom the journey's texts address, when the service words them by an answer (`child`: a parent
   * applies for a child, so "your details" become "the child's details"): the i18next context of
   * the step titles and texts, which fall back to the plain text where no variant exists.
   */
  wording: z
    .string()
    .regex(/^[a-z][a-zA-Z0-9]*$/)
    .optional(),
  /** For the review step: every step with its visible fields and values, for edit links. */
  summary: z
    .array(
      z.object({
        stepId: z.string(),
        fields: z.array(z.object({ id: z.string(), type: fieldTypeSchema, value: fieldValueSchema })),
      }),
    )
    .optional(),
});

export type FieldType = z.output<typeof fieldTypeSchema>;
export type FieldDefinition = z.output<typeof fieldSchema>;
export type StepDefinition = z.output<typeof stepSchema>;
export type StepKind = z.output<typeof stepKindSchema>;
export type StepCheck = z.output<typeof stepCheckSchema>;
export type FieldValue = z.output<typeof fieldValueSchema>;
export type FieldValues = z.output<typeof fieldValuesSchema>;
export type JourneyState = z.output<typeof journeyStateSchema>;
export type Verification = z.output<typeof verificationSchema>;
export type VerificationCheck = z.output<typeof verificationCheckSchema>;
export type MrzField = z.output<typeof mrzFieldSchema>;
export type AssessmentNote = z.output<typeof assessmentNoteSchema>;
export type StopRule = z.output<typeof stopRuleSchema>;
