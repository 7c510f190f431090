/**
 * What a visitor who lost an electronic residence permit (eAT) must do at once, as dated data: the
 * nationwide blocking hotline for the card's online ID function (Sperrnotruf, also for the
 * Personalausweis; § 78 Abs. 5 AufenthG with § 10 PAuswG; personalausweisportal.de "Sperren",
 * checked December 2026). The number is the federal one, not the city's, so it lives here and not
 * in the installation's configuration; re-check it by `checkedUntil`.
 */
export const lostCardAdvice = {
  blockingHotline: '116 116',
  source: 'personalausweisportal.de, Sperrnotruf 116 116 (eID-Funktion von Personalausweis und eAT)',
  checkedOn: '2026-12-01',
  checkedUntil: '2027-12-31',
} as const;

/**
 * Children and the card: fingerprints are taken from the age of six (§ 78 Abs. 1 Satz 3 AufenthG:
 * the eAT holds fingerprints of holders from six), so a child of six or older comes in person.
 */
export const childRules = {
  fingerprintsFromAge: 6,
  reference: '§ 78 Abs. 1 Satz 3 AufenthG',
} as const;
