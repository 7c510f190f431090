/** The portal protocol under `/v1`: schemas, types, route table and the OpenAPI generator. */
export * from './account-qr.ts';
export * from './cases.ts';
export * from './common.ts';
export * from './follow-up.ts';
export * from './messages.ts';
export * from './openapi.ts';
export * from './queue.ts';
export * from './routes.ts';
export * from './signed.ts';
export * from './tickets.ts';
export * from './usage.ts';
