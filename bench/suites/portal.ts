/**
 * The reference portal on loopback: what one delivery costs the portal (create, chunked upload,
 * submit = open and verify and store) for a 4 KiB application with a 200 KiB attachment, next to
 * a bare HTTP POST loop with the same bytes against the same server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CryptoKey, decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { startPortal } from '../../portal/server.ts';
import {
  type AuthorityKeysResponse,
  authorityKeySetSchema,
  type EnrolmentResponse,
  PORTAL_AUDIENCE,
} from '../../sync/protocol/index.ts';
import { type SealedSubmission, sealSubmission } from '../../sync/sealing.ts';
import { makeTrackingNumber } from '../../sync/tracking.ts';

const COUNT = Number(process.env.BENCH_PORTAL_COUNT ?? 200);
const CHUNK = 256 * 1024;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function summary(label: string, ms: number[], totalMs: number): string {
  const s = [...ms].sort((a, b) => a - b);
  return `${label}: n=${ms.length} p50=${quantile(s, 0.5).toFixed(2)} ms p99=${quantile(s, 0.99).toFixed(2)} ms rate=${((ms.length / totalMs) * 1000).toFixed(0)}/s`;
}

const dataDir = await mkdtemp(join(tmpdir(), 'bench-portal-'));
const portal = await startPortal({ dataDir });
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
try {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const enrolRes = await fetch(`${portal.url}/v1/enrolment`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: portal.createEnrolmentCode(), publicKey: await exportJWK(publicKey) }),
  });
  const enrolment = (await enrolRes.json()) as EnrolmentResponse;
  const token = (key: CryptoKey) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: enrolment.keyId })
      .setIssuer(enrolment.terminalId)
      .setAudience(PORTAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('30s')
      .setJti(randomUUID())
      .sign(key);
  const auth = async () => ({ authorization: `Bearer ${await token(privateKey)}` });
  const keys = (await (
    await fetch(`${portal.url}/v1/authority-keys`, { headers: await auth() })
  ).json()) as AuthorityKeysResponse;
  const first = authorityKeySetSchema.parse(decodeJwt(keys.keySet)).keys[0];
  if (first === undefined) throw new Error('no authority key');
  const authority = { kid: first.kid, key: (await importJWK(first.jwk, 'RSA-OAEP-256')) as CryptoKey };

  const sealed: SealedSubmission[] = [];
  for (let i = 0; i < COUNT; i++) {
    const r = await sealSubmission(
      {
        submissionId: randomUUID(),
        serviceId: 'residence-permit-extension',
        terminalId: enrolment.terminalId,
        createdAt: new Date().toISOString(),
        trackingNumber: makeTrackingNumber(),
        data: { applicant: { birthDate: '1990-01-01' }, text: randomBytes(2048).toString('hex') },
        attachments: [{ partId: 'summary', mediaType: 'application/pdf', content: randomBytes(200 * 1024) }],
      },
      authority,
      { kid: enrolment.keyId, privateKey },
    );
    if (!r.ok) throw new Error(r.error.message);
    sealed.push(r.value);
  }

  // a delivery as the terminal makes it: create, every part in 256 KiB chunks, submit
  const deliveries: number[] = [];
  const creates: number[] = [];
  const uploads: number[] = [];
  const submits: number[] = [];
  const t0 = performance.now();
  for (const s of sealed) {
    const start = performance.now();
    const created = await fetch(`${portal.url}/v1/submissions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `bench-${s.submissionId}`,
        ...(await auth()),
      },
      body: JSON.stringify({
        submissionId: s.submissionId,
        metadata: s.metadata,
        parts: s.parts.map((p) => ({
          partId: p.partId,
          kind: p.kind,
          mediaType: p.mediaType,
          sealedSize: p.sealedSize,
          sha512OfSealed: p.sha512OfSealed,
        })),
        manifestSignature: s.manifestSignature,
      }),
    });
    if (created.status !== 201) throw new Error(`create ${created.status}`);
    await created.arrayBuffer();
    const uploadStart = performance.now();
    creates.push(uploadStart - start);
    for (const p of s.parts) {
      const bytes = Buffer.from(p.jwe);
      for (let offset = 0; offset < bytes.length; offset += CHUNK) {
        const res = await fetch(
          `${portal.url}/v1/submissions/${s.submissionId}/parts/${p.partId}?offset=${offset}`,
          {
            method: 'PUT',
            headers: { 'content-type': 'application/octet-stream', ...(await auth()) },
            body: new Uint8Array(bytes.subarray(offset, offset + CHUNK)),
          },
        );
        if (res.status !== 200) throw new Error(`chunk ${res.status}`);
        await res.arrayBuffer();
      }
    }
    const submitStart = performance.now();
    uploads.push(submitStart - uploadStart);
    const submitted = await fetch(`${portal.url}/v1/submissions/${s.submissionId}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await auth()) },
      body: '{}',
    });
    if (submitted.status !== 200) throw new Error(`submit ${submitted.status}: ${await submitted.text()}`);
    await submitted.arrayBuffer();
    const end = performance.now();
    submits.push(end - submitStart);
    deliveries.push(end - start);
  }
  const deliveryTotal = performance.now() - t0;

  // the same bytes as bare POSTs against the same server (no auth, no storage): the floor
  const bare: number[] = [];
  const t1 = performance.now();
  for (const s of sealed) {
    const start = performance.now();
    const body = JSON.stringify({ metadata: s.metadata, parts: s.parts.map((p) => p.jwe) });
    const res = await fetch(`${portal.url}/v1/nothing`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).catch(() => undefined);
    await res?.arrayBuffer();
    bare.push(performance.now() - start);
  }
  const bareTotal = performance.now() - t1;

  const p50 = (xs: number[]) =>
    quantile(
      [...xs].sort((a, b) => a - b),
      0.5,
    );
  process.stdout.write(`${summary('delivery (create + chunks + submit)', deliveries, deliveryTotal)}\n`);
  process.stdout.write(`${summary('  of which create', creates, deliveryTotal)}\n`);
  process.stdout.write(`${summary('  of which upload (all chunks)', uploads, deliveryTotal)}\n`);
  process.stdout.write(`${summary('  of which submit (open, verify, store)', submits, deliveryTotal)}\n`);
  process.stdout.write(`${summary('bare POST of the same bytes', bare, bareTotal)}\n`);
  process.stdout.write(`ratio delivery/bare p50: ${(p50(deliveries) / p50(bare)).toFixed(1)}x\n`);
  process.stdout.write(
    `peak RSS (portal and client in one process): ${(peakRss / 1024 / 1024).toFixed(0)} MiB\n`,
  );
} finally {
  clearInterval(sampler);
  await portal.close();
  await rm(dataDir, { recursive: true, force: true });
}
