/** The on-screen keyboard: layouts, editing logic, the keyboard and the field it types into. */
export {
  applyDateKey,
  applyKey,
  type DateDraft,
  type DateLimits,
  type DatePart,
  dateDraftFromIso,
  dateDraftToIso,
  dateLimits,
  deleteBackward,
  type EditorState,
  formatIsoDate,
  isIsoDate,
  moneyToCents,
} from './editor.ts';
export { KeyboardField, type KeyboardFieldProps } from './KeyboardField.tsx';
export { keyboardLabels, useKeyboardLabels } from './labels.ts';
export {
  type Keyboard,
  type KeyboardFieldType,
  type KeyboardPage,
  keyboardFor,
  type LabelKey,
} from './layouts.ts';
export { type KeyboardLabels, OnScreenKeyboard, type OnScreenKeyboardProps } from './OnScreenKeyboard.tsx';
