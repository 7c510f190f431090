import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../../sync/protocol/index.ts';
import { deliver, type Harness, makePortal, TestTerminal } from './harness.ts';

let h: Harness;
let t: TestTerminal;
beforeEach(async () => {
  h = await makePortal();
  t = await TestTerminal.enrolled(h.portal, h.clock);
});
afterEach(async () => {
  await h.close();
});

const header = {
  $schema: 'urn:serviceterminal:dataset:commitment-company:1.0.0',
  version: '1.0.0',
  leikaKey: '99010042000000',
};
const application = (dataSet: Record<string, unknown>) => ({
  applicant: { birthDate: '1964-08-12' },
  dataSet,
  values: {},
});

describe('the portal checks each data set against its published schema', () => {
  it('takes a data set that holds', async () => {
    const sealed = await t.seal({
      serviceId: 'commitment-company',
      data: application({ ...header, unternehmen: { name: 'Kranich Technik GmbH', rechtsform: 'gmbh' } }),
    });
    const res = await deliver(t, sealed);
    expect(res.statusCode).toBe(200);
    expect(h.portal.submission(sealed.submissionId)).toMatchObject({ state: 'delivered' });
  });

  it('refuses one that does not (422 with the problems), and for good', async () => {
    const sealed = await t.seal({
      serviceId: 'commitment-company',
      data: application({ ...header, unternehmen: { rechtsform: 'limited' }, companyName: 'Kranich' }),
    });
    const res = await deliver(t, sealed);
    expect(res.statusCode).toBe(422);
    const error = errorBodySchema.parse(res.json()).error;
    expect(error).toMatchObject({ code: 'submission.rejected', reason: 'dataset.invalid', retryable: false });
    expect(error.problems?.map((p) => p.pointer).sort()).toEqual(['', '/unternehmen/rechtsform']);
    expect(JSON.stringify(error)).not.toContain('Kranich');
    expect(h.portal.submission(sealed.submissionId)).toMatchObject({ state: 'rejected' });
  });

  it('refuses an application of a service with a data set that carries none', async () => {
    const sealed = await t.seal({
      serviceId: 'commitment-company',
      data: { applicant: { birthDate: '1964-08-12' } },
    });
    const res = await deliver(t, sealed);
    expect(res.statusCode).toBe(422);
    expect(errorBodySchema.parse(res.json()).error.reason).toBe('dataset.invalid');
  });

  it('answers the OpenAPI document with every data set schema', async () => {
    const doc = (await t.get('/v1/openapi.json')).json() as {
      components: { schemas: Record<string, unknown> };
    };
    expect(
      Object.keys(doc.components.schemas)
        .filter((k) => k.startsWith('DataSet.'))
        .sort(),
    ).toEqual(['DataSet.commitment-company', 'DataSet.commitment-private', 'DataSet.residence-permit']);
  });
});
