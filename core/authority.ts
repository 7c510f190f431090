/**
 * The city's facts a visitor reads on the screen and on paper: the service centre's number and
 * hours, the service portal, the register court, the fees and how they are paid. They belong to
 * the installation (config section `authority`), never to code or translation files. The
 * defaults are the demo installation's: Nürnberg.
 */
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like "08:00"');
const euros = z
  .number()
  .min(0)
  .max(10_000)
  .refine((n) => Number.isInteger(Math.round(n * 100)) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, {
    message: 'must be an amount in euros with at most two decimals',
  });
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const serviceCentreSchema = z
  .object({
    /** As dialled from a German phone, international form: "+49 911 231-0". */
    phone: z
      .string()
      .regex(/^\+\d{1,3}( ?[\d-]){4,20}\d$/, 'must be a phone number like "+49 911 231-0"')
      .default('+49 911 231-0'),
    days: z
      .array(z.enum(weekdays))
      .min(1)
      .refine((d) => new Set(d).size === d.length, { message: 'names a day twice' })
      .refine(
        (d) => d.every((day, i) => i === 0 || weekdays.indexOf(day) > weekdays.indexOf(d[i - 1] ?? day)),
        {
          message: 'days must be in week order',
        },
      )
      .default(['mon', 'tue', 'wed', 'thu', 'fri']),
    opens: hhmm.default('08:00'),
    closes: hhmm.default('16:00'),
    /** The promise a call-back receipt makes: a call within this many working days. */
    callbackWorkingDays: z.number().int().min(1).max(20).default(3),
  })
  .strict()
  .refine((s) => s.opens < s.closes, { message: 'opens must be before closes', path: ['closes'] });

const line = z.string().min(1).max(160);
const phone = z
  .string()
  .regex(/^\+\d{1,3}( ?[\d-]){4,20}\d$/, 'must be a phone number like "+49 911 231-5115"');

const privacySchema = z
  .object({
    /** The controller (Art. 4 No. 7 GDPR): the body that decides on the application. */
    controller: z.object({ name: line, address: line }).strict(),
    /** The Land's data protection act beside the GDPR, as cited: "BayDSG". */
    stateDataProtectionLaw: z.string().min(1).max(80),
    dataProtectionOfficer: z.object({ name: line, address: line, phone }).strict(),
    /** Where a visitor may complain (Art. 77 GDPR); for a Bavarian city the BayLfD. */
    supervisoryAuthority: z
      .object({ name: line, address: line, url: z.url({ protocol: /^https$/ }) })
      .strict(),
    /** How long the authority keeps the file: years after the person moved away, and after naturalisation or death. */
    retention: z
      .object({
        yearsAfterMovingAway: z.number().int().min(1).max(50),
        yearsAfterNaturalisationOrDeath: z.number().int().min(1).max(50),
      })
      .strict(),
  })
  .strict();

/** The demo installation's: the city of Nürnberg's published privacy information (2025). */
const nuernbergPrivacy = {
  controller: {
    name: 'Stadt Nürnberg, Amt für Migration und Integration (Ausländerbehörde)',
    address: 'Regensburger Straße 231, 90478 Nürnberg',
  },
  stateDataProtectionLaw: 'BayDSG',
  dataProtectionOfficer: {
    name: 'Stadt Nürnberg, Behördlicher Datenschutz',
    address: 'Rathausplatz 2, 90403 Nürnberg',
    phone: '+49 911 231-5115',
  },
  supervisoryAuthority: {
    name: 'Der Bayerische Landesbeauftragte für den Datenschutz',
    address: 'Wagmüllerstraße 18, 80538 München',
    url: 'https://www.datenschutz-bayern.de',
  },
  retention: { yearsAfterMovingAway: 10, yearsAfterNaturalisationOrDeath: 5 },
};

export const authorityConfigSchema = z
  .object({
    /** The authority's name on the papers. */
    name: z.string().min(1).max(120).default('Ausländerbehörde der Stadt Nürnberg'),
    serviceCentre: serviceCentreSchema.default({
      phone: '+49 911 231-0',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      opens: '08:00',
      closes: '16:00',
      callbackWorkingDays: 3,
    }),
    /** Where visitors sign in to their service account (printed on the activation paper). */
    portal: z
      .object({
        name: z.string().min(1).max(80).default('Mein Nürnberg'),
        url: z.url({ protocol: /^https$/ }).default('https://www.nuernberg.de/internet/mein_nuernberg/'),
      })
      .strict()
      .default({ name: 'Mein Nürnberg', url: 'https://www.nuernberg.de/internet/mein_nuernberg/' }),
    /** The court that keeps the commercial register of the city's companies. */
    registerCourt: z.string().min(1).max(120).default('Amtsgericht Nürnberg'),
    /** An example phone number in the city's format (the form's hint). */
    phoneExample: z
      .string()
      .regex(/^\+\d{1,3}( ?\d){4,20}$/, 'must be a phone number like "+49 911 1234567"')
      .default('+49 911 1234567'),
    /** Fees in euros (AufenthV maxima where the amount depends on the case). */
    fees: z
      .object({
        firstPermit: euros.default(100),
        extension: euros.default(96),
        newCard: euros.default(67),
        commitment: euros.default(29),
      })
      .strict()
      .default({ firstPermit: 100, extension: 96, newCard: 67, commitment: 29 }),
    /** How fees are paid at the counter. */
    payment: z.enum(['card', 'cardOrCash']).default('cardOrCash'),
    /**
     * The authority's own photo station (e.g. a Bundesdruckerei PointID), for visitors without a
     * certified photo provider's code; null: the authority takes no photos. The fee is the law's
     * (§ 48 Abs. 1 Satz 1 Nr. 16 AufenthV, core/assessments/fee-schedule.ts), not configured here.
     */
    photoStation: z
      .object({
        /** Where it is, as the building's signs name it. */
        place: z.string().min(1).max(120),
      })
      .strict()
      .nullable()
      .default({ place: 'Servicebereich Mitte, Fotostation' }),
    /**
     * The securities this authority accepts beside a declaration of commitment when the income is
     * not enough (federal Merkblatt VE: e.g. a Sperrvermerk on a savings book, a blocked account, a
     * bank guarantee). Nürnberg accepts a Sparbuch with Sperrvermerk.
     */
    commitmentSecurities: z
      .array(z.enum(['savingsBookBlocked', 'blockedAccount', 'bankGuarantee']))
      .refine((s) => new Set(s).size === s.length, { message: 'names a security twice' })
      .default(['savingsBookBlocked']),
    /**
     * The facts of the privacy notice (Art. 13 and 14 GDPR) that belong to the installation: who
     * is responsible, the data protection officer, the supervisory authority, and how long the
     * authority keeps its file (the demo's: § 68 AufenthV). The legal text around them is the
     * translation files'.
     */
    privacy: privacySchema.default(nuernbergPrivacy),
  })
  .strict();

export type AuthorityFacts = z.output<typeof authorityConfigSchema>;

/** The demo installation's facts (Nürnberg): the defaults of the config section. */
export const defaultAuthorityFacts: AuthorityFacts = authorityConfigSchema.parse({});

/**
 * The facts the visitor's screens quote (`{{serviceCentrePhone}}` … in the translation files), as
 * the terminal hands them to the screen: all text, numbers too.
 */
export function authorityTexts(facts: AuthorityFacts, terminalRetentionHours: number) {
  const privacy = facts.privacy;
  return {
    serviceCentrePhone: facts.serviceCentre.phone,
    phoneExample: facts.phoneExample,
    registerCourt: facts.registerCourt,
    portalName: facts.portal.name,
    portalUrl: facts.portal.url,
    controllerName: privacy.controller.name,
    controllerAddress: privacy.controller.address,
    stateDataProtectionLaw: privacy.stateDataProtectionLaw,
    dpoName: privacy.dataProtectionOfficer.name,
    dpoAddress: privacy.dataProtectionOfficer.address,
    dpoPhone: privacy.dataProtectionOfficer.phone,
    supervisoryName: privacy.supervisoryAuthority.name,
    supervisoryAddress: privacy.supervisoryAuthority.address,
    supervisoryUrl: privacy.supervisoryAuthority.url,
    retentionYearsMovedAway: String(privacy.retention.yearsAfterMovingAway),
    retentionYearsNaturalised: String(privacy.retention.yearsAfterNaturalisationOrDeath),
    terminalRetentionHours: String(terminalRetentionHours),
  };
}
