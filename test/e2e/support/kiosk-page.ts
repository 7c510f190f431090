import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { defaultAuthorityFacts } from '../../../core/authority.ts';
import { projectRoot } from '../../support/kiosk-process.ts';

type Texts = Record<string, unknown>;

/** The visitor UI's texts in one language, read from its translation file, so tests select by what a visitor sees. */
const authorityTexts = {
  serviceCentrePhone: defaultAuthorityFacts.serviceCentre.phone,
  phoneExample: defaultAuthorityFacts.phoneExample,
  registerCourt: defaultAuthorityFacts.registerCourt,
  portalName: defaultAuthorityFacts.portal.name,
  portalUrl: defaultAuthorityFacts.portal.url,
};

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
 * Checks the screen shown with axe-core (keeping serious and critical findings) and, with a
 * folder and `KIOSK_SCREENSHOTS=1`, saves a screenshot named `<prefix>-<width>x<height>-<screen>.png`.
 */
export async function checkScreen(
  page: Page,
  screen: string,
  screenshots: string | undefined,
  prefix: string,
): Promise<AxeFinding> {
  // Legacy mode runs axe in the page itself: the kiosk has no frames, and the default mode opens
  // a second page per check to merge frame results. Only violations are reported in detail.
  const result = await new AxeBuilder({ page: page as never })
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'] })
    .analyze();
  if (screenshots && screenshotsWanted()) {
    const size = page.viewportSize();
    await page.screenshot({
      path: join(screenshots, `${prefix}-${size?.width}x${size?.height}-${screen}.png`),
      fullPage: true,
    });
  }
  return {
    screen,
    violations: result.violations
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

  async tap(target: Locator): Promise<void> {
    await target.tap();
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
    await group
      .getByRole('radio', { name: this.t(`${base}.fields.${field}.options.${option}`), exact: true })
      .tap();
  }

  async tick(base: string, field: string): Promise<void> {
    await this.page
      .getByRole('checkbox', { name: this.t(`${base}.fields.${field}.label`), exact: true })
      .tap();
  }

  /** Opens a field, types its value on the on-screen keyboard, and closes the keyboard. */
  async type(base: string, field: string, value: string): Promise<void> {
    await this.typeInto(this.t(`${base}.fields.${field}.label`), value);
  }

  /** The same for a field named by its visible label. */
  async typeInto(label: string, value: string): Promise<void> {
    await this.page.getByRole('textbox', { name: label, exact: true }).tap();
    const keyboard = this.page.getByRole('group', { name: this.t('keyboard.group'), exact: true });
    await keyboard.waitFor();
    if (this.typing === 'keys') await this.pressKeys(keyboard, value);
    else for (const char of value) await this.key(keyboard, char);
    await keyboard.getByRole('button', { name: this.t('keyboard.done'), exact: true }).tap();
  }

  /** Types a date (YYYY-MM-DD) on the date pad, as DD MM YYYY. */
  async date(base: string, field: string, iso: string): Promise<void> {
    const [year, month, day] = iso.split('-');
    await this.type(base, field, `${day}${month}${year}`);
  }

  private async key(keyboard: Locator, char: string): Promise<void> {
    if (char === ' ')
      return keyboard.getByRole('button', { name: this.t('keyboard.space'), exact: true }).tap();
    if (await this.tryKey(keyboard, char)) return;
    // Not on this page (a Latin name on the Arabic keyboard, say): switch to the Latin page.
    const latin = keyboard.getByRole('button', { name: this.t('keyboard.latin'), exact: true });
    if ((await latin.count()) > 0) {
      await latin.tap();
      if (await this.tryKey(keyboard, char)) return;
    }
    throw new Error(`no key for "${char}"`);
  }

  /** Taps the key for `char` on the page shown, with Shift for a capital; false when it has none. */
  private async tryKey(keyboard: Locator, char: string): Promise<boolean> {
    const direct = keyboard.getByRole('button', { name: char, exact: true });
    if ((await direct.count()) > 0) {
      await direct.first().tap();
      return true;
    }
    const lower = char.toLowerCase();
    if (lower === char) {
      // A lower-case letter where a name field offers a capital: Shift off first.
      const upper = char.toUpperCase();
      if (upper === char || (await keyboard.getByRole('button', { name: upper, exact: true }).count()) === 0)
        return false;
      await keyboard.getByRole('button', { name: this.t('keyboard.shift'), exact: true }).tap();
      await keyboard.getByRole('button', { name: char, exact: true }).first().tap();
      return true;
    }
    const base = keyboard.getByRole('button', { name: lower, exact: true });
    if ((await base.count()) === 0) return false;
    await keyboard.getByRole('button', { name: this.t('keyboard.shift'), exact: true }).tap();
    const shifted = keyboard.getByRole('button', { name: char, exact: true });
    await ((await shifted.count()) > 0 ? shifted : base).first().tap();
    return true;
  }

  /**
   * Presses the keys for `value` on the keyboard shown, in the page: the same choice of keys as
   * `key` (Shift for a capital, the Latin page for a Latin letter on a native keyboard), each one
   * pressed as assistive technology does, and the page given a turn to render before the next.
   */
  private async pressKeys(keyboard: Locator, value: string): Promise<void> {
    const label = (key: string): string | null => {
      try {
        return this.t(key);
      } catch {
        return null;
      }
    };
    const labels = {
      space: label('keyboard.space'),
      shift: label('keyboard.shift'),
      latin: label('keyboard.latin'),
    };
    const missing = await keyboard.evaluate(
      async (group, { value, labels }) => {
        const nameOf = (b: HTMLButtonElement) => b.getAttribute('aria-label') ?? b.textContent ?? '';
        const find = (name: string | null) =>
          name === null ? undefined : [...group.querySelectorAll('button')].find((b) => nameOf(b) === name);
        // React renders the state a press changed (Shift, page, cursor) before the next press.
        const press = async (button: HTMLButtonElement) => {
          button.click();
          await new Promise((resolve) => setTimeout(resolve, 0));
        };
        const tryKey = async (char: string): Promise<boolean> => {
          const direct = find(char);
          if (direct) {
            await press(direct);
            return true;
          }
          const lower = char.toLowerCase();
          const base = find(lower);
          const shift = find(labels.shift);
          if (lower === char || !base || !shift) return false;
          await press(shift);
          await press(find(char) ?? base);
          return true;
        };
        for (const char of value) {
          if (char === ' ') {
            const space = find(labels.space);
            if (!space) return char;
            await press(space);
            continue;
          }
          if (await tryKey(char)) continue;
          const latin = find(labels.latin);
          if (latin) {
            await press(latin);
            if (await tryKey(char)) continue;
          }
          return char;
        }
        return null;
      },
      { value, labels },
    );
    if (missing !== null) throw new Error(`no key for "${missing}"`);
  }

  /** From the attract screen through the language choice to the menu. */
  async toMenu(): Promise<void> {
    await this.page.getByRole('button', { name: /Beginnen/ }).tap();
    await this.page.getByRole('button', { name: this.t('meta.nativeName'), exact: true }).tap();
    await this.heading('menu.title');
  }

  /** The identify screen before an application: go on without a service account. */
  async continueAsGuest(): Promise<void> {
    await this.heading('identify.title');
    await this.button('identify.guest').tap();
  }

  /** One sign-in attempt on the identify screen (the name is typed only when given). */
  async signInWithAccount(accountName: string | null, password: string): Promise<void> {
    if (accountName !== null) {
      await this.heading('identify.title');
      await this.button('identify.signIn').tap();
      await this.typeInto(this.t('identify.accountName'), accountName);
    }
    await this.typeInto(this.t('identify.password'), password);
    await this.button('identify.submit').tap();
  }

  async next(): Promise<void> {
    await this.button('journey.next').tap();
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
