/**
 * Control messages between main and the core process, beside the contract's call/result/event
 * messages (api/wire.ts). Both sides parse what they receive.
 *
 *   core → main  {type:'device-key?'}                  at start: which key to run on
 *   main → core  {type:'device-key', key|error, status} the decrypted key, or why there is none
 *   core → main  {type:'device-key.used'}              the terminal runs on the handed-over key
 *   main → core  {type:'idle?', id}                    may the kiosk restart now?
 *   core → main  {type:'idle', id, active}             whether a visitor session is active
 *   main → core  'shutdown'                            close the kiosk and exit
 *   core → main  {type:'fatal', message}               cannot start (configuration)
 */
import { z } from 'zod';
import type { DeviceKey } from '../sync/keystore.ts';
import { deviceKeySchema } from './device-key-codec.ts';

const keyStoreErrorCode = z.enum(['keystore.read_failed', 'keystore.write_failed', 'keystore.malformed']);

export const keyStoreStatusSchema = z.object({
  backend: z.string().max(64),
  encrypted: z.boolean(),
  warning: z
    .object({ code: z.enum(['keystore.unencrypted', 'keystore.locked']), message: z.string().max(1000) })
    .optional(),
});

export const deviceKeyMessageSchema = z.object({
  type: z.literal('device-key'),
  key: deviceKeySchema.nullable(),
  error: z.object({ code: keyStoreErrorCode, message: z.string().max(1000) }).optional(),
  status: keyStoreStatusSchema,
});

export const idleQuerySchema = z.object({ type: z.literal('idle?'), id: z.number().int().nonnegative() });

export const coreControlSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('device-key?') }),
  z.object({ type: z.literal('device-key.used') }),
  z.object({ type: z.literal('idle'), id: z.number().int().nonnegative(), active: z.boolean() }),
  z.object({ type: z.literal('fatal'), message: z.string() }),
]);

/** As sent: the key typed as sync/keystore's DeviceKey (the schema checks its shape on receipt). */
export type DeviceKeyMessage = Omit<z.output<typeof deviceKeyMessageSchema>, 'key'> & {
  key: DeviceKey | null;
};
export type IdleQuery = z.output<typeof idleQuerySchema>;
export type CoreControlMessage = z.output<typeof coreControlSchema>;
