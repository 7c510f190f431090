/** Staff and administrator sign-in: records, badge hashing, PIN hashing, lockout and sessions. */
export { badgeHash, normalizeBadge } from '../../common/badge.ts';
export {
  ARGON2ID_PHC,
  badgeHashSchema,
  pinHashSchema,
  type StaffRecord,
  staffRecordSchema,
  staffRecordsSchema,
} from '../../common/staff-records.ts';
export { type StaffRole, staffRoles } from '../../common/vocabulary.ts';
export {
  BADGE_SECRET_MAX_BYTES,
  BADGE_SECRET_MIN_BYTES,
  type BadgeSecretResult,
  badgeRef,
  parseBadgeSecret,
} from './badge.ts';
export {
  type Argon2Params,
  acceptsHash,
  createArgon2Hasher,
  meetsFloor,
  OWASP_ARGON2ID,
  type PinHasher,
  paramsOfPhc,
  productionPinHasher,
} from './hasher.ts';
export {
  DEFAULT_LOCKOUT,
  type FailureOutcome,
  Lockout,
  type LockoutEntry,
  type LockoutPersistence,
  type LockoutPolicy,
  type LockoutStore,
  type LockScope,
  type LockState,
  lockoutDelayMs,
  TERMINAL_LOCKOUT_KEY,
} from './lockout.ts';
export {
  acceptStaffRecords,
  PIN_MIN_LENGTH,
  type RefusedRecord,
  type RefusedRecordCode,
  type StaffConfig,
  staffConfigSchema,
} from './records.ts';
export {
  type AuditFields,
  type AuditSink,
  type StaffCredentials,
  type StaffEndReason,
  type StaffError,
  type StaffErrorCode,
  type StaffResult,
  StaffService,
  type StaffServiceDeps,
  type StaffSessionInfo,
  staffErrorCodes,
} from './service.ts';
