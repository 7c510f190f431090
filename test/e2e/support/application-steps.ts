import { readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import type { KioskProcess } from '../../support/kiosk-process.ts';
import { KioskPage, type Typing } from './kiosk-page.ts';
import { touch } from './touch.ts';

/**
 * Steps the application journeys share on top of the page model (kiosk-page.ts): one visit from
 * the first tap on the attract screen to the end screen, with the time it took, the checks of an
 * error shown next to its field, the simulated document reader, the left-behind scan and the look
 * into the reference portal that the terminal delivered to.
 */

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/** An ISO date `days` from today (negative: in the past). */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Every file below a folder, as raw bytes (the SQLite file, its WAL, printed receipts, keys). */
function filesBelow(dir: string): Buffer[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [readFileSync(path)];
  });
}

/**
 * What of `secrets` is still in the page, its storage or any file of the terminal's data folder
 * (UTF-8 or UTF-16), after the session ended.
 */
export async function leftBehind(page: Page, dataDir: string, secrets: readonly string[]): Promise<string[]> {
  const dom = await page.content();
  const storage = await page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  );
  const files = filesBelow(dataDir);
  return secrets.filter(
    (s) =>
      dom.includes(s) ||
      storage.includes(s) ||
      files.some(
        (bytes) => bytes.includes(Buffer.from(s, 'utf8')) || bytes.includes(Buffer.from(s, 'utf16le')),
      ),
  );
}

/** What the reference portal holds for a tracking number once the terminal has delivered it. */
export interface PortalApplication {
  readonly state: string;
  readonly serviceId: string;
  readonly birthDate: string | null;
  readonly application: {
    readonly serviceId: string;
    readonly language: string;
    readonly applicant?: { readonly birthDate: string };
    /** The service account it is filed under, and how the visitor signed in. */
    readonly account?: {
      readonly accountId: string;
      readonly authentication: string;
      readonly assurance: string;
    };
    readonly values: Record<string, unknown>;
  };
}

/** The admin token the built-in reference portal of an end-to-end kiosk is started with. */
export const referencePortalAdminToken = 'e2e-reference-portal-admin-token';

/**
 * The last one-time sign-in code the built-in reference portal "sent" to an account's phone: its
 * reference sender keeps it, readable with the admin token (the kiosk process must have been
 * started with `KIOSK_REFERENCE_PORTAL_ADMIN_TOKEN` set to `referencePortalAdminToken`).
 */
export async function lastSignInCode(kiosk: KioskProcess, accountId: string): Promise<string> {
  const portalUrl = /^Reference portal \(demo data\): (\S+)$/m.exec(kiosk.stderr())?.[1];
  if (portalUrl === undefined) throw new Error('the kiosk did not start its reference portal');
  const response = await fetch(new URL(`/admin/v1/accounts/${accountId}/last-code-message`, portalUrl), {
    headers: { authorization: `Bearer ${referencePortalAdminToken}` },
  });
  if (response.status !== 200) throw new Error(`no sign-in code for ${accountId}: ${response.status}`);
  const { text } = (await response.json()) as { text: string };
  const [code] = /\b\d{6}\b/.exec(text) ?? [];
  if (code === undefined) throw new Error('no code in the message');
  return code;
}

/**
 * Waits until the built-in reference portal (its data folder lies beside the terminal's) has
 * opened and stored the submission with this tracking number, and returns what it stored. The
 * portal's own database is read, not the terminal's queue: the receipt's number must be the one
 * the authority received. It looks again each time the portal writes to its database (an
 * inotify event on the folder), not on a timer.
 */
export async function portalApplication(
  kiosk: KioskProcess,
  trackingNumber: string,
  timeoutMs = 30_000,
): Promise<PortalApplication> {
  const dir = `${kiosk.dataDir}-reference-portal`;
  const db = new Database(join(dir, 'portal.sqlite'), { readonly: true, fileMustExist: true });
  const query = db.prepare<
    [string],
    { state: string; service_id: string; birth_date: string | null; application: string }
  >(
    "SELECT state, service_id, birth_date, application FROM submissions WHERE tracking_number = ? AND state = 'delivered'",
  );
  const found = (): PortalApplication | null => {
    const row = query.get(trackingNumber);
    return row
      ? {
          state: row.state,
          serviceId: row.service_id,
          birthDate: row.birth_date,
          application: JSON.parse(row.application) as PortalApplication['application'],
        }
      : null;
  };
  const watcher = watch(dir);
  try {
    return await new Promise<PortalApplication>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`the portal has no delivered submission ${trackingNumber} after ${timeoutMs} ms`)),
        timeoutMs,
      );
      const look = () => {
        try {
          const application = found();
          if (!application) return;
          clearTimeout(timer);
          resolve(application);
        } catch (error) {
          clearTimeout(timer);
          reject(error);
        }
      };
      watcher.on('change', look);
      watcher.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      // Delivered before the watch began: found at once.
      look();
    });
  } finally {
    watcher.close();
    db.close();
  }
}

/**
 * The authority's summary PDF the reference portal filed with a delivered submission (its
 * `attachments` table holds what it opened), as bytes.
 */
export function portalSummaryPdf(kiosk: KioskProcess, trackingNumber: string): Uint8Array {
  const db = new Database(join(`${kiosk.dataDir}-reference-portal`, 'portal.sqlite'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const row = db
      .prepare<[string], { content: Buffer }>(
        "SELECT a.content FROM attachments a JOIN submissions s ON s.submission_id = a.submission_id WHERE s.tracking_number = ? AND a.media_type = 'application/pdf'",
      )
      .get(trackingNumber);
    if (!row) throw new Error(`the portal filed no summary for ${trackingNumber}`);
    return new Uint8Array(row.content);
  } finally {
    db.close();
  }
}

/**
 * One visitor's session in its own browser context, from the first tap on the attract screen.
 * Keeps how long the visit took, and how much of that was the test's own axe checks and
 * screenshots, so the visitor's time can be told apart.
 */
export class Visit {
  private checkingMs = 0;
  private receiptMs: number | null = null;

  private constructor(
    readonly v: KioskPage,
    private readonly kiosk: KioskProcess,
    private readonly startedAt: number,
  ) {}

  static async begin(
    browser: Browser,
    kiosk: KioskProcess,
    language: string,
    viewport: Viewport,
    screenshots: string,
    typing: Typing = 'taps',
  ): Promise<Visit> {
    const context = await browser.newContext({ viewport, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    // A failed visit leaves a picture of where it stopped, the page's errors, and no open context.
    onTestFinished(async ({ task }) => {
      if (task.result?.state === 'fail' && !page.isClosed()) {
        const name = `failed-${language}-${viewport.width}x${viewport.height}-${task.name.replace(/\W+/g, '-')}.png`;
        await page.screenshot({ path: join(screenshots, name) }).catch(() => undefined);
        console.log(`failed; screenshot ${name}; page errors: ${JSON.stringify(errors)}`);
      }
      await context.close();
    });
    const v = new KioskPage(page, language, screenshots, typing);
    await page.goto(kiosk.url);
    const visit = new Visit(v, kiosk, performance.now());
    await v.toMenu();
    return visit;
  }

  get page(): Page {
    return this.v.page;
  }

  /** axe-core and, when asked for, a screenshot of the screen shown (kept by the page model). */
  async check(screen: string): Promise<void> {
    const started = performance.now();
    await this.v.check(screen);
    this.checkingMs += performance.now() - started;
  }

  /** Taps the service's tile and goes on without a service account. */
  async openService(base: string): Promise<void> {
    await touch(this.page, this.page.getByRole('button', { name: this.v.t(`${base}.title`) }));
    await this.v.continueAsGuest();
  }

  /** Waits for a step's title; `wording` names the variant a service words by an answer (`child`). */
  async step(base: string, step: string, wording?: string): Promise<void> {
    await this.v.heading(`${base}.steps.${step}.title${wording ? `_${wording}` : ''}`);
  }

  /** On a document step: the visitor types the details instead of using the reader. */
  async typeInstead(): Promise<void> {
    await touch(this.page, this.v.button('journey.typeInstead'));
  }

  /** The visitor lays a document on the simulated reader: the real report bytes through the real driver. */
  async present(lines: readonly string[]): Promise<void> {
    const response = await fetch(new URL('/simulator/document', this.kiosk.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${new URL(this.kiosk.url).hash.slice(7)}`,
      },
      body: JSON.stringify({ lines }),
    });
    if (response.status !== 200) throw new Error(`the simulated reader answered ${response.status}`);
  }

  /**
   * The residence permit's steps of the federal form after the passport: birth, family status,
   * earlier stays, insurance and housing, then the questions on convictions and expulsions (both
   * answered "no"). Returns the values the authority must receive.
   */
  async federalFormSteps(
    base: string,
    birth: { place: string; country: string },
  ): Promise<Record<string, string>> {
    await this.step(base, 'background');
    await this.v.type(base, 'birthPlace', birth.place);
    await this.v.type(base, 'birthCountry', birth.country);
    await this.v.choose(base, 'maritalStatus', 'single');
    await this.v.choose(base, 'previousStays', 'no');
    await this.v.choose(base, 'healthInsurance', 'statutory');
    await this.v.choose(base, 'housing', 'rented');
    await this.check('permit-background');
    await this.v.next();
    await this.step(base, 'record');
    await this.v.choose(base, 'convictions', 'no');
    await this.v.choose(base, 'expulsions', 'no');
    await this.check('permit-record');
    await this.v.next();
    return {
      birthPlace: birth.place,
      birthCountry: birth.country,
      maritalStatus: 'single',
      previousStays: 'no',
      healthInsurance: 'statutory',
      housing: 'rented',
      convictions: 'no',
      expulsions: 'no',
    };
  }

  /** The visitor holds a code under the simulated barcode scanner (the real HID POS reports). */
  async scan(text: string, symbology = 'qr'): Promise<void> {
    const response = await fetch(new URL('/simulator/barcode', this.kiosk.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${new URL(this.kiosk.url).hash.slice(7)}`,
      },
      body: JSON.stringify({ text, symbology }),
    });
    if (response.status !== 200) throw new Error(`the simulated scanner answered ${response.status}`);
  }

  /** A value shown in a field or on the review, as the visitor reads it. */
  async shows(text: string): Promise<void> {
    await this.page.getByText(text, { exact: true }).first().waitFor();
  }

  textbox(base: string, field: string): Locator {
    return this.page.getByRole('textbox', { name: this.v.t(`${base}.fields.${field}.label`), exact: true });
  }

  group(base: string, field: string): Locator {
    return this.page.getByRole('group', { name: this.v.t(`${base}.fields.${field}.label`), exact: true });
  }

  checkbox(base: string, field: string): Locator {
    return this.page.getByRole('checkbox', { name: this.v.t(`${base}.fields.${field}.label`), exact: true });
  }

  /**
   * The control is marked invalid, its description is the translated error text, and that text
   * sits right after the control, directly beneath it on screen: next to its field, not at the
   * top of the page. Returns a description of what is wrong, or null.
   */
  async errorNextTo(control: Locator, code: string): Promise<string | null> {
    const expected = this.v.t(`validation.${code}`);
    await control.and(this.page.locator('[aria-invalid="true"]')).waitFor();
    return control.evaluate((el, want) => {
      const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      // As read: without the soft hyphens the screen puts into long words.
      const error = ids
        .map((id) => document.getElementById(id))
        .find((e) => e?.textContent?.replace(/\u00ad/g, '') === want);
      if (!error) return `no description "${want}" (described by: ${ids.join(' ') || 'nothing'})`;
      const frame = error.previousElementSibling;
      if (!frame || !(frame.contains(el) || el.contains(frame)))
        return 'the error text does not follow its control';
      const f = frame.getBoundingClientRect();
      const e = error.getBoundingClientRect();
      const gap = e.top - f.bottom;
      const overlap = Math.min(f.right, e.right) - Math.max(f.left, e.left);
      if (gap < -1 || gap > 48 || overlap <= 0)
        return `the error text is not beneath its control (gap ${gap}px, overlap ${overlap}px)`;
      return null;
    }, expected);
  }

  /** Sends the declarations and waits for the receipt; returns the tracking number shown. */
  async submitForReceipt(): Promise<string> {
    await touch(this.page, this.v.button('journey.submit'));
    await this.v.heading('result.receiptTitle');
    const tracking = (await this.page.locator('.tracking-number').textContent()) ?? '';
    await this.page.getByText(this.v.t('result.print.printed')).waitFor();
    this.receiptMs = performance.now() - this.startedAt;
    return tracking;
  }

  /** From the first tap to the receipt: in all, and without the test's own checks. */
  timing(): { totalMs: number; visitorMs: number } {
    if (this.receiptMs === null) throw new Error('no receipt yet');
    return {
      totalMs: Math.round(this.receiptMs),
      visitorMs: Math.round(this.receiptMs - this.checkingMs),
    };
  }

  /** "Done" on the receipt: the end screen says the data are deleted. */
  async finish(screen: string): Promise<void> {
    await touch(this.page, this.v.button('result.done'));
    await this.v.heading('end.title');
    await this.page.getByText(this.v.t('end.deleted')).waitFor();
    await this.check(screen);
  }

  /** What of `secrets` is left behind after the session ended (see `leftBehind`). */
  leftBehind(secrets: readonly string[]): Promise<string[]> {
    return leftBehind(this.page, this.kiosk.dataDir, secrets);
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}
