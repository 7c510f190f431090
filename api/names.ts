/**
 * The names of the contract's calls, as plain data (no zod), for code that must stay small, such
 * as the Electron preload. `contract.ts` checks its call table against this list.
 */
export const callNameList = [
  'session.start',
  'session.end',
  'session.touch',
  'session.setLanguage',
  'session.current',
  'session.setSlowMode',
  'catalogue.list',
  'system.status',
  'reader.expect',
  'reader.cancel',
  'reader.wedge',
  'staff.call',
  'journey.start',
  'journey.current',
  'journey.step',
  'journey.back',
  'journey.goto',
  'journey.cancel',
  'journey.submit',
] as const;

export type CallNameFromList = (typeof callNameList)[number];
