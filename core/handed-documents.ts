import type { DocumentsState, PageAnswer, PageProblemCode } from '../api/documents.ts';
import { type Envelope, err as fail, ok, type Result } from '../common/result.ts';
import type { CaptureLimits } from '../device/capture/limits.ts';
import type { ScannerDriver } from '../device/capture/scanners/types.ts';
import type { CaptureConfig } from './capture-config.ts';
import type { ChecklistItem } from './documents/types.ts';
import type { Journey } from './forms/journey.ts';
import type { Logger } from './log.ts';
import type { SessionService } from './session.ts';
import { type DocumentsForSubmission, documentItemsFor, type SubmissionDocuments } from './submit.ts';

/**
 * The documents a visitor hands in with the application on screen: pages per checklist item,
 * from a camera frame or the configured scanner, each checked (blurred, too dark, too bright, cut
 * off, no document) and stored as the application will keep it. Everything lives in memory: the
 * pages, their thumbnails and a running scan belong to one journey and are overwritten and
 * dropped when the session is forgotten, another journey starts, or the application is sealed.
 *
 * The image work (sharp, OpenCV) is loaded at the first page, not at the kiosk's start, and runs
 * in a worker thread (device/capture/worker-client.ts).
 */

export const documentErrors = {
  noJourney: 'documents.no_journey',
  unknownItem: 'documents.unknown_item',
  noPage: 'documents.no_page',
  noScanner: 'documents.no_scanner',
  /** The journey changed (or the session ended) while a page was being processed. */
  gone: 'documents.gone',
} as const;

/** The thumbnail's long side on screen, in pixels. */
const THUMBNAIL_SIZE = 240;

type Capture = typeof import('../device/capture/index.ts');

export interface HandedDocumentsDeps {
  readonly sessions: SessionService;
  /** The journey on screen, or null. */
  readonly journey: () => Journey | null;
  readonly config: CaptureConfig;
  /** An item's name in the visitor's language, as the checklist and the receipt print it. */
  readonly label: (item: ChecklistItem, language: string) => string;
  readonly log: Logger;
  /** The image work; `device/capture` unless a test passes another. */
  readonly capture?: () => Promise<Capture>;
  /** The items a journey offers when they are not its checklist's (documents handed in later). */
  readonly items?: (journey: Journey) => ChecklistItem[] | undefined;
  /** The scanner driver for the configured backend; by default SANE or WIA from device/capture. */
  readonly scannerDriver?: (backend: 'sane' | 'wia', capture: Capture) => ScannerDriver;
}

interface Held {
  readonly journey: Journey;
  readonly documents: import('../device/capture/documents.ts').CapturedDocuments;
  /** Thumbnails beside the pages, in the same order. */
  readonly thumbnails: Map<string, { jpeg: Uint8Array; width: number; height: number }[]>;
  readonly later: Set<string>;
  /** Stops a running scan when the documents are dropped. */
  readonly abort: AbortController;
}

export class HandedDocuments implements SubmissionDocuments {
  readonly #deps: HandedDocumentsDeps;
  readonly #unsubscribe: () => void;
  #held: Held | null = null;
  #capture: Promise<Capture> | null = null;
  #worker: { close(): Promise<void> } | null = null;

  constructor(deps: HandedDocumentsDeps) {
    this.#deps = deps;
    this.#unsubscribe = deps.sessions.onForget(() => this.drop());
  }

  #loadCapture(): Promise<Capture> {
    this.#capture ??= (this.#deps.capture ?? (() => this.#inWorker()))();
    return this.#capture;
  }

  /** device/capture with the page check and the pipeline in a worker thread (the event loop stays free). */
  async #inWorker(): Promise<Capture> {
    const capture = await import('../device/capture/index.ts');
    const worker = new capture.CaptureWorker();
    this.#worker = worker;
    return {
      ...capture,
      capturePreview: (bytes, options) => worker.capturePreview(bytes, options),
      storePage: (bytes, options) => worker.storePage(bytes, options),
    };
  }

  #limits(capture: Capture): CaptureLimits {
    return capture.captureLimits({
      maxPagesPerDocument: this.#deps.config.maxPagesPerDocument,
      maxApplicationBytes: this.#deps.config.maxApplicationBytes,
    });
  }

  /** The documents of the journey on screen; those of an earlier journey are dropped first. */
  async #current(): Promise<Result<Held>> {
    const journey = this.#deps.journey();
    if (!journey) {
      this.drop();
      return fail(documentErrors.noJourney, 'no application on screen');
    }
    if (this.#held?.journey === journey) return ok(this.#held);
    this.drop();
    const capture = await this.#loadCapture();
    // the journey may have changed while the image work loaded
    if (this.#deps.journey() !== journey) return fail(documentErrors.gone, 'the application changed');
    if (this.#held?.journey === journey) return ok(this.#held);
    this.#held = {
      journey,
      documents: new capture.CapturedDocuments(this.#limits(capture)),
      thumbnails: new Map(),
      later: new Set(),
      abort: new AbortController(),
    };
    return ok(this.#held);
  }

  #items(held: Held): ChecklistItem[] {
    return this.#itemsOf(held.journey);
  }

  #itemsOf(journey: Journey): ChecklistItem[] {
    return this.#deps.items?.(journey) ?? documentItemsFor(journey.serviceId, journey.values());
  }

  #item(held: Held, itemId: string): Result<ChecklistItem> {
    const item = this.#items(held).find((i) => i === itemId);
    return item ? ok(item) : fail(documentErrors.unknownItem, 'this application has no such document');
  }

  #view(held: Held): DocumentsState {
    const limits = held.documents.limits;
    const language = this.#deps.sessions.current()?.language ?? 'de';
    return {
      items: this.#items(held).map((itemId) => {
        const pages = (held.thumbnails.get(itemId) ?? []).map((t) => ({
          thumbnail: `data:image/jpeg;base64,${Buffer.from(t.jpeg).toString('base64')}`,
          width: t.width,
          height: t.height,
        }));
        const state = pages.length > 0 ? 'captured' : held.later.has(itemId) ? 'later' : 'open';
        return { itemId, label: this.#deps.label(itemId, language), state, pages };
      }),
      bytes: held.documents.estimatedBytes(),
      maxApplicationBytes: limits.maxApplicationBytes,
      maxPagesPerDocument: limits.maxPagesPerDocument,
      camera: this.#deps.config.camera,
      scanner: this.#deps.config.scanner !== null,
    };
  }

  async list(): Promise<Envelope<DocumentsState>> {
    const held = await this.#current();
    return held.ok ? ok(this.#view(held.value)) : held;
  }

  /** A camera frame (base64 JPEG or PNG) for `itemId`: a new page, or the retake of `replace`. */
  async addPage(input: {
    itemId: string;
    image: string;
    replace?: number | undefined;
  }): Promise<Envelope<PageAnswer>> {
    const bytes = Buffer.from(input.image, 'base64');
    return this.#take(input.itemId, input.replace, async () => ok(bytes));
  }

  /** A page from the configured scanner for `itemId`. */
  async scan(input: { itemId: string; replace?: number | undefined }): Promise<Envelope<PageAnswer>> {
    const configured = this.#deps.config.scanner;
    if (configured === null) return fail(documentErrors.noScanner, 'no scanner is configured here');
    const colon = configured.indexOf(':');
    const backend = configured.slice(0, colon) as 'sane' | 'wia';
    const device = configured.slice(colon + 1);
    return this.#take(input.itemId, input.replace, async (held, capture) => {
      const driver = this.#deps.scannerDriver
        ? this.#deps.scannerDriver(backend, capture)
        : backend === 'sane'
          ? new capture.SaneDriver()
          : new capture.WiaDriver();
      const scanned = await driver.scan(device, {
        resolution: this.#deps.config.scanResolution,
        signal: held.abort.signal,
      });
      if (!scanned.ok) {
        this.#deps.log.warn('documents.scan_failed', { code: scanned.error.code });
        return scanned;
      }
      return ok(scanned.value.png);
    });
  }

  async #take(
    itemId: string,
    replace: number | undefined,
    image: (held: Held, capture: Capture) => Promise<Result<Uint8Array>>,
  ): Promise<Envelope<PageAnswer>> {
    const found = await this.#current();
    if (!found.ok) return found;
    const held = found.value;
    const item = this.#item(held, itemId);
    if (!item.ok) return item;
    if (replace !== undefined && held.documents.pages(itemId)[replace] === undefined)
      return fail(documentErrors.noPage, 'no such page to retake');
    this.#deps.sessions.touch();
    const capture = await this.#loadCapture();
    const bytes = await image(held, capture);
    if (!bytes.ok) return bytes;
    try {
      return await this.#keep(held, itemId, replace, bytes.value, capture);
    } finally {
      // the frame or scan as it came in: overwritten once the page is checked and stored
      bytes.value.fill(0);
    }
  }

  async #keep(
    held: Held,
    itemId: string,
    replace: number | undefined,
    bytes: Uint8Array,
    capture: Capture,
  ): Promise<Envelope<PageAnswer>> {
    const limits = held.documents.limits;
    const preview = await capture.capturePreview(bytes, { size: THUMBNAIL_SIZE, limits });
    if (!preview.ok) return preview;
    const check = preview.value.check;
    if (this.#held !== held) return fail(documentErrors.gone, 'the application changed');
    if (!check.ok) {
      preview.value.preview.jpeg.fill(0);
      return ok({
        accepted: false,
        problems: [...check.problems] as PageProblemCode[],
        documents: this.#view(held),
      });
    }
    const stored = await capture.storePage(bytes, { check, limits });
    if (!stored.ok) return stored;
    if (this.#held !== held) {
      stored.value.jpeg.fill(0);
      preview.value.preview.jpeg.fill(0);
      return fail(documentErrors.gone, 'the application changed');
    }
    const thumbnails = held.thumbnails.get(itemId) ?? [];
    const kept =
      replace !== undefined && held.documents.pages(itemId)[replace] !== undefined
        ? held.documents.replacePage(itemId, replace, stored.value)
        : held.documents.addPage(itemId, stored.value);
    if (!kept.ok) {
      stored.value.jpeg.fill(0);
      preview.value.preview.jpeg.fill(0);
      return kept;
    }
    thumbnails[kept.value.index]?.jpeg.fill(0);
    thumbnails[kept.value.index] = preview.value.preview;
    held.thumbnails.set(itemId, thumbnails);
    held.later.delete(itemId);
    this.#deps.sessions.touch();
    return ok({ accepted: true, problems: [], documents: this.#view(held) });
  }

  async movePage(input: { itemId: string; from: number; to: number }): Promise<Envelope<DocumentsState>> {
    return this.#edit(input.itemId, (held, count) => {
      if (input.from >= count || input.to >= count) return false;
      held.documents.movePage(input.itemId, input.from, input.to);
      const thumbnails = held.thumbnails.get(input.itemId) ?? [];
      const [moved] = thumbnails.splice(input.from, 1);
      if (moved) thumbnails.splice(input.to, 0, moved);
      return true;
    });
  }

  async removePage(input: { itemId: string; index: number }): Promise<Envelope<DocumentsState>> {
    return this.#edit(input.itemId, (held, count) => {
      if (input.index >= count) return false;
      held.documents.removePage(input.itemId, input.index);
      const [removed] = (held.thumbnails.get(input.itemId) ?? []).splice(input.index, 1);
      removed?.jpeg.fill(0);
      return true;
    });
  }

  /** Marks an item "I will hand it in later" (its pages are dropped), or takes the mark back. */
  async later(input: { itemId: string; later: boolean }): Promise<Envelope<DocumentsState>> {
    return this.#edit(input.itemId, (held, count) => {
      if (!input.later) {
        held.later.delete(input.itemId);
        return true;
      }
      for (let i = count - 1; i >= 0; i--) held.documents.removePage(input.itemId, i);
      for (const t of held.thumbnails.get(input.itemId) ?? []) t.jpeg.fill(0);
      held.thumbnails.delete(input.itemId);
      held.later.add(input.itemId);
      return true;
    });
  }

  async #edit(
    itemId: string,
    change: (held: Held, pageCount: number) => boolean,
  ): Promise<Envelope<DocumentsState>> {
    const found = await this.#current();
    if (!found.ok) return found;
    const held = found.value;
    const item = this.#item(held, itemId);
    if (!item.ok) return item;
    if (!change(held, held.documents.pages(itemId).length))
      return fail(documentErrors.noPage, 'no such page');
    this.#deps.sessions.touch();
    return ok(this.#view(held));
  }

  /**
   * The documents of `journey` as the submission seals them: one PDF per item with pages, the
   * items still missing (marked for later or not handed in). Nothing when the journey has none.
   */
  async forSubmission(journey: Journey, createdAt: Date): Promise<Result<DocumentsForSubmission>> {
    const items = this.#itemsOf(journey);
    const held = this.#held?.journey === journey ? this.#held : null;
    if (!held) return ok({ documents: [], handedIn: [], missing: items });
    const pdfs = await held.documents.toPdfs({ createdAt });
    if (!pdfs.ok) return pdfs;
    const documents = items.flatMap((itemId) => {
      const pdf = pdfs.value.get(itemId);
      return pdf ? [{ itemId, pdf }] : [];
    });
    return ok({
      documents,
      handedIn: documents.map((d) => ({ itemId: d.itemId, pages: d.pdf.pages })),
      missing: items.filter((item) => !pdfs.value.has(item)),
    });
  }

  /** Overwrites and drops every page and thumbnail, and stops a running scan. */
  drop(): void {
    const held = this.#held;
    if (!held) return;
    this.#held = null;
    held.abort.abort();
    held.documents.clear();
    for (const thumbnails of held.thumbnails.values()) for (const t of thumbnails) t.jpeg.fill(0);
    held.thumbnails.clear();
    held.later.clear();
  }

  /** Pages held now (all items), for tests and the administrator's figures. */
  pageCount(): number {
    const held = this.#held;
    if (!held) return 0;
    return held.documents.documentIds().reduce((n, id) => n + held.documents.pages(id).length, 0);
  }

  /** Drops the pages and ends the worker thread, if one was started. */
  async dispose(): Promise<void> {
    this.drop();
    this.#unsubscribe();
    await this.#capture?.catch(() => undefined);
    await this.#worker?.close();
  }
}
