/**
 * What a guest's stay must be covered with, per month, for the estimate of a declaration of
 * commitment (commitment.ts), and whose declaration this authority cannot accept. Dated data, in
 * euro cents.
 *
 * The amounts follow the standard subsistence need, Regelbedarfsstufe 1 (single adult: 563 € since
 * 1 January 2024, unchanged for 2025 and 2026 because the update would have lowered it, § 28a
 * Abs. 5 SGB XII; Regelbedarfsstufen-Fortschreibungsverordnungen 2024–2026; secondary sources:
 * jobcenter-stade.de, buergergeld.org, retrieved December 2026):
 * - a visit of up to 90 days: half of it per adult guest (281,50 €), a quarter per minor guest
 *   (140,75 €). This is how the Ausländerbehörde Bochum measures the garnishable amount a
 *   guarantor needs (international.ruhr-uni-bochum.de, "Familiennachzug und Besucher*innen",
 *   Stand April 2024: "pfändbaren Mindestbetrag von 281,50 € pro erwachsenen Gast bzw. 140,75 €
 *   pro minderjährigen Gast"; its worked example — two maintained persons, one adult and one
 *   minor guest, 422,25 € garnishable, at least 3.280 € net — is reproduced by the rule of
 *   commitment.ts with the 2023 table then in force).
 * - a longer stay: the whole need, Regelbedarfsstufe 1 per adult and Regelbedarfsstufe 4 (471 €,
 *   14–17 years, the highest child level, as the guest's age is not asked) per minor. This is this
 *   terminal's model, not a published rule: the federal Merkblatt asks for the whole living,
 *   housing and care costs of the stay; an authority with its own figures enters them here.
 * The next Regelbedarf (from 1 January 2027) is to be entered before `validity.to`; until then the
 * terminal refuses to estimate (`table_expired`, table `guest_needs`).
 */

export interface GuestNeeds {
  readonly id: string;
  readonly validity: { readonly from: string; readonly to: string };
  readonly shortStay: { readonly adultCents: number; readonly minorCents: number };
  readonly longStay: { readonly adultCents: number; readonly minorCents: number };
  readonly source: string;
}

export const guestNeeds: readonly GuestNeeds[] = [
  {
    id: 'Regelbedarf 2024–2026',
    validity: { from: '2024-01-01', to: '2026-12-31' },
    shortStay: { adultCents: 28_150, minorCents: 14_075 },
    longStay: { adultCents: 56_300, minorCents: 47_100 },
    source:
      'Regelbedarfsstufen 1 and 4 (563 €, 471 €) 2024–2026; short stays as Ausländerbehörde Bochum (Stand April 2024)',
  },
];

/**
 * A guarantor with one of these has no settled residence to vouch with; the declaration is not
 * accepted (review of December 2026, row 8: Landkreis Darmstadt-Dieburg, ladadi.de — "Duldung,
 * Gestattung oder Fiktionsbescheinigung reichen nicht aus"; the guarantor's own title must also
 * last beyond the guest's stay).
 */
export const statusesNotAccepted = ['duldung', 'gestattung', 'fiktionsbescheinigung'] as const;

/**
 * What may help when the income does not reach (federal Merkblatt zur Verpflichtungserklärung,
 * 3. Bonitätsprüfung: securities "kumulativ zur Verpflichtungserklärung", e.g. Sperrvermerke auf
 * Sparbüchern, Bankbürgschaften; Stadt Freiburg: a spouse's income can be counted; a company may
 * declare through its representative). Which securities this authority takes is its
 * configuration (core/authority.ts `commitmentSecurities`).
 */
export const insufficientOptions = ['declare_with_spouse', 'blocked_savings', 'company_declaration'] as const;
