import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInvitationQr } from '../../../sync/protocol/index.ts';
import type { AssembledTerminal } from '../../../sync/terminal.ts';
import { launchChromium } from '../../support/chromium.ts';
import { makeRig, type Rig } from '../sync/setup.ts';

/**
 * Check-in at the building against a real reference portal: an invitation letter's QR becomes a
 * queue ticket (the same one when scanned again), a walk-in gets one for a topic that takes
 * walk-ins, the counter calls the next number to a desk, and the waiting-room display and the
 * ticket's phone page follow it in a real Chromium, with no personal data on either.
 */
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const output = join(projectRoot, 'test-output', 'queue');
const screenshots = process.env.KIOSK_SCREENSHOTS === '1';

let rig: Rig;
let terminal: AssembledTerminal;
let browser: Browser;

beforeAll(async () => {
  rig = await makeRig();
  terminal = await rig.open();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await rig?.dispose();
});

const place = { id: 'abh', name: 'Ausländerbehörde', address: 'Hauptmarkt 1, 90403 Nürnberg' };

async function admin(url: string, payload: object) {
  return rig.portal.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${rig.portal.adminToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
}

/** A counter case invited to an appointment at `at`; the letter's QR as the terminal reads it. */
async function invitation(at: Date, birthDate: string): Promise<{ reference: string; jws: string }> {
  const reference = rig.portal.createCase({ origin: 'counter', serviceId: 'residence-permit', birthDate });
  rig.portal.moveCase(reference, { status: 'received' });
  const moved = await admin(`/admin/v1/cases/${reference}/events`, {
    status: 'invitation_sent',
    appointment: { appointmentId: `apt-${birthDate}`, at: at.toISOString(), place },
  });
  const jws = parseInvitationQr((moved.json() as { invitationQr: string }).invitationQr);
  if (jws === undefined) throw new Error('no invitation QR');
  return { reference, jws };
}

describe('check-in and the waiting queue', () => {
  it('gives queue tickets, calls them to desks, and shows it on the display and the phone', async () => {
    const invited = await invitation(new Date(), '1984-02-29');
    const first = await terminal.checkIn({ invitation: invited.jws });
    if (first.kind !== 'ticket') throw new Error(JSON.stringify(first));
    expect(first.ticket).toMatchObject({
      number: 'A-001',
      kind: 'invited',
      waitingArea: 'Wartebereich B, Erdgeschoss',
    });
    // scanned again: the same ticket, not a second place in the queue
    expect(await terminal.checkIn({ invitation: invited.jws })).toMatchObject({
      ticket: { number: 'A-001' },
    });
    const walkIn = await terminal.checkIn({ walkIn: 'cardPickup' });
    if (walkIn.kind !== 'ticket') throw new Error(JSON.stringify(walkIn));
    expect(walkIn.ticket).toMatchObject({ number: 'W-001', kind: 'walk_in' });
    expect(await terminal.checkIn({ walkIn: 'commitment' })).toEqual({
      kind: 'refused',
      code: 'queue.walk_in_not_offered',
    });

    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(new URL('/queue/display', rig.portal.url).href);
    const waiting = page.getByRole('list', { name: 'Wartend – waiting' });
    await waiting.getByText('A-001').waitFor();
    await waiting.getByText('W-001').waitFor();
    expect((await admin('/admin/v1/queue/call-next', { desk: 'Schalter 4' })).json()).toEqual({
      number: 'A-001',
      desk: 'Schalter 4',
    });
    const called = page.getByRole('list', { name: 'Aufgerufen – called' });
    await called.getByText('A-001 → Schalter 4').waitFor();
    expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);
    const display = await page.content();
    expect(display).not.toContain(invited.reference);
    if (screenshots) {
      mkdirSync(output, { recursive: true });
      await page.screenshot({ path: join(output, 'display.png') });
    }

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await phone.goto(new URL(walkIn.ticket.followPath, rig.portal.url).href);
    await phone.getByText('W-001', { exact: true }).waitFor();
    await phone.getByRole('status').filter({ hasText: 'Vor Ihnen: 0' }).waitFor();
    await admin('/admin/v1/queue/call-next', { desk: 'Schalter 2' });
    await phone.getByRole('status').filter({ hasText: 'Bitte gehen Sie jetzt zu: Schalter 2' }).waitFor();
    expect((await new AxeBuilder({ page: phone }).analyze()).violations.map((v) => v.id)).toEqual([]);
    if (screenshots) await phone.screenshot({ path: join(output, 'phone.png') });
    expect((await admin('/admin/v1/queue/call-next', { desk: 'Schalter 2' })).json()).toMatchObject({
      code: 'queue.empty',
    });
    const unknown = await phone.goto(new URL('/queue/tickets/AAAAAAAAAAAAAAAAAAAAAAAA', rig.portal.url).href);
    expect(unknown?.status()).toBe(404);
  });

  it('refuses an invitation for another day, a forged one, and a wrong admin token', async () => {
    const later = await invitation(new Date(Date.now() + 3 * 86_400_000), '1979-05-05');
    expect(await terminal.checkIn({ invitation: later.jws })).toEqual({
      kind: 'refused',
      code: 'invitation.not_today',
    });
    const today = await invitation(new Date(), '1979-05-06');
    const [header, payload] = today.jws.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    expect(await terminal.checkIn({ invitation: forged })).toEqual({
      kind: 'refused',
      code: 'invitation.invalid',
    });
    const denied = await rig.portal.app.inject({
      method: 'POST',
      url: '/admin/v1/queue/call-next',
      headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
      payload: '{"desk":"Schalter 1"}',
    });
    expect(denied.statusCode).toBe(401);
  });
});
