import { randomUUID } from 'node:crypto';
import type { JourneyResult, MrzDocument } from '../../api/contract.ts';
import type { FieldValues, JourneyState, Verification } from '../../api/forms.ts';
import type { ManualDocument, RefuseReason } from '../../api/staff.ts';
import { berlinDate, type Clock } from '../../common/clock.ts';
import { type Envelope, err as fail, ok } from '../../common/result.ts';
import type { ActivateAccountRequest, PendingAccount } from '../../sync/protocol/index.ts';
import type { Journey } from '../forms/journey.ts';
import type { Logger } from '../log.ts';
import type { PrintOutcome } from '../printing/index.ts';
import type { SessionService } from '../session.ts';
import { namesMatch } from './names.ts';

/** How the portal answered a search for a pending account. */
export type AccountLookup =
  | { readonly kind: 'found'; readonly account: PendingAccount }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'offline' };

export type ActivationOutcome =
  | { readonly ok: true; readonly activatedAt: string }
  | { readonly ok: false; readonly code: string; readonly offline: boolean };

/** The portal's service accounts as activation needs them (adapted from sync's PortalClient). */
export interface AccountsPort {
  byId(accountId: string): Promise<AccountLookup>;
  byNameAndBirthDate(name: string, birthDate: string): Promise<AccountLookup>;
  /**
   * Seals issuing state and document number for the portal (see sync/sealing.ts `DocumentRef`);
   * undefined when the terminal holds no authority key.
   */
  sealReference(reference: { issuingState: string; documentNumber: string }): Promise<string | undefined>;
  /** The same key for every try of one activation: a repeat after a lost answer gets the first answer. */
  activate(
    accountId: string,
    request: ActivateAccountRequest,
    idempotencyKey: string,
  ): Promise<ActivationOutcome>;
}

/** The clerk who decides, as the staff service knows them (never their badge code). */
export interface Clerk {
  readonly badgeRef: string;
}

export interface ActivationDeps {
  readonly sessions: SessionService;
  readonly clock: Clock;
  readonly log: Logger;
  /** Null while the terminal is not enrolled with a portal. */
  readonly accounts: () => AccountsPort | null;
  /** Prints the activation confirmation in the visitor's language. */
  readonly printConfirmation: (input: {
    displayName: string;
    activatedAt: Date;
    language: string;
  }) => Promise<PrintOutcome>;
}

/** The identity document as the activation keeps it (memory only, in the visitor session). */
interface ActivationDocument {
  readonly lastName: string;
  readonly firstNames: string;
  readonly birthDate: string;
  readonly expiryDate: string;
  readonly documentNumber: string;
  readonly issuingState: string;
  readonly documentCode: string;
  /** Every check digit held (a typed document counts as checked by the clerk). */
  readonly checkDigitsValid: boolean;
  readonly truncated: boolean;
  readonly source: 'mrz' | 'clerk';
}

interface ActivationRecord {
  document: ActivationDocument | null;
  verification: Verification | null;
  /** What the verification was made from; a change starts a new one. */
  checkedKey: string | null;
  account: PendingAccount | null;
  /** The account the first step found, with the answers it was found by (asked once, not again). */
  found: { readonly key: string; readonly account: PendingAccount } | null;
  run: number;
  /** Made once per activation, so that the clerk's second try after a lost answer is recognised. */
  readonly idempotencyKey: string;
  /**
   * The sealed document reference of the first try, with what it was sealed from: a second try
   * sends the same bytes (sealing again would differ, and the portal would see another body).
   */
  sealedRef: { readonly from: string; readonly jwe: string } | null;
}

const recordKey = 'activation';
const serviceId = 'account-activation';

const emptyVerification = (state: Verification['state']): Verification => ({
  state,
  outcome: null,
  account: null,
  checks: [],
  documentSource: null,
  decision: null,
});

export const activationErrors = {
  notActive: 'activation.not_in_progress',
  notVerified: 'activation.not_verified',
  mismatch: 'activation.not_matching',
  decided: 'activation.already_decided',
  portal: 'activation.portal_unavailable',
  rejected: 'activation.rejected_by_portal',
  notDocumentStep: 'activation.not_at_document_step',
} as const;

/** How the visitor asked for the account on the first step, as one comparable key. */
function findKey(values: FieldValues): string {
  return values.findBy === 'letter'
    ? JSON.stringify(['letter', String(values.accountCode ?? '').toUpperCase()])
    : JSON.stringify(['name', values.accountName ?? '', values.accountBirthDate ?? '']);
}

/** The MRZ document code as the portal records it. */
function documentKind(code: string): ActivateAccountRequest['document']['kind'] {
  if (code.startsWith('P')) return 'passport';
  if (code === 'AR' || code === 'RP') return 'residence_permit';
  if (/^[IAC]/.test(code)) return 'id_card';
  return 'other';
}

/**
 * Activation of a service account at the terminal: keeps the document as read (or as a clerk
 * typed it), checks it against the account the portal finds (ICAO names, birth date, check
 * digits, expiry) when the visitor reaches the verification step, and carries out the clerk's
 * decision. The document number leaves the terminal only sealed to the authority's key; the
 * portal keeps an HMAC of it under its own key (sync/sealing.ts `DocumentRef`).
 */
export class ActivationService {
  readonly #deps: ActivationDeps;
  /** Called when a verification finished, so the journey's new state reaches the UI. */
  onChanged: () => void = () => {};

  constructor(deps: ActivationDeps) {
    this.#deps = deps;
  }

  #record(create: boolean): ActivationRecord | null {
    const data = this.#deps.sessions.data();
    if (!data) return null;
    let record = data.get(recordKey) as ActivationRecord | undefined;
    if (!record && create) {
      record = {
        document: null,
        verification: null,
        checkedKey: null,
        account: null,
        found: null,
        run: 0,
        idempotencyKey: randomUUID(),
        sealedRef: null,
      };
      data.set(recordKey, record);
    }
    return record ?? null;
  }

  /**
   * Asks the portal for the pending account right after the first step, before the visitor lays
   * a document on the reader: a code or name that finds nothing is corrected there. The account
   * found is kept for the verification, which then does not ask again for the same answers.
   */
  async findAccount(values: FieldValues): Promise<AccountLookup> {
    const record = this.#record(true);
    const key = findKey(values);
    if (record?.found?.key === key) return { kind: 'found', account: record.found.account };
    const lookup = await this.#lookUp(values);
    // The session may have ended while the portal answered: nothing is kept for the next one.
    if (lookup.kind === 'found' && record && this.#record(false) === record)
      record.found = { key, account: lookup.account };
    return lookup;
  }

  async #lookUp(values: FieldValues): Promise<AccountLookup> {
    const accounts = this.#deps.accounts();
    if (!accounts) return { kind: 'offline' };
    try {
      return values.findBy === 'letter'
        ? await accounts.byId(String(values.accountCode ?? ''))
        : await accounts.byNameAndBirthDate(
            String(values.accountName ?? ''),
            String(values.accountBirthDate ?? ''),
          );
    } catch {
      return { kind: 'offline' };
    }
  }

  /** A document read on the activation's document step. */
  documentRead(journey: Journey, document: MrzDocument): void {
    if (journey.serviceId !== serviceId || journey.currentStep.kind !== 'document') return;
    // A read whose check digits fail fills nothing on this reader-only step (Journey.fillFromDocument).
    if (!document.valid) return;
    const record = this.#record(true);
    if (!record) return;
    record.document = {
      lastName: document.lastName ?? '',
      firstNames: document.firstNames ?? '',
      birthDate: document.birthDate ?? '',
      expiryDate: document.expiryDate ?? '',
      documentNumber: document.documentNumber ?? '',
      issuingState: document.issuingState ?? '',
      documentCode: document.documentCode ?? '',
      checkDigitsValid: document.valid,
      truncated: document.warnings.includes('mrz.name_truncated'),
      source: 'mrz',
    };
  }

  /** A clerk typed the document data (the reader failed); fills the step as a read would. */
  enterManually(journey: Journey, entry: ManualDocument): Envelope<string[]> {
    const step = journey.currentStep;
    if (step.kind !== 'document') return fail(activationErrors.notDocumentStep, 'not at a document step');
    const document: MrzDocument = {
      valid: true,
      format: null,
      documentCode: entry.documentCode,
      issuingState: entry.issuingState,
      documentNumber: entry.documentNumber,
      nationality: entry.nationality,
      birthDate: entry.birthDate,
      expiryDate: entry.expiryDate,
      sex: null,
      lastName: entry.lastName.toUpperCase(),
      firstNames: entry.firstNames.toUpperCase(),
      errors: [],
      warnings: [],
      suggestions: [],
    };
    const filled = journey.fillFromDocument(document);
    if (journey.serviceId === serviceId) {
      this.documentRead(journey, document);
      const record = this.#record(false);
      if (record?.document) record.document = { ...record.document, source: 'clerk' };
    }
    return ok(filled);
  }

  /** Adds the verification to the state of the activation's verification step. */
  decorate(journey: Journey, state: JourneyState): JourneyState {
    if (journey.serviceId !== serviceId || state.step.kind !== 'verification') return state;
    return { ...state, verification: this.#record(false)?.verification ?? emptyVerification('checking') };
  }

  /** On the verification step: starts a check unless one was made from the same data. */
  prepare(journey: Journey): void {
    if (journey.serviceId !== serviceId || journey.currentStep.kind !== 'verification') return;
    const record = this.#record(true);
    if (!record) return;
    const values = journey.values();
    const key = JSON.stringify([values, record.document]);
    if (record.checkedKey === key && record.verification) return;
    record.checkedKey = key;
    record.account = null;
    // A newer check makes an older one's late answer void.
    const run = ++record.run;
    // Known at once (the account the first step found): the answer to this step carries it, so
    // no "checking" answer can arrive after the finished check's update.
    const settled = this.#verify(record, values, null);
    if (settled) {
      record.verification = settled;
      this.onChanged();
      return;
    }
    record.verification = emptyVerification('checking');
    void this.#lookUp(values).then((lookup) => {
      // A newer check started, or the session ended, while this one was waiting for the portal.
      if (this.#record(false) !== record || record.run !== run) return;
      record.verification = this.#verify(record, values, lookup);
      this.onChanged();
    });
  }

  /**
   * Compares the document with the account: with the portal's answer `lookup`, or with the
   * account the first step found for these answers. Null while the portal must still be asked.
   */
  #verify(record: ActivationRecord, values: FieldValues, lookup: AccountLookup): Verification;
  #verify(record: ActivationRecord, values: FieldValues, lookup: null): Verification | null;
  #verify(record: ActivationRecord, values: FieldValues, lookup: AccountLookup | null): Verification | null {
    const document = record.document;
    const done = (outcome: Verification['outcome'], rest: Partial<Verification> = {}): Verification => ({
      ...emptyVerification('done'),
      outcome,
      documentSource: document?.source ?? null,
      ...rest,
    });
    if (!this.#deps.accounts()) return done('offline');
    if (!document) return done('document_invalid');
    const found = record.found?.key === findKey(values) ? record.found.account : null;
    const known: AccountLookup | null = lookup ?? (found ? { kind: 'found', account: found } : null);
    if (!known) return null;
    if (known.kind !== 'found') return done(known.kind === 'not_found' ? 'account_not_found' : known.kind);
    const account = known.account;
    record.account = account;
    const today = berlinDate(this.#deps.clock.now());
    const checks: Verification['checks'] = [
      { id: 'name', ok: namesMatch(document, account) },
      { id: 'birthDate', ok: document.birthDate === account.birthDate },
      { id: 'documentValid', ok: document.checkDigitsValid },
      { id: 'notExpired', ok: document.expiryDate !== '' && document.expiryDate >= today },
    ];
    const outcome = !document.checkDigitsValid
      ? 'document_invalid'
      : checks.every((c) => c.ok)
        ? 'match'
        : 'mismatch';
    return done(outcome, {
      account: { displayName: account.displayName, emailHint: account.emailHint },
      checks,
    });
  }

  /**
   * The clerk's decision. Confirming is possible only when every check held; the portal then
   * activates the account and the visitor gets a printed confirmation. Refusing ends the
   * activation with the reason (shown to the visitor, audited by the caller).
   */
  async decide(
    journey: Journey | null,
    clerk: Clerk,
    decision: { decision: 'confirm' } | { decision: 'refuse'; reason: RefuseReason },
  ): Promise<Envelope<JourneyResult>> {
    const record = this.#record(false);
    const session = this.#deps.sessions.current();
    if (!journey || journey.serviceId !== serviceId || !record || !session)
      return fail(activationErrors.notActive, 'no account activation in progress');
    const verification = record.verification;
    if (verification?.state !== 'done')
      return fail(activationErrors.notVerified, 'the check has not finished');
    if (verification.decision !== null) return fail(activationErrors.decided, 'already decided');
    if (decision.decision === 'refuse') {
      record.verification = { ...verification, decision: 'refused' };
      return ok({ kind: 'activation_refused', reason: decision.reason });
    }
    const { account, document } = record;
    if (verification.outcome !== 'match' || !account || !document)
      return fail(activationErrors.mismatch, 'the document does not match the account');
    const accounts = this.#deps.accounts();
    if (!accounts) return fail(activationErrors.portal, 'the terminal is not enrolled');
    const from = `${document.issuingState}:${document.documentNumber}`;
    if (record.sealedRef?.from !== from) {
      const jwe = await accounts.sealReference({
        issuingState: document.issuingState,
        documentNumber: document.documentNumber,
      });
      if (jwe === undefined) {
        this.#deps.log.warn('activation.failed', { code: 'activation.no_authority_key' });
        return fail(activationErrors.portal, 'the authority key is not available; try again');
      }
      record.sealedRef = { from, jwe };
    }
    const outcome = await accounts.activate(
      account.accountId,
      {
        clerk: { staffId: `badge-${clerk.badgeRef}`, method: 'badge+pin' },
        document: {
          kind: documentKind(document.documentCode),
          checkedBy: document.source === 'mrz' ? 'mrz' : 'visual',
          documentRef: record.sealedRef.jwe,
        },
      },
      record.idempotencyKey,
    );
    if (!outcome.ok) {
      this.#deps.log.warn('activation.failed', { code: outcome.code });
      return fail(
        outcome.offline ? activationErrors.portal : activationErrors.rejected,
        outcome.offline ? 'the portal cannot be reached; try again' : 'the portal refused the activation',
      );
    }
    record.verification = { ...verification, decision: 'confirmed' };
    const print = await this.#deps.printConfirmation({
      displayName: account.displayName,
      activatedAt: new Date(outcome.activatedAt),
      language: session.language,
    });
    journey.forget();
    return ok({ kind: 'activation', activatedAt: outcome.activatedAt, print });
  }
}
