import { migration as m001 } from './001-outbox.ts';
import { migration as m002 } from './002-audit-chain.ts';
import { migration as m003 } from './003-staff-lockout.ts';
import type { Migration } from './types.ts';

/** Every migration, in order. Append new files; never edit one that has shipped. */
export const migrations: readonly Migration[] = [m001, m002, m003];
