/** Staff and administrator sign-in: records, badge hashing, PIN hashing, lockout and sessions. */
export {
  BADGE_SECRET_MAX_BYTES,
  BADGE_SECRET_MIN_BYTES,
  type BadgeSecretResult,
  badgeHash,
  badgeRef,
  normalizeBadge,
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
  type LockoutPolicy,
  type LockScope,
  type LockState,
  lockoutDelayMs,
} from './lockout.ts';
export {
  ARGON2ID_PHC,
  acceptStaffRecords,
  badgeHashSchema,
  PIN_MIN_LENGTH,
  pinHashSchema,
  type RefusedRecord,
  type RefusedRecordCode,
  type StaffConfig,
  type StaffRecord,
  type StaffRole,
  staffConfigSchema,
  staffRecordSchema,
  staffRecordsSchema,
  staffRoleSchema,
  staffRoles,
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
