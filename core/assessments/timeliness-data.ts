/**
 * The figures of the timeliness check (timeliness.ts), as data.
 *
 * The law (§ 81 Abs. 4 AufenthG, text as on gesetze-im-internet.de, mirror github.com/kmein/gesetze
 * laws/AufenthG-BJNR195010004.md, commit cce3209c): whoever applies for an extension or another
 * title before their title runs out keeps it in force until the authority decides (Satz 1) — up
 * to and including the last day of validity printed on it; not for a Schengen visa (§ 6 Abs. 1,
 * Satz 2); after that, the authority may order it to continue to avoid undue hardship (Satz 3).
 * The certificate of that effect is the Fiktionsbescheinigung (Abs. 5; 13 €, § 47 Abs. 1 Nr. 8
 * AufenthV).
 *
 * `recommendedLeadDays`: how long before the expiry visitors are asked to apply. Eight weeks is
 * the authorities' usual advice (an appointment and the card take weeks); this terminal calls an
 * application within that time "last days" and shows it so. Not a legal deadline: an application
 * on the last day of validity still keeps the title in force.
 */
export const timelinessRules = {
  recommendedLeadDays: 56,
  references: {
    timely: '§ 81 Abs. 4 Satz 1 AufenthG',
    noFictionForSchengenVisa: '§ 81 Abs. 4 Satz 2 AufenthG',
    lateMayBeContinued: '§ 81 Abs. 4 Satz 3 AufenthG',
    certificate: '§ 81 Abs. 5 AufenthG',
  },
} as const;

/** Why a visitor needs the certificate now (the clerk sees the code; the screen says it in words). */
export const certificateReasons = [
  'travel',
  'employer',
  'benefits_office',
  'landlord_or_bank',
  'other',
] as const;
export type CertificateReason = (typeof certificateReasons)[number];
