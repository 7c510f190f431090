/**
 * The DOM binding of the reader wedge: a capture-phase keydown listener on a target (window or
 * document) that holds reader keystrokes back from the page and re-inserts a person's keys into
 * the field they were typed into. `attachReaderWedge` returns the function that removes it all.
 */
import { ReaderWedge, type ReaderWedgeOptions, type WedgeKey } from './core.ts';
import type { WedgeScheduler } from './types.ts';

export type AttachOptions = Omit<ReaderWedgeOptions<EventTarget | null>, 'onReplay' | 'scheduler'> & {
  readonly scheduler?: WedgeScheduler;
};

const browserScheduler: WedgeScheduler = {
  now: () => performance.now(),
  setTimer(delayMs, fn) {
    const handle = setTimeout(fn, delayMs);
    return () => clearTimeout(handle);
  },
};

interface TextField {
  value: string;
  readonly selectionStart: number | null;
  readonly selectionEnd: number | null;
  readonly readOnly?: boolean;
  readonly disabled?: boolean;
  setRangeText(text: string, start: number, end: number, mode: 'end'): void;
  dispatchEvent(event: Event): boolean;
}

function isTextField(target: unknown): target is TextField {
  return (
    typeof target === 'object' &&
    target !== null &&
    'value' in target &&
    typeof (target as { setRangeText?: unknown }).setRangeText === 'function'
  );
}

/**
 * Inserts text at the caret of an input or textarea as typing would, and tells frameworks
 * (React listens to `input`) that the value changed.
 */
export function insertText(target: EventTarget | null, text: string): void {
  if (!isTextField(target) || target.readOnly || target.disabled) return;
  try {
    const start = target.selectionStart ?? target.value.length;
    const end = target.selectionEnd ?? start;
    target.setRangeText(text, start, end, 'end');
  } catch {
    // Input types without a selection (email, number) refuse setRangeText.
    target.value += text;
  }
  const event =
    typeof InputEvent === 'function'
      ? new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text })
      : new Event('input', { bubbles: true });
  target.dispatchEvent(event);
}

function keyOf(event: KeyboardEvent): WedgeKey {
  return {
    code: event.code,
    shiftKey: event.shiftKey,
    altKey: event.altKey,
    ctrlKey: event.ctrlKey,
    metaKey: event.metaKey,
    altGraph: typeof event.getModifierState === 'function' ? event.getModifierState('AltGraph') : false,
    repeat: event.repeat,
    isComposing: event.isComposing,
    timeStamp: event.timeStamp,
  };
}

export function attachReaderWedge(target: EventTarget, options: AttachOptions): () => void {
  const wedge = new ReaderWedge<EventTarget | null>({
    ...options,
    scheduler: options.scheduler ?? browserScheduler,
    onReplay: insertText,
  });
  const listener = (event: Event): void => {
    const key = event as KeyboardEvent;
    if (typeof key.code !== 'string') return;
    if (wedge.keydown(keyOf(key), event.target) === 'hold') {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  };
  target.addEventListener('keydown', listener, { capture: true });
  return () => {
    target.removeEventListener('keydown', listener, { capture: true });
    wedge.dispose();
  };
}
