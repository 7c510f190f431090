/** The OpenAPI 3.1 document of the portal protocol, generated from the route table's zod schemas. */

import { z } from 'zod';
import { caseEventSchema, caseSummarySchema, invitationSchema } from './cases.ts';
import {
  errorBodySchema,
  IDEMPOTENCY_KEY_HEADER,
  PROBLEM_MEDIA_TYPE,
  problemDetailsSchema,
} from './common.ts';
import { dataSetSchemas, publicServices } from './datasets.ts';
import { statusEventSchema, terminalCommandSchema, terminalConfigSchema } from './messages.ts';
import { ROUTES, type RouteSpec } from './routes.ts';
import { ticketSchema } from './tickets.ts';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  readonly title?: string;
  readonly version: string;
  readonly serverUrl?: string;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (schema === undefined) return [];
  const js = jsonSchema(schema, 'input');
  const properties = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
  }));
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  400: 'The request does not match the schema (`request.invalid`)',
  401: 'Missing or invalid terminal token (`auth.invalid`), clock skew (`auth.clock_skew`); at sign-in also a wrong name or password (`account.sign_in_failed`)',
  403: 'Enrolment code invalid, used or expired',
  404: 'Not found',
  409: 'Conflict (in flight, gap, overlap, incomplete, state)',
  413: 'Too large',
  415: 'Unsupported media type',
  422: 'Refused permanently (idempotency mismatch, submission rejected)',
  429: 'Rate limited; see Retry-After',
};

function operation(route: RouteSpec): JsonSchema {
  const op: JsonSchema = { operationId: route.id, summary: route.summary };
  const params = [...parameters(route.params, 'path'), ...parameters(route.query, 'query')];
  if (route.idempotency !== undefined) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: route.idempotency === 'required',
      schema: { type: 'string', minLength: 8, maxLength: 200 },
      description: `Made once per item at enqueue; header name \`${IDEMPOTENCY_KEY_HEADER}\`.`,
    });
  }
  if (params.length > 0) op.parameters = params;
  if (route.body === 'binary') {
    op.requestBody = {
      required: true,
      content: {
        'application/octet-stream': {
          schema: { type: 'string', contentMediaType: 'application/octet-stream' },
        },
      },
    };
  } else if (route.body !== undefined) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
    };
  }
  const responses: Record<string, JsonSchema> = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status] = {
      description: STATUS_TEXT[Number(status)] ?? 'OK',
      content: { 'application/json': { schema: jsonSchema(schema, 'output') } },
    };
  }
  for (const status of [...route.errors, 500, 503]) {
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? 'Server error; retry later',
      content:
        route.problem === true
          ? { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } }
          : { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    };
  }
  op.responses = responses;
  if (route.auth === 'terminal') op.security = [{ terminalToken: [] }];
  return op;
}

/** Builds the OpenAPI 3.1 document for every route in `ROUTES`. */
export function buildOpenApiDocument(info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of Object.values(ROUTES) as RouteSpec[]) {
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation(route);
    paths[route.path] = item;
  }
  paths['/v1/openapi.json'] = {
    get: {
      operationId: 'openapi',
      summary: 'This document.',
      responses: {
        200: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: info.title ?? 'Serviceterminal portal protocol', version: info.version },
    ...(info.serverUrl === undefined ? {} : { servers: [{ url: info.serverUrl }] }),
    paths,
    components: {
      schemas: {
        ErrorBody: jsonSchema(errorBodySchema, 'output'),
        ProblemDetails: {
          ...jsonSchema(problemDetailsSchema, 'output'),
          description: 'Error answer (RFC 9457) of the routes that answer `application/problem+json`.',
        },
        // payloads of the compact JWS the portal signs (ES256, its signing key), by `typ`
        TerminalConfig: {
          ...jsonSchema(terminalConfigSchema, 'output'),
          description: 'Payload of the configuration JWS (`typ: config+jwt`).',
        },
        TerminalCommand: {
          ...jsonSchema(terminalCommandSchema, 'output'),
          description: 'Payload of a command JWS in a heartbeat answer (`typ: command+jwt`).',
        },
        StatusEvent: {
          ...jsonSchema(statusEventSchema, 'output'),
          description: 'Payload of a status event JWS (`typ: status+jwt`).',
        },
        CaseEvent: {
          ...jsonSchema(caseEventSchema, 'output'),
          description: 'Payload of a case event JWS (`typ: case-event+jwt`).',
        },
        Invitation: {
          ...jsonSchema(invitationSchema, 'output'),
          description:
            'Payload of the invitation a letter carries as QR text `INV1:<JWS>` (`typ: invitation+jwt`).',
        },
        Ticket: {
          ...jsonSchema(ticketSchema, 'output'),
          description: 'Payload of a signed Service-Center ticket (`typ: ticket+jwt`).',
        },
        CaseSummary: {
          ...jsonSchema(caseSummarySchema, 'output'),
          description: 'Payload of the case summary JWS a case lookup answers (`typ: case+jwt`).',
        },
        // the standard data set of each public service, as sealed in an application's `dataSet`
        ...Object.fromEntries(
          Object.entries(dataSetSchemas).map(([serviceId, schema]) => [
            `DataSet.${serviceId}`,
            {
              ...schema,
              description: `Data set of ${publicServices[serviceId]?.name ?? serviceId} (LeiKa ${publicServices[serviceId]?.leikaKey ?? '?'}), in the sealed application data as \`dataSet\`.`,
            },
          ]),
        ),
      },
      securitySchemes: {
        terminalToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat:
            'JWT (ES256/EdDSA, device key; iss = terminalId, aud = portal, exp - iat ≤ 60 s, jti)',
        },
      },
    },
  };
}
