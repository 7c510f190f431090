import { describe, expect, it } from 'vitest';
import { type CallName, callNames } from '../../../api/contract.ts';
import { ok } from '../../../common/result.ts';
import { adminCalls } from '../../../core/calls/admin-calls.ts';
import { composeAreas, OUT_OF_SERVICE, type SomeCallArea } from '../../../core/calls/areas.ts';
import { deskCalls } from '../../../core/calls/desk-calls.ts';
import { documentsCalls } from '../../../core/calls/documents-calls.ts';
import { enrolmentCalls } from '../../../core/calls/enrolment-calls.ts';
import { journeyCalls } from '../../../core/calls/journey-calls.ts';
import { sessionCalls, sessionVisitorCalls } from '../../../core/calls/session-calls.ts';
import { statusCalls } from '../../../core/calls/status-calls.ts';
import type { Handlers } from '../../../core/router.ts';

/** An area serving `calls` with handlers that say which call they are. */
function area(calls: readonly CallName[], visitorCalls: readonly CallName[] = []): SomeCallArea {
  const handlers = Object.fromEntries(calls.map((name) => [name, () => ok({ served: name })]));
  return { calls, visitorCalls, handlers: handlers as Partial<Handlers> };
}

const areaCalls = [
  sessionCalls,
  journeyCalls,
  documentsCalls,
  statusCalls,
  deskCalls,
  adminCalls,
  enrolmentCalls,
];

describe('the call areas', () => {
  it('serve every call of the contract, each in exactly one area', () => {
    const served = areaCalls.flat();
    expect(new Set(served).size).toBe(served.length);
    expect([...served].sort()).toEqual([...callNames].sort());
  });

  it('refuse out of service exactly the calls a visitor makes', () => {
    const visitor = new Set<CallName>([
      ...sessionVisitorCalls,
      ...journeyCalls,
      ...documentsCalls,
      ...statusCalls,
    ]);
    expect([...visitor].sort()).toEqual(
      [
        'session.start',
        'session.end',
        'session.touch',
        'session.setLanguage',
        'session.current',
        'session.setSlowMode',
        'catalogue.list',
        'reader.expect',
        'reader.wedge',
        'staff.call',
        'journey.start',
        'journey.current',
        'journey.step',
        'journey.back',
        'journey.goto',
        'journey.cancel',
        'journey.submit',
        'documents.list',
        'documents.addPage',
        'documents.scan',
        'documents.movePage',
        'documents.removePage',
        'documents.later',
        'status.print',
        'account.signIn',
        'account.confirmCode',
        'account.signOut',
        'account.current',
      ].sort(),
    );
  });

  it('compose into one handler per call, visitor calls guarded while out of service', async () => {
    let reason: string | null = 'enrolment.missing';
    const { handlers, visitorCalls } = composeAreas(
      [
        area(sessionCalls, sessionVisitorCalls),
        area(journeyCalls, journeyCalls),
        area(documentsCalls, documentsCalls),
        area(statusCalls, statusCalls),
        area(deskCalls),
        area(adminCalls),
        area(enrolmentCalls),
      ],
      () => reason,
    );
    expect(visitorCalls.has('session.start')).toBe(true);
    expect(visitorCalls.has('system.status')).toBe(false);
    const call = (name: CallName) => (handlers[name] as (input: never) => unknown)({} as never);
    expect(call('session.start')).toMatchObject({ ok: false, error: { code: OUT_OF_SERVICE } });
    expect(call('system.status')).toEqual(ok({ served: 'system.status' }));
    expect(call('admin.signIn')).toEqual(ok({ served: 'admin.signIn' }));
    reason = null;
    expect(call('session.start')).toEqual(ok({ served: 'session.start' }));
  });

  it('refuse a call served twice, a call served nowhere, and handlers an area does not declare', () => {
    const all = [
      area(sessionCalls),
      area(journeyCalls),
      area(documentsCalls),
      area(statusCalls),
      area(deskCalls),
      area(adminCalls),
      area(enrolmentCalls),
    ];
    expect(() => composeAreas([...all, area(['journey.start'])], () => null)).toThrow(/served by two/);
    expect(() => composeAreas(all.slice(1), () => null)).toThrow(/no call area serves session\.start/);
    const undeclared = { ...area(['journey.start']), calls: [] };
    expect(() => composeAreas([...all, undeclared], () => null)).toThrow(/declares/);
    expect(() => composeAreas([area(['session.start'], ['session.end'])], () => null)).toThrow(
      /does not serve/,
    );
  });
});
