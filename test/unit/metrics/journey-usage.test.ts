import { describe, expect, it } from 'vitest';
import type { JourneyResult } from '../../../api/contract.ts';
import { type Envelope, fail, ok } from '../../../api/envelope.ts';
import { ManualClock } from '../../../core/clock.ts';
import { EventBus } from '../../../core/events.ts';
import type { Journey } from '../../../core/forms/journey.ts';
import { JourneyService } from '../../../core/journeys.ts';
import { silentLogger } from '../../../core/log.ts';
import { KioskMetrics } from '../../../core/metrics/metrics.ts';
import { ReaderService } from '../../../core/readers.ts';
import { SessionService } from '../../../core/session.ts';

/**
 * How the journeys report to the usage figures: started with the session's language and sign-in,
 * completed only by a successful end of that very journey, abandoned at the step on screen.
 */
function setup(answer: () => Envelope<JourneyResult>) {
  const clock = new ManualClock(Date.UTC(2026, 11, 7, 9, 0));
  const events = new EventBus();
  let n = 0;
  const sessions = new SessionService({
    clock,
    events,
    newId: () => `s${++n}`,
    settings: { idleTimeoutSeconds: 120, idleWarningSeconds: 30 },
    defaultLanguage: 'de',
  });
  const readers = new ReaderService({
    openTransport: async () => ({ error: 'none' }),
    profiles: [],
    defaultLayout: 'de-DE',
    clock,
    events,
    sessions,
    log: silentLogger,
  });
  const metrics = new KioskMetrics({
    clock,
    processMetrics: false,
    languages: ['de', 'ar'],
    run: 'run-test-1',
  });
  let signedIn = false;
  const submitted: Journey[] = [];
  const journeys = new JourneyService({
    sessions,
    readers,
    events,
    clock,
    disabled: [],
    submitter: {
      async submit(journey) {
        submitted.push(journey);
        return answer();
      },
    },
    parseTrackingQr: () => null,
    parseAccountQr: () => null,
    usage: metrics.usage,
    signedIn: () => signedIn,
  });
  const hour = () => metrics.usage.report()?.hours[0];
  return { clock, sessions, journeys, metrics, hour, signIn: () => (signedIn = true), submitted };
}

const receipt: JourneyResult = {
  kind: 'information',
  topic: 'residencePermitExtension',
  print: { state: 'printed' },
  checklist: [],
};

describe('JourneyService and the usage figures', () => {
  it('completes a journey when its submission succeeds, with its print', async () => {
    const { sessions, journeys, hour } = setup(() => ok(receipt));
    sessions.start('ar');
    journeys.start('information');
    journeys.step({ caseType: 'residencePermitExtension' });
    expect((await journeys.submit()).ok).toBe(true);
    sessions.end('visitor'); // nothing more: it completed
    expect(hour()?.journeys).toEqual([
      { service: 'information', language: 'ar', identity: 'guest', started: 1, completed: 1, abandoned: {} },
    ]);
    expect(hour()?.prints).toEqual([{ document: 'information', outcome: 'printed', count: 1 }]);
  });

  it('leaves a journey open when its submission fails; the end of the session abandons it there', async () => {
    const { sessions, journeys, hour, signIn } = setup(() => fail('submission.failed', 'no'));
    sessions.start('de');
    signIn();
    journeys.start('information');
    journeys.step({ caseType: 'residencePermitExtension' });
    expect((await journeys.submit()).ok).toBe(false);
    sessions.end('visitor');
    expect(hour()?.journeys).toEqual([
      {
        service: 'information',
        language: 'de',
        identity: 'account',
        started: 1,
        completed: 0,
        abandoned: { topic: 1 },
      },
    ]);
    expect(hour()?.prints).toEqual([]);
  });

  it('abandons a journey at its step when cancelled, replaced, or the next visitor starts', () => {
    const { sessions, journeys, hour } = setup(() => ok(receipt));
    sessions.start('de');
    journeys.start('callback-request');
    journeys.step({ topic: 'appointment', urgency: 'normal' });
    expect(journeys.cancel()).toBe(true);
    journeys.start('callback-request');
    journeys.start('information'); // another service chosen: the call-back is left at its first step
    sessions.start('de'); // a new visitor: the information is left
    const counts = hour()?.journeys;
    expect(counts?.find((j) => j.service === 'callback-request')).toMatchObject({
      started: 2,
      abandoned: { contact: 1, topic: 1 },
    });
    expect(counts?.find((j) => j.service === 'information')).toMatchObject({
      started: 1,
      abandoned: { topic: 1 },
    });
  });

  it('counts a concluded result only for the journey it belongs to, and not a refusal', () => {
    const { sessions, journeys, hour } = setup(() => ok(receipt));
    sessions.start('de');
    journeys.start('account-activation');
    const activation = journeys.journey();
    journeys.concluded(
      activation,
      ok<JourneyResult>({ kind: 'activation_refused', reason: 'visitor_withdrew' }),
    );
    journeys.concluded(
      null,
      ok({ kind: 'activation', activatedAt: '2026-12-07T09:00:00Z', print: { state: 'printed' } }),
    );
    expect(hour()?.journeys[0]).toMatchObject({ started: 1, completed: 0, abandoned: {} });
    journeys.concluded(
      activation,
      ok({
        kind: 'activation',
        activatedAt: '2026-12-07T09:00:00Z',
        print: { state: 'failed', code: 'printer.offline' },
      }),
    );
    sessions.end('staff');
    expect(hour()?.journeys[0]).toMatchObject({ started: 1, completed: 1, abandoned: {} });
    expect(hour()?.prints).toEqual([{ document: 'activation', outcome: 'failed', count: 1 }]);
  });
});
