/**
 * device/mrz: the machine readable zone of travel documents (ICAO Doc 9303 parts 3-7), pure
 * TypeScript without dependencies. See README.md for what is supported.
 */
export { computeCheckDigit } from './check-digit.ts';
export { isKnownCountryCode } from './countries.ts';
export {
  classifyMrzLines,
  detectFormat as detectMrzFormat,
  type MrzLineLength,
  type MrzLinesState,
  mrzLineLengths,
} from './layout.ts';
export { parseMrz } from './parse.ts';
export type {
  CheckedField,
  CheckVerdict,
  MrzFormat,
  MrzIssue,
  MrzResult,
  MrzSex,
  MrzSuggestion,
  ParseMrzOptions,
} from './types.ts';
