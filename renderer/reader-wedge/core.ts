/**
 * The keystroke side of a reader that the operating system keeps as a keyboard (Windows cannot
 * hand a keyboard to node-hid). Pure logic, fed with plain key records, so it is testable
 * without a DOM.
 *
 * A reader types far faster than a person. Every printable key that might start a reader burst is
 * held back (the DOM binding calls preventDefault in the capture phase, so nothing lands in a
 * focused field) until it is clear what it is:
 *  - `minBurstKeys` keys in a row, each within `maxKeyGapMs` of the one before: a reader. The held
 *    keys and all that follow go to the line assembler, none to the page. While a reader's line or
 *    document is unfinished, every key belongs to it, pauses included, until the window ends it.
 *  - a longer pause, a key that types nothing (Tab, arrows), a shortcut, or Enter too early: a
 *    person. The held characters are handed back once (`onReplay`) to be inserted into the field
 *    they were typed into, in order, and the current key passes through untouched.
 * Characters are decoded from `KeyboardEvent.code` with the configured layout, not from
 * `KeyboardEvent.key`, so the result does not depend on the layout the OS is set to.
 */
import {
  charForCode,
  isEnterCode,
  type KeyboardLayoutId,
  keyboardLayouts,
} from '../../api/keyboard-layouts.ts';
import { WedgeLines } from './lines.ts';
import type { ReaderMode, WedgeEvent, WedgeScheduler } from './types.ts';

/** What the wedge needs of a keydown event. */
export interface WedgeKey {
  readonly code: string;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  /** `getModifierState('AltGraph')`. */
  readonly altGraph?: boolean;
  readonly repeat?: boolean;
  readonly isComposing?: boolean;
  /** `KeyboardEvent.timeStamp` (ms, same clock as the scheduler's `now()`). */
  readonly timeStamp: number;
}

/** `hold`: prevent the default action and stop propagation; `pass`: leave the event alone. */
export type WedgeDecision = 'hold' | 'pass';

export interface ReaderWedgeOptions<T> {
  readonly layout: KeyboardLayoutId;
  readonly mode: ReaderMode;
  readonly scheduler: WedgeScheduler;
  readonly onEvent: (event: WedgeEvent) => void;
  /** Gives held-back characters of a person back, to be inserted where they were typed. */
  readonly onReplay: (target: T, text: string) => void;
  /** Longest pause between two keys of a reader burst (default 30 ms). */
  readonly maxKeyGapMs?: number;
  /** Keys in a row that make a burst a reader (default 4). */
  readonly minBurstKeys?: number;
  /** MRZ document window / partial line timeout (default 1500 ms). */
  readonly windowMs?: number;
  readonly deviceId?: string;
}

const modifierCodes = new Set([
  'ShiftLeft',
  'ShiftRight',
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'MetaLeft',
  'MetaRight',
  'CapsLock',
  'NumLock',
]);

interface Held<T> {
  readonly char: string;
  readonly target: T;
}

export class ReaderWedge<T> {
  readonly #o: ReaderWedgeOptions<T>;
  readonly #gap: number;
  readonly #minKeys: number;
  readonly #lines: WedgeLines;
  #state: 'idle' | 'suspect' | 'burst' = 'idle';
  #held: Held<T>[] = [];
  #lastKey = Number.NEGATIVE_INFINITY;
  #cancel: (() => void) | undefined;
  #disposed = false;

  constructor(options: ReaderWedgeOptions<T>) {
    this.#o = options;
    this.#gap = options.maxKeyGapMs ?? 30;
    this.#minKeys = Math.max(2, options.minBurstKeys ?? 4);
    this.#lines = new WedgeLines(
      options.mode,
      options.deviceId ?? 'keyboard-wedge',
      options.windowMs ?? 1500,
      options.scheduler,
      (e) => {
        if (!this.#disposed) options.onEvent(e);
      },
    );
  }

  /** 'idle', 'suspect' (keys held, undecided) or 'burst' (a reader is typing). */
  get state(): 'idle' | 'suspect' | 'burst' {
    return this.#state;
  }

  keydown(key: WedgeKey, target: T): WedgeDecision {
    if (this.#disposed || modifierCodes.has(key.code) || key.isComposing) return 'pass';
    const altgr = key.altGraph === true || (key.ctrlKey && key.altKey);
    const shortcut = key.metaKey || (!altgr && (key.ctrlKey || key.altKey));
    const enter = isEnterCode(key.code);
    const char =
      shortcut || enter
        ? undefined
        : charForCode(keyboardLayouts[this.#o.layout], key.code, { shift: key.shiftKey, altgr });
    const quick = key.timeStamp - this.#lastKey <= this.#gap;

    // A reader in the middle of a line or document keeps its keys, even after a pause longer than
    // the key gap (readers stall now and then); the assembler's window ends that.
    const continuing = this.#lines.pending;
    // A burst or a suspicion that the pause has ended (its timer may not have run yet).
    if (this.#state !== 'idle' && !quick && !continuing) this.#end();
    if (continuing && !shortcut) this.#state = 'burst';

    if (this.#state === 'burst') {
      this.#touch(key.timeStamp);
      if (shortcut) return 'pass';
      if (enter) this.#lines.enter();
      else if (char !== undefined) this.#lines.char(char);
      // Keys a reader sends that type nothing (Tab suffixes) are swallowed too.
      return 'hold';
    }

    if (this.#state === 'suspect') {
      if (shortcut || key.repeat || (char === undefined && !enter)) {
        this.#end();
        return 'pass';
      }
      if (enter) {
        if (this.#held.length + 1 >= this.#minKeys) {
          this.#confirm();
          this.#touch(key.timeStamp);
          this.#lines.enter();
          return 'hold';
        }
        // Enter after a few quick keys: a person (or a too-short code); the field gets it all.
        this.#end();
        return 'pass';
      }
      this.#held.push({ char: char as string, target });
      this.#touch(key.timeStamp);
      if (this.#held.length >= this.#minKeys) this.#confirm();
      return 'hold';
    }

    // Idle: a printable key might start a burst. Not Space: it activates a focused button, and
    // neither MRZs nor codes start with it.
    if (char === undefined || char === ' ' || key.repeat) return 'pass';
    this.#state = 'suspect';
    this.#held = [{ char, target }];
    this.#touch(key.timeStamp);
    return 'hold';
  }

  dispose(): void {
    this.#disposed = true;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#held = [];
    this.#state = 'idle';
    this.#lines.dispose();
  }

  #touch(timeStamp: number): void {
    this.#lastKey = timeStamp;
    this.#cancel?.();
    // The timer runs on the scheduler's clock; the pause is measured from now.
    this.#cancel = this.#o.scheduler.setTimer(this.#gap + 1, () => {
      this.#cancel = undefined;
      this.#end();
    });
  }

  #confirm(): void {
    this.#state = 'burst';
    for (const h of this.#held) this.#lines.char(h.char);
    this.#held = [];
  }

  /** The keys stopped: a suspicion was a person (give the keys back); a burst is over. */
  #end(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    if (this.#state === 'suspect') this.#replay();
    this.#state = 'idle';
    this.#held = [];
  }

  #replay(): void {
    // Consecutive characters typed into the same target go back in one piece.
    let run: Held<T>[] = [];
    const flush = (): void => {
      const first = run[0];
      if (first) this.#o.onReplay(first.target, run.map((h) => h.char).join(''));
      run = [];
    };
    for (const h of this.#held) {
      if (run[0] && run[0].target !== h.target) flush();
      run.push(h);
    }
    flush();
  }
}
