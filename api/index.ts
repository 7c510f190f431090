export * from './client.ts';
export * from './contract.ts';
export * from './documents.ts';
export * from './forms.ts';
export * from './names.ts';
export * from './staff.ts';
export * from './wire.ts';
