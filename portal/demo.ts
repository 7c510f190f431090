/**
 * Demo data for a portal started with `demo`: service accounts pending activation (names in
 * several scripts, as people register them, with the Latin form their passport's MRZ shows), two
 * active accounts a visitor can sign in with, and a few delivered applications with tracking
 * numbers to look up. All persons are fictitious; the passwords are public (portal/README.md).
 */
import type { CaseEventDetails, CaseStatus } from '../sync/protocol/index.ts';
import { makeTrackingNumber } from '../sync/tracking.ts';
import { insertAccount } from './accounts.ts';
import type { Cases } from './cases.ts';
import { type Db, getMeta, setMeta } from './db.ts';
import { DEMO_ARGON2ID, hashSecret } from './passwords.ts';
import { DEMO_TERMINAL_ID, type StatusLog } from './status.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEMO_ACCOUNTS = [
  {
    accountId: 'acc-demo-ayse',
    displayName: 'Ayşe Yılmaz',
    latinName: 'AYSE YILMAZ',
    birthDate: '1988-03-14',
    email: 'ayse.yilmaz@example.org',
  },
  {
    accountId: 'acc-demo-oleksandr',
    displayName: 'Олександр Шевченко',
    latinName: 'OLEKSANDR SHEVCHENKO',
    birthDate: '1979-11-02',
    email: 'o.shevchenko@example.org',
  },
  {
    accountId: 'acc-demo-mohammad',
    displayName: 'محمد الأحمد',
    latinName: 'MOHAMMAD ALAHMAD',
    birthDate: '1992-07-21',
    email: 'm.alahmad@example.org',
  },
  {
    accountId: 'acc-demo-nguyen',
    displayName: 'Nguyễn Thị Minh Khai',
    latinName: 'NGUYEN THI MINH KHAI',
    birthDate: '1995-01-30',
    email: 'minh.khai@example.org',
  },
  {
    accountId: 'acc-demo-georgios',
    displayName: 'Γεώργιος Παπαδόπουλος',
    latinName: 'GEORGIOS PAPADOPOULOS',
    birthDate: '1983-05-09',
    email: 'g.papadopoulos@example.org',
  },
  {
    accountId: 'acc-demo-maria',
    displayName: 'María José García López',
    latinName: 'MARIA JOSE GARCIA LOPEZ',
    birthDate: '2001-09-17',
    email: 'mj.garcia@example.org',
  },
  {
    accountId: 'acc-demo-li',
    displayName: '李明',
    latinName: 'LI MING',
    birthDate: '1990-12-24',
    email: 'li.ming@example.org',
  },
] as const;

/** Active accounts with known passwords (argon2id at the demo's lower cost, `DEMO_ARGON2ID`). */
export const DEMO_ACTIVE_ACCOUNTS = [
  {
    accountId: 'acc-demo-kemal',
    displayName: 'Kemal Öztürk',
    latinName: 'KEMAL OEZTUERK',
    birthDate: '1975-06-03',
    email: 'kemal.oeztuerk@example.org',
    phone: '+49 151 23456781',
    userName: 'kemal.demo',
    password: 'Demo-Konto-2026',
  },
  {
    accountId: 'acc-demo-olena',
    displayName: 'Олена Коваленко',
    latinName: 'OLENA KOVALENKO',
    birthDate: '1986-10-19',
    email: 'olena.kovalenko@example.org',
    userName: 'olena.demo',
    password: 'Servicekonto-Demo-7',
  },
] as const;

/** Fixed bytes, so the demo tracking numbers are the same on every start. */
function fixedBytes(seed: number): (size: number) => Uint8Array {
  return (size) => Uint8Array.from({ length: size }, (_, i) => (seed * 37 + i * 11) & 0xff);
}

export interface DemoTracking {
  readonly trackingNumber: string;
  readonly birthDate: string;
  readonly status: 'received' | 'in_review' | 'accepted' | 'decided';
}

const DEMO_APPLICATIONS = [
  {
    seed: 1,
    serviceId: 'residence-permit-extension',
    birthDate: '1988-03-14',
    status: 'in_review' as const,
    daysAgo: 3,
  },
  {
    seed: 2,
    serviceId: 'declaration-of-commitment',
    birthDate: '1979-11-02',
    status: 'accepted' as const,
    daysAgo: 10,
  },
  { seed: 3, serviceId: 'address-change', birthDate: '1992-07-21', status: 'decided' as const, daysAgo: 21 },
];

/** Inserts the demo data once (a data dir that already has it is left alone). */
export async function seedDemo(db: Db, status: StatusLog, now: number): Promise<DemoTracking[]> {
  const tracking: DemoTracking[] = DEMO_APPLICATIONS.map((a) => ({
    trackingNumber: makeTrackingNumber(fixedBytes(a.seed)),
    birthDate: a.birthDate,
    status: a.status,
  }));
  const hasActive =
    db.prepare("SELECT 1 FROM accounts WHERE account_id = 'acc-demo-kemal'").get() !== undefined;
  if (!hasActive) {
    const hashes = await Promise.all(DEMO_ACTIVE_ACCOUNTS.map((a) => hashSecret(a.password, DEMO_ARGON2ID)));
    db.transaction(() => {
      for (const [i, a] of DEMO_ACTIVE_ACCOUNTS.entries()) {
        const { password: _password, userName, ...account } = a;
        insertAccount(db, {
          ...account,
          registeredAt: now - 40 * DAY_MS,
          expiresAt: now - 12 * DAY_MS,
          active: { userName, passwordHash: hashes[i] ?? '', activatedAt: now - 30 * DAY_MS },
        });
      }
    })();
  }
  const seeded = db.prepare("SELECT 1 FROM accounts WHERE account_id = 'acc-demo-ayse'").get() !== undefined;
  if (seeded) return tracking;
  db.transaction(() => {
    for (const a of DEMO_ACCOUNTS) {
      insertAccount(db, { ...a, registeredAt: now - 2 * DAY_MS, expiresAt: now + 28 * DAY_MS });
    }
    for (const [i, a] of DEMO_APPLICATIONS.entries()) {
      const id = `demo-submission-${a.seed}`;
      const receivedAt = now - a.daysAgo * DAY_MS;
      const trackingNumber = tracking[i]?.trackingNumber ?? '';
      db.prepare(
        "INSERT INTO submissions (submission_id, terminal_id, idempotency_key, metadata_jwe, state, created_at, received_at, tracking_number, service_id, birth_date, application) VALUES (?, ?, ?, '', 'delivered', ?, ?, ?, ?, ?, ?)",
      ).run(
        id,
        DEMO_TERMINAL_ID,
        `demo-${a.seed}`,
        receivedAt,
        receivedAt,
        trackingNumber,
        a.serviceId,
        a.birthDate,
        JSON.stringify({ demo: true, applicant: { birthDate: a.birthDate } }),
      );
      status.append(id, 'received', receivedAt);
      const path = ['in_review', 'accepted', 'decided'] as const;
      const steps = path.slice(0, path.indexOf(a.status as (typeof path)[number]) + 1);
      for (const [n, s] of steps.entries()) status.append(id, s, receivedAt + (n + 1) * DAY_MS);
    }
  })();
  return tracking;
}

/** A demo case to look up at the terminal: its case reference, the birth date, where it stands. */
export interface DemoCase {
  readonly caseReference: string;
  readonly birthDate: string;
  readonly status: CaseStatus;
  /** For the case invited to an appointment: the letter's QR text. */
  readonly invitationQr?: string;
}

const DEMO_PLACE = {
  id: 'abh-demo',
  name: 'Ausländerbehörde (Demo)',
  address: 'Hauptmarkt 1, 90403 Nürnberg',
  room: 'Raum 2.14',
} as const;

/**
 * Demo cases filed at the counter, one in each state of a case: just filed, received, what is
 * missing, in review, decided, a card ordered and ready, closed, rejected (and, made at each start,
 * an invitation). All fictitious.
 */
const DEMO_CASES: readonly { readonly birthDate: string; readonly moves: readonly CaseEventDetails[] }[] = [
  {
    birthDate: '1990-02-11',
    moves: [
      { status: 'received' },
      { status: 'documents_missing', documents: ['tenancy', 'incomeInsurance', 'photoCode'] },
    ],
  },
  { birthDate: '1985-06-23', moves: [{ status: 'received' }] },
  { birthDate: '1978-12-01', moves: [{ status: 'received' }, { status: 'in_review' }] },
  {
    birthDate: '1993-09-30',
    moves: [{ status: 'received' }, { status: 'in_review' }, { status: 'decided', letterFollows: true }],
  },
  {
    birthDate: '2000-01-05',
    moves: [
      { status: 'received' },
      { status: 'in_review' },
      { status: 'decided', letterFollows: true },
      { status: 'card_ordered' },
    ],
  },
  {
    birthDate: '1988-07-14',
    moves: [
      { status: 'received' },
      { status: 'in_review' },
      { status: 'decided', letterFollows: true },
      { status: 'card_ordered' },
      {
        status: 'card_ready',
        pickup: {
          place: DEMO_PLACE,
          openingHours: [
            { day: 1, opens: '07:30', closes: '12:00' },
            { day: 2, opens: '07:30', closes: '12:00' },
            { day: 4, opens: '07:30', closes: '12:00' },
            { day: 4, opens: '13:00', closes: '17:30' },
            { day: 5, opens: '07:30', closes: '12:00' },
          ],
          bring: ['pinLetter', 'oldCard', 'passport'],
        },
      },
    ],
  },
  { birthDate: '1997-04-27', moves: [] },
  {
    birthDate: '1975-10-16',
    moves: [
      { status: 'received' },
      { status: 'in_review' },
      { status: 'decided', letterFollows: true },
      { status: 'closed' },
    ],
  },
  {
    birthDate: '1982-03-19',
    moves: [
      { status: 'received' },
      { status: 'in_review' },
      { status: 'rejected', problems: ['documentsNotProvided', 'feeNotPaid'], letterFollows: true },
    ],
  },
];

const DEMO_CASES_KEY = 'demo_cases';

/**
 * Files the demo cases once (their references are kept, so a restarted demo lists the same ones)
 * and one invited to an appointment three days on, whose letter's QR is made afresh each start.
 */
export function seedDemoCases(db: Db, cases: Cases, now: number): DemoCase[] {
  const kept = getMeta(db, DEMO_CASES_KEY);
  const references: { caseReference: string; birthDate: string }[] = kept
    ? (JSON.parse(kept) as { caseReference: string; birthDate: string }[])
    : [];
  if (kept === undefined) {
    const invited = {
      birthDate: '1996-11-08',
      moves: [
        { status: 'received' },
        {
          status: 'invitation_sent',
          appointment: {
            appointmentId: 'apt-demo-1',
            at: new Date(now + 3 * DAY_MS).toISOString(),
            place: DEMO_PLACE,
          },
        },
      ] satisfies CaseEventDetails[],
    };
    for (const demo of [...DEMO_CASES, invited]) {
      const filedAt = now - (demo.moves.length + 1) * DAY_MS;
      const row = cases.create(
        { origin: 'counter', serviceId: 'residence-permit', birthDate: demo.birthDate },
        filedAt,
      );
      for (const [n, details] of demo.moves.entries())
        cases.move(row.case_reference, details, filedAt + (n + 1) * DAY_MS);
      references.push({ caseReference: row.case_reference, birthDate: demo.birthDate });
    }
    setMeta(db, DEMO_CASES_KEY, JSON.stringify(references));
  }
  return references.flatMap(({ caseReference, birthDate }) => {
    const info = cases.info(caseReference);
    if (info === undefined) return [];
    const invitationQr = info.status === 'invitation_sent' ? cases.invitationQr(caseReference) : undefined;
    return [{ caseReference, birthDate, status: info.status, ...(invitationQr ? { invitationQr } : {}) }];
  });
}
