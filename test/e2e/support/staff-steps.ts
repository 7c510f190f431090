import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { badgeHash } from '../../../common/badge.ts';
import { createArgon2Hasher } from '../../../core/staff/index.ts';
import { projectRoot } from '../../support/kiosk-process.ts';
import { type AxeFinding, checkScreen } from './kiosk-page.ts';
import { tapText, touch } from './touch.ts';

/**
 * Steps of the authority's employees at the terminal, on top of a page that shows the kiosk: the
 * clerk's overlay (sign-in with a scanned or typed badge and a PIN, the desk's actions, the
 * activation decision), the administrators' screens and the enrolment screen. Everything is
 * selected by role and accessible name in the staff texts (renderer/locales/staff), and every
 * screen it passes can be checked with axe-core.
 */

type Texts = Record<string, unknown>;
export type StaffText = (key: string, vars?: Record<string, string | number>) => string;

/** The staff screens' texts in German or English, with i18next's `_one`/`_other` plural keys. */
export function staffTexts(language: 'de' | 'en'): StaffText {
  const file = JSON.parse(
    readFileSync(join(projectRoot, 'renderer', 'locales', 'staff', `${language}.json`), 'utf8'),
  ) as Texts;
  const plural = new Intl.PluralRules(language);
  const lookup = (key: string): unknown => {
    let node: unknown = file;
    for (const part of key.split('.')) node = (node as Texts | undefined)?.[part];
    return node;
  };
  return (key, vars = {}) => {
    const count = vars.count;
    const node =
      typeof count === 'number' ? (lookup(`${key}_${plural.select(count)}`) ?? lookup(key)) : lookup(key);
    if (typeof node !== 'string') throw new Error(`no staff text ${key} in ${language}`);
    return node.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(vars[name] ?? ''));
  };
}

/** A staff or administrator record for the kiosk configuration, hashed as `kiosk hash-pin` would. */
export interface StaffPerson {
  readonly name: string;
  readonly role: 'staff' | 'admin';
  readonly badge: string;
  readonly secret: string;
}

/**
 * The `staff` section of a kiosk configuration for these people: keyed badge hashes under a fresh
 * secret and argon2id hashes at the OWASP cost (the terminal refuses records hashed below it).
 */
export async function staffConfig(people: readonly StaffPerson[], secretHex: string) {
  const secret = Uint8Array.from(Buffer.from(secretHex, 'hex'));
  const hasher = createArgon2Hasher();
  return {
    badgeSecret: secretHex,
    records: await Promise.all(
      people.map(async (p) => ({
        name: p.name,
        role: p.role,
        badgeHash: badgeHash(secret, p.badge),
        pinHash: await hasher.hash(p.secret),
      })),
    ),
  };
}

/** The launch token of a kiosk URL (`#token=…`), for the simulator routes. */
function tokenOf(kioskUrl: string): string {
  return new URL(kioskUrl).hash.replace(/^#token=/, '');
}

async function simulate(kioskUrl: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(new URL(path, kioskUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(kioskUrl)}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
}

/** A code read by the simulated barcode scanner (real report bytes through the real driver). */
export function scanBarcode(kioskUrl: string, text: string, symbology = 'code128'): Promise<void> {
  return simulate(kioskUrl, '/simulator/barcode', { text, symbology });
}

/** A document laid on the simulated document reader. */
export function presentDocument(kioskUrl: string, lines: readonly string[]): Promise<void> {
  return simulate(kioskUrl, '/simulator/document', { lines });
}

export class StaffSteps {
  readonly t: StaffText;
  readonly axe: AxeFinding[] = [];

  constructor(
    readonly page: Page,
    readonly kioskUrl: string,
    readonly language: 'de' | 'en' = 'de',
    private readonly screenshots?: string,
  ) {
    this.t = staffTexts(language);
  }

  button(key: string, vars?: Record<string, string | number>): Locator {
    return this.page.getByRole('button', { name: this.t(key, vars), exact: true });
  }

  heading(key: string): Locator {
    return this.page.getByRole('heading', { name: this.t(key), exact: true });
  }

  text(key: string, vars?: Record<string, string | number>): Locator {
    return this.page.getByText(this.t(key, vars), { exact: true });
  }

  /** The clerk's overlay (a dialog named "staff area"). */
  get overlay(): Locator {
    return this.page.getByRole('dialog', { name: this.t('overlay.title'), exact: true });
  }

  get alert(): Locator {
    return this.page.locator('.staff-problem[role="alert"]');
  }

  /** Checks the screen with axe-core, keeps serious and critical findings, and takes a screenshot. */
  async check(screen: string): Promise<void> {
    this.axe.push(await checkScreen(this.page, screen, this.screenshots, `staff-${this.language}`));
  }

  // ---- typing on the on-screen keyboard ----

  /** Opens a field by its label, types `value` key by key, and closes the keyboard. */
  async type(label: string, value: string, options: { clear?: number } = {}): Promise<void> {
    await touch(this.page, this.page.getByRole('textbox', { name: label, exact: true }));
    const keyboard = this.keyboard();
    await keyboard.waitFor();
    const backspace = keyboard.getByRole('button', { name: this.t('keyboard.backspace'), exact: true });
    for (let i = 0; i < (options.clear ?? 0); i += 1) await touch(this.page, backspace);
    // Each character a touch on its key, or on a key of the field's own extra keys (`:` and `/`).
    await tapText(
      this.page,
      keyboard,
      value,
      { space: this.t('keyboard.space'), shift: this.t('keyboard.shift'), latin: null },
      '.staff-extra-keys',
    );
    await touch(this.page, keyboard.getByRole('button', { name: this.t('keyboard.done'), exact: true }));
  }

  keyboard(): Locator {
    return this.page.getByRole('group', { name: this.t('keyboard.group'), exact: true });
  }

  // ---- sign-in (clerk and administrator) ----

  /** Waits until the terminal waits for a badge scan, then scans it with the simulated scanner. */
  async scanBadge(badge: string): Promise<void> {
    await this.text('signIn.scanBadge').waitFor();
    await scanBarcode(this.kioskUrl, badge);
    await this.text('signIn.badgeRead').waitFor();
  }

  /**
   * One sign-in attempt: the badge scanned (or typed, `typed: true`), the PIN or password typed
   * on the on-screen keyboard, then "sign in". Does not wait for the outcome.
   */
  async attemptSignIn(
    role: 'staff' | 'admin',
    who: { badge: string; secret: string },
    options: { typed?: boolean } = {},
  ): Promise<void> {
    if (options.typed) {
      await touch(this.page, this.button('signIn.typeBadge'));
      await this.type(this.t('signIn.badge'), who.badge);
      // A typed badge is masked like the PIN: the visitor beside the clerk reads only dots (D10).
      const shown = await this.page
        .getByRole('textbox', { name: this.t('signIn.badge'), exact: true })
        .textContent();
      if ((shown ?? '').trim() !== '•'.repeat([...who.badge].length))
        throw new Error(`the typed badge shows as "${shown}", not masked`);
    } else {
      await this.scanBadge(who.badge);
    }
    await this.type(this.t(role === 'staff' ? 'signIn.pin' : 'signIn.password'), who.secret);
    await touch(this.page, this.button('signIn.submit'));
  }

  /** Opens the clerk's overlay from the visitor's bar (the key icon). */
  async openOverlay(): Promise<void> {
    await touch(this.page, this.button('control.open'));
    await this.overlay.waitFor();
    await this.heading('signIn.staffTitle').waitFor();
  }

  /** Opens the overlay and signs the clerk in; resolves on the desk ("Signed in: <name>"). */
  async signInClerk(
    clerk: { name: string; badge: string; secret: string },
    options: { typed?: boolean } = {},
  ) {
    await this.openOverlay();
    await this.attemptSignIn('staff', clerk, options);
    await this.text('desk.signedInAs', { name: clerk.name }).waitFor();
  }

  async signOutClerk(): Promise<void> {
    await touch(this.page, this.overlay.getByRole('button', { name: this.t('desk.signOut'), exact: true }));
    await this.overlay.waitFor({ state: 'detached' });
  }

  // ---- the desk ----

  /** Taps a desk action and returns the notice it shows. */
  async deskAction(key: 'desk.extend' | 'desk.reprint'): Promise<string> {
    await touch(this.page, this.overlay.getByRole('button', { name: this.t(key), exact: true }));
    const notice = this.overlay.locator('.staff-notice[role="status"]');
    await notice.waitFor();
    return (await notice.textContent()) ?? '';
  }

  /** "End and delete the session", confirmed: the terminal goes back to its start screen. */
  async endVisitorSession(): Promise<void> {
    await touch(this.page, this.overlay.getByRole('button', { name: this.t('desk.end'), exact: true }));
    await this.heading('desk.endTitle').waitFor();
    await touch(this.page, this.button('desk.endConfirm'));
    await this.overlay.waitFor({ state: 'detached' });
  }

  /**
   * The activation decision on the verification step: confirm (after ticking the in-person
   * check) or refuse with a reason id of `refuseReasonSchema`. The overlay closes and the visitor
   * sees the result screen.
   */
  async decide(decision: { confirm: true } | { refuse: string }): Promise<void> {
    await this.heading('decision.title').waitFor();
    if ('confirm' in decision) {
      await touch(
        this.page,
        this.page.getByRole('checkbox', { name: this.t('decision.inPerson'), exact: true }),
      );
      await touch(this.page, this.button('decision.confirm'));
    } else {
      await touch(
        this.page,
        this.page.getByRole('radio', { name: this.t(`refuseReasons.${decision.refuse}`), exact: true }),
      );
      await touch(this.page, this.button('decision.refuse'));
    }
    await this.overlay.waitFor({ state: 'detached' });
  }

  /** Types the document data on a document step (the reader failed), with the reason. */
  async enterDocument(data: {
    reason: string;
    documentCode: string;
    issuingState: string;
    documentNumber: string;
    lastName: string;
    firstNames: string;
    /** DDMMYYYY as typed on the date pad. */
    birthDate: string;
    expiryDate: string;
    nationality: string;
  }): Promise<void> {
    await touch(this.page, this.button('desk.manual'));
    await this.heading('manual.title').waitFor();
    await touch(
      this.page,
      this.page.getByRole('radio', { name: this.t(`manualReasons.${data.reason}`), exact: true }),
    );
    await touch(
      this.page,
      this.page.getByRole('radio', { name: this.t(`documentCodes.${data.documentCode}`), exact: true }),
    );
    for (const field of [
      'issuingState',
      'documentNumber',
      'lastName',
      'firstNames',
      'birthDate',
      'expiryDate',
      'nationality',
    ] as const) {
      if (data[field] !== '') await this.type(this.t(`manual.fields.${field}`), data[field]);
    }
    await touch(this.page, this.button('manual.submit'));
    await this.text('manual.entered').waitFor();
  }

  // ---- administration ----

  /** From the attract screen: "Verwaltung", then badge and password. Resolves on the overview. */
  async signInAdmin(admin: { name: string; badge: string; secret: string }): Promise<void> {
    await touch(this.page, this.button('admin.entry'));
    await this.heading('signIn.adminTitle').waitFor();
    await this.attemptSignIn('admin', admin);
    await this.text('desk.signedInAs', { name: admin.name }).waitFor();
    await this.heading('admin.sections.overview').waitFor();
  }

  async adminSection(id: string): Promise<void> {
    await touch(
      this.page,
      this.page
        .getByRole('navigation', { name: this.t('admin.navigation'), exact: true })
        .getByRole('button', { name: this.t(`admin.sections.${id}`), exact: true }),
    );
    await this.page.getByRole('heading', { name: this.t(`admin.sections.${id}`), level: 2 }).waitFor();
  }

  /** The value shown next to a label in a list of facts (overview, queue). */
  async fact(labelKey: string): Promise<string> {
    const row = this.page.locator('.staff-facts > div').filter({
      has: this.page.getByText(this.t(labelKey), { exact: true }),
    });
    // As read: without the soft hyphens the screen puts into long words.
    return ((await row.locator('dd').textContent()) ?? '').replace(/\u00ad/g, '').trim();
  }

  // ---- enrolment ----

  /**
   * From the out-of-service screen: the key control, then the administrator's badge and password.
   * Resolves on the enrolment form (the installation's portal shown, the code field).
   */
  async openEnrolment(admin: { name: string; badge: string; secret: string }): Promise<void> {
    await touch(this.page, this.button('outOfService.entry'));
    await this.heading('enrolment.title').waitFor();
    await this.attemptSignIn('admin', admin);
    await this.text('desk.signedInAs', { name: admin.name }).waitFor();
    await this.text('enrolment.portal').waitFor();
  }

  /** On the enrolment form: the code typed, then "enrol". */
  async enrol(code: string): Promise<void> {
    await this.heading('enrolment.title').waitFor();
    const field = this.page.getByRole('textbox', { name: this.t('enrolment.code'), exact: true });
    const typed = ((await field.textContent()) ?? '').length;
    await this.type(this.t('enrolment.code'), code, { clear: typed });
    await touch(this.page, this.button('enrolment.submit'));
  }
}
