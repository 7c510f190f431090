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
  'staff.awaitBadge',
  'staff.signIn',
  'staff.signOut',
  'staff.current',
  'staff.extendTimeout',
  'staff.reprint',
  'staff.enterDocument',
  'staff.decideActivation',
  'admin.signIn',
  'admin.status',
  'admin.watchReads',
  'admin.syncNow',
  'admin.printTest',
  'admin.exportLog',
  'admin.recordChecklist',
  'admin.wipe',
  'enrolment.enrol',
] as const;

export type CallNameFromList = (typeof callNameList)[number];
