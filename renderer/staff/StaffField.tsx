import { type PointerEvent, useState } from 'react';
import {
  KeyboardField,
  type KeyboardFieldType,
  type KeyboardLabels,
  OnScreenKeyboard,
  useKeyboardLabels,
} from '../keyboard/index.ts';

/** The on-screen keyboard's key names in the staff screens' language. */
export function useStaffKeyboardLabels(): KeyboardLabels {
  return useKeyboardLabels('staff');
}

export interface StaffFieldProps {
  readonly id: string;
  /** Translated label: the field's accessible name. */
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly fieldType: KeyboardFieldType;
  /** The keyboard's language (the staff screens speak German or English). */
  readonly language: string;
  /** The keyboard is open for this field (one field at a time). */
  readonly active: boolean;
  readonly onOpen: () => void;
  readonly onDone: () => void;
  /** PINs and passwords: the field shows one dot per character, never the characters. */
  readonly masked?: boolean;
  /** Translated format hint under the field (e.g. "three letters, e.g. UKR"). */
  readonly hint?: string;
  readonly error?: string | undefined;
  readonly maxLength?: number;
  readonly minDate?: string;
  readonly maxDate?: string;
  readonly required?: boolean;
  /**
   * Texts the keyboard of this field type lacks, offered as extra keys above it (a portal URL
   * needs `:` and `/`, which no on-screen layout has).
   */
  readonly extraKeys?: readonly string[];
}

/** Taps on the extra keys must not take the focus from the field either. */
const keepFocus = (event: PointerEvent) => event.preventDefault();

/** A field typed on the on-screen keyboard, for the staff, administrator and enrolment screens. */
export function StaffField(props: StaffFieldProps) {
  const labels = useStaffKeyboardLabels();
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const { value, masked = false } = props;
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  // A masked field keeps its cursor at the end: the dots say nothing about where a tap landed.
  const sharedCursor = masked ? undefined : cursor;
  const insert = (text: string) => {
    const at = Math.min(sharedCursor ?? value.length, value.length);
    const next = `${value.slice(0, at)}${text}${value.slice(at)}`;
    if (props.maxLength !== undefined && next.length > props.maxLength) return;
    props.onChange(next);
    if (!masked) setCursor(at + text.length);
  };
  return (
    <div className="staff-field">
      <KeyboardField
        id={props.id}
        label={props.label}
        value={masked ? '•'.repeat([...value].length) : value}
        fieldType={masked ? 'number' : props.fieldType}
        active={props.active}
        {...(sharedCursor === undefined ? {} : { cursor: sharedCursor })}
        {...(masked ? {} : { onCursorChange: setCursor })}
        required={props.required ?? true}
        error={props.error}
        describedBy={hintId}
        onOpen={props.onOpen}
      />
      {props.hint && (
        <p id={hintId} className="staff-hint">
          {props.hint}
        </p>
      )}
      {props.active && props.extraKeys && props.extraKeys.length > 0 && (
        <div className="staff-extra-keys" onPointerDown={keepFocus}>
          {props.extraKeys.map((text) => (
            <button key={text} type="button" className="secondary" dir="ltr" onClick={() => insert(text)}>
              {text}
            </button>
          ))}
        </div>
      )}
      {props.active && (
        <OnScreenKeyboard
          language={props.language}
          fieldType={props.fieldType}
          value={value}
          onChange={props.onChange}
          onDone={props.onDone}
          labels={labels}
          {...(sharedCursor === undefined ? {} : { cursor: sharedCursor })}
          {...(masked ? {} : { onCursorChange: setCursor })}
          {...(props.maxLength === undefined ? {} : { maxLength: props.maxLength })}
          {...(props.minDate === undefined ? {} : { minDate: props.minDate })}
          {...(props.maxDate === undefined ? {} : { maxDate: props.maxDate })}
        />
      )}
    </div>
  );
}
