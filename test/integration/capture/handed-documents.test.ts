import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { calls } from '../../../api/contract.ts';
import { ManualClock } from '../../../common/clock.ts';
import { defaultAuthorityFacts } from '../../../core/authority.ts';
import { type CaptureConfig, captureConfigSchema } from '../../../core/capture-config.ts';
import { defaultCatalog } from '../../../core/documents/locale.ts';
import { paperItemText } from '../../../core/documents/paper-items.ts';
import { EventBus } from '../../../core/events.ts';
import { Journey } from '../../../core/forms/journey.ts';
import { HandedDocuments } from '../../../core/handed-documents.ts';
import { silentLogger } from '../../../core/log.ts';
import { commitmentPrivate } from '../../../core/services/commitment-private.ts';
import { residencePermit } from '../../../core/services/residence-permit.ts';
import { SessionService } from '../../../core/session.ts';
import * as realCapture from '../../../device/capture/index.ts';
import { SaneDriver } from '../../../device/capture/scanners/sane.ts';
import { pageOnDesk } from '../../fixtures/capture/synthetic.ts';

/**
 * The documents of the application on screen, with the real page check and image pipeline
 * (sharp, OpenCV) on synthetic pages: what a visitor does with pages, and that nothing outlives
 * the session.
 */

const today = () => '2026-12-01';
let good: Buffer;
let blurred: Buffer;
let second: Buffer;

beforeAll(async () => {
  good = await pageOnDesk();
  second = await pageOnDesk({
    corners: [
      [240, 70],
      [540, 50],
      [560, 530],
      [260, 550],
    ],
  });
  blurred = await sharp(good).blur(6).jpeg({ quality: 92 }).toBuffer();
});

/** Every page and thumbnail the pipeline handed out, to show that they are overwritten. */
const handedOut: Uint8Array[] = [];

function setup(config: Partial<CaptureConfig> = {}, scanner?: SaneDriver) {
  const clock = new ManualClock();
  const sessions = new SessionService({
    clock,
    events: new EventBus(),
    newId: () => 'session',
    settings: { idleTimeoutSeconds: 120, idleWarningSeconds: 30 },
    defaultLanguage: 'de',
  });
  let journey: Journey | null = null;
  const documents = new HandedDocuments({
    sessions,
    journey: () => journey,
    config: { ...captureConfigSchema.parse(undefined), ...config },
    label: (item, language) => paperItemText(item, language, defaultAuthorityFacts),
    log: silentLogger,
    capture: async () => ({
      ...realCapture,
      capturePreview: async (...args: Parameters<typeof realCapture.capturePreview>) => {
        const answer = await realCapture.capturePreview(...args);
        if (answer.ok) handedOut.push(answer.value.preview.jpeg);
        return answer;
      },
      storePage: async (...args: Parameters<typeof realCapture.storePage>) => {
        const answer = await realCapture.storePage(...args);
        if (answer.ok) handedOut.push(answer.value.jpeg);
        return answer;
      },
    }),
    ...(scanner ? { scannerDriver: () => scanner } : {}),
  });
  sessions.start('de');
  return {
    clock,
    sessions,
    documents,
    begin(definition = residencePermit) {
      journey = new Journey(definition, today);
      return journey;
    },
  };
}

const b64 = (bytes: Buffer) => bytes.toString('base64');

beforeEach(() => {
  handedOut.length = 0;
});

describe('documents of the application on screen (issue 14)', () => {
  it('lists the papers of the checklist, one document each, all still open', async () => {
    const { documents, begin } = setup();
    expect(await documents.list()).toMatchObject({ ok: false, error: { code: 'documents.no_journey' } });
    begin();
    const list = await documents.list();
    if (!list.ok) throw new Error(list.error.code);
    // the photo code and the fee are on the checklist, but they are no papers to hand in
    expect(list.value.items.map((i) => [i.itemId, i.state, i.pages.length])).toEqual([
      ['passport', 'open', 0],
      ['currentTitle', 'open', 0],
      ['incomeInsurance', 'open', 0],
      ['tenancy', 'open', 0],
      ['purposeDocuments', 'open', 0],
    ]);
    expect(list.value).toMatchObject({ bytes: 0, maxPagesPerDocument: 20, camera: false, scanner: false });
    // named as the checklist and the receipt name them, in the session's language
    expect(list.value.items[0]?.label).toBe(defaultCatalog().german.checklist.passport);
    begin(commitmentPrivate);
    const commitment = await documents.list();
    expect(commitment.ok && commitment.value.items.map((i) => i.itemId)).toEqual([
      'identity',
      'payslips',
      'rental',
      'guestPassportCopy',
    ]);
  });

  it('takes a page, refuses a blurred one with its problem, and retakes, reorders and deletes', async () => {
    const { documents, begin } = setup();
    begin();
    const first = await documents.addPage({ itemId: 'incomeInsurance', image: b64(good) });
    if (!first.ok) throw new Error(first.error.code);
    expect(first.value).toMatchObject({ accepted: true, problems: [] });
    const item = first.value.documents.items.find((i) => i.itemId === 'incomeInsurance');
    expect(item?.state).toBe('captured');
    expect(item?.pages).toHaveLength(1);
    const thumbnail = item?.pages[0]?.thumbnail ?? '';
    expect(thumbnail.startsWith('data:image/jpeg;base64,')).toBe(true);
    const thumbBytes = Buffer.from(thumbnail.split(',')[1] ?? '', 'base64');
    const meta = await sharp(thumbBytes).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(240);
    expect(first.value.documents.bytes).toBeGreaterThan(thumbBytes.length);

    const refused = await documents.addPage({ itemId: 'incomeInsurance', image: b64(blurred) });
    expect(refused).toMatchObject({ ok: true, value: { accepted: false, problems: ['blurred'] } });
    expect(refused.ok && refused.value.documents.items[2]?.pages).toHaveLength(1);

    const two = await documents.addPage({ itemId: 'incomeInsurance', image: b64(second) });
    expect(two.ok && two.value.documents.items[2]?.pages).toHaveLength(2);
    const thumbs = two.ok ? (two.value.documents.items[2]?.pages.map((p) => p.thumbnail) ?? []) : [];

    const moved = await documents.movePage({ itemId: 'incomeInsurance', from: 1, to: 0 });
    expect(moved.ok && moved.value.items[2]?.pages.map((p) => p.thumbnail)).toEqual([thumbs[1], thumbs[0]]);

    // a retake of page 0 with the blurred frame is refused; with a good one it replaces the page
    const retakeRefused = await documents.addPage({
      itemId: 'incomeInsurance',
      image: b64(blurred),
      replace: 0,
    });
    expect(retakeRefused).toMatchObject({ ok: true, value: { accepted: false } });
    const retaken = await documents.addPage({ itemId: 'incomeInsurance', image: b64(good), replace: 0 });
    expect(retaken.ok && retaken.value.documents.items[2]?.pages).toHaveLength(2);
    expect(retaken.ok && retaken.value.documents.items[2]?.pages[1]?.thumbnail).toBe(thumbs[0]);

    const removed = await documents.removePage({ itemId: 'incomeInsurance', index: 0 });
    expect(removed.ok && removed.value.items[2]?.pages).toHaveLength(1);
    expect(await documents.removePage({ itemId: 'incomeInsurance', index: 5 })).toMatchObject({
      ok: false,
      error: { code: 'documents.no_page' },
    });
    expect(await documents.movePage({ itemId: 'incomeInsurance', from: 0, to: 3 })).toMatchObject({
      ok: false,
      error: { code: 'documents.no_page' },
    });
    expect(
      await documents.addPage({ itemId: 'incomeInsurance', image: b64(good), replace: 4 }),
    ).toMatchObject({ ok: false, error: { code: 'documents.no_page' } });
  });

  it('marks a document "I will hand it in later", dropping its pages, and takes the mark back', async () => {
    const { documents, begin } = setup();
    begin();
    await documents.addPage({ itemId: 'tenancy', image: b64(good) });
    const later = await documents.later({ itemId: 'tenancy', later: true });
    expect(later.ok && later.value.items.find((i) => i.itemId === 'tenancy')).toMatchObject({
      state: 'later',
      pages: [],
    });
    expect(later.ok && later.value.bytes).toBe(0);
    expect(handedOut.every((bytes) => bytes.every((b) => b === 0))).toBe(true);
    const back = await documents.later({ itemId: 'tenancy', later: false });
    expect(back.ok && back.value.items.find((i) => i.itemId === 'tenancy')?.state).toBe('open');
  });

  it('refuses what is no page, an unknown document and a document over its page limit', async () => {
    const { documents, begin } = setup({ maxPagesPerDocument: 1 });
    begin();
    expect(
      await documents.addPage({
        itemId: 'passport',
        image: Buffer.from('not an image at all').toString('base64'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'capture.not_an_image' } });
    expect(await documents.addPage({ itemId: 'fee', image: b64(good) })).toMatchObject({
      ok: false,
      error: { code: 'documents.unknown_item' },
    });
    expect(await documents.addPage({ itemId: 'passport', image: b64(good) })).toMatchObject({
      ok: true,
      value: { accepted: true },
    });
    expect(await documents.addPage({ itemId: 'passport', image: b64(second) })).toMatchObject({
      ok: false,
      error: { code: 'capture.too_many_pages' },
    });
    expect(await documents.scan({ itemId: 'passport' })).toMatchObject({
      ok: false,
      error: { code: 'documents.no_scanner' },
    });
  });

  it('forgets every page with the session, and a new journey starts with none', async () => {
    const { documents, begin, sessions, clock } = setup();
    begin();
    await documents.addPage({ itemId: 'passport', image: b64(good) });
    await documents.addPage({ itemId: 'tenancy', image: b64(second) });
    expect(documents.pageCount()).toBe(2);
    expect(handedOut.length).toBe(4);
    expect(handedOut.some((bytes) => bytes.some((b) => b !== 0))).toBe(true);
    clock.advance(120_000); // the idle timeout ends the session
    expect(sessions.current()).toBeNull();
    expect(documents.pageCount()).toBe(0);
    expect(handedOut.every((bytes) => bytes.every((b) => b === 0))).toBe(true);

    sessions.start('de');
    begin();
    await documents.addPage({ itemId: 'passport', image: b64(good) });
    begin(); // another application: the first one's pages are gone
    const list = await documents.list();
    expect(list.ok && list.value.items.every((i) => i.state === 'open')).toBe(true);
    expect(documents.pageCount()).toBe(0);
  });

  it('builds one PDF per document handed in and names the missing ones', async () => {
    const { documents, begin } = setup();
    const journey = begin();
    await documents.addPage({ itemId: 'passport', image: b64(good) });
    await documents.addPage({ itemId: 'incomeInsurance', image: b64(good) });
    await documents.addPage({ itemId: 'incomeInsurance', image: b64(second) });
    await documents.later({ itemId: 'tenancy', later: true });
    const built = await documents.forSubmission(journey, new Date(Date.UTC(2026, 11, 1)));
    if (!built.ok) throw new Error(built.error.code);
    expect(built.value.handedIn).toEqual([
      { itemId: 'passport', pages: 1 },
      { itemId: 'incomeInsurance', pages: 2 },
    ]);
    expect(built.value.missing).toEqual(['currentTitle', 'tenancy', 'purposeDocuments']);
    for (const d of built.value.documents) {
      expect(Buffer.from(d.pdf.pdf.subarray(0, 5)).toString()).toBe('%PDF-');
      expect(d.pdf.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe('the scanner path, with SANE for real (scanimage -d test)', () => {
  let saneConfig: string;
  beforeAll(async () => {
    saneConfig = await mkdtemp(join(tmpdir(), 'documents-sane-'));
    await writeFile(join(saneConfig, 'dll.conf'), 'test\n');
  });
  afterAll(() => rm(saneConfig, { recursive: true, force: true }));

  it('answers a scanned page with the page check, and a jam with its code and nothing stored', async () => {
    const env = { ...process.env, SANE_CONFIG_DIR: saneConfig };
    const scanning = setup({ scanner: 'sane:test:0', scanResolution: 75 }, new SaneDriver({ env }));
    scanning.begin();
    const scanned = await scanning.documents.scan({ itemId: 'passport' });
    // SANE's test picture is a pattern, not a page: the answer is the page check's, not an error
    expect(scanned.ok).toBe(true);
    expect(scanned.ok && scanned.value.documents.scanner).toBe(true);

    const jammed = setup(
      { scanner: 'sane:test:0', scanResolution: 75 },
      new SaneDriver({ env, backendArgs: ['--read-return-value', 'SANE_STATUS_JAMMED'] }),
    );
    jammed.begin();
    expect(await jammed.documents.scan({ itemId: 'passport' })).toMatchObject({
      ok: false,
      error: { code: 'scanner.jammed' },
    });
    expect(jammed.documents.pageCount()).toBe(0);
  });
});

describe('the calls are validated before they reach the documents', () => {
  it('refuses a malformed item id, a negative index and an oversized frame', () => {
    const add = calls['documents.addPage'].input;
    expect(add.safeParse({ itemId: 'passport', image: 'A'.repeat(64) }).success).toBe(true);
    expect(add.safeParse({ itemId: '../x', image: 'A'.repeat(64) }).success).toBe(false);
    expect(add.safeParse({ itemId: 'passport', image: 'A'.repeat(3 * 1024 * 1024 + 1) }).success).toBe(false);
    expect(add.safeParse({ itemId: 'passport', image: 'A'.repeat(64), extra: 1 }).success).toBe(false);
    expect(calls['documents.removePage'].input.safeParse({ itemId: 'passport', index: -1 }).success).toBe(
      false,
    );
    expect(calls['documents.later'].input.safeParse({ itemId: 'passport', later: 'yes' }).success).toBe(
      false,
    );
  });
});
