import type { KeyboardEvent, MouseEvent } from 'react';
import { clampCursor, formatIsoDate, graphemesOf } from './editor.ts';
import type { KeyboardFieldType } from './layouts.ts';
import './keyboard.css';

export interface KeyboardFieldProps {
  /** Id of the value box; the label gets `<id>-label`, the error text `<id>-error`. */
  readonly id: string;
  /** The field's visible, translated label (its accessible name). */
  readonly label: string;
  readonly value: string;
  readonly fieldType?: KeyboardFieldType;
  /** The keyboard is open for this field: the caret shows. */
  readonly active?: boolean;
  /** Cursor (code-unit offset) shared with the keyboard; default: at the end. */
  readonly cursor?: number | undefined;
  /** Tapped: open the keyboard for this field. */
  readonly onOpen: () => void;
  /** Tapped on a character: the cursor moves to the nearer side of it. */
  readonly onCursorChange?: (cursor: number) => void;
  /** Translated error text, shown under the field and tied to it by `aria-describedby`. */
  readonly error?: string | undefined;
  /** Marks the field invalid without an error text of its own (default: whether `error` is set). */
  readonly invalid?: boolean;
  /** Ids of further descriptions (hint, format example) the app renders. */
  readonly describedBy?: string | undefined;
  readonly required?: boolean;
  /** Translated example shown while the field is empty (e.g. `TT.MM.JJJJ`). */
  readonly placeholder?: string;
  /** A password or PIN: each character shows as a dot, and the text never enters the page. */
  readonly masked?: boolean;
}

const strongRtl = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/** Digits, dates and codes read left to right in every language; text follows its own script. */
function valueDir(fieldType: KeyboardFieldType | undefined): 'ltr' | 'auto' {
  switch (fieldType) {
    case 'phone':
    case 'number':
    case 'money':
    case 'date':
    case 'postcode':
    case 'tracking':
    case 'email':
      return 'ltr';
    default:
      return 'auto';
  }
}

/**
 * A field typed with the on-screen keyboard: a read-only display of the value with a caret. It
 * takes the focus when tapped (`inputmode="none"`: no system keyboard on a touch device) and asks
 * the app to open the keyboard; keystrokes from hardware (readers in keyboard mode) never land in it.
 */
export function KeyboardField(props: KeyboardFieldProps) {
  const { id, value, fieldType } = props;
  const isDate = fieldType === 'date';
  const shown = isDate ? formatIsoDate(value) : value;
  const cursor = isDate ? shown.length : clampCursor(shown, props.cursor ?? shown.length);
  const invalid = props.invalid ?? Boolean(props.error);
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [errorId, props.describedBy].filter(Boolean).join(' ') || undefined;
  const parts = graphemesOf(shown);

  const open = (event: MouseEvent<HTMLDivElement>) => {
    props.onOpen();
    if (isDate || !props.onCursorChange) return;
    props.onCursorChange(cursorAt(event, shown));
  };
  const openByKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    props.onOpen();
  };

  const caret = props.active ? <span className="osk-caret" aria-hidden="true" /> : null;
  return (
    <div className="osk-field">
      <span id={`${id}-label`} className="osk-field-label">
        {props.label}
      </span>
      {/* biome-ignore lint/a11y/useSemanticElements: an <input> would take keystrokes from keyboard-mode readers and show no custom caret */}
      <div
        id={id}
        role="textbox"
        tabIndex={0}
        inputMode="none"
        aria-labelledby={`${id}-label`}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        aria-required={props.required || undefined}
        aria-placeholder={shown === '' ? props.placeholder : undefined}
        className={`osk-field-box${props.active ? ' is-active' : ''}${invalid ? ' is-invalid' : ''}`}
        onClick={open}
        onKeyDown={openByKey}
      >
        <span className="osk-field-value" dir={valueDir(fieldType)}>
          {shown === '' && props.placeholder && !props.active ? (
            <span className="osk-field-placeholder" aria-hidden="true">
              {props.placeholder}
            </span>
          ) : null}
          {parts.map((part) => (
            <span key={part.start} data-at={part.start} data-end={part.end}>
              {part.start === cursor ? caret : null}
              {props.masked ? '•' : part.text}
            </span>
          ))}
          {cursor === shown.length ? caret : null}
        </span>
      </div>
      {props.error ? (
        <p id={errorId} className="osk-field-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** The cursor for a tap: before or after the tapped character, by the half it was tapped on. */
function cursorAt(event: MouseEvent<HTMLDivElement>, text: string): number {
  const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-at]') : null;
  if (!target) return text.length;
  const start = Number(target.dataset.at);
  const end = Number(target.dataset.end);
  const rect = target.getBoundingClientRect();
  const rtl = strongRtl.test(text.slice(start, end));
  const firstHalf = rtl
    ? event.clientX > rect.left + rect.width / 2
    : event.clientX < rect.left + rect.width / 2;
  return firstHalf ? start : end;
}
