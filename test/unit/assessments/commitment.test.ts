import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CommitmentInput,
  estimateCommitment,
  garnishableCents,
  protectedBaseCents,
} from '../../../core/assessments/commitment.ts';
import { type GarnishmentTable, garnishmentTables } from '../../../core/assessments/garnishment-tables.ts';
import { defaultAuthorityFacts } from '../../../core/authority.ts';

/** Noon in Berlin on a calendar day. */
const on = (date: string): number => Date.parse(`${date}T11:00:00Z`);
const TODAY = on('2026-12-10');
const table2026 = garnishmentTables.find((t) => t.id === 'PfändfreiGrBek 2026') as GarnishmentTable;
const table2025 = garnishmentTables.find((t) => t.id === 'PfändfreiGrBek 2025') as GarnishmentTable;

const guarantor = { status: 'residencePermit', livesInCity: true } as const;
const input = (over: Partial<CommitmentInput>): CommitmentInput => ({
  netIncomeCents: 300_000,
  warmRentCents: 90_000,
  dependants: 0,
  guests: { adults: 1, minors: 0 },
  stay: 'short',
  guarantor,
  ...over,
});
const estimate = (over: Partial<CommitmentInput>, at = TODAY) =>
  estimateCommitment(input(over), { at, authority: defaultAuthorityFacts });

interface OfficialTable {
  readonly source: string;
  readonly rows: readonly (readonly number[])[];
}
const official = (year: string): OfficialTable =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', `pfaendungstabelle-${year}.json`), 'utf8'));

describe('the step rule of § 850c ZPO, as the announced tables apply it', () => {
  for (const [year, table] of [
    ['2025', table2025],
    ['2026', table2026],
  ] as const) {
    it(`gives every cell of the official monthly table ${year}, at both ends of each 10 € step`, () => {
      const { rows } = official(year);
      expect(rows.length).toBeGreaterThan(300);
      for (const [from, to, ...cells] of rows) {
        for (const [dependants, expected] of cells.entries()) {
          expect(garnishableCents(table, from as number, dependants)).toBe(expected);
          expect(garnishableCents(table, to as number, dependants)).toBe(expected);
        }
      }
    });
  }

  it('garnishes nothing up to the first step over the protected amount', () => {
    // 2026: 1.587,40 € protected; 1.589,99 € rounds down to 1.580 €, below it
    expect(garnishableCents(table2026, 158_999, 0)).toBe(0);
    // 1.590 €: 2,60 € over it, seven tenths of that
    expect(garnishableCents(table2026, 159_000, 0)).toBe(182);
  });

  it('counts at most five maintained persons', () => {
    expect(protectedBaseCents(table2026, 7)).toBe(protectedBaseCents(table2026, 5));
    expect(garnishableCents(table2026, 450_000, 7)).toBe(garnishableCents(table2026, 450_000, 5));
  });

  it('garnishes all of the income above the cap, to the cent', () => {
    // 1 person maintained: (4.860 € − 2.184,82 €) × 5/10 = 1.337,59 €, plus 1.000,01 € over 4.866,30 €
    expect(garnishableCents(table2026, 586_631, 1)).toBe(133_759 + 100_001);
  });
});

describe('the estimate for a declaration of commitment (2026 table, worked by hand)', () => {
  it('one dependant, one adult guest, short stay: enough from 2.750 €, not at 2.749,99 €', () => {
    // protected 1.587,40 + 597,42 = 2.184,82 €; needed 281,50 € (half the standard need)
    // 2.750 €: (2.750 − 2.184,82) × 5/10 = 282,59 €; 2.749,99 € counts as 2.740 €: 277,59 €
    const enough = estimate({ netIncomeCents: 275_000, dependants: 1 });
    expect(enough).toMatchObject({
      outcome: 'likely_sufficient',
      marginCents: 109,
      figures: { garnishableCents: 28_259, requiredCents: 28_150, protectedCents: 275_000 - 28_259 },
    });
    const short = estimate({ netIncomeCents: 274_999, dependants: 1 });
    expect(short).toMatchObject({
      outcome: 'likely_insufficient',
      shortfallCents: 391,
      figures: { garnishableCents: 27_759, requiredCents: 28_150 },
    });
  });

  it('two dependants, two adult guests, short stay: 3.930 € is enough, 3.920 € is not', () => {
    // protected 2.517,65 €, four tenths garnishable; needed 2 × 281,50 = 563 €
    expect(
      estimate({ netIncomeCents: 393_000, dependants: 2, guests: { adults: 2, minors: 0 } }),
    ).toMatchObject({
      outcome: 'likely_sufficient',
      figures: { garnishableCents: 56_494, requiredCents: 56_300 },
    });
    expect(
      estimate({ netIncomeCents: 392_000, dependants: 2, guests: { adults: 2, minors: 0 } }),
    ).toMatchObject({
      outcome: 'likely_insufficient',
      shortfallCents: 206,
    });
  });

  it('three dependants, an adult and a minor guest, long stay: exactly at the limit is enough', () => {
    // protected 2.850,48 €, three tenths; needed 563 + 471 = 1.034 € (whole standard needs)
    // above the cap: (4.860 − 2.850,48) × 3/10 = 602,86 € + the income over 4.866,30 €
    // 602,86 + (5.297,44 − 4.866,30) = 1.034,00 € exactly
    const atLimit = estimate({
      netIncomeCents: 529_744,
      dependants: 3,
      guests: { adults: 1, minors: 1 },
      stay: 'long',
    });
    expect(atLimit).toMatchObject({
      outcome: 'likely_sufficient',
      marginCents: 0,
      figures: {
        garnishableCents: 103_400,
        requiredCents: 103_400,
        perGuest: { adultCents: 56_300, minorCents: 47_100 },
      },
    });
    const oneCentLess = estimate({
      netIncomeCents: 529_743,
      dependants: 3,
      guests: { adults: 1, minors: 1 },
      stay: 'long',
    });
    expect(oneCentLess).toMatchObject({ outcome: 'likely_insufficient', shortfallCents: 1 });
  });

  it('no dependants, one adult and one minor guest, short stay: 2.200 € is enough, 2.190 € is not', () => {
    // needed 281,50 + 140,75 = 422,25 €; (2.200 − 1.587,40) × 7/10 = 428,82 €; at 2.190 €: 421,82 €
    const two = { adults: 1, minors: 1 };
    expect(estimate({ netIncomeCents: 220_000, guests: two })).toMatchObject({
      outcome: 'likely_sufficient',
      figures: { garnishableCents: 42_882, requiredCents: 42_225 },
    });
    expect(estimate({ netIncomeCents: 219_000, guests: two })).toMatchObject({
      outcome: 'likely_insufficient',
      shortfallCents: 43,
    });
  });

  it('one dependant, one adult guest, long stay needs the whole standard need: 3.320 € but not 3.310 €', () => {
    // needed 563 €; (3.320 − 2.184,82) × 5/10 = 567,59 €; at 3.310 €: 562,59 €
    expect(estimate({ netIncomeCents: 332_000, dependants: 1, stay: 'long' })).toMatchObject({
      outcome: 'likely_sufficient',
      figures: { garnishableCents: 56_759, requiredCents: 56_300 },
    });
    expect(estimate({ netIncomeCents: 331_000, dependants: 1, stay: 'long' })).toMatchObject({
      outcome: 'likely_insufficient',
      shortfallCents: 41,
    });
  });

  it('reproduces the Ausländerbehörde Bochum example (April 2024, the 2023 table then in force)', () => {
    // two maintained persons, one adult and one minor guest: 422,25 € garnishable needed, 3.280 € net
    const table2023: GarnishmentTable = {
      id: 'PfändfreiGrBek 2023',
      validity: { from: '2023-07-01', to: '2024-06-30' },
      baseCents: 140_228,
      firstDependantCents: 52_776,
      furtherDependantCents: 29_402,
      capCents: 429_881,
      source: 'Pfändungsfreigrenzenbekanntmachung 2023',
    };
    const april2024 = on('2024-04-15');
    const bochum = (netIncomeCents: number) =>
      estimateCommitment(input({ netIncomeCents, dependants: 2, guests: { adults: 1, minors: 1 } }), {
        at: april2024,
        authority: defaultAuthorityFacts,
        tables: [table2023],
      });
    expect(bochum(328_000)).toMatchObject({
      outcome: 'likely_sufficient',
      figures: { requiredCents: 42_225 },
    });
    expect(bochum(327_999).outcome).toBe('likely_insufficient');
  });

  it('uses the 2025 table until 30 June 2026 and the 2026 table from 1 July', () => {
    const june = estimate({ netIncomeCents: 275_000, dependants: 1 }, on('2026-06-30'));
    const july = estimate({ netIncomeCents: 275_000, dependants: 1 }, on('2026-07-01'));
    expect(june).toMatchObject({ figures: { table: { id: 'PfändfreiGrBek 2025' } } });
    expect(july).toMatchObject({ figures: { table: { id: 'PfändfreiGrBek 2026' } } });
    // 2025: (2.750 − 2.140,23) × 5/10 = 304,89 €
    expect(june).toMatchObject({ figures: { garnishableCents: 30_489 } });
  });

  it('names the options when the income is not enough, with the securities this authority takes', () => {
    const result = estimate({ netIncomeCents: 200_000, guests: { adults: 2, minors: 0 } });
    expect(result).toMatchObject({
      outcome: 'likely_insufficient',
      options: [
        { code: 'declare_with_spouse' },
        { code: 'blocked_savings', accepted: ['savingsBookBlocked'] },
        { code: 'company_declaration' },
      ],
    });
    const noSecurities = estimateCommitment(
      input({ netIncomeCents: 200_000, guests: { adults: 2, minors: 0 } }),
      {
        at: TODAY,
        authority: { ...defaultAuthorityFacts, commitmentSecurities: [] },
      },
    );
    expect(noSecurities.outcome === 'likely_insufficient' && noSecurities.options.map((o) => o.code)).toEqual(
      ['declare_with_spouse', 'company_declaration'],
    );
  });

  it('says the fee with every answer: 29 €, due on applying even when the declaration is refused', () => {
    const result = estimate({});
    expect(result).toMatchObject({
      fee: {
        ok: true,
        value: {
          amountCents: 2_900,
          reference: '§ 47 Abs. 1 Nr. 12 AufenthV',
          dueIfRefusedCents: 2_900,
          dueIfRefusedReference: '§ 49 Abs. 2 AufenthV',
          payment: { methods: 'cardOrCash', configKey: 'authority.payment' },
        },
      },
    });
  });

  it('cautions where rent and obligations exceed what the guarantor keeps, and counts five dependants at most', () => {
    const high = estimate({ netIncomeCents: 300_000, warmRentCents: 180_000, otherObligationsCents: 60_000 });
    expect(high.outcome === 'likely_sufficient' && high.cautions).toEqual([
      'fixed_costs_exceed_protected_income',
    ]);
    const many = estimate({ netIncomeCents: 600_000, dependants: 7 });
    expect(many).toMatchObject({
      figures: { dependantsCounted: 5 },
      cautions: ['more_than_five_dependants'],
    });
    const other = estimate({ guarantor: { status: 'other', livesInCity: true } });
    expect(other).toMatchObject({ cautions: ['status_checked_at_counter'] });
  });
});

describe('when the declaration cannot be made here', () => {
  for (const status of ['duldung', 'gestattung', 'fiktionsbescheinigung'] as const) {
    it(`refuses a guarantor with a ${status}, whatever the income`, () => {
      expect(estimate({ netIncomeCents: 900_000, guarantor: { status, livesInCity: true } })).toMatchObject({
        outcome: 'not_possible_here',
        reason: 'guarantor_status',
        goTo: 'other_guarantor_or_company',
        feeDueIfApplyingHere: true,
      });
    });
  }

  it('sends a guarantor who lives elsewhere to the authority there, with no fee due here (§ 49 Abs. 3)', () => {
    expect(estimate({ guarantor: { status: 'german', livesInCity: false } })).toMatchObject({
      outcome: 'not_possible_here',
      reason: 'lives_outside_city',
      goTo: 'authority_of_residence',
      feeDueIfApplyingHere: false,
      fee: {
        ok: true,
        value: { noProcessingFeeWhen: ['authority_not_competent', 'withdrawn_before_processing'] },
      },
    });
  });

  it("asks for the guarantor's own title to be extended when it ends before the stay", () => {
    const result = estimate({
      stayEnd: '2027-03-31',
      guarantor: { status: 'residencePermit', livesInCity: true, titleValidUntil: '2027-02-28' },
    });
    expect(result).toMatchObject({ outcome: 'not_possible_here', reason: 'title_ends_before_stay' });
    const lastsLonger = estimate({
      stayEnd: '2027-03-31',
      guarantor: { status: 'residencePermit', livesInCity: true, titleValidUntil: '2027-03-31' },
    });
    expect(lastsLonger.outcome).toBe('likely_sufficient');
  });
});

describe('dated data', () => {
  it('refuses to estimate once the garnishment table has expired', () => {
    const tables = garnishmentTables.filter((t) => t.id === 'PfändfreiGrBek 2025');
    const result = estimateCommitment(input({}), { at: TODAY, authority: defaultAuthorityFacts, tables });
    expect(result).toMatchObject({
      outcome: 'table_expired',
      table: 'garnishment',
      lastValidTo: '2026-06-30',
      today: '2026-12-10',
    });
    expect(estimate({}, on('2027-07-01'))).toMatchObject({ outcome: 'table_expired', table: 'garnishment' });
  });

  it('refuses to estimate once the guests’ needs have expired (the 2027 Regelbedarf is not entered)', () => {
    expect(estimate({}, on('2027-01-04'))).toMatchObject({
      outcome: 'table_expired',
      table: 'guest_needs',
      lastValidTo: '2026-12-31',
    });
  });

  it('takes the Berlin calendar day: 23:30 UTC on 31 December is already the new year', () => {
    expect(estimate({}, Date.parse('2026-12-31T22:30:00Z')).outcome).toBe('likely_sufficient');
    expect(estimate({}, Date.parse('2026-12-31T23:30:00Z')).outcome).toBe('table_expired');
  });

  it('answers bad input with the fields, never a throw', () => {
    expect(
      estimate({
        netIncomeCents: -1,
        dependants: 1.5,
        guests: { adults: 0, minors: 0 },
        stayEnd: '2027-02-30',
      }),
    ).toEqual({ outcome: 'invalid_input', problems: ['netIncomeCents', 'dependants', 'guests', 'stayEnd'] });
  });
});
