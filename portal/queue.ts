/**
 * The waiting queue in the authority's building: check-in with an invitation letter's signed QR or
 * as a walk-in (for the topics the installation takes walk-ins for), the counter's "call next"
 * that assigns a desk, a waiting-room display ("A-042 → Schalter 4") and a page per ticket to
 * follow on a phone. Numbers start again each day (Europe/Berlin). Nothing here names a person:
 * a ticket is a number, a kind, a topic or case reference for the counter, and an opaque id.
 *
 * The table is created here (`CREATE TABLE IF NOT EXISTS`), as the fleet store does its own.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { berlinDate, type Clock } from '../common/clock.ts';
import {
  type CheckInRequest,
  type CheckInResponse,
  INVITATION_JWS_TYPE,
  invitationSchema,
  QUEUE_TICKET_JWS_TYPE,
  type QueueTicket,
  type TicketTopic,
  verifyPortalSigned,
} from '../sync/protocol/index.ts';
import { adminAuthorised } from './admin.ts';
import type { Db } from './db.ts';
import { iso } from './deps.ts';
import { type Answer, answer, asProblem, failure, sendAnswer } from './http.ts';
import { type SigningKey, signCompactEs256 } from './keys.ts';

/** The installation's queue: where invited and walk-in visitors wait, and which topics take walk-ins. */
export interface QueueSettings {
  readonly waitingArea: string;
  readonly walkInTopics: readonly TicketTopic[];
}

/** The demo installation's queue (a real one sets its own with the portal's options). */
export const DEMO_QUEUE: QueueSettings = {
  waitingArea: 'Wartebereich B, Erdgeschoss',
  walkInTopics: ['cardPickup', 'documents'],
};

const PREFIX = { invited: 'A', walk_in: 'W' } as const;

interface Row {
  readonly follow_id: string;
  readonly number: string;
  readonly day: string;
  readonly kind: 'invited' | 'walk_in';
  readonly issued_at: number;
  readonly called_at: number | null;
  readonly desk: string | null;
}

/** What the waiting room shows: the numbers called (newest first, with their desk) and those waiting. */
export interface QueueDisplay {
  readonly called: readonly { readonly number: string; readonly desk: string }[];
  readonly waiting: readonly string[];
}

/** One ticket as its phone page shows it. */
export type TicketProgress =
  | {
      readonly number: string;
      readonly state: 'waiting';
      readonly ahead: number;
      readonly waitingArea: string;
    }
  | { readonly number: string; readonly state: 'called'; readonly desk: string };

export class Queue {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #key: SigningKey;
  readonly #settings: QueueSettings;

  constructor(db: Db, clock: Clock, key: SigningKey, settings: QueueSettings = DEMO_QUEUE) {
    this.#db = db;
    this.#clock = clock;
    this.#key = key;
    this.#settings = settings;
    db.exec(`CREATE TABLE IF NOT EXISTS queue_tickets (
      follow_id TEXT PRIMARY KEY, number TEXT NOT NULL, day TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('invited', 'walk_in')), case_reference TEXT, topic TEXT,
      terminal_id TEXT NOT NULL, issued_at INTEGER NOT NULL, called_at INTEGER, desk TEXT,
      UNIQUE (day, number), UNIQUE (day, case_reference)
    )`);
  }

  /** A terminal's check-in: a queue ticket, signed for that terminal, or a problem. */
  async checkIn(terminalId: string, request: CheckInRequest): Promise<Answer> {
    const now = this.#clock.now();
    const day = berlinDate(now);
    if ('walkIn' in request) {
      if (!this.#settings.walkInTopics.includes(request.walkIn)) {
        return failure(
          422,
          'queue.walk_in_not_offered',
          'This topic takes no walk-ins here; an appointment is needed.',
        );
      }
      return this.#issued(
        this.#issue(day, 'walk_in', { topic: request.walkIn }, terminalId, now),
        terminalId,
      );
    }
    const invitation = await verifyPortalSigned(
      request.invitation,
      INVITATION_JWS_TYPE,
      invitationSchema,
      this.#key.publicJwk,
    );
    if (!invitation.ok || invitation.value.exp * 1000 < now) {
      return failure(
        422,
        'invitation.invalid',
        'The invitation is not one of this portal, or it has expired.',
      );
    }
    const { caseReference, appointment } = invitation.value;
    if (berlinDate(Date.parse(appointment.at)) !== day) {
      return failure(409, 'invitation.not_today', 'The appointment of this invitation is on another day.');
    }
    const earlier = this.#db
      .prepare('SELECT * FROM queue_tickets WHERE day = ? AND case_reference = ?')
      .get(day, caseReference) as Row | undefined;
    return this.#issued(
      earlier ?? this.#issue(day, 'invited', { caseReference }, terminalId, now),
      terminalId,
    );
  }

  /** The counter calls the next waiting number of the day to `desk`; undefined when nobody waits. */
  callNext(desk: string): { readonly number: string; readonly desk: string } | undefined {
    const now = this.#clock.now();
    return this.#db.transaction(() => {
      const next = this.#db
        .prepare(
          'SELECT * FROM queue_tickets WHERE day = ? AND called_at IS NULL ORDER BY issued_at, number LIMIT 1',
        )
        .get(berlinDate(now)) as Row | undefined;
      if (next === undefined) return undefined;
      this.#db
        .prepare('UPDATE queue_tickets SET called_at = ?, desk = ? WHERE follow_id = ?')
        .run(now, desk, next.follow_id);
      return { number: next.number, desk };
    })();
  }

  display(): QueueDisplay {
    const day = berlinDate(this.#clock.now());
    const called = this.#db
      .prepare(
        'SELECT number, desk FROM queue_tickets WHERE day = ? AND called_at IS NOT NULL ORDER BY called_at DESC, number DESC LIMIT 8',
      )
      .all(day) as { number: string; desk: string }[];
    const waiting = this.#db
      .prepare(
        'SELECT number FROM queue_tickets WHERE day = ? AND called_at IS NULL ORDER BY issued_at, number',
      )
      .all(day) as { number: string }[];
    return { called, waiting: waiting.map((w) => w.number) };
  }

  /** A ticket by the opaque id of its phone page; undefined for an unknown id or another day's. */
  progress(followId: string): TicketProgress | undefined {
    const row = this.#db.prepare('SELECT * FROM queue_tickets WHERE follow_id = ?').get(followId) as
      | Row
      | undefined;
    if (row === undefined || row.day !== berlinDate(this.#clock.now())) return undefined;
    if (row.called_at !== null && row.desk !== null)
      return { number: row.number, state: 'called', desk: row.desk };
    const ahead = (
      this.#db
        .prepare(
          'SELECT COUNT(*) AS n FROM queue_tickets WHERE day = ? AND called_at IS NULL AND (issued_at < ? OR (issued_at = ? AND number < ?))',
        )
        .get(row.day, row.issued_at, row.issued_at, row.number) as { n: number }
    ).n;
    return { number: row.number, state: 'waiting', ahead, waitingArea: this.#settings.waitingArea };
  }

  #issue(
    day: string,
    kind: Row['kind'],
    about: { caseReference?: string; topic?: TicketTopic },
    terminalId: string,
    now: number,
  ): Row {
    return this.#db.transaction((): Row => {
      const count = (
        this.#db
          .prepare('SELECT COUNT(*) AS n FROM queue_tickets WHERE day = ? AND kind = ?')
          .get(day, kind) as {
          n: number;
        }
      ).n;
      const number = `${PREFIX[kind]}-${String((count % 999) + 1).padStart(3, '0')}`;
      const followId = randomBytes(18).toString('base64url');
      this.#db
        .prepare(
          'INSERT INTO queue_tickets (follow_id, number, day, kind, case_reference, topic, terminal_id, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(followId, number, day, kind, about.caseReference ?? null, about.topic ?? null, terminalId, now);
      return this.#db.prepare('SELECT * FROM queue_tickets WHERE follow_id = ?').get(followId) as Row;
    })();
  }

  #issued(row: Row, terminalId: string): Answer {
    const ticket: QueueTicket = {
      number: row.number,
      kind: row.kind,
      waitingArea: this.#settings.waitingArea,
      followPath: `/queue/tickets/${row.follow_id}`,
      issuedAt: iso(row.issued_at),
      terminalId,
      iat: Math.floor(this.#clock.now() / 1000),
    };
    const body: CheckInResponse = { ticket: signCompactEs256(this.#key, ticket, QUEUE_TICKET_JWS_TYPE) };
    return answer(201, body);
  }
}

const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const followIdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });
const callNextBody = z.object({ desk: z.string().trim().min(1).max(40) }).strict();

function page(reply: FastifyReply, type: string, body: string): FastifyReply {
  return reply.headers(PAGE_HEADERS).type(type).send(body);
}

/**
 * The public pages (the waiting-room display and each ticket's phone page, with the JSON they
 * poll) and the counter's `POST /admin/v1/queue/call-next {desk}` (admin token).
 */
export function registerQueueRoutes(app: FastifyInstance, deps: { token: string; queue: Queue }): void {
  app.get('/queue/display', async (_request, reply) => page(reply, 'text/html; charset=utf-8', DISPLAY_PAGE));
  app.get('/queue/display.json', async (_request, reply) => {
    reply.headers(PAGE_HEADERS);
    return deps.queue.display();
  });
  app.get('/queue/queue.js', async (_request, reply) =>
    page(reply, 'text/javascript; charset=utf-8', SCRIPT),
  );
  app.get('/queue/queue.css', async (_request, reply) => page(reply, 'text/css; charset=utf-8', STYLE));
  app.get('/queue/tickets/:id', async (request, reply) => {
    const params = followIdParam.safeParse(request.params);
    if (!params.success || deps.queue.progress(params.data.id) === undefined) {
      return reply.code(404).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(GONE_PAGE);
    }
    return page(reply, 'text/html; charset=utf-8', TICKET_PAGE);
  });
  app.get('/queue/tickets/:id/progress.json', async (request, reply) => {
    const params = followIdParam.safeParse(request.params);
    const progress = params.success ? deps.queue.progress(params.data.id) : undefined;
    if (progress === undefined)
      return sendAnswer(reply, asProblem(failure(404, 'ticket.not_found', 'No such ticket today.')));
    reply.headers(PAGE_HEADERS);
    return progress;
  });
  app.post('/admin/v1/queue/call-next', async (request, reply) => {
    if (!adminAuthorised(request.headers.authorization, deps.token)) {
      return sendAnswer(
        reply,
        asProblem(failure(401, 'auth.invalid', 'The admin token is missing or wrong.')),
      );
    }
    const body = callNextBody.safeParse(request.body);
    if (!body.success)
      return sendAnswer(reply, asProblem(failure(400, 'request.invalid', 'desk: 1 to 40 characters.')));
    const called = deps.queue.callNext(body.data.desk);
    if (called === undefined)
      return sendAnswer(reply, asProblem(failure(404, 'queue.empty', 'Nobody is waiting.')));
    return called;
  });
}

const STYLE = `body{margin:0;font-family:"DejaVu Sans",sans-serif;background:#0b3d63;color:#fff}
main{padding:2rem}h1{font-size:2.4rem;margin:0 0 1.5rem}
ol{list-style:none;margin:0;padding:0}li{font-size:3rem;padding:.4rem 0;border-bottom:1px solid #4d7ea3}
.number{font-weight:bold;display:inline-block;min-width:8ch}.waiting li{font-size:1.8rem}
.ticket{background:#fff;color:#111;text-align:center}.ticket .number{font-size:5rem;display:block}
.ticket p{font-size:1.5rem}.en{color:#444;font-size:1.1rem}`;

const DISPLAY_PAGE = `<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Aufruf – Calling</title><link rel="stylesheet" href="/queue/queue.css"></head>
<body data-page="display"><main>
<h1>Aufruf <span lang="en">· Now calling</span></h1>
<ol id="called" aria-label="Aufgerufen – called" aria-live="polite"></ol>
<h2>Bitte warten <span lang="en">· Please wait</span></h2>
<ol id="waiting" class="waiting" aria-label="Wartend – waiting"></ol>
</main><script src="/queue/queue.js"></script></body></html>`;

const TICKET_PAGE = `<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Ihre Wartenummer – your number</title><link rel="stylesheet" href="/queue/queue.css"></head>
<body data-page="ticket" class="ticket"><main>
<h1>Ihre Wartenummer <span lang="en" class="en">· Your number</span></h1>
<span class="number" id="number"></span>
<p id="state" role="status" aria-live="polite"></p>
</main><script src="/queue/queue.js"></script></body></html>`;

const GONE_PAGE = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Nicht gefunden – not found</title></head>
<body><main><h1>Diese Wartenummer gilt nicht mehr. <span lang="en">This number is no longer valid.</span></h1></main></body></html>`;

/** Polls the JSON of its page every 3 s and writes it as text (never as HTML). */
const SCRIPT = `(function () {
  var kind = document.body.getAttribute('data-page');
  function item(list, number, desk) {
    var li = document.createElement('li');
    var n = document.createElement('span');
    n.className = 'number';
    n.textContent = number;
    li.appendChild(n);
    if (desk) li.appendChild(document.createTextNode(' \\u2192 ' + desk));
    list.appendChild(li);
  }
  function show(data) {
    if (kind === 'display') {
      var called = document.getElementById('called');
      var waiting = document.getElementById('waiting');
      called.textContent = '';
      waiting.textContent = '';
      data.called.forEach(function (c) { item(called, c.number, c.desk); });
      data.waiting.forEach(function (w) { item(waiting, w); });
    } else {
      document.getElementById('number').textContent = data.number;
      document.getElementById('state').textContent = data.state === 'called'
        ? 'Bitte gehen Sie jetzt zu: ' + data.desk + ' \\u2013 Please go to: ' + data.desk
        : 'Bitte warten Sie: ' + data.waitingArea + '. Vor Ihnen: ' + data.ahead + ' \\u2013 Please wait: ' + data.waitingArea + '. Ahead of you: ' + data.ahead;
    }
  }
  var url = kind === 'display' ? '/queue/display.json' : location.pathname + '/progress.json';
  function poll() {
    fetch(url, { cache: 'no-store' }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) show(data); }).catch(function () {});
  }
  poll();
  setInterval(poll, 3000);
})();`;
