/**
 * MRZ documents parsed per second by device/mrz, side by side with the npm package `mrz` on the
 * same documents (the published specimens and ~10,000 generated valid documents), as a ratio;
 * then where the two disagree (validity or a field), grouped, with the reason for each.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { parse as mrzParse, type ParseResult } from 'mrz';
import { type MrzResult, parseMrz } from '../../device/mrz/index.ts';
import { MRZ_GEN_TODAY, mrzDocument } from '../../test/support/mrz-gen.ts';

interface Doc {
  readonly id: string;
  readonly lines: readonly string[];
}

const today = MRZ_GEN_TODAY;
const GENERATED = 10_000;

const specimens = (
  JSON.parse(readFileSync(new URL('../../test/fixtures/mrz-specimens.json', import.meta.url), 'utf8')) as {
    id: string;
    lines: string[];
  }[]
).map((s) => ({ id: s.id, lines: s.lines }));
const generated = fc
  .sample(mrzDocument(), { numRuns: GENERATED, seed: 9303 })
  .map((d, i) => ({ id: `generated #${i} (${d.format})`, lines: d.lines }));
const docs: Doc[] = [...specimens, ...generated];

type Theirs = { ok: true; result: ParseResult } | { ok: false; message: string };

function theirs(lines: readonly string[]): Theirs {
  try {
    return { ok: true, result: mrzParse(lines) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

// ---------------------------------------------------------------------------------------------
// Throughput

function measure(label: string, parseOne: (lines: readonly string[]) => unknown): number {
  for (let i = 0; i < 2; i += 1) for (const d of docs) parseOne(d.lines); // warm-up
  let parsed = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 2000) {
    for (const d of docs) parseOne(d.lines);
    parsed += docs.length;
    elapsed = performance.now() - start;
  }
  const perSecond = (parsed / elapsed) * 1000;
  process.stdout.write(
    `  ${label.padEnd(14)} ${Math.round(perSecond).toLocaleString('en-US').padStart(10)} documents/s\n`,
  );
  return perSecond;
}

process.stdout.write(
  `MRZ parsing: ${docs.length.toLocaleString('en-US')} documents (${specimens.length} published specimens + ${GENERATED.toLocaleString('en-US')} generated valid TD1/TD2/TD3/MRV-A/MRV-B), each parser run for 2 s\n`,
);
const ours = measure('device/mrz', (lines) => parseMrz(lines, { today }));
const npm = measure('npm mrz 5.0.2', (lines) => theirs(lines));
process.stdout.write(`  ratio          ${(ours / npm).toFixed(2)}× (device/mrz ÷ mrz)\n`);

// ---------------------------------------------------------------------------------------------
// Disagreements

interface Group {
  readonly key: string;
  count: number;
  readonly examples: string[];
}

/** Each kind of disagreement: what differs, and why (who follows ICAO 9303, and why). */
const CAUSES: Readonly<Record<string, { readonly what: string; readonly why: string }>> = {
  visa: {
    what: 'visas (MRV-A 2×44, MRV-B 2×36): device/mrz valid, mrz invalid',
    why: 'mrz has no visa formats (ICAO 9303-7): it reads an MRV-A as TD3 and an MRV-B as TD2, then demands a P or A/C/I document code and personal-number and composite check digits that visas do not have. device/mrz follows ICAO 9303-7.',
  },
  uto: {
    what: "issuing State or nationality 'UTO': device/mrz valid, mrz invalid",
    why: "UTO (Utopia) is the specimen State of ICAO 9303, used in all of its examples; mrz's country list lacks it. device/mrz knows it.",
  },
  country: {
    what: "other country codes missing from mrz's list: device/mrz valid (with a warning), mrz invalid",
    why: 'An unknown or non-ICAO code (e.g. a placeholder such as COU, or a two-letter code such as CH<). ICAO 9303 gives no check digit over it; device/mrz reports it as a warning (mrz.country_unknown) so a clerk can decide, mrz rejects the document.',
  },
  sexX: {
    what: "sex 'X': device/mrz valid, mrz invalid",
    why: 'ICAO 9303 (8th ed., part 3) allows X (unspecified) in the MRZ; mrz accepts only M, F and <. device/mrz follows ICAO.',
  },
  noGivenNames: {
    what: 'a name with no given names (primary identifier only): device/mrz valid, mrz invalid',
    why: "ICAO 9303-3 §4.6: a holder with one name component has only the primary identifier, followed by fillers. mrz's first-name pattern requires at least one character, so it rejects such documents. device/mrz follows ICAO (firstNames '').",
  },
  frenchTd2: {
    what: "TD2 documents issued by France with code 'ID': device/mrz reads TD2, mrz the old French ID card",
    why: 'mrz takes every 2×36 MRZ beginning with IDFRA for the pre-2021 French card. An ICAO TD2 ID issued by France begins the same way; device/mrz tells them apart by line 2 (TD2 has the nationality in positions 11-13, the French card digits), so the ICAO layout and its check digits apply.',
  },
  documentCode: {
    what: "document codes outside ICAO's first letters: device/mrz valid (with a warning), mrz invalid",
    why: "ICAO 9303 wants P for TD3 and A, C or I for TD1/TD2; issuers use others (the German 'NF' seal). No check digit covers the code: device/mrz warns (mrz.document_code_unusual), mrz rejects.",
  },
  'field documentNumber differs': {
    what: 'document number read differently (both invalid)',
    why: "With '<' in the check-digit position and nothing in the optional data, mrz still reads a long number and appends the fillers (D23145890<<<<<<...). ICAO 9303-5 note j: a long number continues in the optional data, ending in its check digit; with no continuation the '<' is a missing check digit. device/mrz reads D23145890 and reports the check digit bad.",
  },
  throws: {
    what: 'mrz throws an exception',
    why: 'mrz throws on lines it cannot place (and on characters outside A-Z0-9<); device/mrz never throws and returns valid:false with an error instead.',
  },
};

const causeOf = (message: string, ourFormat: MrzResult['format'], theirFormat: string): string => {
  if (ourFormat === 'MRVA' || ourFormat === 'MRVB') {
    if (/Composite|Personal number check|Document code/.test(message)) return 'visa';
  }
  if (ourFormat === 'TD2' && theirFormat === 'FRENCH_NATIONAL_ID') return 'frenchTd2';
  if (/invalid state code: UTO/.test(message)) return 'uto';
  if (/invalid state code/.test(message)) return 'country';
  if (/invalid sex/.test(message)) return 'sexX';
  if (/First name: invalid text: \./.test(message)) return 'noGivenNames';
  if (/invalid document code/.test(message)) return 'documentCode';
  return `unclassified: ${message}`;
};

const SEX: Record<string, string> = { male: 'M', female: 'F', nonspecified: '<' };

/** The causes of disagreement on one document (empty when the two agree). */
function differences(o: MrzResult, t: Theirs): string[] {
  if (!t.ok) return ['throws'];
  const r = t.result;
  const causes = new Set<string>();
  if (o.valid && !r.valid) {
    for (const d of r.details.filter((x) => !x.valid))
      causes.add(causeOf(`${d.label}: ${d.error ?? ''}`, o.format, r.format));
    return [...causes];
  }
  if (!o.valid && r.valid)
    return [`device/mrz invalid, mrz valid: ${o.errors.map((e) => e.code).join(', ')}`];
  const f = r.fields;
  const yymmdd = (iso: string | null) => (iso === null ? null : iso.slice(2).replaceAll('-', ''));
  const compare: [string, string | null | undefined, string | null | undefined][] = [
    ['documentNumber', o.documentNumber, r.documentNumber],
    ['lastName', o.lastName, f.lastName],
    ['firstNames', o.firstNames, f.firstName],
    ['birthDate', yymmdd(o.birthDate), f.birthDate],
    ['expiryDate', yymmdd(o.expiryDate), f.expirationDate],
    ['sex', o.sex, f.sex === undefined || f.sex === null ? f.sex : SEX[f.sex]],
    ['issuingState', o.issuingState, f.issuingState],
    ['nationality', o.nationality, f.nationality],
  ];
  for (const [name, mine, other] of compare) {
    if (other === null || other === undefined || mine === null) continue;
    if (mine !== other) causes.add(`field ${name} differs`);
  }
  return [...causes];
}

const groups = new Map<string, Group>();
let agreeing = 0;
let disagreeing = 0;
for (const d of docs) {
  const keys = differences(parseMrz(d.lines, { today }), theirs(d.lines));
  if (keys.length === 0) agreeing += 1;
  if (keys.length > 0) disagreeing += 1;
  for (const key of keys) {
    const group = groups.get(key) ?? { key, count: 0, examples: [] };
    group.count += 1;
    if (group.examples.length < 3) group.examples.push(d.id);
    groups.set(key, group);
  }
}

process.stdout.write(
  `\nAgreement with mrz (validity, format, and every field both report): ${agreeing.toLocaleString('en-US')} of ${docs.length.toLocaleString('en-US')} documents\n`,
);
process.stdout.write(
  `Disagreements: ${disagreeing.toLocaleString('en-US')} documents, by cause (a document may have several; count, examples, reason):\n`,
);
const sorted = [...groups.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
for (const g of sorted) {
  const cause = CAUSES[g.key];
  process.stdout.write(`\n  ${String(g.count).padStart(5)}  ${cause?.what ?? g.key}\n`);
  process.stdout.write(`         e.g. ${g.examples.join(', ')}\n`);
  process.stdout.write(`         why: ${cause?.why ?? 'not classified: see the examples'}\n`);
}
