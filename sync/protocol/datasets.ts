/**
 * The standard data sets the terminal sends: per public service a versioned JSON Schema (in
 * `datasets/`, generated from the service definitions by core/dataset and checked against them by
 * test/unit/dataset/dataset.test.ts), its LeiKa key and its schema URI. The portal validates every
 * opened submission against its schema and lists every schema in its OpenAPI document.
 */
import { z } from 'zod';
import commitmentCompany from './datasets/commitment-company.json' with { type: 'json' };
import commitmentPrivate from './datasets/commitment-private.json' with { type: 'json' };
import residencePermit from './datasets/residence-permit.json' with { type: 'json' };

export interface PublicService {
  readonly serviceId: string;
  /** The service's key in the Leistungskatalog (LeiKa), as FIT-Connect's `publicService`. */
  readonly leikaKey: string;
  readonly name: string;
  readonly schemaUri: string;
  readonly version: string;
  /** Whether the LeiKa key was checked against the FIM portal's catalogue (not yet: see below). */
  readonly leikaVerified: boolean;
}

/**
 * The services with a data set. The LeiKa keys follow the catalogue's 14-digit form; they could not
 * be checked against the FIM portal from here (`leikaVerified: false`) and must be confirmed there
 * before a Fachverfahren routes by them. The tracks and the card reissue are variants of the one
 * residence-title service (its `antrag.art`).
 */
export const publicServices: Readonly<Record<string, PublicService>> = {
  'residence-permit': {
    serviceId: 'residence-permit',
    leikaKey: '99010003001000',
    name: 'Aufenthaltstitel: Erteilung, Verlängerung, Neuausstellung',
    schemaUri: 'urn:serviceterminal:dataset:residence-permit:1.0.0',
    version: '1.0.0',
    leikaVerified: false,
  },
  'commitment-private': {
    serviceId: 'commitment-private',
    leikaKey: '99010042000000',
    name: 'Verpflichtungserklärung (natürliche Person)',
    schemaUri: 'urn:serviceterminal:dataset:commitment-private:1.0.0',
    version: '1.0.0',
    leikaVerified: false,
  },
  'commitment-company': {
    serviceId: 'commitment-company',
    leikaKey: '99010042000000',
    name: 'Verpflichtungserklärung (juristische Person)',
    schemaUri: 'urn:serviceterminal:dataset:commitment-company:1.0.0',
    version: '1.0.0',
    leikaVerified: false,
  },
};

/** The published JSON Schemas, by service id. */
export const dataSetSchemas: Readonly<Record<string, Record<string, unknown>>> = {
  'residence-permit': residencePermit,
  'commitment-private': commitmentPrivate,
  'commitment-company': commitmentCompany,
};

export interface DataSetProblem {
  /** Where in the data set (JSON Pointer). */
  readonly pointer: string;
  /** What is wrong: a code (zod's issue code), never the value. */
  readonly code: string;
}

const compiled = new Map<string, z.ZodType>();

/**
 * Checks a data set against its service's published schema. `null` when the service has no data
 * set; otherwise the problems (empty when it holds).
 */
export function dataSetProblems(serviceId: string, dataSet: unknown): DataSetProblem[] | null {
  const schema = dataSetSchemas[serviceId];
  if (!schema) return null;
  let validator = compiled.get(serviceId);
  if (!validator) {
    validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    compiled.set(serviceId, validator);
  }
  const result = validator.safeParse(dataSet);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    pointer: issue.path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join(''),
    code: issue.code,
  }));
}
