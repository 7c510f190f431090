/**
 * What readers produce (common/reads.ts) and the driver interface. A driver turns report bytes
 * into events and never throws: anything it cannot read becomes an `error` event with a code.
 */
import type { DeviceErrorCode } from '../common/reads.ts';
import type { CodedError, Result } from '../common/result.ts';

export type DeviceError = CodedError<DeviceErrorCode>;
export type DeviceResult<T> = Result<T, DeviceErrorCode>;

/** A byte-in, event-out reader driver. */
export interface Driver {
  /** Feeds one report exactly as node-hid delivers it. Never throws. */
  push(report: Uint8Array): void;
  /** The stream ended (device gone, capture over): whatever is half-read becomes an error. */
  flush(): void;
  /** Cancels timers; emits nothing more. */
  dispose(): void;
}
