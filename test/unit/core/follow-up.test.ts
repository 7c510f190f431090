import { describe, expect, it } from 'vitest';
import { visitorLanguages } from '../../../common/vocabulary.ts';
import { defaultCatalog } from '../../../core/documents/locale.ts';
import { receiptView } from '../../../core/follow-up.ts';

const catalog = defaultCatalog();
const at = new Date('2026-12-07T10:15:00.000Z');

describe("a follow-up's receipt", () => {
  it.each(visitorLanguages)(
    'lists handed in and still missing in %s, with the follow-up number',
    (language) => {
      const words = catalog.get(language);
      if (!words.ok) throw new Error(language);
      const { receipt, checklist, status } = words.value;
      const view = receiptView({
        caseReference: 'ABH-2026-000042',
        trackingNumber: 'ST-R70W3GE1R7S',
        handedIn: [
          { itemId: 'tenancy', pages: 2 },
          { itemId: 'incomeInsurance', pages: 1 },
        ],
        missing: ['payslips'],
        queued: false,
        language,
        at,
      });
      expect(view).not.toBeNull();
      expect(view?.reference).toBe('ABH-2026-000042');
      expect(view?.headline).toBe(status.headline.documents_received);
      expect(view?.sections).toEqual([
        {
          heading: receipt.handedIn,
          items: [
            `${checklist.tenancy} (${receipt.pageCount.replace('{count}', '2')})`,
            `${checklist.incomeInsurance} (${receipt.pageCount.replace('{count}', '1')})`,
          ],
        },
        { heading: status.missingHeading, items: [checklist.payslips] },
      ]);
      expect(view?.notes).toEqual([`${receipt.trackingNumber}: ST-R70W3GE1R7S`]);
    },
  );

  it('says when the follow-up still waits at the terminal, and has no missing list when all came', () => {
    const view = receiptView({
      caseReference: 'ABH-2026-000042',
      trackingNumber: 'ST-R70W3GE1R7S',
      handedIn: [{ itemId: 'tenancy', pages: 1 }],
      missing: [],
      queued: true,
      language: 'de',
      at,
    });
    const de = catalog.german;
    expect(view?.sections.map((s) => s.heading)).toEqual([de.receipt.handedIn]);
    expect(view?.notes).toContain(de.receipt.queuedOffline);
  });

  it('makes none for a language without texts', () => {
    const view = receiptView({
      caseReference: 'ABH-2026-000042',
      trackingNumber: 'ST-R70W3GE1R7S',
      handedIn: [{ itemId: 'tenancy', pages: 1 }],
      missing: [],
      queued: false,
      language: 'xx',
      at,
    });
    expect(view).toBeNull();
  });
});
