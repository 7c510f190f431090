import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { authorityTexts as authorityTextsOf, defaultAuthorityFacts } from '../../../core/authority.ts';
import { DEFAULT_RETENTION_MS } from '../../../sync/outbox.ts';
import { projectRoot } from '../../support/kiosk-process.ts';
import { type KeyNames, pressText, tapText, touch } from './touch.ts';

type Texts = Record<string, unknown>;

/** The visitor UI's texts in one language, read from its translation file, so tests select by what a visitor sees. */
const authorityTexts = authorityTextsOf(defaultAuthorityFacts, DEFAULT_RETENTION_MS / 3_600_000);

export function texts(language: string): (key: string, vars?: Record<string, string | number>) => string {
  const file = JSON.parse(
    readFileSync(join(projectRoot, 'renderer', 'locales', `${language}.json`), 'utf8'),
  ) as Texts;
  return (key, vars = {}) => {
    let node: unknown = file;
    for (const part of key.split('.')) node = (node as Texts | undefined)?.[part];
    if (typeof node !== 'string') throw new Error(`no text ${key} in ${language}`);
    // The installation's facts the kiosk quotes ({{phoneExample}} …): the demo configuration's.
    const all: Record<string, string | number> = { ...authorityTexts, ...vars };
    return node.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(all[name] ?? ''));
  };
}

export interface AxeFinding {
  readonly screen: string;
  readonly violations: readonly { id: string; impact: string | null | undefined; nodes: number }[];
}

/** Screenshots of every checked screen are taken only when asked for: `KIOSK_SCREENSHOTS=1`. */
export const screenshotsWanted = (): boolean => process.env.KIOSK_SCREENSHOTS === '1';

/**
 * How a visitor's text reaches a field. `taps`: every character is a touch on its key, with Shift
 * and the Latin page as a visitor uses them. `keys`: the same keys of the same on-screen keyboard
 * are pressed the way assistive technology presses a button (a click without a pointer), all in
 * one round trip to the page; the field still opens by a tap and the keyboard still closes with a
 * tap on Done. Each journey types by taps in one language and orientation (`tapsIn`); the others
 * use `keys`, which takes a fraction of the time.
 */
export type Typing = 'taps' | 'keys';

export function tapsIn(
  where: { readonly language: string; readonly width: number; readonly height: number },
  language: string,
  viewport: { readonly width: number; readonly height: number },
): Typing {
  return where.language === language && where.width === viewport.width && where.height === viewport.height
    ? 'taps'
    : 'keys';
}

/**
 * axe-core as @axe-core/playwright runs it (the same copy of the library), put into a page once:
 * the kiosk is one page for all its screens, so the 0.5 MB script is compiled once per page
 * rather than twice per check, as the builder's legacy mode does.
 */
const axeSource = (() => {
  const require = createRequire(import.meta.url);
  const builder = require.resolve('@axe-core/playwright');
  return readFileSync(require.resolve('axe-core/axe.min.js', { paths: [dirname(builder)] }), 'utf8');
})();

interface AxeViolation {
  readonly id: string;
  readonly impact?: string | null;
  readonly nodes: readonly unknown[];
}

/** Runs axe in the page (injecting it first if this document has none yet); its violations. */
async function axeViolations(page: Page): Promise<readonly AxeViolation[]> {
  const run = () =>
    page.evaluate(async () => {
      const axe = (window as { axe?: { run(context: Document, options: object): Promise<unknown> } }).axe;
      if (!axe) return null;
      const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
        violations: { id: string; impact?: string | null; nodes: unknown[] }[];
      };
      return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, nodes: v.nodes }));
    });
  const first = await run();
  if (first) return first;
  await page.evaluate(`${axeSource}\n;axe.configure({ allowedOrigins: ['<same_origin>'] });`);
  const again = await run();
  if (!again) throw new Error('axe-core did not load into the page');
  return again;
}

/**
 * Checks the screen shown with axe-core (keeping serious and critical findings) and, with a
 * folder and `KIOSK_SCREENSHOTS=1`, saves a screenshot named `<prefix>-<width>x<height>-<screen>.png`.
 */
export async function checkScreen(
  page: Page,
  screen: string,
  screenshots: string | undefined,
  prefix: string,
): Promise<AxeFinding> {
  // axe runs in the page itself: the kiosk has no frames. Only violations are reported in detail.
  const violations = await axeViolations(page);
  if (screenshots && screenshotsWanted()) {
    const size = page.viewportSize();
    await page.screenshot({
      path: join(screenshots, `${prefix}-${size?.width}x${size?.height}-${screen}.png`),
      fullPage: true,
    });
  }
  return {
    screen,
    violations: violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
  };
}

/**
 * A visitor at the terminal: taps buttons, options and keys by their accessible names in the
 * visitor's language, and records an axe-core check of every screen it passes.
 */
export class KioskPage {
  readonly t: ReturnType<typeof texts>;
  readonly axe: AxeFinding[] = [];

  constructor(
    readonly page: Page,
    readonly language: string,
    private readonly screenshots?: string,
    readonly typing: Typing = 'taps',
  ) {
    this.t = texts(language);
  }

  button(key: string, vars?: Record<string, string | number>): Locator {
    return this.page.getByRole('button', { name: this.t(key, vars), exact: true });
  }

  /** A touch on the control (see touch.ts). */
  async tap(target: Locator): Promise<void> {
    await touch(this.page, target);
  }

  async heading(key: string): Promise<void> {
    await this.page.getByRole('heading', { name: this.t(key), exact: true }).waitFor();
  }

  /** Checks the screen with axe-core and keeps its serious and critical findings. */
  async check(screen: string): Promise<void> {
    this.axe.push(await checkScreen(this.page, screen, this.screenshots, this.language));
  }

  async choose(base: string, field: string, option: string): Promise<void> {
    const group = this.page.getByRole('group', {
      name: this.t(`${base}.fields.${field}.label`),
      exact: true,
    });
    await this.tap(
      group.getByRole('radio', { name: this.t(`${base}.fields.${field}.options.${option}`), exact: true }),
    );
  }

  async tick(base: string, field: string): Promise<void> {
    await this.tap(
      this.page.getByRole('checkbox', { name: this.t(`${base}.fields.${field}.label`), exact: true }),
    );
  }

  /** Opens a field, types its value on the on-screen keyboard, and closes the keyboard. */
  async type(base: string, field: string, value: string): Promise<void> {
    await this.typeInto(this.t(`${base}.fields.${field}.label`), value);
  }

  /**
   * The same for a field named by its visible label: a touch on the field, the value typed as
   * `typing` says, a touch on Done.
   */
  async typeInto(label: string, value: string): Promise<void> {
    await this.tap(this.page.getByRole('textbox', { name: label, exact: true }));
    const keyboard = this.page.getByRole('group', { name: this.t('keyboard.group'), exact: true });
    if (this.typing === 'keys') {
      const missing = await pressText(keyboard, value, this.keyNames());
      if (missing !== null) throw new Error(`no key for "${missing}"`);
    } else await tapText(this.page, keyboard, value, this.keyNames());
    await this.tap(keyboard.getByRole('button', { name: this.t('keyboard.done'), exact: true }));
  }

  /** The names of the keyboard's space, Shift and Latin-page keys in this language. */
  private keyNames(): KeyNames {
    const label = (key: string): string | null => {
      try {
        return this.t(key);
      } catch {
        return null;
      }
    };
    return { space: label('keyboard.space'), shift: label('keyboard.shift'), latin: label('keyboard.latin') };
  }

  /** Types a date (YYYY-MM-DD) on the date pad, as DD MM YYYY. */
  async date(base: string, field: string, iso: string): Promise<void> {
    const [year, month, day] = iso.split('-');
    await this.type(base, field, `${day}${month}${year}`);
  }

  /** From the attract screen through the language choice to the menu. */
  async toMenu(): Promise<void> {
    await this.tap(this.page.getByRole('button', { name: /Beginnen/ }));
    await this.tap(this.page.getByRole('button', { name: this.t('meta.nativeName'), exact: true }));
    await this.heading('menu.title');
  }

  /** The identify screen before an application: go on without a service account. */
  async continueAsGuest(): Promise<void> {
    await this.heading('identify.title');
    await this.tap(this.button('identify.guest'));
  }

  /** One sign-in attempt on the identify screen (the name is typed only when given). */
  async signInWithAccount(accountName: string | null, password: string): Promise<void> {
    if (accountName !== null) {
      await this.heading('identify.title');
      await this.tap(this.button('identify.signIn'));
      await this.typeInto(this.t('identify.accountName'), accountName);
    }
    await this.typeInto(this.t('identify.password'), password);
    await this.tap(this.button('identify.submit'));
  }

  /** After a right password: the one-time code from the account's phone, typed on the digit pad. */
  async confirmSignInCode(code: string): Promise<void> {
    await this.heading('identify.code.title');
    await this.typeInto(this.t('identify.code.label'), code);
    await this.tap(this.button('identify.code.submit'));
  }

  async next(): Promise<void> {
    await this.tap(this.button('journey.next'));
  }
}

/** A visitor who opens the kiosk at `url` and goes to the menu in `language`. */
export async function visitorAtMenu(
  page: Page,
  url: string,
  language: string,
  screenshots?: string,
  typing: Typing = 'taps',
): Promise<KioskPage> {
  const visitor = new KioskPage(page, language, screenshots, typing);
  await page.goto(url);
  await visitor.toMenu();
  return visitor;
}
