/**
 * A 25 MB application on loopback: the documents of one application (ten PDFs of 2.5 MB) sealed,
 * queued and delivered by the real terminal to the reference portal (create, every part in
 * chunks of the engine's size, submit: the portal opens and verifies every part and stores it), against a bare
 * HTTP upload of as many bytes in one POST to a plain Node server that only reads the body. Delivery
 * counts from the first attempt's start (submit kicks the engine at once). The
 * ratio is bare time / delivery time (1 = as fast as the bare upload; the goal is at least 0.5).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPortal } from '../../portal/server.ts';
import { DELIVERY_DEFAULTS } from '../../sync/delivery.ts';
import { enrolTerminal, openTerminal } from '../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../test/support/authority-keys.ts';

const RUNS = Number(process.env.BENCH_UPLOAD_RUNS ?? 3);
const DOCUMENTS = 10;
const DOCUMENT_BYTES = 2.5 * 1024 * 1024;
/** The terminal's chunk size (default: the engine's). */
const CHUNK = process.env.BENCH_UPLOAD_CHUNK ? Number(process.env.BENCH_UPLOAD_CHUNK) : undefined;

const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

const portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 25 });
const dataDir = mkdtempSync(join(tmpdir(), 'bench-upload-'));
const bare = createServer((request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => response.writeHead(204).end());
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const address = bare.address();
const bareUrl = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}/` : '';
try {
  const enrolled = await enrolTerminal({
    dataDir,
    portalUrl: portal.url,
    code: portal.createEnrolmentCode(),
  });
  if (!enrolled.ok) throw new Error(enrolled.error.code);
  const steps = new Map<string, number>();
  const opened = await openTerminal({
    dataDir,
    ...(CHUNK ? { engine: { chunkBytes: CHUNK } } : {}),
    // the first attempt's start, every other step's last time
    onDeliveryStep: (step) => {
      if (step !== 'marked' || !steps.has(step)) steps.set(step, performance.now());
    },
  });
  if (!opened.ok) throw new Error(opened.error.code);
  const terminal = opened.value;
  const keys = await terminal.refreshAuthorityKeys();
  if (!keys.ok) throw new Error(keys.error.code);
  const sealing: number[] = [];
  const delivery: number[] = [];
  const bareTimes: number[] = [];
  const chunksMs: number[] = [];
  const submitMs: number[] = [];
  const openMs: number[] = [];
  const afterMs: number[] = [];
  let wireBytes = 0;
  try {
    for (let run = 0; run < RUNS; run++) {
      const attachments = Array.from({ length: DOCUMENTS }, (_, i) => ({
        partId: `document-${i}.pdf`,
        mediaType: 'application/pdf',
        content: randomBytes(DOCUMENT_BYTES),
      }));
      const trackingNumber = terminal.reserveTrackingNumber();
      steps.clear();
      const t0 = performance.now();
      const submitted = await terminal.submit({
        serviceId: 'residence-permit',
        data: { applicant: { birthDate: '1990-01-31' }, values: {} },
        trackingNumber,
        attachments,
      });
      if (!submitted.ok) throw new Error(submitted.error.code);
      // submit kicks the engine: its delivery may start before submit returns
      const t1 = Math.min(performance.now(), steps.get('marked') ?? Number.POSITIVE_INFINITY);
      let delivered = 0;
      while (delivered === 0) {
        const pass = await terminal.syncNow();
        delivered = portal
          .submissions()
          .filter((s) => s.trackingNumber === trackingNumber && s.state === 'delivered').length;
        if (pass.offline || pass.quarantined > 0) throw new Error('the delivery did not go through');
      }
      const t2 = performance.now();
      const at = (step: string) => steps.get(step) ?? Number.NaN;
      openMs.push(at('created') - at('marked'));
      chunksMs.push(at('parts_done') - at('created'));
      submitMs.push(at('submitted') - at('parts_done'));
      afterMs.push(t2 - at('submitted'));
      sealing.push(t1 - t0);
      delivery.push(t2 - t1);
      // the same number of bytes as went over the wire (each part sealed: base64url, 4/3)
      const sealedBytes =
        portal
          .submissions()
          .find((s) => s.trackingNumber === trackingNumber)
          ?.attachments.reduce((n, a) => n + Math.ceil((a.size * 4) / 3), 0) ?? 0;
      wireBytes = sealedBytes;
      const body = randomBytes(sealedBytes);
      const t3 = performance.now();
      const res = await fetch(bareUrl, { method: 'POST', body });
      await res.arrayBuffer();
      bareTimes.push(performance.now() - t3);
    }
  } finally {
    await terminal.close();
  }
  const ratio = median(bareTimes) / median(delivery);
  process.stdout.write(
    `application: ${DOCUMENTS} documents, ${mb(DOCUMENTS * DOCUMENT_BYTES)} MiB plain, about ${mb(wireBytes)} MiB sealed on the wire\n`,
  );
  process.stdout.write(`seal and queue (median of ${RUNS}): ${median(sealing).toFixed(0)} ms\n`);
  process.stdout.write(
    `delivery to the portal, chunked, opened and stored (median): ${median(delivery).toFixed(0)} ms\n`,
  );
  process.stdout.write(
    `  of which the chunks: ${median(chunksMs).toFixed(0)} ms (${CHUNK ?? DELIVERY_DEFAULTS.chunkBytes} bytes each); the submit (open, verify, store): ${median(submitMs).toFixed(0)} ms\n`,
  );
  process.stdout.write(
    `  load, verify and create: ${median(openMs).toFixed(0)} ms; after the submit (record, status pull): ${median(afterMs).toFixed(0)} ms\n`,
  );
  process.stdout.write(`bare HTTP POST of as many bytes (median): ${median(bareTimes).toFixed(0)} ms\n`);
  process.stdout.write(`ratio bare/delivery: ${ratio.toFixed(2)} (goal >= 0.5)\n`);
} finally {
  await new Promise<void>((resolve) => bare.close(() => resolve()));
  await portal.close();
  rmSync(dataDir, { recursive: true, force: true });
}
