import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../portal/accounts.ts';
import { type RunningPortal, startPortal } from '../../portal/server.ts';
import { signingKeyThumbprint } from '../../sync/enrolment.ts';
import { pooledAuthorityKeys } from '../support/authority-keys.ts';
import { launchChromium } from '../support/chromium.ts';
import { type KioskProcess, projectRoot, startKioskProcess } from '../support/kiosk-process.ts';
import { passportMrz } from '../support/passport.ts';
import { type AxeFinding, KioskPage, screenshotsWanted } from './support/kiosk-page.ts';
import { presentDocument, StaffSteps, scanBarcode, staffConfig } from './support/staff-steps.ts';

/**
 * The authority's employees at a real kiosk process with the simulated readers, against the
 * reference portal started here: enrolment from the screen on first start, the clerk's overlay on
 * a visitor session (badge scanned, PIN on the pad; more time; reprint; ending the session), the
 * administrators' screens (status, live reader summaries, test print, queue and sync now, the
 * accessibility checklist, the log export, the wipe with undelivered applications) and enrolling
 * again with a fresh code; on a second kiosk, with a scanner the system keeps as a keyboard, the
 * enrolment code scanned from its QR code, and five wrong PINs lock sign-in. Every screen is
 * checked with axe-core; screenshots go to test-output/screens.
 */
const screens = join(projectRoot, 'test-output', 'screens');
mkdirSync(screens, { recursive: true });
const viewport = { width: 1080, height: 1920 } as const;
const idleSeconds = 300;

const clerk = { name: 'M. Keller', role: 'staff', badge: 'CLERK-4711-A', secret: '482916' } as const;
const admin = { name: 'R. Okafor', role: 'admin', badge: 'ADMIN-0815-B', secret: 'Kiosk-Verw-7' } as const;
/** A passport laid on the reader at the administrators' reader screen; none of it may appear there. */
const specimen = { last: 'BRANDVOLD', first: 'SIGRUN', number: 'X4RT72K19' };
const scannedText = 'ST1:ST-PRIVATE-CODE-93';
/** What a clerk types from a document in hand (dates on the pad as DDMMYYYY). */
const manualDocument = {
  reason: 'mrz_damaged',
  documentCode: 'P',
  issuingState: 'NOR',
  documentNumber: 'K7Q31ZX08',
  lastName: 'Solberg',
  firstNames: 'Ingrid',
  nationality: 'NOR',
};

const findings: AxeFinding[] = [];
const configDir = mkdtempSync(join(tmpdir(), 'kiosk-staff-config-'));
let portal: RunningPortal;
/** Another portal, as someone at the screen might want the terminal to enrol with. */
let foreign: RunningPortal;
let browser: Browser;

/**
 * A kiosk process that is not enrolled yet, with the clerk and the administrator configured;
 * `wedge`: a barcode reader the system keeps as a keyboard (its keystrokes reach the page).
 */
async function startKiosk(name: string, options: { wedge?: boolean } = {}): Promise<KioskProcess> {
  const file = join(configDir, `${name}.json`);
  const staff = await staffConfig([clerk, admin], randomBytes(32).toString('hex'));
  const readers = options.wedge
    ? { readers: { wedge: { mode: 'barcode', layout: 'en-US', maxKeyGapMs: 200 } } }
    : {};
  writeFileSync(file, JSON.stringify({ staff, ...readers }), { mode: 0o600 });
  return startKioskProcess({
    KIOSK_CONFIG: file,
    KIOSK_PORTAL_URL: portal.url,
    KIOSK_PORTAL_KEY_THUMBPRINT: signingKeyThumbprint(portal.signingKey),
    KIOSK_IDLE_TIMEOUT_SECONDS: String(idleSeconds),
  });
}

function printed(kiosk: KioskProcess): string[] {
  const dir = join(kiosk.dataDir, 'printed');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/**
 * One call over a socket opened from the page (with the launch token of the kiosk's URL), as a
 * script injected into the page could make it: what the screen does not offer is refused here too.
 */
function callFromPage(
  page: Page,
  kioskUrl: string,
  name: string,
  input: unknown,
): Promise<{ ok: boolean; error?: { code: string } }> {
  const token = new URL(kioskUrl).hash.replace(/^#token=/, '');
  return page.evaluate(
    ([callToken, callName, callInput]) =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(callToken)}`);
        socket.onerror = () => reject(new Error('socket refused'));
        socket.onopen = () =>
          socket.send(JSON.stringify({ type: 'call', id: 1, name: callName, input: callInput }));
        socket.onmessage = (message) => {
          const data = JSON.parse(String(message.data));
          if (data.type !== 'result' || data.id !== 1) return;
          socket.close();
          resolve(data.envelope);
        };
      }),
    [token, name, input] as const,
  );
}

/** From the attract screen to the menu, in German. */
function startVisit(page: Page): Promise<void> {
  return new KioskPage(page, 'de').toMenu();
}

beforeAll(async () => {
  portal = await startPortal({ port: 0, authorityKeySource: pooledAuthorityKeys() });
  foreign = await startPortal({ port: 0, authorityKeySource: pooledAuthorityKeys() });
  // The account the visitor of the manual entry asks for: found on the first step of the activation.
  const db = new Database(join(portal.dataDir, 'portal.sqlite'));
  try {
    insertAccount(db, {
      accountId: 'acc-test-ingrid',
      displayName: 'Ingrid Solberg',
      latinName: 'Ingrid Solberg',
      birthDate: '1985-04-12',
      email: 'ingrid@example.org',
      registeredAt: Date.now(),
      expiresAt: Date.now() + 30 * 86_400_000,
    });
  } finally {
    db.close();
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await foreign?.close();
  rmSync(configDir, { recursive: true, force: true });
});

describe('staff, administration and enrolment at the terminal', () => {
  let kiosk: KioskProcess;
  let page: Page;
  let staff: StaffSteps;
  let firstCode: string;

  beforeAll(async () => {
    kiosk = await startKiosk('terminal');
    page = await (await browser.newContext({ viewport, hasTouch: true })).newPage();
    staff = new StaffSteps(page, kiosk.url, 'de', screens);
  });

  afterAll(async () => {
    findings.push(...staff.axe);
    await page?.context().close();
    expect(await kiosk?.stop()).toBe(0);
  });

  it('is out of service on first start, in every language, with nothing for a visitor to start', async () => {
    await page.goto(kiosk.url);
    await page.getByRole('heading', { name: 'Außer Betrieb', exact: true }).waitFor();
    for (const [lang, title] of [
      ['en', 'Out of service'],
      ['tr', 'Hizmet dışı'],
      ['uk', 'Не працює'],
      ['ar', 'خارج الخدمة'],
    ] as const) {
      await page.locator(`li[lang="${lang}"]`).getByText(title).waitFor();
    }
    await staff.text('outOfService.code', { code: 'enrolment.missing' }).waitFor();
    // one control only, the administrator's key: no start, no language, no menu
    expect(await page.getByRole('button').count()).toBe(1);
    await staff.check('out-of-service');
    // and the host refuses what the screen does not offer
    expect(await callFromPage(page, kiosk.url, 'session.start', { language: 'de' })).toMatchObject({
      ok: false,
      error: { code: 'terminal.out_of_service' },
    });
    expect(
      await callFromPage(page, kiosk.url, 'enrolment.enrol', { code: foreign.createEnrolmentCode() }),
    ).toMatchObject({
      ok: false,
      error: { code: 'staff.no_session' },
    });
  });

  it('enrols only after an administrator signed in, only with the installation’s portal', async () => {
    await staff.openEnrolment(admin);
    // The portal is the installation's: shown, not typed.
    expect(await page.getByRole('textbox', { name: staff.t('enrolment.url') }).count()).toBe(0);
    await page.getByText(portal.url, { exact: true }).waitFor();
    // Even signed in, another portal sent over the page's socket is refused before it is asked.
    expect(
      await callFromPage(page, kiosk.url, 'enrolment.enrol', {
        portalUrl: foreign.url,
        code: foreign.createEnrolmentCode(),
      }),
    ).toMatchObject({ ok: false, error: { code: 'enrolment.foreign_origin' } });
    expect(foreign.terminals()).toEqual([]);
    await staff.check('enrolment');
    await staff.enrol('ZZZZ-ZZZZ-ZZZZ');
    await staff.text('errors.enrolment.code_invalid').waitFor();
    await staff.check('enrolment-error');
    firstCode = portal.createEnrolmentCode();
    await staff.enrol(firstCode);
    await page.getByRole('heading', { name: 'Serviceterminal der Ausländerbehörde' }).waitFor();
    expect(portal.terminals()).toHaveLength(1);
    await staff.check('attract');
  });

  it('signs a clerk in with a scanned badge and the PIN, and gives the visitor more time', async () => {
    await startVisit(page);
    await staff.openOverlay();
    await staff.text('signIn.scanBadge').waitFor();
    await staff.check('staff-signin');
    await staff.scanBadge(clerk.badge);
    await staff.type(staff.t('signIn.pin'), clerk.secret);
    // The PIN is never on screen, only one dot per digit.
    expect(await page.getByRole('textbox', { name: staff.t('signIn.pin') }).textContent()).toBe('••••••');
    expect(await page.content()).not.toContain(clerk.secret);
    await staff.check('staff-signin-badge-read');
    await staff.button('signIn.submit').tap();
    await staff.text('desk.signedInAs', { name: clerk.name }).waitFor();
    await staff.check('staff-desk');

    expect(await staff.deskAction('desk.reprint')).toBe(staff.t('desk.reprinted.nothing_to_print'));
    expect(await staff.deskAction('desk.extend')).toBe(
      staff.t('desk.extended', { count: Math.round((idleSeconds * 3) / 60) }),
    );
    await staff.signOutClerk();
    // Back on the visitor's menu, the overlay gone; the badge is nowhere in the page.
    await page.getByRole('heading', { name: 'Was möchten Sie tun?' }).waitFor();
    expect(await page.content()).not.toContain(clerk.badge);
  });

  it('types the document data for a visitor whose document the reader cannot read, then refuses the activation', async () => {
    const v = new KioskPage(page, 'de', screens);
    const base = 'services.account-activation';
    await page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
    await v.heading(`${base}.steps.find.title`);
    await v.choose(base, 'findBy', 'name');
    await v.type(base, 'accountName', 'Ingrid Solberg');
    await v.date(base, 'accountBirthDate', '1985-04-12');
    await v.next();
    await v.heading(`${base}.steps.document.title`);

    await staff.signInClerk(clerk);
    // Another birth date than the account's: the terminal's checks do not all hold.
    await staff.enterDocument({ ...manualDocument, birthDate: '13041985', expiryDate: '31122034' });
    await staff.check('staff-manual-entered');
    await staff.signOutClerk();
    // The visitor's step shows the data as a read would have filled them.
    await page.getByText(manualDocument.lastName, { exact: true }).waitFor();
    if (screenshotsWanted())
      await page.screenshot({ path: join(screens, 'staff-de-1080x1920-visitor-after-manual-entry.png') });
    await v.next();
    await v.heading(`${base}.steps.verification.title`);

    await staff.signInClerk(clerk);
    await staff.text('decision.outcome.mismatch').waitFor();
    await page.getByText(`${staff.t('decision.source')}: ${staff.t('decision.sources.clerk')}`).waitFor();
    // Confirming is offered only when every check of the terminal held.
    expect(await staff.button('decision.confirm').count()).toBe(0);
    await staff.check('staff-decision');
    await staff.decide({ refuse: 'data_do_not_match_account' });
    await page.locator('#result-title').waitFor();
    await v.button('result.done').tap();
    await v.button('end.again').tap();
    await page.getByRole('heading', { name: 'Serviceterminal der Ausländerbehörde' }).waitFor();
  });

  it('holds a step with an expired document until the clerk accepts it, the note staying with the data', async () => {
    await startVisit(page);
    const v = new KioskPage(page, 'de', screens);
    const base = 'services.commitment-private';
    await page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
    await v.continueAsGuest();
    await v.choose(base, 'livesInCity', 'yes');
    await v.choose(base, 'residenceStatus', 'permit');
    await v.date(base, 'titleValidUntil', '2030-01-01');
    await v.choose(base, 'stayLength', 'upTo90Days');
    await v.next();
    await v.tick(base, 'liabilityAcknowledged');
    await v.next();
    await v.heading(`${base}.steps.guarantor.title`);
    // The ICAO specimen passport, valid until 2012.
    await presentDocument(
      kiosk.url,
      passportMrz({
        state: 'UTO',
        last: 'ERIKSSON',
        first: 'ANNA<MARIA',
        number: 'L898902C3',
        birth: '740812',
        sex: 'F',
        expiry: '120415',
      }),
    );
    await page.getByText('Eriksson', { exact: true }).waitFor();
    await v.page.getByText(v.t('reader.expired')).waitFor();
    await v.type(base, 'birthPlace', 'Stockholm');
    await v.next();
    await v.page.getByText(v.t('reader.expired')).waitFor();
    await v.heading(`${base}.steps.guarantor.title`);
    await staff.signInClerk(clerk);
    await staff.check('staff-expired-document');
    await v.tap(staff.button('desk.acceptExpired'));
    await staff.text('desk.acceptedExpired').waitFor();
    await staff.signOutClerk();
    await v.page.getByText(v.t('reader.expiredAccepted')).waitFor();
    await v.check('expired-accepted');
    await v.next();
    await v.heading(`${base}.steps.address.title`);
    // Back on the step, the note is still there beside the data.
    await v.button('journey.back').tap();
    await v.heading(`${base}.steps.guarantor.title`);
    await v.page.getByText(v.t('reader.expiredAccepted')).waitFor();
    await v.button('common.exit').tap();
    await v.button('exitConfirm.confirm').tap();
    await v.heading('end.title');
    findings.push(...v.axe);
  });

  it('reprints the receipt of an application queued while the portal is down, then ends the session', async () => {
    portal.setFaults({ down: true });
    await startVisit(page);
    const v = new KioskPage(page, 'de', screens);
    const base = 'services.callback-request';
    await page.getByRole('button', { name: v.t(`${base}.title`) }).tap();
    await v.heading(`${base}.steps.topic.title`);
    await v.choose(base, 'topic', 'appointment');
    await v.choose(base, 'urgency', 'normal');
    await v.next();
    await v.heading(`${base}.steps.contact.title`);
    await v.type(base, 'lastName', 'Haugland');
    await v.type(base, 'phone', '+49 341 5550123');
    await v.choose(base, 'callLanguage', 'de');
    await v.choose(base, 'timeWindow', 'any');
    await v.next();
    await v.heading(`${base}.steps.review.title`);
    await v.next();
    await v.heading(`${base}.steps.declarations.title`);
    await v.tick(base, 'consentContact');
    await v.button('journey.submit').tap();
    await page.locator('.tracking-number').waitFor();
    await page.getByText(v.t('result.print.printed')).waitFor();
    expect(printed(kiosk)).toHaveLength(1);

    await staff.signInClerk(clerk);
    expect(await staff.deskAction('desk.reprint')).toBe(staff.t('desk.reprinted.printed'));
    expect(printed(kiosk)).toHaveLength(2);
    await staff.endVisitorSession();
    await page.getByRole('heading', { name: 'Serviceterminal der Ausländerbehörde' }).waitFor();
  });

  it('signs an administrator in and shows the terminal status without personal data', async () => {
    await staff.signInAdmin(admin);
    await staff.check('admin-overview');
    expect(await staff.fact('admin.overview.enrolled')).toBe(staff.t('common.yes'));
    expect(await staff.fact('admin.overview.portal')).toBe(portal.url);
    expect(await staff.fact('admin.overview.terminalId')).toBe(portal.terminals()[0]?.terminalId);
    expect(await staff.fact('admin.overview.audit')).toMatch(/^unverändert, \d+ Einträge$/);
    expect(await staff.fact('admin.overview.sessions')).toBe('3');
    const content = await page.content();
    for (const secret of [
      'Haugland',
      '5550123',
      'SOLBERG',
      'Eriksson',
      manualDocument.documentNumber,
      clerk.name,
      clerk.badge,
      admin.badge,
    ]) {
      expect(content).not.toContain(secret);
    }
  });

  it('lists the readers and shows live reads as summaries, never their content', async () => {
    await staff.adminSection('readers');
    await page.getByText(staff.t('admin.readers.noReads')).waitFor();
    // The simulated document reader and barcode scanner.
    await page.waitForFunction(() => document.querySelectorAll('ul.admin-list li').length === 2);
    await presentDocument(
      kiosk.url,
      passportMrz({ ...specimen, state: 'NOR', birth: '850412', sex: 'F', expiry: '341231' }),
    );
    const reads = page.locator('.admin-reads li');
    const documentRead = reads.filter({ hasText: staff.t('admin.readers.readKinds.mrz') });
    await documentRead.waitFor();
    // Every check digit held: the summary says so (format and verdict, nothing of the content).
    expect(await documentRead.getAttribute('class')).toBe('ok');
    expect(await documentRead.textContent()).toContain('TD3');
    await scanBarcode(kiosk.url, scannedText, 'qr');
    const codeRead = reads.filter({ hasText: staff.t('admin.readers.readKinds.barcode') });
    await codeRead.waitFor();
    expect(await codeRead.textContent()).toContain(String(scannedText.length));
    expect(await reads.count()).toBe(2);
    await staff.check('admin-readers');
    const content = await page.content();
    for (const secret of [specimen.number, specimen.last, specimen.first, scannedText, 'PRIVATE-CODE']) {
      expect(content).not.toContain(secret);
    }
  });

  it('prints a test page', async () => {
    await staff.adminSection('printer');
    await staff.button('admin.printer.test').tap();
    await staff.text('admin.printer.printed').waitFor();
    expect(printed(kiosk)).toHaveLength(3);
    await staff.check('admin-printer');
  });

  it('shows the queue with the waiting application and syncs now', async () => {
    await staff.adminSection('queue');
    const waiting =
      Number(await staff.fact('admin.queue.queued')) + Number(await staff.fact('admin.queue.sending'));
    expect(waiting).toBe(1);
    expect(await staff.fact('admin.queue.oldest')).not.toBe('–');
    await staff.button('admin.queue.syncNow').tap();
    // The portal is still down: nothing delivered, the application still waits.
    await staff.text('admin.queue.synced', { delivered: 0, pending: 1 }).waitFor();
    await staff.check('admin-queue');
  });

  it('records the accessibility self-test', async () => {
    await staff.adminSection('checklist');
    for (const [id, verdict] of [
      ['reach_from_wheelchair', 'pass'],
      ['targets_large_enough', 'pass'],
      ['speech_audible', 'fail'],
    ] as const) {
      await page
        .getByRole('group', { name: staff.t(`a11yChecks.${id}`), exact: true })
        .getByRole('radio', { name: staff.t(`admin.checklist.verdicts.${verdict}`), exact: true })
        .tap();
    }
    await staff.text('admin.checklist.summary', { pass: 2, fail: 1, notChecked: 7 }).waitFor();
    await staff.button('admin.checklist.record').tap();
    await staff.text('admin.checklist.recorded').waitFor();
    await staff.check('admin-checklist');
  });

  it('exports the log: every staff action is in it, nothing anyone typed or a reader read', async () => {
    await staff.adminSection('export');
    await staff.button('admin.export.button').tap();
    const file = (await page.locator('.admin-file').textContent()) ?? '';
    expect(file.startsWith(join(kiosk.dataDir, 'exports'))).toBe(true);
    await staff.check('admin-export');
    const exported = readFileSync(file, 'utf8');
    const lines = exported.trim().split('\n');
    const entries = lines.length - 1;
    await staff.text('admin.export.done', { count: entries }).waitFor();
    for (const action of [
      'session.extend',
      'receipt.reprint',
      'document.manual_entry',
      'activation.refuse',
      'a11y.checklist',
      'printer.test',
      'sync.now',
    ]) {
      expect(exported).toContain(`"${action}"`);
    }
    expect(exported).toContain('staff.sign_in_ok');
    for (const secret of [
      clerk.secret,
      admin.secret,
      clerk.badge,
      admin.badge,
      clerk.name,
      admin.name,
      'Haugland',
      '5550123',
      specimen.number,
      specimen.last,
      scannedText,
      manualDocument.documentNumber,
      'SOLBERG',
      'Solberg',
    ]) {
      expect(exported).not.toContain(secret);
    }
  });

  it('wipes the terminal after a second step for the undelivered application, then shows out of service', async () => {
    await staff.adminSection('wipe');
    await staff.button('admin.wipe.start').tap();
    await staff.heading('admin.wipe.confirmTitle').waitFor();
    await staff.check('admin-wipe-confirm');
    await staff.button('admin.wipe.confirm').tap();
    await staff.heading('admin.wipe.undeliveredTitle').waitFor();
    await staff.text('admin.wipe.undeliveredText', { count: 1 }).waitFor();
    await staff.check('admin-wipe-undelivered');
    expect(existsSync(join(kiosk.dataDir, 'enrolment.json'))).toBe(true);
    await staff.button('admin.wipe.discard', { count: 1 }).tap();
    await page.getByRole('heading', { name: 'Außer Betrieb', exact: true }).waitFor();
    expect(existsSync(join(kiosk.dataDir, 'enrolment.json'))).toBe(false);
  });

  it('enrols again from the screen: the used code is refused, a fresh one from the portal works', async () => {
    portal.setFaults({ down: false });
    await staff.openEnrolment(admin);
    await staff.enrol(firstCode);
    await staff.text('errors.enrolment.code_used').waitFor();
    await staff.enrol(portal.createEnrolmentCode());
    await page.getByRole('heading', { name: 'Serviceterminal der Ausländerbehörde' }).waitFor();
    expect(portal.terminals()).toHaveLength(2);
    expect(existsSync(join(kiosk.dataDir, 'enrolment.json'))).toBe(true);
  });
});

describe('a second terminal, with a scanner the system keeps as a keyboard', () => {
  let kiosk: KioskProcess;
  let page: Page;
  let staff: StaffSteps;

  beforeAll(async () => {
    kiosk = await startKiosk('wedge', { wedge: true });
    page = await (await browser.newContext({ viewport, hasTouch: true })).newPage();
    staff = new StaffSteps(page, kiosk.url, 'de', screens);
  });

  afterAll(async () => {
    findings.push(...staff.axe);
    await page?.context().close();
    expect(await kiosk?.stop()).toBe(0);
  });

  it('enrols with the code scanned from its QR code', async () => {
    await page.goto(kiosk.url);
    await staff.openEnrolment(admin);
    // The reader types the code as a burst of keystrokes ending in Enter: the code lands in its
    // field (which takes no keystrokes of its own), never anywhere else.
    const code = portal.createEnrolmentCode();
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await staff.text('enrolment.scanned').waitFor();
    expect(await page.getByRole('textbox', { name: staff.t('enrolment.code') }).textContent()).toBe(code);
    await staff.check('enrolment-scanned');
    await staff.button('enrolment.submit').tap();
    await page.getByRole('heading', { name: 'Serviceterminal der Ausländerbehörde' }).waitFor();
    expect(portal.terminals().length).toBeGreaterThanOrEqual(3);
  });

  it('locks sign-in after five wrong PINs and refuses even the right one while locked', async () => {
    await startVisit(page);
    await staff.openOverlay();
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      // Scanned, and once typed: both count against the same badge.
      await staff.attemptSignIn(
        'staff',
        { badge: clerk.badge, secret: `00000${attempt}` },
        { typed: attempt === 2 },
      );
      await staff.alert.filter({ hasText: staff.t('errors.staff.invalid_credentials') }).waitFor();
    }
    // The fifth failure starts the lockout: the base delay, 30 s, whatever the clock says.
    await staff.attemptSignIn('staff', { badge: clerk.badge, secret: '000005' });
    await staff.alert.filter({ hasText: staff.t('errors.staff.locked', { count: 30 }) }).waitFor();
    await staff.check('staff-signin-locked');
    // Typed badge, right PIN: refused before the PIN is checked.
    await staff.attemptSignIn('staff', clerk, { typed: true });
    await staff.alert
      .filter({ hasText: /Die Anmeldung ist gesperrt\. Bitte in \d+ Sekunden? erneut/ })
      .waitFor();
    expect(await page.getByText(staff.t('desk.signedInAs', { name: clerk.name })).count()).toBe(0);
  });
});

describe('accessibility of the staff, administration and enrolment screens', () => {
  it('has no serious or critical axe violations', () => {
    expect(findings.length).toBeGreaterThanOrEqual(18);
    expect(findings.filter((f) => f.violations.length > 0)).toEqual([]);
  });
});
