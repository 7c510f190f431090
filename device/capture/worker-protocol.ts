/** Messages between `CaptureWorker` and its worker thread (worker.ts). */

import type { CaptureLimits } from './limits.ts';
import type { CapturePreview, StoreOptions } from './pipeline.ts';
import type { PageCheckThresholds } from './thresholds.ts';
import type { Result, StoredPage } from './types.ts';

export type WorkerRequest =
  | {
      readonly id: number;
      readonly op: 'preview';
      readonly bytes: Uint8Array;
      readonly options: {
        readonly size?: number;
        readonly thresholds?: Partial<PageCheckThresholds>;
        readonly limits?: CaptureLimits;
      };
    }
  | { readonly id: number; readonly op: 'store'; readonly bytes: Uint8Array; readonly options: StoreOptions };

export interface WorkerReply {
  readonly id: number;
  readonly result: Result<CapturePreview> | Result<StoredPage>;
}
