/**
 * A status answer in the visitor's language: a case's status with what it says (the documents
 * missing, named as the checklists name them; the appointment; where to pick the card up, when,
 * and what to bring; the problems of a rejection), or a Service-Center ticket. One view for the
 * screen and the paper, so both say the same; the paper is `buildStatusSheet`.
 */
import type { StatusView } from '../../api/contract.ts';
import { err, ok, type Result } from '../../common/result.ts';
import type { CaseEventDetails, CaseStatus, QueueTicket, Ticket } from '../../sync/protocol/index.ts';
import {
  type DocumentLocale,
  defaultCatalog,
  formatDate,
  formatDateTime,
  type LocaleCatalog,
} from './locale.ts';
import { finish, guarded, newDocument, PAPER } from './page.ts';
import { qrMatrix } from './qr.ts';
import { MM } from './text/layout.ts';
import type { DocumentResult, PaperSize } from './types.ts';

export type ViewResult = Result<StatusView, 'document.unknown_language'>;

export interface CaseStatusInput {
  /** `queued`: still in this terminal's queue; otherwise the case's status. */
  readonly status: CaseStatus | 'queued';
  /** The case reference, or the tracking number while there is none. */
  readonly reference: string;
  readonly referenceKind: 'caseReference' | 'trackingNumber';
  /** When the case reached its status; null when not known (still queued). */
  readonly since: Date | null;
  /** What the status event says besides itself; null for an answer of the older feed. */
  readonly details: CaseEventDetails | null;
  readonly language: string;
}

/** A calendar day (`YYYY-MM-DD`) written out in the language; noon UTC is that day in Berlin too. */
function day(isoDate: string, locale: DocumentLocale): string {
  return formatDate(new Date(`${isoDate}T12:00:00Z`), locale);
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** 1 = Monday … 7 = Sunday, in the language (1 January 2024 was a Monday). */
function weekday(dayNumber: number, locale: DocumentLocale): string {
  return new Intl.DateTimeFormat(locale.language.intl, { weekday: 'long', timeZone: 'UTC' }).format(
    Date.UTC(2024, 0, dayNumber),
  );
}

/** A clock time `HH:MM` in the language's digits. */
function clockTime(time: string, locale: DocumentLocale): string {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return new Intl.DateTimeFormat(locale.language.intl, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  }).format(Date.UTC(2024, 0, 1, hours, minutes));
}

/** One line per day, days in order, each day's intervals in order. */
export function openingHoursLines(
  hours: readonly { day: number; opens: string; closes: string }[],
  locale: DocumentLocale,
): string[] {
  const byDay = new Map<number, { opens: string; closes: string }[]>();
  for (const h of [...hours].sort((a, b) => a.day - b.day || a.opens.localeCompare(b.opens))) {
    byDay.set(h.day, [...(byDay.get(h.day) ?? []), h]);
  }
  return [...byDay].map(
    ([d, intervals]) =>
      `${weekday(d, locale)}: ${intervals.map((i) => `${clockTime(i.opens, locale)}–${clockTime(i.closes, locale)}`).join(', ')}`,
  );
}

function place(p: { name: string; address: string; room?: string | undefined }): string[] {
  return [p.name, ...(p.room === undefined ? [] : [p.room]), p.address];
}

export function caseStatusView(
  input: CaseStatusInput,
  catalog: LocaleCatalog = defaultCatalog(),
): ViewResult {
  const found = catalog.get(input.language);
  if (!found.ok) return found;
  const locale = found.value;
  const s = locale.status;
  const sections: StatusView['sections'] = [];
  const notes: string[] = [];
  const d = input.details;
  if (d?.status === 'documents_missing') {
    sections.push({ heading: s.missingHeading, items: d.documents.map((id) => locale.checklist[id]) });
    if (d.dueBy !== undefined) notes.push(fill(s.dueBy, { date: day(d.dueBy, locale) }));
  } else if (d?.status === 'documents_received') {
    sections.push({ heading: s.receivedHeading, items: d.documents.map((id) => locale.checklist[id]) });
  } else if (d?.status === 'invitation_sent') {
    sections.push({
      heading: s.appointmentHeading,
      items: [formatDateTime(new Date(d.appointment.at), locale), ...place(d.appointment.place)],
    });
  } else if (d?.status === 'card_ordered' && d.expectedReadyBy !== undefined) {
    notes.push(fill(s.readyBy, { date: day(d.expectedReadyBy, locale) }));
  } else if (d?.status === 'card_ready') {
    sections.push({ heading: s.placeHeading, items: place(d.pickup.place) });
    sections.push({
      heading: s.openingHoursHeading,
      items: openingHoursLines(d.pickup.openingHours, locale),
    });
    sections.push({ heading: s.bringHeading, items: d.pickup.bring.map((item) => s.bring[item]) });
  } else if (d?.status === 'rejected') {
    sections.push({ heading: s.problemsHeading, items: d.problems.map((p) => s.problems[p]) });
  }
  return ok({
    title: s.title,
    referenceLabel: input.referenceKind === 'caseReference' ? s.caseReference : locale.receipt.trackingNumber,
    reference: input.reference,
    headline: s.headline[input.status],
    since: input.since === null ? null : fill(s.since, { date: formatDate(input.since, locale) }),
    sections,
    notes,
    nextHeading: s.nextHeading,
    next: s.next[input.status],
  });
}

/** A Service-Center ticket: its topic, status, what the visitor told about their dates, and how it goes on. */
export function ticketView(
  ticket: Ticket,
  language: string,
  catalog: LocaleCatalog = defaultCatalog(),
): ViewResult {
  const found = catalog.get(language);
  if (!found.ok) return found;
  const locale = found.value;
  const t = locale.ticket;
  const c = ticket.constraints;
  const known: string[] = [];
  if (c.titleExpiresOn !== undefined)
    known.push(fill(t.titleExpires, { date: day(c.titleExpiresOn, locale) }));
  for (const away of c.travel ?? [])
    known.push(fill(t.travel, { from: day(away.from, locale), to: day(away.to, locale) }));
  if (c.unsuitableDays !== undefined && c.unsuitableDays.length > 0) {
    const names = c.unsuitableDays.map((d) => weekday(WEEKDAY_NUMBER[d], locale));
    known.push(fill(t.unsuitableDays, { days: names.join(', ') }));
  }
  known.push(fill(t.language, { language: languageName(ticket.language, locale) }));
  return ok({
    title: t.title,
    referenceLabel: t.ticketNumber,
    reference: ticket.ticketNumber,
    headline: t.status[ticket.status],
    since: fill(locale.status.since, { date: formatDate(new Date(ticket.updatedAt), locale) }),
    sections: [
      { heading: t.topicHeading, items: [t.topics[ticket.topic]] },
      { heading: t.constraintsHeading, items: known },
    ],
    notes: [t.lookupHint],
    nextHeading: locale.status.nextHeading,
    next: t.next,
  });
}

/** A queue ticket from the check-in: the number large, where to wait, and how it goes on. */
export function queueTicketView(
  ticket: QueueTicket,
  language: string,
  catalog: LocaleCatalog = defaultCatalog(),
): ViewResult {
  const found = catalog.get(language);
  if (!found.ok) return found;
  const locale = found.value;
  const q = locale.queue;
  return ok({
    title: q.title,
    referenceLabel: q.number,
    reference: ticket.number,
    headline: q.headline,
    since: null,
    sections: [],
    notes: [fill(q.waitingArea, { area: ticket.waitingArea }), q.phone],
    nextHeading: locale.status.nextHeading,
    next: q.called,
  });
}

const WEEKDAY_NUMBER = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

/** A language's name in the visitor's language ("Arabic", "Arabisch", "العربية"); the tag if Intl has none. */
function languageName(tag: string, locale: DocumentLocale): string {
  try {
    return new Intl.DisplayNames([locale.language.intl], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export interface StatusSheetInput {
  readonly view: StatusView;
  readonly language: string;
  readonly printedAt: Date;
  readonly paper: PaperSize;
  /** A code to scan at the terminal later (a ticket's), printed under the number. */
  readonly qr?: string | undefined;
}

/** The status answer on paper: the same words as the screen, with the number large and the print date. */
export function buildStatusSheet(
  input: StatusSheetInput,
  deps: { readonly catalog?: LocaleCatalog } = {},
): Promise<DocumentResult> {
  return guarded(async () => {
    const found = (deps.catalog ?? defaultCatalog()).get(input.language);
    if (!found.ok) return err(found.error.code, found.error.message);
    const locale = found.value;
    const direction = locale.language.direction;
    const { view } = input;
    const roll = input.paper === 'roll80';
    const size = roll
      ? { title: 12, big: 16, heading: 10, body: 8.5, small: 7 }
      : { title: 18, big: 22, heading: 13, body: 11, small: 9 };
    const { doc, flow } = await newDocument(PAPER[input.paper], {
      title: `${view.title} ${view.reference}`,
      language: locale.language.intl,
      date: input.printedAt,
    });
    flow.text(view.title, { size: size.title, bold: true, align: 'center', direction });
    flow.gap(4);
    flow.text(view.referenceLabel, { size: size.small, align: 'center', direction });
    flow.text(view.reference, { size: size.big, bold: true, align: 'center' });
    if (input.qr !== undefined) {
      const qr = qrMatrix(input.qr);
      flow.matrix(qr.size, qr.dark, (roll ? 28 : 36) * MM);
    }
    flow.gap(6);
    flow.text(view.headline, { size: size.heading, bold: true, direction });
    if (view.since !== null) flow.text(view.since, { size: size.small, grey: true, direction });
    for (const section of view.sections) {
      flow.gap(6);
      flow.text(section.heading, { size: size.heading, bold: true, direction });
      for (const item of section.items) flow.text(item, { size: size.body, direction, marker: '•' });
    }
    for (const note of view.notes) {
      flow.gap(4);
      flow.text(note, { size: size.body, direction });
    }
    flow.gap(6);
    flow.text(view.nextHeading, { size: size.heading, bold: true, direction });
    flow.text(view.next, { size: size.body, direction });
    flow.gap(8);
    flow.text(fill(locale.status.printedAt, { date: formatDateTime(input.printedAt, locale) }), {
      size: size.small,
      grey: true,
      direction,
    });
    return ok(await finish(doc, flow));
  });
}
