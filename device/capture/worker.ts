/**
 * The image work of document pages in a worker thread: the page check and the image pipeline
 * (sharp and OpenCV take from 0.2 s for a camera frame to over 1 s for a 12 MP image), so the
 * kiosk's event loop (calls, reader reports, timers) does not wait for them. Pages come in and go
 * out as transferred buffers, in memory only. Started by `CaptureWorker` (worker-client.ts).
 */
import { parentPort } from 'node:worker_threads';
import { capturePreview, storePage } from './pipeline.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('device/capture/worker.ts runs as a worker thread only');

port.on('message', (request: WorkerRequest) => {
  const run =
    request.op === 'preview'
      ? capturePreview(request.bytes, request.options)
      : storePage(request.bytes, request.options);
  run.then(
    (result) => {
      const transfer: ArrayBuffer[] = [];
      if (result.ok) {
        const jpeg = 'preview' in result.value ? result.value.preview.jpeg : result.value.jpeg;
        transfer.push(jpeg.buffer as ArrayBuffer);
      }
      request.bytes.fill(0);
      const reply: WorkerReply = { id: request.id, result };
      port.postMessage(reply, transfer);
    },
    (error: unknown) => {
      request.bytes.fill(0);
      const reply: WorkerReply = {
        id: request.id,
        result: {
          ok: false,
          error: {
            code: 'capture.not_an_image',
            message: error instanceof Error ? error.message : String(error),
          },
        },
      };
      port.postMessage(reply);
    },
  );
});
