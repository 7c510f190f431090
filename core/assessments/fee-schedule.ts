/**
 * The fees of the Aufenthaltsverordnung (AufenthV, §§ 44–54) the terminal's requests can incur, as
 * dated data, in euro cents. Source: the consolidated text on gesetze-im-internet.de (AufenthV as
 * last amended by Art. 4 G v. 2.12.2025 I Nr. 301 and later; read from the mirror
 * github.com/kmein/gesetze, laws/AufenthV-BJNR294510004.md, commit 00e7e06b of 12 August 2026),
 * and for the fee of a Personalausweis, which § 47 Abs. 3 and § 52a Abs. 2 AufenthV refer to, the
 * Personalausweis- und eID-Karten-Gebührenverordnung (PAuswGebV § 1 Abs. 1, same mirror, commit
 * 07acd5bb of 4 May 2026).
 *
 * Validity: the amounts were checked to be in force on `checkedOn`. A schedule has an end
 * (`validity.to`): the date by which it must be checked again. After it the terminal names no fee
 * (`fee.schedule_expired`) rather than an amount nobody has checked; enter a new schedule with the
 * next check.
 *
 * Corrections to the brief this schedule was written from: an extension costs 96 € for a further
 * stay of up to three months and 93 € for more than three months (§ 45 Nr. 2 AufenthV; not "up to /
 * over one year"); the photo taken at the authority is 6 € by law (§ 48 Abs. 1 Satz 1 Nr. 16
 * AufenthV), whether and where a station exists is the installation's (core/authority.ts
 * `photoStation`); Turkish nationals entitled under the EU–Turkey association (ARB 1/80) pay what a
 * German pays for a Personalausweis (§ 52a Abs. 2), not the passport fee.
 */

/** Everything the schedule prices; `cardReissue` and the settlement permit have variants. */
export type FeeItem =
  | 'residencePermit'
  | 'extensionUpToThreeMonths'
  | 'extensionMoreThanThreeMonths'
  | 'purposeChange'
  | 'settlementPermit'
  | 'settlementPermitHighlyQualified'
  | 'settlementPermitSelfEmployed'
  | 'settlementPermitChildSection35'
  | 'euLongTermResidence'
  | 'cardReissue'
  | 'fictionCertificate'
  | 'commitment'
  | 'photoAtAuthority'
  | 'identityCard'
  | 'identityCardUnder24';

/** Which rule of the AufenthV an item falls under: it decides which reductions apply (below). */
export type FeeSection = '44' | '44a' | '45' | '45c' | '47(1)' | '47(3)' | '48(1)16' | '50(1)2' | 'PAuswGebV';

export interface FeeEntry {
  readonly amountCents: number;
  readonly section: FeeSection;
  /** The legal reference as printed for the visitor and the clerk. */
  readonly reference: string;
}

export interface FeeSchedule {
  readonly id: string;
  readonly validity: { readonly from: string; readonly to: string | null };
  readonly checkedOn: string;
  readonly source: string;
  readonly entries: Readonly<Record<FeeItem, FeeEntry>>;
}

export const feeSchedules: readonly FeeSchedule[] = [
  {
    id: 'AufenthV 2026-08',
    // In force since the digital photo (1 May 2025: § 48 Abs. 1 Satz 1 Nr. 16, and the
    // Personalausweis at 46 €) at the latest; checked again by the end of June 2027.
    validity: { from: '2025-05-01', to: '2027-06-30' },
    checkedOn: '2026-08-12',
    source:
      'AufenthV §§ 44–53 and PAuswGebV § 1 as on gesetze-im-internet.de (mirror github.com/kmein/gesetze, commits 00e7e06b and 07acd5bb)',
    entries: {
      residencePermit: { amountCents: 10_000, section: '45', reference: '§ 45 Nr. 1 AufenthV' },
      extensionUpToThreeMonths: {
        amountCents: 9_600,
        section: '45',
        reference: '§ 45 Nr. 2 Buchst. a AufenthV',
      },
      extensionMoreThanThreeMonths: {
        amountCents: 9_300,
        section: '45',
        reference: '§ 45 Nr. 2 Buchst. b AufenthV',
      },
      purposeChange: { amountCents: 9_800, section: '45', reference: '§ 45 Nr. 3 AufenthV' },
      settlementPermit: { amountCents: 11_300, section: '44', reference: '§ 44 Nr. 3 AufenthV' },
      settlementPermitHighlyQualified: {
        amountCents: 14_700,
        section: '44',
        reference: '§ 44 Nr. 1 AufenthV',
      },
      settlementPermitSelfEmployed: { amountCents: 12_400, section: '44', reference: '§ 44 Nr. 2 AufenthV' },
      settlementPermitChildSection35: {
        amountCents: 5_500,
        section: '50(1)2',
        reference: '§ 50 Abs. 1 Satz 2 AufenthV',
      },
      euLongTermResidence: { amountCents: 10_900, section: '44a', reference: '§ 44a AufenthV' },
      cardReissue: { amountCents: 6_700, section: '45c', reference: '§ 45c Abs. 1 AufenthV' },
      fictionCertificate: { amountCents: 1_300, section: '47(1)', reference: '§ 47 Abs. 1 Nr. 8 AufenthV' },
      commitment: { amountCents: 2_900, section: '47(1)', reference: '§ 47 Abs. 1 Nr. 12 AufenthV' },
      photoAtAuthority: {
        amountCents: 600,
        section: '48(1)16',
        reference: '§ 48 Abs. 1 Satz 1 Nr. 16 AufenthV',
      },
      identityCard: { amountCents: 4_600, section: 'PAuswGebV', reference: '§ 1 Abs. 1 Nr. 2 PAuswGebV' },
      identityCardUnder24: {
        amountCents: 2_760,
        section: 'PAuswGebV',
        reference: '§ 1 Abs. 1 Nr. 1 PAuswGebV',
      },
    },
  },
];

/** Reissue reasons of § 45c Abs. 1 (Nr. 1 to 4); the exemptions reach Nr. 1 and 2 only. */
export type CardReissueReason = 'passportExpired' | 'cardExpired' | 'dataChanged' | 'lost' | 'chipDefect';

/**
 * What the three exemptions below have in common: issuing and extending a residence permit (§ 45
 * Nr. 1 and 2), a new card for a new passport or changed data (§ 45c Abs. 1 Nr. 1 and 2) and the
 * Fiktionsbescheinigung (§ 47 Abs. 1 Nr. 8).
 */
const commonlyExempt: readonly FeeItem[] = [
  'residencePermit',
  'extensionUpToThreeMonths',
  'extensionMoreThanThreeMonths',
  'cardReissue',
  'fictionCertificate',
];

/**
 * Reductions and exemptions, and what each one reaches (AufenthV as above). Items are named as in
 * the schedule; for a card reissue the reasons of § 45c Abs. 1 that are reached are listed.
 */
export const feeRules = {
  /** § 50 Abs. 1 Satz 1: half for minors; not § 44a, not § 47 Abs. 3, not § 48 Abs. 1 Satz 1 Nr. 16. */
  minorHalf: {
    reference: '§ 50 Abs. 1 Satz 1 AufenthV',
    sections: ['44', '45', '45c', '47(1)'] as readonly FeeSection[],
    adultAgeYears: 18,
  },
  /**
   * § 52a Abs. 2: for titles under §§ 44 to 45 and § 45c Abs. 1, the fee a German pays for a
   * Personalausweis (under 24 years: that age's fee); § 52a Abs. 3 Nr. 2: no fee for a
   * Fiktionsbescheinigung (§ 47 Abs. 1 Nr. 8).
   */
  turkishAssociation: {
    reference: '§ 52a Abs. 2 AufenthV',
    identityCardSections: ['44', '44a', '45', '45c'] as readonly FeeSection[],
    identityCardReducedUnderAge: 24,
    exempt: { reference: '§ 52a Abs. 3 Nr. 2 AufenthV', items: ['fictionCertificate'] as readonly FeeItem[] },
  },
  /** Exemptions: § 52 Abs. 3 (protection), § 53 Abs. 1 (benefits), § 52 Abs. 5 (public scholarship). */
  exemptions: {
    protection: {
      reference: '§ 52 Abs. 3 AufenthV',
      items: ['settlementPermit', ...commonlyExempt] as readonly FeeItem[],
    },
    benefits: {
      reference: '§ 53 Abs. 1 AufenthV',
      items: commonlyExempt,
      /** Other fees "können ermäßigt ... werden": the authority's discretion, not applied here. */
      mayReduceReference: '§ 53 Abs. 1 AufenthV (letzter Halbsatz)',
    },
    scholarship: {
      reference: '§ 52 Abs. 5 AufenthV',
      items: commonlyExempt,
    },
    /** The exemptions reach a card reissue for these reasons only (§ 45c Abs. 1 Nr. 1 and 2). */
    cardReissueReasons: ['passportExpired', 'cardExpired', 'dataChanged'] as readonly CardReissueReason[],
  },
  /** § 45c Abs. 2: no fee for a chip that failed without misuse. */
  chipDefectWaived: { reference: '§ 45c Abs. 2 AufenthV' },
  /**
   * § 49: applying costs a processing fee, due also when the application is refused: half the fee
   * for a settlement permit or EU long-term residence (Abs. 1), the whole fee otherwise (Abs. 2);
   * none where the authority is not competent or the application is withdrawn before it is
   * worked on (Abs. 3).
   */
  processing: {
    halfReference: '§ 49 Abs. 1 AufenthV',
    fullReference: '§ 49 Abs. 2 AufenthV',
    halfSections: ['44', '44a', '50(1)2'] as readonly FeeSection[],
    noneReference: '§ 49 Abs. 3 AufenthV',
  },
} as const;
