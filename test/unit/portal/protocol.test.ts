import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../common/clock.ts';
import { foldName } from '../../../portal/accounts.ts';
import { seededRandom } from '../../../portal/deps.ts';
import { normaliseCode } from '../../../portal/enrolment.ts';
import { Faults } from '../../../portal/faults.ts';
import { jwkThumbprint } from '../../../portal/keys.ts';
import { SlidingWindowLimiter } from '../../../portal/tracking.ts';
import {
  buildOpenApiDocument,
  compactJweSchema,
  compactJwsSchema,
  createSubmissionRequestSchema,
  devicePublicJwkSchema,
  errorBodySchema,
  PATHS,
  pathFor,
  ROUTES,
  trackingNumberSchema,
} from '../../../sync/protocol/index.ts';
import { makeTrackingNumber } from '../../../sync/tracking.ts';

describe('protocol schemas', () => {
  it('tells compact JWS from JWE', () => {
    expect(compactJwsSchema.safeParse('eyJh.eyJi.c2ln').success).toBe(true);
    expect(compactJwsSchema.safeParse('eyJh.eyJi').success).toBe(false);
    expect(compactJwsSchema.safeParse('eyJh.e+Ji.c2ln').success).toBe(false);
    expect(compactJweSchema.safeParse('eyJh.a2V5.aXY.Y3Q.dGFn').success).toBe(true);
    expect(compactJweSchema.safeParse('eyJh..aXY.Y3Q.dGFn').success).toBe(true);
    expect(compactJweSchema.safeParse('eyJh.eyJi.c2ln').success).toBe(false);
  });

  it('accepts tracking numbers made by the terminal and refuses others', () => {
    for (let i = 0; i < 50; i++)
      expect(trackingNumberSchema.safeParse(makeTrackingNumber()).success).toBe(true);
    expect(trackingNumberSchema.safeParse('ST-0000000000').success).toBe(false);
    expect(trackingNumberSchema.safeParse('XX-00000000000').success).toBe(false);
    expect(trackingNumberSchema.safeParse('ST-0000000000I0').success).toBe(false);
  });

  it('accepts P-256 and Ed25519 device keys only', () => {
    expect(devicePublicJwkSchema.safeParse({ kty: 'EC', crv: 'P-256', x: 'abc', y: 'def' }).success).toBe(
      true,
    );
    expect(devicePublicJwkSchema.safeParse({ kty: 'OKP', crv: 'Ed25519', x: 'abc' }).success).toBe(true);
    expect(devicePublicJwkSchema.safeParse({ kty: 'EC', crv: 'P-384', x: 'abc', y: 'def' }).success).toBe(
      false,
    );
    expect(devicePublicJwkSchema.safeParse({ kty: 'RSA', n: 'abc', e: 'AQAB' }).success).toBe(false);
  });

  it('refuses a part manifest with repeated part ids', () => {
    const part = {
      partId: 'data',
      kind: 'data',
      mediaType: 'application/json',
      sealedSize: 10,
      sha512OfSealed: 'a'.repeat(128),
    };
    const body = { submissionId: 's-1', metadata: 'eyJh.a2V5.aXY.Y3Q.dGFn', parts: [part] };
    expect(createSubmissionRequestSchema.safeParse(body).success).toBe(true);
    expect(createSubmissionRequestSchema.safeParse({ ...body, parts: [part, part] }).success).toBe(false);
  });

  it('has one error body shape', () => {
    expect(
      errorBodySchema.safeParse({ error: { code: 'part.gap', message: 'm', retryable: false, received: 10 } })
        .success,
    ).toBe(true);
    expect(errorBodySchema.safeParse({ error: { message: 'm' } }).success).toBe(false);
  });

  it('fills path parameters URL-encoded and leaves missing ones visible', () => {
    expect(pathFor(PATHS.submissionPart, { id: 'a b', partId: 'data' })).toBe(
      '/v1/submissions/a%20b/parts/data',
    );
    expect(pathFor(PATHS.submissionSubmit)).toBe('/v1/submissions/{id}/submit');
  });

  it('generates an OpenAPI 3.1 document covering every route, with security and idempotency header', () => {
    const doc = JSON.parse(JSON.stringify(buildOpenApiDocument({ version: '9.9.9' }))) as {
      paths: Record<
        string,
        Record<string, { security?: unknown; parameters?: { name: string; in: string }[] }>
      >;
    };
    for (const route of Object.values(ROUTES)) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, route.id).toBeDefined();
      expect(op?.security !== undefined).toBe(route.auth === 'terminal');
    }
    const create = doc.paths[PATHS.submissions]?.post;
    expect(create?.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
  });

  it('describes the payloads of the signed objects and the heartbeat commands', () => {
    const doc = JSON.parse(JSON.stringify(buildOpenApiDocument({ version: '9.9.9' }))) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      paths: Record<string, Record<string, unknown>>;
    };
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas).sort()).toEqual([
      'CaseEvent',
      'CaseSummary',
      'DataSet.commitment-company',
      'DataSet.commitment-private',
      'DataSet.residence-permit',
      'ErrorBody',
      'Invitation',
      'ProblemDetails',
      'StatusEvent',
      'TerminalCommand',
      'TerminalConfig',
      'Ticket',
    ]);
    expect(schemas.TerminalConfig?.properties).toHaveProperty('staff');
    expect(schemas.TerminalCommand?.properties).toHaveProperty('type');
    expect(doc.paths[PATHS.accountPending]).toHaveProperty('get');
    expect(doc.paths[PATHS.accountSignIn]).toHaveProperty('post');
    expect(doc.paths[PATHS.caseLookup]).toHaveProperty('post');
    expect(doc.paths[PATHS.tickets]).toHaveProperty('post');
    expect(doc.paths[PATHS.ticketLookup]).toHaveProperty('post');
  });
});

describe('portal helpers', () => {
  it('folds names across scripts and diacritics', () => {
    expect(foldName('Ayşe  Yılmaz')).toBe('ayse yılmaz');
    expect(foldName('GARCÍA-LÓPEZ')).toBe('garcia lopez');
    expect(foldName('Straße')).toBe('strasse');
    expect(foldName('Олександр')).toBe('олександр');
  });

  it('normalises enrolment codes the Crockford way', () => {
    expect(normaliseCode(' ab1o-il0x ')).toBe('AB10110X');
  });

  it('computes RFC 7638 thumbprints (the RFC example key)', () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('draws faults from the seeded source only when a rate is set', () => {
    const draws: number[] = [];
    const random = () => {
      const r = seededRandom(3)();
      draws.push(r);
      return r;
    };
    const faults = new Faults({}, random);
    expect(faults.drawFailure()).toBe(false);
    expect(draws).toHaveLength(0);
    faults.set({ failRate: 1, lostAckRate: 2, latencyMs: -5 });
    expect(faults.get()).toMatchObject({ failRate: 1, lostAckRate: 1, latencyMs: 0 });
    expect(faults.drawFailure()).toBe(true);
    faults.clear();
    expect(faults.get()).toEqual({
      failRate: 0,
      lostAckRate: 0,
      latencyMs: 0,
      captive: false,
      down: false,
      lateCommitRate: 0,
      lateCommitMs: 0,
    });
    draws.length = 0;
    faults.set({ latencyMs: 4, lateCommitMs: -1 });
    expect(faults.drawDeliveryDelayMs()).toBe(4);
    expect(draws).toHaveLength(0);
    faults.set({ lateCommitRate: 2, lateCommitMs: 100 });
    expect(faults.get()).toMatchObject({ lateCommitRate: 1, lateCommitMs: 100 });
    expect(faults.drawDeliveryDelayMs()).toBe(104);
    expect(draws).toHaveLength(1);
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });

  it('limits per key in a sliding window', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ max: 2, windowMs: 1000 }, { ...systemClock, now: () => now });
    expect(limiter.hit('a')).toBe(0);
    now = 400;
    expect(limiter.hit('a')).toBe(0);
    expect(limiter.hit('a')).toBe(600);
    expect(limiter.hit('b')).toBe(0);
    now = 1001;
    expect(limiter.hit('a')).toBe(0);
  });
});
