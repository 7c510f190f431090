import { classifyMrzLines } from '../mrz/index.ts';

/** Whether lines form one whole MRZ document of some format (device/mrz decides). */
export function isCompleteMrzDocument(lines: readonly string[]): boolean {
  return classifyMrzLines(lines).state === 'complete';
}
