export { ReaderWedge, type ReaderWedgeOptions, type WedgeDecision, type WedgeKey } from './core.ts';
export { type AttachOptions, attachReaderWedge, insertText } from './dom.ts';
export type {
  ReaderMode,
  WedgeBarcodeRead,
  WedgeError,
  WedgeEvent,
  WedgeMrzRead,
  WedgeScheduler,
} from './types.ts';
