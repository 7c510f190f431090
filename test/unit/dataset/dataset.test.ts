import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FieldValues } from '../../../api/forms.ts';
import { buildDataSet, type DataSet, dataSetJsonSchema, pathsOf } from '../../../core/dataset/index.ts';
import { dataSetSections } from '../../../core/dataset/summary.ts';
import { buildSummary, summaryLabels } from '../../../core/documents/index.ts';
import { Journey } from '../../../core/forms/journey.ts';
import { serviceDefinitions } from '../../../core/services/index.ts';
import { residencePermit } from '../../../core/services/residence-permit.ts';
import { applicationData } from '../../../core/submit.ts';
import { dataSetProblems, dataSetSchemas, publicServices } from '../../../sync/protocol/datasets.ts';
import { buildOpenApiDocument } from '../../../sync/protocol/openapi.ts';
import { pdfText, squash } from '../../support/pdf.ts';

const published = (id: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../../sync/protocol/datasets', `${id}.json`), 'utf8'),
  );

const withDataSet = [...serviceDefinitions.values()].filter((d) => publicServices[d.id]);

const extension: Record<string, FieldValues> = {
  request: {
    request: 'permit',
    permitRequest: 'extend',
    currentTitle: 'residencePermit',
    currentTitleExpiry: '2027-01-15',
    purpose: 'employment',
    employerName: 'Muster Logistik GmbH',
    jobTitle: 'Lagerlogistiker',
    grossSalary: '3200,50',
  },
  timeliness: { fictionCertificate: 'no' },
  personal: {
    lastName: 'Öztürk',
    firstNames: 'Ayşe',
    birthDate: '1990-01-31',
    nationality: 'TUR',
    documentNumber: 'U12345678',
    sex: 'F',
  },
  background: {
    birthPlace: 'Izmir',
    birthCountry: 'TUR',
    maritalStatus: 'married',
    previousStays: 'no',
    healthInsurance: 'statutory',
    housing: 'rented',
  },
  record: { convictions: 'no', expulsions: 'no' },
  address: {
    street: 'Hauptstraße',
    houseNumber: '12',
    postcode: '04109',
    city: 'Leipzig',
    phone: '+49 341 7654321',
  },
  photo: { photoSource: 'station' },
  card: { pickupBy: 'self' },
  declarations: { truthful: true, privacy: true },
};

function completed(byStep: Record<string, FieldValues>): FieldValues {
  const journey = new Journey(residencePermit, () => '2026-11-29');
  for (let last = false; !last; ) {
    const step = journey.currentStep;
    last = journey.atLastStep;
    if (!journey.submitStep(byStep[step.id] ?? {}).advanced) throw new Error(`step ${step.id}`);
  }
  return journey.values();
}

describe('the standard data sets', () => {
  it.each(withDataSet.map((d) => [d.id, d] as const))(
    '%s: the published schema is the generated one',
    (id, d) => {
      // After changing a service definition, regenerate sync/protocol/datasets/ (and raise its version).
      expect(published(id)).toEqual(JSON.parse(JSON.stringify(dataSetJsonSchema(d))));
      expect(dataSetSchemas[id]).toEqual(published(id));
    },
  );

  it.each(withDataSet.map((d) => [d.id, d] as const))(
    '%s: names every field, and no screen field id',
    (id, d) => {
      const paths = pathsOf(d);
      const ids = new Set(d.steps.flatMap((s) => s.fields.map((f) => f.id)));
      for (const [field, path] of paths) {
        for (const segment of path.split('.'))
          expect(ids.has(segment), `${id}.${field} → ${path}`).toBe(false);
      }
      expect(new Set(paths.values()).size, `${id}: two fields share a name`).toBe(paths.size);
    },
  );

  it('carries the public service: LeiKa key, schema URI and version', () => {
    const data = buildDataSet(residencePermit, completed(extension));
    expect(data).toMatchObject({
      $schema: 'urn:serviceterminal:dataset:residence-permit:1.0.0',
      version: '1.0.0',
      leikaKey: publicServices['residence-permit']?.leikaKey,
    });
    expect(publicServices['residence-permit']?.leikaKey).toMatch(/^\d{14}$/);
  });

  it('puts a complete extension under FIM names, and it holds against the published schema', () => {
    const values = completed(extension);
    const data = buildDataSet(residencePermit, values);
    expect(data).toMatchObject({
      antragsteller: {
        familienname: 'Öztürk',
        geburtsdatum: '1990-01-31',
        geschlecht: 'F',
        geburtsort: 'Izmir',
        anschrift: { postleitzahl: '04109' },
      },
      aufenthaltstitel: { aktuell: { art: 'residencePermit', gueltigBis: '2027-01-15' } },
      aufenthaltszweck: { art: 'employment', erwerbstaetigkeit: { arbeitgeber: 'Muster Logistik GmbH' } },
      sicherheitsbefragung: { verurteilungen: 'no' },
    });
    expect(dataSetProblems('residence-permit', data)).toEqual([]);
    // the sealed application carries it beside the answers
    expect(applicationData(residencePermit, values, 'de').dataSet).toEqual(data);
  });

  it('finds what does not hold: an unknown element, a wrong choice, a missing service header', () => {
    const data = buildDataSet(residencePermit, completed(extension)) as Record<string, unknown>;
    const problems = dataSetProblems('residence-permit', {
      ...data,
      lastName: 'Öztürk',
      antrag: { art: 'naturalisation' },
      leikaKey: '00000000000000',
    });
    expect(problems?.map((p) => p.pointer).sort()).toEqual(['', '/antrag/art', '/leikaKey']);
    // codes and pointers only: no value of the visitor's
    expect(JSON.stringify(problems)).not.toContain('Öztürk');
    expect(dataSetProblems('callback-request', {})).toBeNull();
  });

  it('lists every schema in the OpenAPI document', () => {
    const doc = buildOpenApiDocument({ version: 'test' }) as {
      components: { schemas: Record<string, { $id?: string }> };
    };
    for (const d of withDataSet) {
      expect(doc.components.schemas[`DataSet.${d.id}`]?.$id).toBe(publicServices[d.id]?.schemaUri);
    }
  });
});

describe("the authority's summary, read from the data set", () => {
  it('has a section per data set element, German labels and the public service, and reads back', async () => {
    const values = completed(extension);
    const data = buildDataSet(residencePermit, values) as DataSet;
    const sections = dataSetSections(residencePermit, data);
    expect(sections.map((s) => s.title)).toEqual([
      'Datensatz',
      'Antrag',
      'Bisheriger Aufenthaltstitel',
      'Aufenthaltszweck',
      'Fiktionsbescheinigung (§ 81 Abs. 5 AufenthG)',
      'Antragstellende Person',
      'Frühere Aufenthalte in Deutschland',
      'Krankenversicherung',
      'Wohnraum',
      'Verurteilungen und Ausweisungen',
      'Lichtbild',
      'Aushändigung der Karte',
      'Erklärungen',
    ]);
    // every answer the data set holds is on it, once
    const count = sections.slice(1).reduce((n, s) => n + s.fields.length, 0);
    expect(count).toBe(Object.values(values).filter((v) => v !== null).length);
    const pdf = await buildSummary({
      trackingNumber: 'ST-GM043D40FYV',
      serviceName: 'Aufenthaltstitel',
      submittedAt: new Date('2026-11-29T10:00:00Z'),
      terminalId: 'term-1',
      terminalLocation: 'Bürgerbüro Mitte',
      visitorLanguage: 'tr',
      sections,
    });
    if (!pdf.ok) throw new Error(pdf.error.code);
    const text = squash(await pdfText(pdf.value));
    for (const expected of [
      publicServices['residence-permit']?.leikaKey ?? '',
      'urn:serviceterminal:dataset:residence-permit:1.0.0',
      'Antragstellende Person',
      'Öztürk',
      'Geburtsort',
      'Izmir',
      'Familienstand',
      'verheiratet',
      'Strafrechtliche Verurteilungen im In- oder Ausland',
      '15.01.2027',
    ])
      expect(text, expected).toContain(squash(expected));
  });

  it('names every element of every data set in German', () => {
    for (const d of withDataSet) {
      const elements = new Set([...pathsOf(d).values()].map((p) => p.split('.')[0] ?? p));
      for (const element of elements)
        expect(summaryLabels.element(element), `${d.id}: ${element}`).not.toMatch(/^dataSetElements\./);
    }
  });
});
