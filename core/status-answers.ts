import type { StatusView } from '../api/contract.ts';
import type { Clock } from '../common/clock.ts';
import { type Envelope, err as fail, ok } from '../common/result.ts';
import { buildStatusSheet } from './documents/status-sheet.ts';
import type { PaperSize } from './documents/types.ts';
import { buildAndPrint, type Printer, type PrintOutcome } from './printing/index.ts';
import type { SessionService } from './session.ts';

const answerKey = 'statusAnswer';

interface Kept {
  readonly view: StatusView;
  readonly language: string;
  readonly qr: string | undefined;
}

export interface StatusAnswersDeps {
  readonly sessions: SessionService;
  readonly printer: Printer | null;
  readonly paper: PaperSize;
  readonly clock: Clock;
}

/**
 * The status answer on the visitor's screen (a case's status or a ticket), kept in the session
 * (memory only, forgotten with it) so the visitor can print it: the paper says what the screen says.
 */
export class StatusAnswers {
  readonly #deps: StatusAnswersDeps;

  constructor(deps: StatusAnswersDeps) {
    this.#deps = deps;
  }

  /** The answer now on screen; the one before it is forgotten. */
  show(view: StatusView | null, language: string, qr?: string): void {
    const data = this.#deps.sessions.data();
    if (view === null) data?.delete(answerKey);
    else data?.set(answerKey, { view, language, qr } satisfies Kept);
  }

  /** Prints the answer on screen in its language; `status.none` when there is none. */
  async print(): Promise<Envelope<PrintOutcome>> {
    const kept = this.#deps.sessions.data()?.get(answerKey) as Kept | undefined;
    if (kept === undefined) return fail('status.none', 'no status answer to print');
    return ok(await this.printView(kept.view, kept.language, kept.qr));
  }

  /** Prints a view now (a ticket as it is made). */
  printView(view: StatusView, language: string, qr?: string): Promise<PrintOutcome> {
    return buildAndPrint(
      this.#deps.printer,
      () =>
        buildStatusSheet({
          view,
          language,
          printedAt: new Date(this.#deps.clock.now()),
          paper: this.#deps.paper,
          qr,
        }),
      { jobName: 'Status' },
    );
  }
}
