import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { KeyboardLabels } from './OnScreenKeyboard.tsx';

const labelKeys = [
  'shift',
  'capsLock',
  'backspace',
  'space',
  'done',
  'latin',
  'nativeScript',
  'accents',
  'day',
  'month',
  'year',
] as const;

/** The keyboard's accessible key names from a namespace's `keyboard.*` texts. */
export function keyboardLabels(t: TFunction): KeyboardLabels {
  return Object.fromEntries([
    ...labelKeys.map((key) => [key, t(`keyboard.${key}`)]),
    ['keyboard', t('keyboard.group')],
  ]) as KeyboardLabels;
}

/** The key names in the visitor's language (default namespace) or the staff screens' (`staff`). */
export function useKeyboardLabels(namespace?: 'staff'): KeyboardLabels {
  const { t } = useTranslation(namespace);
  return keyboardLabels(t as TFunction);
}
