import type { Locator, Page } from 'playwright-core';

/**
 * A finger on the kiosk's screen, fast: one round trip to the page finds the point to touch (the
 * centre of the control, scrolled into view) and checks what a person would see there (visible,
 * enabled, nothing covering it), then one touch (touchstart/touchend: the browser's own hit test,
 * pointer events and the click that follows) lands on it. A touch waits for the click of the one
 * before, so every gesture reaches the page whole and in order. Playwright's `tap()` does the same
 * touch after waiting for the control to stand still for two animation frames, which made the
 * waiting most of a journey's time; here a control that is not ready yet is waited for frame by
 * frame, as long as it takes (up to `readyTimeoutMs`).
 */

const readyTimeoutMs = 10_000;

type Point = { readonly x: number; readonly y: number } | { readonly problem: string };

type TouchWindow = Window & { kioskTouchClick?: Promise<void> };

/** Touches the control `target` (exactly one element) at its centre. */
export async function touch(page: Page, target: Locator): Promise<void> {
  const point: Point = await target.evaluate(pointToTouch, readyTimeoutMs);
  if ('problem' in point) throw new Error(`cannot touch ${target}: ${point.problem}`);
  await page.touchscreen.tap(point.x, point.y);
}

/** Waits until the last touch's click has reached the page. */
export async function touched(page: Page): Promise<void> {
  await page.evaluate(() => (window as TouchWindow).kioskTouchClick);
}

/**
 * In the page: waits for the previous touch's click, then for `element` to be touchable, and
 * returns its centre; arms the wait for this touch's click.
 */
async function pointToTouch(element: Element, timeoutMs: number): Promise<Point> {
  const touchWindow = window as TouchWindow;
  await touchWindow.kioskTouchClick;
  const describe = (e: Element) => e.outerHTML.slice(0, 100);
  const check = (): Point => {
    if (!element.isConnected) return { problem: 'it left the page' };
    if (element.getAttribute('aria-disabled') === 'true' || (element as HTMLButtonElement).disabled)
      return { problem: 'it is disabled' };
    element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return { problem: 'it is not visible' };
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(hit === element || element.contains(hit)))
      return { problem: `it is covered by ${hit ? describe(hit) : 'nothing'}` };
    return { x, y };
  };
  const until = performance.now() + timeoutMs;
  let point = check();
  while ('problem' in point && performance.now() < until) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    point = check();
  }
  if ('problem' in point) return { problem: `${point.problem}: ${describe(element)}` };
  // A control may leave the page on pointer down (Done closes the keyboard): then no click
  // follows, and the lift of the finger and a frame end the gesture instead.
  touchWindow.kioskTouchClick = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 500);
    const end = () => {
      clearTimeout(timer);
      window.removeEventListener('click', end, { capture: true });
      window.removeEventListener('pointerup', lifted, { capture: true });
      resolve();
    };
    const lifted = () => requestAnimationFrame(() => end());
    window.addEventListener('click', end, { capture: true, once: true });
    window.addEventListener('pointerup', lifted, { capture: true, once: true });
  });
  return point;
}

/** Accessible names of the keyboard's keys that change what the others type (null: none). */
export interface KeyNames {
  readonly space: string | null;
  readonly shift: string | null;
  readonly latin: string | null;
}

type KeyPlan =
  | { readonly x: number; readonly y: number; readonly key: 'char' | 'shift' | 'latin' }
  | { readonly problem: string };

/**
 * Types `value` by taps on the on-screen keyboard `keyboard`, as a visitor's finger does: for each
 * character a touch on its key, with Shift or the Latin page touched first when the page shown
 * lacks it. `extraKeys` (a CSS selector) offers keys beside the keyboard.
 */
export async function tapText(
  page: Page,
  keyboard: Locator,
  value: string,
  names: KeyNames,
  extraKeys?: string,
): Promise<void> {
  for (const char of value) {
    let shifted = false;
    let latin = false;
    for (let step = 0; ; step += 1) {
      if (step > 3) throw new Error(`no key for "${char}"`);
      const plan: KeyPlan = await keyboard.evaluate(planKey, { char, names, shifted, latin, extraKeys });
      if ('problem' in plan) throw new Error(`cannot tap "${char}": ${plan.problem}`);
      await page.touchscreen.tap(plan.x, plan.y);
      if (plan.key === 'char') break;
      if (plan.key === 'shift') shifted = true;
      else {
        // The Latin page comes with its own Shift state.
        latin = true;
        shifted = false;
      }
    }
  }
  await touched(page);
}

/**
 * In the page: the key to touch next for `char` (an extra key, the character's key, Shift, or the
 * Latin page) and its centre, checked as `pointToTouch` checks a control.
 */
async function planKey(
  group: Element,
  input: { char: string; names: KeyNames; shifted: boolean; latin: boolean; extraKeys: string | undefined },
): Promise<KeyPlan> {
  const touchWindow = window as TouchWindow;
  await touchWindow.kioskTouchClick;
  const nameOf = (b: Element) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim();
  const keys = [
    ...(input.extraKeys ? [...document.querySelectorAll(`${input.extraKeys} button`)] : []),
    ...group.querySelectorAll('button'),
  ];
  const find = (name: string | null) => (name === null ? undefined : keys.find((b) => nameOf(b) === name));
  const { char, names } = input;
  let target: Element | undefined;
  let key: 'char' | 'shift' | 'latin' = 'char';
  if (char === ' ') target = find(names.space);
  else {
    target = find(char);
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    // Shift is on: the key may show its lower-case caption and still type the capital.
    if (!target && input.shifted) target = find(lower);
    if (!target && !input.shifted) {
      // A capital on a page of small letters, or a small letter where Shift shows capitals.
      const other = char === lower ? (upper !== char ? find(upper) : undefined) : find(lower);
      if (other) {
        target = find(names.shift);
        key = 'shift';
      }
    }
    if (!target && !input.latin) {
      // Not on this page (a Latin name on the Arabic keyboard, say): the Latin page.
      target = find(names.latin);
      key = 'latin';
    }
  }
  if (!target) return { problem: 'no key for it on the page shown' };
  if (target.getAttribute('aria-disabled') === 'true' || (target as HTMLButtonElement).disabled)
    return { problem: `the key "${nameOf(target)}" is disabled` };
  target.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  const box = target.getBoundingClientRect();
  const x = box.left + box.width / 2;
  const y = box.top + box.height / 2;
  const hit = document.elementFromPoint(x, y);
  if (!hit || !(hit === target || target.contains(hit)))
    return {
      problem: `the key "${nameOf(target)}" is covered by ${hit?.outerHTML.slice(0, 80) ?? 'nothing'}`,
    };
  // A key stays under the finger: its click always follows, and the keyboard ignores the click
  // of a gesture it already acted on, so the next key waits for it.
  touchWindow.kioskTouchClick = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 500);
    window.addEventListener(
      'click',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { capture: true, once: true },
    );
  });
  return { x, y, key };
}

/**
 * Presses the keys for `value` on the keyboard shown, in the page, the way assistive technology
 * presses a button (a click without a pointer): the same keys `tapText` touches (Shift for a
 * capital, the Latin page for a Latin letter on a native keyboard), all in one round trip, React
 * given a turn to render between presses. Returns the first character without a key, or null.
 */
export function pressText(keyboard: Locator, value: string, names: KeyNames): Promise<string | null> {
  return keyboard.evaluate(
    async (group, { value, names }) => {
      const nameOf = (b: HTMLButtonElement) => b.getAttribute('aria-label') ?? b.textContent ?? '';
      const find = (name: string | null) =>
        name === null ? undefined : [...group.querySelectorAll('button')].find((b) => nameOf(b) === name);
      // A macrotask without the 4 ms clamp of nested timers: React renders what a press changed.
      const channel = new MessageChannel();
      const turn = () =>
        new Promise<void>((resolve) => {
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(null);
        });
      const press = async (button: HTMLButtonElement) => {
        button.click();
        await turn();
      };
      const tryKey = async (char: string): Promise<boolean> => {
        const direct = find(char);
        if (direct) {
          await press(direct);
          return true;
        }
        // A capital on a page of small letters, or a small letter where Shift shows capitals.
        const lower = char.toLowerCase();
        const upper = char.toUpperCase();
        const other = char === lower ? (upper !== char ? find(upper) : undefined) : find(lower);
        const shift = find(names.shift);
        if (!other || !shift) return false;
        await press(shift);
        const key = find(char) ?? (char === lower ? undefined : other);
        if (!key) return false;
        await press(key);
        return true;
      };
      try {
        for (const char of value) {
          if (char === ' ') {
            const space = find(names.space);
            if (!space) return char;
            await press(space);
            continue;
          }
          if (await tryKey(char)) continue;
          const latin = find(names.latin);
          if (latin) {
            await press(latin);
            if (await tryKey(char)) continue;
          }
          return char;
        }
        return null;
      } finally {
        channel.port1.close();
      }
    },
    { value, names },
  );
}
