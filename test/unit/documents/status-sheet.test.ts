import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../../api/contract.ts';
import { defaultCatalog } from '../../../core/documents/locale.ts';
import {
  buildStatusSheet,
  type CaseStatusInput,
  caseStatusView,
  openingHoursLines,
  ticketView,
} from '../../../core/documents/status-sheet.ts';
import {
  CASE_STATUSES,
  type CaseEventDetails,
  MISSING_DOCUMENTS,
  PICKUP_ITEMS,
  REJECTION_PROBLEMS,
  type Ticket,
} from '../../../sync/protocol/index.ts';
import { pdfText } from '../../support/pdf.ts';

const catalog = defaultCatalog();
const LANGUAGES = ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'] as const;

const place = {
  id: 'abh-mitte',
  name: 'Ausländerbehörde',
  address: 'Hauptmarkt 1, 90403 Nürnberg',
  room: 'Raum 2.14',
};

/** One example of what each status says. */
const DETAILS: Record<(typeof CASE_STATUSES)[number], CaseEventDetails> = {
  submitted: { status: 'submitted', channel: 'portal' },
  received: { status: 'received' },
  documents_missing: { status: 'documents_missing', documents: [...MISSING_DOCUMENTS], dueBy: '2026-12-18' },
  documents_received: {
    status: 'documents_received',
    documents: ['tenancy', 'payslips'],
    followUp: 'ST-R70W3GE1R7S',
  },
  invitation_sent: {
    status: 'invitation_sent',
    appointment: { appointmentId: 'apt-1', at: '2026-12-14T08:30:00.000Z', place },
  },
  in_review: { status: 'in_review' },
  accepted: { status: 'accepted' },
  decided: { status: 'decided', letterFollows: true },
  card_ordered: { status: 'card_ordered', expectedReadyBy: '2027-01-08' },
  card_ready: {
    status: 'card_ready',
    pickup: {
      place,
      openingHours: [
        { day: 4, opens: '13:00', closes: '18:00' },
        { day: 1, opens: '08:00', closes: '12:00' },
        { day: 4, opens: '08:00', closes: '12:00' },
      ],
      bring: [...PICKUP_ITEMS],
    },
  },
  closed: { status: 'closed' },
  rejected: { status: 'rejected', problems: [...REJECTION_PROBLEMS], letterFollows: true },
};

function view(input: Omit<CaseStatusInput, 'language'>, language: string): StatusView {
  const made = caseStatusView({ ...input, language }, catalog);
  if (!made.ok) throw new Error(made.error.code);
  return made.value;
}

function locale(code: string) {
  const found = catalog.get(code);
  if (!found.ok) throw new Error(code);
  return found.value;
}

const since = new Date('2026-12-01T09:00:00.000Z');

describe.each(LANGUAGES)('status answers in %s', (language) => {
  const l = locale(language);

  it.each(CASE_STATUSES)('%s: a headline, its date and what happens next, in this language', (status) => {
    const v = view(
      {
        status,
        reference: 'ABH-2026-000042',
        referenceKind: 'caseReference',
        since,
        details: DETAILS[status],
      },
      language,
    );
    expect(v.headline).toBe(l.status.headline[status]);
    expect(v.next).toBe(l.status.next[status]);
    expect(v.since).toContain(new Intl.DateTimeFormat(l.language.intl, { year: 'numeric' }).format(since));
    expect(v.referenceLabel).toBe(l.status.caseReference);
    // "decided" never reads as approved: it says a letter follows, as "rejected" does
    if (language === 'en' && status === 'decided') expect(v.headline).toMatch(/letter/);
  });

  it('names every missing document as the checklists do, and the date to hand them in by', () => {
    const v = view(
      {
        status: 'documents_missing',
        reference: 'x',
        referenceKind: 'caseReference',
        since,
        details: DETAILS.documents_missing,
      },
      language,
    );
    expect(v.sections).toEqual([
      { heading: l.status.missingHeading, items: MISSING_DOCUMENTS.map((id) => l.checklist[id]) },
    ]);
    for (const item of v.sections[0]?.items ?? []) expect(item).not.toMatch(/[{}]/);
    expect(v.notes).toHaveLength(1);
  });

  it('says where and when to pick the card up and everything to bring', () => {
    const v = view(
      {
        status: 'card_ready',
        reference: 'x',
        referenceKind: 'caseReference',
        since,
        details: DETAILS.card_ready,
      },
      language,
    );
    expect(v.sections.map((s) => s.heading)).toEqual([
      l.status.placeHeading,
      l.status.openingHoursHeading,
      l.status.bringHeading,
    ]);
    expect(v.sections[0]?.items).toEqual(['Ausländerbehörde', 'Raum 2.14', 'Hauptmarkt 1, 90403 Nürnberg']);
    expect(v.sections[1]?.items).toHaveLength(2);
    expect(v.sections[2]?.items).toEqual(PICKUP_ITEMS.map((item) => l.status.bring[item]));
  });

  it('names the problems of a rejection', () => {
    const v = view(
      {
        status: 'rejected',
        reference: 'x',
        referenceKind: 'caseReference',
        since,
        details: DETAILS.rejected,
      },
      language,
    );
    expect(v.sections[0]?.items).toEqual(REJECTION_PROBLEMS.map((p) => l.status.problems[p]));
  });

  it('prints the answer on the roll with every word of the screen', async () => {
    const v = view(
      {
        status: 'card_ready',
        reference: 'ABH-2026-000042',
        referenceKind: 'caseReference',
        since,
        details: DETAILS.card_ready,
      },
      language,
    );
    const pdf = await buildStatusSheet({ view: v, language, printedAt: since, paper: 'roll80' }, { catalog });
    if (!pdf.ok) throw new Error(pdf.error.message);
    const pages = (await PDFDocument.load(pdf.value)).getPages();
    expect(pages).toHaveLength(1);
    const text = flat(await pdfText(pdf.value));
    expect(text).toContain('ABH2026000042');
    const words = [
      v.title,
      v.headline,
      ...v.sections.flatMap((s) => [s.heading, ...s.items]),
      v.next,
    ].flatMap((t) => t.split(/[\s.,:;()–•،؛؟]+/).filter(Boolean));
    for (const word of words) expect(text, word).toContain(flat(word));
  });
});

describe('opening hours', () => {
  it('one line a day, Monday first, the intervals of a day in order', () => {
    const lines = openingHoursLines(
      [
        { day: 4, opens: '13:00', closes: '18:00' },
        { day: 1, opens: '08:00', closes: '12:00' },
        { day: 4, opens: '08:00', closes: '12:00' },
      ],
      locale('de'),
    );
    expect(lines).toEqual(['Montag: 08:00–12:00', 'Donnerstag: 08:00–12:00, 13:00–18:00']);
  });

  it('in Persian digits for a Farsi reader', () => {
    expect(openingHoursLines([{ day: 1, opens: '08:30', closes: '12:00' }], locale('fa'))[0]).toMatch(
      /۰۸:۳۰/,
    );
  });
});

describe('a Service-Center ticket', () => {
  const ticket: Ticket = {
    ticketNumber: 'SC-482193',
    topic: 'cardPickup',
    status: 'open',
    language: 'ar',
    constraints: {
      titleExpiresOn: '2027-01-15',
      travel: [{ from: '2027-01-02', to: '2027-01-09' }],
      unsuitableDays: ['mon', 'fri'],
    },
    createdAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    terminalId: 'term-1',
    iat: 1,
  };

  it.each(LANGUAGES)('in %s: topic, status, constraints and the language, named in words', (language) => {
    const made = ticketView(ticket, language, catalog);
    if (!made.ok) throw new Error(made.error.code);
    const l = locale(language);
    expect(made.value).toMatchObject({
      reference: 'SC-482193',
      referenceLabel: l.ticket.ticketNumber,
      headline: l.ticket.status.open,
      sections: [
        { heading: l.ticket.topicHeading, items: [l.ticket.topics.cardPickup] },
        { heading: l.ticket.constraintsHeading },
      ],
    });
    const known = made.value.sections[1]?.items ?? [];
    expect(known).toHaveLength(4);
    for (const line of known) expect(line).not.toMatch(/[{}]|\d{4}-\d{2}-\d{2}|\bmon\b|\bar\b/);
  });

  it('names the preferred language and the weekdays in the reader language', () => {
    const made = ticketView(ticket, 'de', catalog);
    if (!made.ok) throw new Error(made.error.code);
    expect(made.value.sections[1]?.items).toEqual([
      'Mein Aufenthaltstitel läuft am 15. Januar 2027 ab.',
      'Ich bin vom 2. Januar 2027 bis zum 9. Januar 2027 nicht da.',
      'Diese Wochentage passen mir nicht: Montag, Freitag.',
      'Gewünschte Sprache: Arabisch',
    ]);
  });
});

it('answers an unknown language as an error value', () => {
  expect(
    caseStatusView({
      status: 'closed',
      reference: 'x',
      referenceKind: 'caseReference',
      since,
      details: null,
      language: 'xx',
    }),
  ).toMatchObject({ ok: false, error: { code: 'document.unknown_language' } });
});

/** Whitespace-free NFKC text without bidi controls and hyphens (pdftotext joins words broken after one). */
function flat(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
    .replaceAll('-', '');
}
