import { describe, expect, it } from 'vitest';
import { defaultAuthorityFacts } from '../../../core/authority.ts';
import {
  buildReceipt,
  buildSummary,
  parseTrackingQr,
  trackingQrPayload,
} from '../../../core/documents/index.ts';
import { defaultCatalog } from '../../../core/documents/locale.ts';
import { staffLanguageName } from '../../../core/documents/summary.ts';
import { decodeQr, pdfText, renderPng, squash } from '../../support/pdf.ts';

const submittedAt = new Date(Date.UTC(2026, 10, 29, 9, 30));

function fields(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    label: `Straße und Hausnummer ${i}`,
    value: `Lindenweg ${i} – Äußere Vorstadt`,
  }));
}

describe('application summary', () => {
  it('runs over pages with umlauts and ß, numbering every page in the one saved file', async () => {
    const result = await buildSummary({
      trackingNumber: 'ST-GM043D40FYV',
      serviceName: 'Verpflichtungserklärung als Privatperson',
      submittedAt,
      terminalId: 'term-1',
      terminalLocation: 'Bürgerbüro Mitte',
      visitorLanguage: 'uk',
      sections: [
        { title: 'Ihre Angaben', fields: fields(25) },
        { title: 'Ihr Gast', fields: fields(25) },
      ],
    });
    if (!result.ok) throw new Error(result.error.message);
    const text = squash(await pdfText(result.value));
    expect(text).toContain(squash('Verpflichtungserklärung als Privatperson'));
    expect(text).toContain(squash('Straße und Hausnummer 24'));
    expect(text).toContain(squash('Lindenweg 24 – Äußere Vorstadt'));
    const pages = /Seite 1 \/ (\d+)/.exec(text)?.[1];
    expect(Number(pages)).toBeGreaterThan(1);
    for (let page = 1; page <= Number(pages); page++) {
      expect(text).toContain(squash(`ST-GM043D40FYV · Seite ${page} / ${pages}`));
    }
  });
});

describe('tracking numbers with each check symbol of the terminal', () => {
  for (const trackingNumber of [
    'ST-N2CDXZ2FQY~',
    'ST-BMHR5H8KQR=',
    'ST-CST1FBXR75*',
    'ST-ABCDEFGHJK$',
    'ST-ABCDEFGHJKU',
  ]) {
    it(`${trackingNumber} is printed and its QR reads back`, async () => {
      const receipt = await buildReceipt({
        trackingNumber,
        caseType: 'declaration-of-commitment-private',
        submittedAt,
        terminalLocation: 'Bürgerbüro Mitte',
        language: 'de',
        queuedOffline: false,
        paper: 'roll80',
        answers: {},
        authority: defaultAuthorityFacts,
      });
      if (!receipt.ok) throw new Error(receipt.error.message);
      expect(decodeQr(await renderPng(receipt.value))).toBe(trackingQrPayload(trackingNumber));
      expect(parseTrackingQr(trackingQrPayload(trackingNumber))).toEqual({
        ok: true,
        value: { trackingNumber },
      });
      const summary = await buildSummary({
        trackingNumber,
        serviceName: 'Rückruf',
        submittedAt,
        terminalId: 'term-1',
        terminalLocation: 'Bürgerbüro Mitte',
        visitorLanguage: 'de',
        sections: [],
      });
      expect(summary.ok).toBe(true);
    });
  }
});

describe('the visitor language on the summary, as a clerk reads it', () => {
  it('names it in German first, then in its own words and code', () => {
    const catalog = defaultCatalog();
    expect(staffLanguageName('fa', catalog)).toBe('Persisch – فارسی / دری (fa)');
    expect(staffLanguageName('fr', catalog)).toBe('Französisch – Français (fr)');
    expect(staffLanguageName('uk', catalog)).toBe('Ukrainisch – Українська (uk)');
    expect(staffLanguageName('de', catalog)).toBe('Deutsch (de)');
    expect(staffLanguageName('de-x-ls', catalog)).toBe('Leichte Sprache (de-x-ls)');
    expect(staffLanguageName('xx', catalog)).toBe('xx');
  });
});
