import {
  createContext,
  type PointerEvent,
  type ReactNode,
  useContext,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  allowedDateDigits,
  applyDateKey,
  applyKey,
  canAdvanceDate,
  capitalHere,
  clampCursor,
  type DateDraft,
  type DateKey,
  type DatePart,
  dateDraftFromIso,
  dateDraftToIso,
  dateLimits,
  dateParts,
  type EditorState,
  initialEditorState,
  isIsoDate,
  isShifted,
} from './editor.ts';
import {
  type Key,
  type Keyboard,
  type KeyboardFieldType,
  type KeyboardPage,
  keyboardFor,
  keyCaption,
  keyOutput,
  type LabelKey,
  pageOf,
} from './layouts.ts';
import './keyboard.css';

/** Translated accessible names of the special keys, from the app's translation files. */
export type KeyboardLabels = Readonly<Record<LabelKey | 'keyboard', string>>;

export interface OnScreenKeyboardProps {
  /** The visitor's language (`de`, `de-x-ls`, `en`, `tr`, `uk`, `ru`, `ar`; others get English). */
  readonly language: string;
  readonly fieldType: KeyboardFieldType;
  /** The field's value; for `date` an ISO date `YYYY-MM-DD` or ''. */
  readonly value: string;
  /** The new value; for `date` a valid ISO date within the limits, or '' while it is incomplete. */
  readonly onChange: (value: string) => void;
  readonly onDone: () => void;
  readonly labels: KeyboardLabels;
  /** In UTF-16 code units, like the field schema's `maxLength`. */
  readonly maxLength?: number;
  /** Cursor (code-unit offset) when the app shares it with a `KeyboardField`; default: at the end. */
  readonly cursor?: number | undefined;
  readonly onCursorChange?: (cursor: number) => void;
  /** Date fields: inclusive ISO bounds (birth dates: max today). Default 1900-01-01 … 2100-12-31. */
  readonly minDate?: string;
  readonly maxDate?: string;
}

/**
 * The on-screen keyboard for one field. Keys act on pointer down (keyboard emulation, WCAG 2.5.2
 * exception) and cancel the pointer's default so the field keeps focus and nothing is selected.
 */
export function OnScreenKeyboard(props: OnScreenKeyboardProps) {
  const keyboard = keyboardFor(props.language, props.fieldType);
  // A new keyboard (other field type or language) starts on its own first page with Shift off.
  return keyboard.kind === 'date' ? (
    <DatePad key={keyboard.id} keyboard={keyboard} {...props} />
  ) : (
    <TextKeyboard key={keyboard.id} keyboard={keyboard} {...props} />
  );
}

type InnerProps = OnScreenKeyboardProps & { readonly keyboard: Keyboard };

/** Taps on the gaps between keys must not move the focus away from the field either. */
const keepFocus = (event: PointerEvent) => event.preventDefault();

/**
 * Set while a pointer press is in progress anywhere on one keyboard. The click that ends the
 * gesture is then ignored even when it lands on another button: a page switch puts the other
 * page's switch key under the finger, and it must not switch straight back.
 */
const PointerGesture = createContext<{ current: boolean }>({ current: false });

function TextKeyboard({
  keyboard,
  labels,
  value,
  onChange,
  onDone,
  maxLength,
  cursor,
  onCursorChange,
}: InnerProps) {
  const [mode, setMode] = useState(() => {
    const start = initialEditorState(keyboard, value, cursor);
    return { shift: start.shift, caps: false, page: keyboard.initialPage };
  });
  const gesture = useRef(false);
  // `null`: the cursor follows the end of the value (also when a reader fills the field).
  const [ownCursor, setOwnCursor] = useState<number | null>(null);
  // Taps that come faster than the parent re-renders build on the last value sent.
  const latest = useRef(value);
  // A value that did not come from these keys (another field opened, a reader filled it) sets
  // Shift afresh by the name rule; the visitor's own Shift choice is kept while typing.
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if (value !== latest.current && !mode.caps) {
      const shift = capitalHere(keyboard, value, value.length);
      if (shift !== mode.shift) setMode({ ...mode, shift });
    }
  }
  latest.current = value;

  const page = pageOf(keyboard, mode.page);
  const shifted = isShifted(mode);

  const press = (key: Key) => {
    if (key.action.type === 'done') return onDone();
    const current = latest.current;
    const at = clampCursor(current, cursor ?? ownCursor ?? current.length);
    const before: EditorState = { value: current, cursor: at, ...mode };
    const after = applyKey(before, key.action, {
      keyboard,
      ...(maxLength !== undefined ? { maxLength } : {}),
    });
    if (after.shift !== mode.shift || after.caps !== mode.caps || after.page !== mode.page) {
      setMode({ shift: after.shift, caps: after.caps, page: after.page });
    }
    if (after.value !== current) {
      latest.current = after.value;
      onChange(after.value);
    }
    if (after.cursor !== at || after.value !== current) {
      setOwnCursor(after.cursor === after.value.length ? null : after.cursor);
      onCursorChange?.(after.cursor);
    }
  };

  const kindClass =
    keyboard.kind === 'text'
      ? 'osk-text'
      : keyboard.kind === 'email' || keyboard.kind === 'tracking'
        ? `osk-text osk-${keyboard.kind}`
        : `osk-pad osk-${keyboard.kind}`;
  return (
    <PointerGesture value={gesture}>
      {/* biome-ignore lint/a11y/useSemanticElements: a fieldset brings form semantics and its min-content sizing quirk to a panel of buttons */}
      <div role="group" aria-label={labels.keyboard} className={`osk ${kindClass}`} onPointerDown={keepFocus}>
        <KeyRows page={page}>
          {(key) => {
            const action = key.action;
            if (action.type === 'insert') {
              const caption = keyCaption(keyOutput(action, page, shifted), page);
              return <KeyButton key={key.id} keyDef={key} caption={caption} onPress={() => press(key)} />;
            }
            const toggled =
              action.type === 'shift' ? mode.shift : action.type === 'caps' ? mode.caps : undefined;
            return (
              <KeyButton
                key={key.id}
                keyDef={key}
                caption={specialCaption(key, labels)}
                name={key.label ? labels[key.label] : undefined}
                pressed={toggled}
                onPress={() => press(key)}
              />
            );
          }}
        </KeyRows>
      </div>
    </PointerGesture>
  );
}

function DatePad({ keyboard, labels, value, onChange, onDone, minDate, maxDate }: InnerProps) {
  const limits = useMemo(() => dateLimits(minDate, maxDate), [minDate, maxDate]);
  const [draft, setDraft] = useState<DateDraft>(() => dateDraftFromIso(value));
  const gesture = useRef(false);
  const latest = useRef(draft);
  latest.current = draft;
  // A date set from outside (a document read) replaces the draft; our own '' while typing does not.
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if (isIsoDate(value) && value !== dateDraftToIso(draft, limits)) setDraft(dateDraftFromIso(value));
  }

  const press = (key: DateKey) => {
    const before = latest.current;
    const after = applyDateKey(before, key, limits);
    if (after === before) return;
    latest.current = after;
    setDraft(after);
    const iso = dateDraftToIso(after, limits) ?? '';
    if (iso !== value) onChange(iso);
  };

  const allowed = allowedDateDigits(draft, limits);
  const canAdvance = canAdvanceDate(draft, limits);
  const following = draft.part === 'day' ? 'month' : 'year';
  const page = pageOf(keyboard, keyboard.initialPage);

  return (
    <PointerGesture value={gesture}>
      {/* biome-ignore lint/a11y/useSemanticElements: a fieldset brings form semantics and its min-content sizing quirk to a panel of buttons */}
      <div
        role="group"
        aria-label={labels.keyboard}
        className="osk osk-pad osk-date"
        onPointerDown={keepFocus}
      >
        <div className="osk-date-parts" dir="ltr">
          {dateParts.map((part, index) => (
            <DatePartButton
              key={part}
              part={part}
              label={labels[part]}
              content={draft[part]}
              active={draft.part === part}
              separator={index > 0}
              onPress={() => press({ type: 'select', part })}
            />
          ))}
        </div>
        <KeyRows page={page}>
          {(key) => {
            const action = key.action;
            if (action.type === 'insert') {
              return (
                <KeyButton
                  key={key.id}
                  keyDef={key}
                  caption={action.text}
                  disabled={!allowed.has(action.text)}
                  onPress={() => press({ type: 'digit', digit: action.text })}
                />
              );
            }
            if (action.type === 'next') {
              return (
                <KeyButton
                  key={key.id}
                  keyDef={key}
                  caption={key.display ?? '.'}
                  name={labels[following]}
                  disabled={!canAdvance}
                  onPress={() => press({ type: 'next' })}
                />
              );
            }
            return (
              <KeyButton
                key={key.id}
                keyDef={key}
                caption={specialCaption(key, labels)}
                name={key.label ? labels[key.label] : undefined}
                onPress={() => (action.type === 'done' ? onDone() : press({ type: 'backspace' }))}
              />
            );
          }}
        </KeyRows>
      </div>
    </PointerGesture>
  );
}

function DatePartButton(props: {
  part: DatePart;
  label: string;
  content: string;
  active: boolean;
  separator: boolean;
  onPress: () => void;
}) {
  const placeholder = props.part === 'year' ? '––––' : '––';
  return (
    <>
      {props.separator && (
        <span className="osk-date-separator" aria-hidden="true">
          .
        </span>
      )}
      <PressButton
        className={`osk-date-part osk-date-${props.part}${props.active ? ' is-active' : ''}`}
        pressed={props.active}
        onPress={props.onPress}
      >
        <span className="osk-date-part-label">{props.label}</span>{' '}
        <span className="osk-date-part-value">
          {props.content}
          {props.content.length < placeholder.length && (
            <span className="osk-date-placeholder" aria-hidden="true">
              {placeholder.slice(props.content.length)}
            </span>
          )}
        </span>
      </PressButton>
    </>
  );
}

/** Rows of a page; the page carries its writing direction and, for a native script, its language. */
function KeyRows({ page, children }: { page: KeyboardPage; children: (key: Key) => ReactNode }) {
  return (
    <div
      className={`osk-page osk-page-${page.id} osk-script-${page.script}`}
      dir={page.dir}
      lang={page.id === 'native' ? page.lang : undefined}
    >
      {page.rows.map((row, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are fixed layout data, never reordered
        <div key={index} className="osk-row">
          {row.map((key) => children(key))}
        </div>
      ))}
    </div>
  );
}

/** CSS class for a key width: 1.5 → `osk-w-1-5`. */
export const widthClass = (width: number): string => `osk-w-${String(width).replace('.', '-')}`;

function KeyButton(props: {
  keyDef: Key;
  caption: ReactNode;
  /** Accessible name when the caption is an icon or a sample ("ABC"). */
  name?: string | undefined;
  pressed?: boolean | undefined;
  disabled?: boolean;
  onPress: () => void;
}) {
  const { keyDef } = props;
  const kind =
    keyDef.action.type === 'insert' ? 'osk-key-char' : `osk-key-special osk-key-${keyDef.action.type}`;
  const preview =
    keyDef.action.type === 'insert' && typeof props.caption === 'string' ? props.caption : undefined;
  return (
    <PressButton
      className={`osk-key ${kind} ${widthClass(keyDef.width)}`}
      name={props.name}
      pressed={props.pressed}
      disabled={props.disabled}
      preview={preview}
      onPress={props.onPress}
    >
      {props.caption}
    </PressButton>
  );
}

/**
 * A button that acts on pointer down without taking the focus, shows a pressed state while the
 * finger is on it, and still works when assistive technology clicks it without a pointer.
 */
function PressButton(props: {
  className: string;
  name?: string | undefined;
  pressed?: boolean | undefined;
  disabled?: boolean | undefined;
  preview?: string | undefined;
  onPress: () => void;
  children: ReactNode;
}) {
  const [down, setDown] = useState(false);
  const gesture = useContext(PointerGesture);
  const release = () => setDown(false);
  return (
    <button
      type="button"
      className={`${props.className}${down ? ' is-pressed' : ''}${props.disabled ? ' is-disabled' : ''}`}
      aria-label={props.name}
      aria-pressed={props.pressed}
      aria-disabled={props.disabled || undefined}
      data-preview={props.preview}
      onPointerDown={(event) => {
        event.preventDefault();
        if (event.pointerType === 'mouse' && event.button !== 0) return;
        gesture.current = true;
        setDown(true);
        if (!props.disabled) props.onPress();
      }}
      onPointerUp={release}
      onPointerLeave={release}
      onPointerCancel={() => {
        gesture.current = false;
        release();
      }}
      onClick={() => {
        // The pointer already pressed it; a click without a pointer (screen reader, switch) presses it here.
        if (gesture.current) {
          gesture.current = false;
          return;
        }
        if (!props.disabled) props.onPress();
      }}
    >
      {props.children}
    </button>
  );
}

function specialCaption(key: Key, labels: KeyboardLabels): ReactNode {
  switch (key.action.type) {
    case 'shift':
      return <KeyIcon path="M12 4 4 12.5h4.5V19h7v-6.5H20z" />;
    case 'caps':
      // Not an arrow like Shift: a padlock with a lamp that is lit while Caps Lock is on.
      return (
        <>
          <KeyIcon className="osk-icon-caps" path="M8 11V8a4 4 0 0 1 8 0v3 M5.5 11h13v9h-13z M12 14.5v2" />
          <span className="osk-lamp" aria-hidden="true" />
        </>
      );
    case 'backspace':
      return <KeyIcon className="osk-icon-backspace" path="M9 5h12v14H9l-6-7z M12 9l6 6 M18 9l-6 6" />;
    case 'space':
      return <span className="osk-key-text">{labels.space}</span>;
    case 'done':
      return <span className="osk-key-text">{labels.done}</span>;
    default:
      return key.display ?? (key.label ? labels[key.label] : key.id);
  }
}

function KeyIcon({ path, className }: { path: string; className?: string }) {
  return (
    <svg
      className={`osk-icon${className ? ` ${className}` : ''}`}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path d={path} />
    </svg>
  );
}

export { KeyboardField, type KeyboardFieldProps } from './KeyboardField.tsx';
