import { z } from 'zod';

/**
 * Messages of the contract on a byte transport (the web host's WebSocket, the Electron core
 * process port). A call carries an id that its result echoes; events are pushed by the host.
 */
export const callMessageSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(64),
  input: z.unknown(),
});

export const resultMessageSchema = z.object({
  type: z.literal('result'),
  id: z.number().int().nonnegative(),
  envelope: z.unknown(),
});

export const eventMessageSchema = z.object({
  type: z.literal('event'),
  name: z.string(),
  payload: z.unknown(),
});

export const hostMessageSchema = z.discriminatedUnion('type', [resultMessageSchema, eventMessageSchema]);

export type CallMessage = z.output<typeof callMessageSchema>;
export type ResultMessage = z.output<typeof resultMessageSchema>;
export type EventMessage = z.output<typeof eventMessageSchema>;
export type HostMessage = z.output<typeof hostMessageSchema>;

/**
 * Largest message either side accepts; anything bigger is refused unread. A UI call is small;
 * the largest is a camera frame (`documents.addPage`, at most `maxFrameBase64Length` of base64),
 * and every call's input schema limits its own fields.
 */
export const maxMessageBytes = 4 * 1024 * 1024;
