import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, projectRoot, startKioskProcess } from '../support/kiosk-process.ts';
import { type PassportData, passportMrz } from '../support/passport.ts';
import { inDays, portalApplication, Visit } from './support/application-steps.ts';
import { type AxeFinding, tapsIn } from './support/kiosk-page.ts';

/**
 * The two long applications, by touch alone, in German, English and Arabic, portrait and
 * landscape: a declaration of commitment made for a company and a residence permit with its card.
 * Every screen is checked with axe-core (and kept as a screenshot in test-output/screens with
 * KIOSK_SCREENSHOTS=1). Each journey is typed by taps on the on-screen keyboard in one language
 * and orientation, and with the same keys pressed in the page elsewhere (see `Typing`); a wrong
 * entry is shown next to its field; the tracking number on the receipt is then found in the
 * reference portal with what the visitor entered; and after the session nothing the visitor typed
 * or a reader read is left in the page, its storage or the terminal's data folder.
 */
const languages = ['de', 'en', 'ar'] as const;
type Language = (typeof languages)[number];
const viewports = [
  { width: 1080, height: 1920 },
  { width: 1920, height: 1080 },
] as const;
const screens = join(projectRoot, 'test-output', 'screens');
mkdirSync(screens, { recursive: true });

let kiosk: KioskProcess;
let browser: Browser;
const findings: AxeFinding[] = [];
const timings: string[] = [];

beforeAll(async () => {
  kiosk = await startKioskProcess({ KIOSK_LANGUAGES: 'de,de-x-ls,en,tr,uk,ru,ar' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await kiosk?.stop()).toBe(0);
  for (const line of timings) console.log(line);
});

function record(visit: Visit, journey: string, label: string): void {
  const { totalMs, visitorMs } = visit.timing();
  timings.push(
    `application ${journey} ${label}: ${totalMs} ms from first tap to receipt (${visitorMs} ms without the test's axe checks and screenshots)`,
  );
}

/** The applicant of the residence permit, read from the passport; the purpose differs per language. */
const permitApplicants: Record<Language, { mrz: PassportData; lastName: string; birthDate: string }> = {
  de: {
    mrz: {
      state: 'TUR',
      last: 'OZTURK',
      first: 'AYSE',
      number: 'U12345678',
      birth: '900131',
      sex: 'F',
      expiry: '340115',
    },
    lastName: 'Ozturk',
    birthDate: '1990-01-31',
  },
  en: {
    mrz: {
      state: 'BRA',
      last: 'SILVA',
      first: 'ANA<MARIA',
      number: 'FX1234567',
      birth: '980704',
      sex: 'F',
      expiry: '330520',
    },
    lastName: 'Silva',
    birthDate: '1998-07-04',
  },
  ar: {
    mrz: {
      state: 'SYR',
      last: 'HADDAD',
      first: 'LINA',
      number: 'N01234567',
      birth: '870215',
      sex: 'F',
      expiry: '320910',
    },
    lastName: 'Haddad',
    birthDate: '1987-02-15',
  },
};

for (const language of languages) {
  for (const viewport of viewports) {
    const label = `${language} ${viewport.width}x${viewport.height}`;
    describe(`applications in ${label}`, () => {
      it('declares a commitment for a business visitor on behalf of a company', async () => {
        const typing = tapsIn({ language: 'de', width: 1080, height: 1920 }, language, viewport);
        const visit = await Visit.begin(browser, kiosk, language, viewport, screens, typing);
        const { v } = visit;
        const base = 'services.commitment-company';
        await visit.openService(base);

        await visit.step(base, 'eligibility');
        await v.choose(base, 'companySeat', 'inCity');
        await v.choose(base, 'stayLength', 'upTo90Days');
        await visit.check('company-eligibility');
        await v.next();

        await visit.step(base, 'liability');
        await v.tick(base, 'liabilityAcknowledged');
        await visit.check('company-liability');
        await v.next();

        await visit.step(base, 'company');
        await v.type(base, 'companyName', 'Kranich Technik GmbH');
        await v.choose(base, 'legalForm', 'gmbh');
        await v.choose(base, 'registered', 'yes');
        // The register entry is asked for only once the company says it has one.
        await v.type(base, 'registerCourt', 'Amtsgericht Leipzig');
        await v.type(base, 'registerNumber', 'HRB 31415');
        await visit.check('company-company');
        await v.next();

        await visit.step(base, 'companyAddress');
        await v.type(base, 'street', 'Torgauer Strasse');
        await v.type(base, 'houseNumber', '114');
        await v.type(base, 'postcode', '0432');
        await v.type(base, 'city', 'Leipzig');
        await v.type(base, 'phone', '+49 341 5550199');
        await v.next();
        // A postcode with a digit missing: the error stands under the postcode, the visitor adds it.
        expect(await visit.errorNextTo(visit.textbox(base, 'postcode'), 'invalid_postcode')).toBeNull();
        await visit.check('company-address-error');
        await v.type(base, 'postcode', '9');
        await v.next();

        // The representative types their details in portrait and has the passport read in landscape.
        await visit.step(base, 'representative');
        await visit.check('company-representative-reader');
        if (viewport.width < viewport.height) {
          await visit.typeInstead();
          await v.type(base, 'lastName', 'Brenner');
          await v.type(base, 'firstNames', 'Jonas');
          await v.date(base, 'birthDate', '1979-11-23');
          await v.type(base, 'nationality', 'D');
          await v.type(base, 'documentNumber', 'L4RK8Z2P1');
        } else {
          await visit.present(
            passportMrz({
              state: 'D<<',
              last: 'BRENNER',
              first: 'JONAS',
              number: 'L4RK8Z2P1',
              birth: '791123',
              sex: 'M',
              expiry: '330214',
            }),
          );
          await visit.shows('Brenner');
        }
        await visit.shows('L4RK8Z2P1');
        await visit.check('company-representative');
        await v.next();

        // Without the confirmation of the authority to act, the journey does not go on.
        await visit.step(base, 'role');
        await v.choose(base, 'representativeRole', 'prokurist');
        await v.next();
        expect(await visit.errorNextTo(visit.checkbox(base, 'authorityToAct'), 'must_accept')).toBeNull();
        await visit.check('company-role-error');
        await v.tick(base, 'authorityToAct');
        await v.next();

        // The guest's passport is read by the simulated reader.
        await visit.step(base, 'guest');
        await visit.present(
          passportMrz({
            state: 'JPN',
            last: 'NAKAMURA',
            first: 'HARUTO',
            number: 'TR1234567',
            birth: '850314',
            sex: 'M',
            expiry: '320601',
          }),
        );
        await visit.shows('Nakamura');
        await visit.shows('TR1234567');
        await v.choose(base, 'guestRelation', 'business');
        // The federal form's guest data (E7); the sex came with the passport read.
        await v.type(base, 'guestBirthPlace', 'Osaka');
        await v.type(base, 'guestHomeAddress', 'Osaka');
        await v.choose(base, 'coTravellingSpouse', 'no');
        await v.type(base, 'coTravellingChildren', '0');
        await visit.check('company-guest');
        await v.next();

        await visit.step(base, 'stay');
        await v.date(base, 'arrivalDate', inDays(30));
        await v.date(base, 'departureDate', inDays(44));
        await v.choose(base, 'stayPurpose', 'business');
        await v.choose(base, 'accommodation', 'other');
        await v.type(base, 'accommodationAddress', 'Hotel Leipzig');
        await visit.check('company-stay');
        await v.next();

        // The fee, said before anything is submitted.
        await visit.step(base, 'estimate');
        await visit.check('company-estimate');
        await v.next();

        await visit.step(base, 'checklist');
        await visit.check('company-checklist');
        await v.next();

        await visit.step(base, 'review');
        await visit.shows('Kranich Technik GmbH');
        await visit.shows('HRB 31415');
        await visit.shows('04329');
        await visit.shows('Brenner');
        await visit.shows('Nakamura');
        await visit.check('company-review');
        await v.next();

        await visit.step(base, 'declarations');
        await v.tick(base, 'truthful');
        await v.tick(base, 'privacy');
        await visit.check('company-declarations');
        const tracking = await visit.submitForReceipt();
        expect(tracking).toMatch(/^ST-[0-9A-Z]{10}.$/);
        record(visit, 'commitment-company', label);
        await visit.check('company-receipt');
        await visit.finish('company-end');

        expect(
          await visit.leftBehind([
            'Kranich Technik',
            'HRB 31415',
            'Torgauer',
            '5550199',
            'Brenner',
            'BRENNER',
            'L4RK8Z2P1',
            'NAKAMURA',
            'Nakamura',
            'TR1234567',
          ]),
        ).toEqual([]);
        findings.push(...v.axe.map((f) => ({ ...f, screen: `${label} ${f.screen}` })));
        await visit.close();

        // The authority received what was entered, under the number on the receipt.
        const received = await portalApplication(kiosk, tracking);
        expect(received.serviceId).toBe('commitment-company');
        expect(received.birthDate).toBe('1979-11-23');
        expect(received.application.language).toBe(language);
        expect(received.application.values).toMatchObject({
          companyName: 'Kranich Technik GmbH',
          legalForm: 'gmbh',
          registerCourt: 'Amtsgericht Leipzig',
          registerNumber: 'HRB 31415',
          postcode: '04329',
          lastName: 'Brenner',
          nationality: 'D',
          representativeRole: 'prokurist',
          authorityToAct: true,
          guestLastName: 'Nakamura',
          guestNationality: 'JPN',
          guestPassportNumber: 'TR1234567',
          guestBirthDate: '1985-03-14',
          guestSex: 'M',
          guestBirthPlace: 'Osaka',
          arrivalDate: inDays(30),
          stayPurpose: 'business',
          accommodationAddress: 'Hotel Leipzig',
        });
      });

      it('applies for a residence permit and its card, with the passport read by the reader', async () => {
        const applicant = permitApplicants[language];
        // Arabic in landscape: the Latin page of the Arabic keyboard for a Latin street name.
        const typing = tapsIn({ language: 'ar', width: 1920, height: 1080 }, language, viewport);
        const visit = await Visit.begin(browser, kiosk, language, viewport, screens, typing);
        const { v } = visit;
        const base = 'services.residence-permit';
        await visit.openService(base);

        // The request, the current title and its expiry, and the purpose with what it needs.
        await visit.step(base, 'request');
        await v.choose(base, 'request', 'permit');
        const expected: Record<string, unknown> = { request: 'permit' };
        if (language === 'en') {
          await v.choose(base, 'permitRequest', 'firstPermit');
          await v.choose(base, 'currentTitle', 'visa');
          await expectHidden(visit.textbox(base, 'currentTitleExpiry'));
          await v.choose(base, 'purpose', 'study');
          await v.type(base, 'university', 'Leipzig University');
          await v.type(base, 'subject', 'Computer Science');
          await v.date(base, 'enrolledUntil', inDays(200));
          Object.assign(expected, {
            permitRequest: 'firstPermit',
            currentTitle: 'visa',
            purpose: 'study',
            university: 'Leipzig University',
            enrolledUntil: inDays(200),
          });
        } else {
          await v.choose(base, 'permitRequest', 'extend');
          await v.choose(base, 'currentTitle', 'residencePermit');
          // A title that ran out a few days ago must still be extended: any date is taken.
          const expiry = inDays(language === 'de' ? 40 : -5);
          await v.date(base, 'currentTitleExpiry', expiry);
          Object.assign(expected, {
            permitRequest: 'extend',
            currentTitle: 'residencePermit',
            currentTitleExpiry: expiry,
          });
          if (language === 'de') {
            await v.choose(base, 'purpose', 'employment');
            await v.type(base, 'employerName', 'Elster Logistik GmbH');
            await v.type(base, 'jobTitle', 'Disponentin');
            await v.type(base, 'grossSalary', '3450');
            Object.assign(expected, { purpose: 'employment', employerName: 'Elster Logistik GmbH' });
          } else {
            await v.choose(base, 'purpose', 'family');
            await v.choose(base, 'familyRelation', 'spouse');
            await v.type(base, 'familyMemberName', 'Karim Haddad');
            await v.choose(base, 'familyMemberStatus', 'german');
            Object.assign(expected, {
              purpose: 'family',
              familyRelation: 'spouse',
              familyMemberName: 'Karim Haddad',
            });
          }
        }
        await visit.check('permit-request');
        await v.next();

        // § 81 Abs. 4: in time, or expired and flagged at once; the Fiktionsbescheinigung on request.
        if (language !== 'en') {
          await visit.step(base, 'timeliness');
          // de: in its last days (still in time); ar: expired, said as an alert and flagged.
          await v.page
            .locator(language === 'de' ? '.assessment-note.warning' : '.assessment-note.stop[role="alert"]')
            .first()
            .waitFor();
          await v.choose(base, 'fictionCertificate', 'yes');
          await v.choose(base, 'fictionReason', 'travel');
          Object.assign(expected, { fictionCertificate: 'yes', fictionReason: 'travel' });
          await visit.check('permit-timeliness');
          await v.next();
        }

        // The applicant's details come from the passport on the simulated reader.
        await visit.step(base, 'personal');
        await visit.check('permit-personal-reader');
        await visit.present(passportMrz(applicant.mrz));
        await visit.shows(applicant.lastName);
        await visit.shows(applicant.mrz.number);
        await visit.check('permit-personal-read');
        await v.next();
        Object.assign(expected, await visit.federalFormSteps(base, { place: 'Aleppo', country: 'SYR' }));

        // A phone number with too few digits: the error stands under the phone field.
        await visit.step(base, 'address');
        await v.type(base, 'street', 'Eisenbahnstrasse');
        await v.type(base, 'houseNumber', '27');
        await v.type(base, 'postcode', '04315');
        await v.type(base, 'city', 'Leipzig');
        await v.type(base, 'phone', '+49 341');
        await v.next();
        expect(await visit.errorNextTo(visit.textbox(base, 'phone'), 'invalid_phone')).toBeNull();
        await visit.check('permit-address-error');
        await v.type(base, 'phone', ' 5550123');
        await v.next();

        // The certified digital photo: the provider's code scanned (format and age checked), or
        // the authority's photo station.
        await visit.step(base, 'photo');
        await visit.check('permit-photo');
        if (language === 'de') {
          await v.choose(base, 'photoSource', 'code');
          const photoCode = `EPB1*DM01*KIOSKTESTPHOTO0001*${inDays(-10).replaceAll('-', '')}`;
          await visit.scan(photoCode, 'datamatrix');
          await visit.shows(photoCode);
          Object.assign(expected, { photoSource: 'code', photoCode });
        } else {
          await v.choose(base, 'photoSource', 'station');
          Object.assign(expected, { photoSource: 'station' });
        }
        await v.next();

        // E9: only who collects; the invitation names the place and time.
        await visit.step(base, 'card');
        await v.choose(base, 'pickupBy', 'proxy');
        await visit.check('permit-card');
        await v.next();

        // The expected fee and how to pay here, before anything is submitted.
        await visit.step(base, 'fee');
        await v.heading('assessment.title');
        await visit.check('permit-fee');
        await v.next();

        await visit.step(base, 'checklist');
        await visit.check('permit-checklist');
        await v.next();

        await visit.step(base, 'review');
        await visit.shows(applicant.lastName);
        await visit.shows('+49 341 5550123');
        await visit.check('permit-review');
        await v.next();

        await visit.step(base, 'declarations');
        await v.tick(base, 'truthful');
        await v.tick(base, 'privacy');
        await visit.check('permit-declarations');
        const tracking = await visit.submitForReceipt();
        expect(tracking).toMatch(/^ST-[0-9A-Z]{10}.$/);
        record(visit, 'residence-permit', label);
        await visit.check('permit-receipt');
        await visit.finish('permit-end');

        expect(
          await visit.leftBehind([
            applicant.mrz.last,
            applicant.lastName,
            applicant.mrz.number,
            'Eisenbahnstrasse',
            '5550123',
            ...(language === 'de' ? ['Elster Logistik'] : []),
            ...(language === 'en' ? ['Leipzig University'] : []),
            ...(language === 'ar' ? ['Karim Haddad'] : []),
          ]),
        ).toEqual([]);
        findings.push(...v.axe.map((f) => ({ ...f, screen: `${label} ${f.screen}` })));
        await visit.close();

        const received = await portalApplication(kiosk, tracking);
        expect(received.serviceId).toBe('residence-permit');
        expect(received.birthDate).toBe(applicant.birthDate);
        expect(received.application.language).toBe(language);
        expect(received.application.values).toMatchObject({
          ...expected,
          lastName: applicant.lastName,
          documentNumber: applicant.mrz.number,
          nationality: applicant.mrz.state,
          phone: '+49 341 5550123',
          pickupBy: 'proxy',
        });
        // An extension applied for after the title ran out reaches the authority flagged.
        expect((received.application as { flags?: string[] }).flags).toEqual(
          language === 'de' || language === 'en' ? undefined : ['title_expired'],
        );
      });
    });
  }
}

/** A field the current answers do not ask for is not on the screen at all. */
async function expectHidden(field: Locator): Promise<void> {
  expect(await field.count()).toBe(0);
}

describe('accessibility of every application screen passed', () => {
  it('has no serious or critical axe violations', () => {
    for (const f of findings)
      console.log(`axe ${f.screen}: ${f.violations.length === 0 ? 'clean' : JSON.stringify(f.violations)}`);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.violations.length > 0)).toEqual([]);
  });
});
