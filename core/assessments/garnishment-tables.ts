/**
 * The garnishment limits for earned income paid monthly (§ 850c ZPO), as the Federal Ministry of
 * Justice announces them for each year from 1 July (Pfändungsfreigrenzenbekanntmachung, § 850c
 * Abs. 4 ZPO), in euro cents. A table is valid until the next announcement takes over, the
 * following 30 June; after that the terminal refuses to estimate with it (`table_expired`) until
 * the new one is entered here.
 *
 * Sources (the official texts; the same figures and the whole monthly tables were checked cell by
 * cell against the rule in commitment.ts, test/unit/assessments/fixtures/):
 * - Pfändungsfreigrenzenbekanntmachung 2025 of 2 April 2025, BGBl. 2025 I Nr. 110;
 * - Pfändungsfreigrenzenbekanntmachung 2026 of 19 March 2026, BGBl. 2026 I Nr. 80;
 * both as on gesetze-im-internet.de (pfaendfreigrbek_2025, pfaendfreigrbek_2026), read from the
 * mirror github.com/kmein/gesetze (laws/PfändfreiGrBek_2025-BJNR06E0A0025.md,
 * laws/PfändfreiGrBek_2026-BJNR0500A0026.md, commit cce3209c).
 */

export interface GarnishmentTable {
  readonly id: string;
  readonly validity: { readonly from: string; readonly to: string };
  /** § 850c Abs. 1 Nr. 1 ZPO: unpfändbar without maintenance obligations. */
  readonly baseCents: number;
  /** § 850c Abs. 2 Satz 1 Nr. 1 ZPO: more for the first person the debtor maintains. */
  readonly firstDependantCents: number;
  /** § 850c Abs. 2 Satz 2 Nr. 1 ZPO: more for each of the second to fifth person. */
  readonly furtherDependantCents: number;
  /** § 850c Abs. 3 Satz 3 Nr. 1 ZPO: income above this is left out of the calculation (fully garnishable). */
  readonly capCents: number;
  readonly source: string;
}

export const garnishmentTables: readonly GarnishmentTable[] = [
  {
    id: 'PfändfreiGrBek 2025',
    validity: { from: '2025-07-01', to: '2026-06-30' },
    baseCents: 155_500,
    firstDependantCents: 58_523,
    furtherDependantCents: 32_604,
    capCents: 476_699,
    source: 'Pfändungsfreigrenzenbekanntmachung 2025 vom 2. April 2025 (BGBl. 2025 I Nr. 110)',
  },
  {
    id: 'PfändfreiGrBek 2026',
    validity: { from: '2026-07-01', to: '2027-06-30' },
    baseCents: 158_740,
    firstDependantCents: 59_742,
    furtherDependantCents: 33_283,
    capCents: 486_630,
    source: 'Pfändungsfreigrenzenbekanntmachung 2026 vom 19. März 2026 (BGBl. 2026 I Nr. 80)',
  },
];

/**
 * The rule of § 850c ZPO itself, which the announced tables apply (Abs. 3 and 5): the income is
 * rounded down to a step of 10 €; of what the step exceeds the protected amount, three tenths stay
 * protected, two more for the first person maintained and one more for each of the second to
 * fifth; the rest is garnishable (to the cent, rounded half up, as the tables print it). Maintenance
 * of more than five persons counts as five (more is for the enforcement court, § 850f ZPO).
 */
export const section850c = {
  stepCents: 1_000,
  maxDependants: 5,
  /** Protected tenths of the excess by the number of persons maintained (0 … 5). */
  protectedTenths: [3, 5, 6, 7, 8, 9] as const,
  reference: '§ 850c Abs. 3 und 5 ZPO',
} as const;
