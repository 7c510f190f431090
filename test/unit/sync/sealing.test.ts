import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicServices } from '../../../sync/protocol/datasets.ts';
import {
  openSubmission,
  type SealedSubmission,
  type SubmissionInput,
  sealSubmission,
  sha512Hex,
  verifySealedIntegrity,
} from '../../../sync/sealing.ts';
import {
  type AuthorityKeyPair,
  type DeviceKeyPair,
  makeAuthorityKey,
  makeDeviceKey,
  tamperSegment,
} from './keys.ts';

const pdf = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

function input(overrides: Partial<SubmissionInput> = {}): SubmissionInput {
  return {
    submissionId: 'sub-1',
    serviceId: 'residence-permit',
    terminalId: 'T-0001',
    createdAt: '2025-03-01T09:00:00.000Z',
    trackingNumber: 'ST-0000000000A',
    data: { familyName: 'Öztürk', givenNames: 'Ayşe', birthDate: '1990-01-31' },
    attachments: [{ partId: 'summary', mediaType: 'application/pdf', content: pdf }],
    ...overrides,
  };
}

let oldKey: AuthorityKeyPair;
let newKey: AuthorityKeyPair;
let device: DeviceKeyPair;
let otherDevice: DeviceKeyPair;

beforeAll(async () => {
  [oldKey, newKey, device, otherDevice] = await Promise.all([
    makeAuthorityKey('authority-2024'),
    makeAuthorityKey('authority-2025'),
    makeDeviceKey('T-0001#1'),
    makeDeviceKey('T-0002#1'),
  ]);
});

async function seal(i = input(), authority = newKey): Promise<SealedSubmission> {
  const result = await sealSubmission(i, authority.publicKey, device.signing);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const resolveDevice = (kid: string) => (kid === device.signing.kid ? device.publicJwk : undefined);

describe('sealSubmission / openSubmission', () => {
  it('names a summary as a report, and no public service for a service without a data set', async () => {
    const sealed = await seal(
      input({
        serviceId: 'callback-request',
        attachments: [
          { partId: 'summary.pdf', mediaType: 'application/pdf', content: pdf, purpose: 'report' },
        ],
      }),
    );
    const opened = await openSubmission(sealed, [newKey.privateKey], resolveDevice);
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value.metadata.publicService).toBeUndefined();
    expect(opened.value.metadata.parts.map((p) => p.purpose)).toEqual(['form', 'report']);
  });

  it('round trips data, attachments and metadata', async () => {
    const sealed = await seal();
    expect(sealed.parts.map((p) => p.partId)).toEqual(['data', 'summary']);
    expect(sealed.authorityKid).toBe('authority-2025');
    for (const p of sealed.parts) {
      expect(p.sha512OfSealed).toBe(sha512Hex(p.jwe));
      expect(p.sealedSize).toBe(p.jwe.length);
    }
    const opened = await openSubmission(sealed, [newKey.privateKey], resolveDevice);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.data).toEqual(input().data);
    expect(opened.value.signerKid).toBe('T-0001#1');
    expect(opened.value.attachments).toHaveLength(1);
    expect(Buffer.from(opened.value.attachments[0]?.content ?? []).equals(Buffer.from(pdf))).toBe(true);
    const md = opened.value.metadata;
    expect(md).toMatchObject({
      submissionId: 'sub-1',
      serviceId: 'residence-permit',
      terminalId: 'T-0001',
      trackingNumber: 'ST-0000000000A',
    });
    const summary = md.parts.find((p) => p.partId === 'summary');
    expect(summary).toMatchObject({ kind: 'attachment', mediaType: 'application/pdf', size: 4096 });
    expect(summary?.sha512OfPlain).toBe(sha512Hex(pdf));
    // as FIT-Connect's metadata: the public service with its schema, each part's purpose
    expect(md.publicService).toEqual({
      leikaKey: publicServices['residence-permit']?.leikaKey,
      schemaUri: 'urn:serviceterminal:dataset:residence-permit:1.0.0',
      version: '1.0.0',
    });
    expect(md.parts.map((p) => [p.partId, p.purpose])).toEqual([
      ['data', 'form'],
      ['summary', 'attachment'],
    ]);
  });

  it('compares a sealed hash the caller already computed with the signed metadata', async () => {
    const sealed = await seal();
    const hashed = sealed.parts.map((p) => ({ ...p, computedSha512: sha512Hex(p.jwe) }));
    const opened = await openSubmission({ ...sealed, parts: hashed }, [newKey.privateKey], resolveDevice);
    expect(opened.ok).toBe(true);
    const wrong = hashed.map((p) =>
      p.partId === 'summary' ? { ...p, computedSha512: sha512Hex('other') } : p,
    );
    const refused = await openSubmission({ ...sealed, parts: wrong }, [newKey.privateKey], resolveDevice);
    expect(refused.ok ? undefined : refused.error.code).toBe('seal.hash_mismatch');
  });

  it("signs a document's checklist item, purpose and SHA-256 into the metadata, as FIT-Connect's does", async () => {
    const payslips = new Uint8Array(2048).map((_, i) => (i * 13) % 251);
    const sealed = await seal(
      input({
        attachments: [
          { partId: 'summary', mediaType: 'application/pdf', content: pdf },
          {
            partId: 'document-payslips.pdf',
            mediaType: 'application/pdf',
            content: payslips,
            checklistItem: 'payslips',
          },
        ],
      }),
    );
    const opened = await openSubmission(sealed, [newKey.privateKey], resolveDevice);
    if (!opened.ok) throw new Error(opened.error.message);
    const sha256 = createHash('sha256').update(payslips).digest('hex');
    expect(
      opened.value.metadata.parts.map((p) => [p.partId, p.purpose, p.checklistItem, p.sha256OfPlain]),
    ).toEqual([
      ['data', 'form', undefined, undefined],
      ['summary', 'attachment', undefined, createHash('sha256').update(pdf).digest('hex')],
      ['document-payslips.pdf', 'attachment', 'payslips', sha256],
    ]);
    expect(opened.value.attachments[1]).toMatchObject({ checklistItem: 'payslips', sha256 });
    expect(opened.value.attachments[0]?.checklistItem).toBeUndefined();
    // a checklist item that is no checklist id is refused before anything is sealed
    const bad = await sealSubmission(
      input({
        attachments: [{ partId: 'x', mediaType: 'application/pdf', content: pdf, checklistItem: '../etc' }],
      }),
      newKey.publicKey,
      device.signing,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'seal.malformed' } });
  });

  it('puts nothing readable in the sealed output', async () => {
    const sealed = await seal();
    const all = JSON.stringify(sealed);
    for (const word of ['Öztürk', 'Ayşe', '1990-01-31', 'residence-permit', 'ST-0000000000A']) {
      expect(all).not.toContain(word);
      expect(Buffer.from(all).includes(Buffer.from(word))).toBe(false);
    }
  });

  it('sets alg, enc and kid on every JWE', async () => {
    const sealed = await seal();
    for (const jwe of [sealed.metadata, ...sealed.parts.map((p) => p.jwe)]) {
      const header = JSON.parse(Buffer.from(jwe.split('.')[0] ?? '', 'base64url').toString());
      expect(header).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'authority-2025' });
    }
  });

  it('fails with seal.decrypt_failed under the wrong private key of the same kid', async () => {
    const sealed = await seal();
    const impostor = { kid: 'authority-2025', key: oldKey.privateKey.key };
    const opened = await openSubmission(sealed, [impostor], resolveDevice);
    expect(opened).toMatchObject({ ok: false, error: { code: 'seal.decrypt_failed' } });
  });

  it('fails with seal.unknown_kid when no authority key matches', async () => {
    const sealed = await seal();
    const opened = await openSubmission(sealed, [oldKey.privateKey], resolveDevice);
    expect(opened).toMatchObject({ ok: false, error: { code: 'seal.unknown_kid' } });
  });

  it('fails with seal.unknown_kid when the terminal key is unknown', async () => {
    const sealed = await seal();
    const opened = await openSubmission(sealed, [newKey.privateKey], () => undefined);
    expect(opened).toMatchObject({ ok: false, error: { code: 'seal.unknown_kid' } });
  });

  it('fails with seal.bad_signature when the signature is from another key', async () => {
    const sealed = await seal();
    const opened = await openSubmission(sealed, [newKey.privateKey], () => otherDevice.publicJwk);
    expect(opened).toMatchObject({ ok: false, error: { code: 'seal.bad_signature' } });
  });

  it('detects tampering with the metadata ciphertext, tag, iv and header', async () => {
    const sealed = await seal();
    for (const segment of [0, 2, 3, 4]) {
      const tampered = { ...sealed, metadata: tamperSegment(sealed.metadata, segment) };
      const opened = await openSubmission(tampered, [newKey.privateKey], resolveDevice);
      expect(opened.ok, `segment ${segment}`).toBe(false);
      if (!opened.ok) expect(['seal.decrypt_failed', 'seal.malformed']).toContain(opened.error.code);
      const integrity = await verifySealedIntegrity(tampered, device.publicJwk);
      expect(integrity).toMatchObject({ ok: false, error: { code: 'seal.hash_mismatch' } });
    }
  });

  it.each(['data', 'summary'])('detects tampering with the ciphertext of part %s', async (partId) => {
    const sealed = await seal();
    const tampered: SealedSubmission = {
      ...sealed,
      parts: sealed.parts.map((p) => (p.partId === partId ? { ...p, jwe: tamperSegment(p.jwe, 3) } : p)),
    };
    const opened = await openSubmission(tampered, [newKey.privateKey], resolveDevice);
    expect(opened).toMatchObject({ ok: false, error: { code: 'seal.hash_mismatch' } });
    const integrity = await verifySealedIntegrity(tampered, device.publicJwk);
    expect(integrity).toMatchObject({ ok: false, error: { code: 'seal.hash_mismatch' } });
  });

  it('detects a part swapped in from another submission even when hashes are updated outside', async () => {
    const a = await seal();
    const b = await seal(input({ submissionId: 'sub-2', data: { other: true } }));
    const bData = b.parts.find((p) => p.partId === 'data');
    if (!bData) throw new Error('no data part');
    const swapped: SealedSubmission = { ...a, parts: a.parts.map((p) => (p.partId === 'data' ? bData : p)) };
    expect(await openSubmission(swapped, [newKey.privateKey], resolveDevice)).toMatchObject({
      ok: false,
      error: { code: 'seal.hash_mismatch' },
    });
    expect(await verifySealedIntegrity(swapped, device.publicJwk)).toMatchObject({
      ok: false,
      error: { code: 'seal.hash_mismatch' },
    });
  });

  it('detects a missing or an extra part', async () => {
    const sealed = await seal();
    const missing = { ...sealed, parts: sealed.parts.slice(0, 1) };
    expect(await openSubmission(missing, [newKey.privateKey], resolveDevice)).toMatchObject({
      ok: false,
      error: { code: 'seal.hash_mismatch' },
    });
    const extra = {
      ...sealed,
      parts: [...sealed.parts, { ...(sealed.parts[1] as SealedSubmission['parts'][0]), partId: 'x' }],
    };
    expect(await openSubmission(extra, [newKey.privateKey], resolveDevice)).toMatchObject({
      ok: false,
      error: { code: 'seal.hash_mismatch' },
    });
  });

  it('verifies its own manifest and rejects a forged manifest signature', async () => {
    const sealed = await seal();
    expect((await verifySealedIntegrity(sealed, device.publicJwk)).ok).toBe(true);
    expect(await verifySealedIntegrity(sealed, otherDevice.publicJwk)).toMatchObject({
      ok: false,
      error: { code: 'seal.bad_signature' },
    });
    const forged = { ...sealed, manifestSignature: tamperSegment(sealed.manifestSignature, 1) };
    expect((await verifySealedIntegrity(forged, device.publicJwk)).ok).toBe(false);
  });

  it('keeps items sealed under the old key openable after a rotation', async () => {
    const underOld = await seal(input({ submissionId: 'old' }), oldKey);
    const underNew = await seal(input({ submissionId: 'new' }), newKey);
    const both = [newKey.privateKey, oldKey.privateKey];
    const a = await openSubmission(underOld, both, resolveDevice);
    const b = await openSubmission(underNew, both, resolveDevice);
    expect(a.ok && a.value.authorityKid).toBe('authority-2024');
    expect(b.ok && b.value.authorityKid).toBe('authority-2025');
    expect(a.ok && a.value.metadata.submissionId).toBe('old');
  });

  it('rejects repeated or invalid attachment part ids', async () => {
    const dup = await sealSubmission(
      input({ attachments: [{ partId: 'data', mediaType: 'application/pdf', content: pdf }] }),
      newKey.publicKey,
      device.signing,
    );
    expect(dup).toMatchObject({ ok: false, error: { code: 'seal.malformed' } });
    const bad = await sealSubmission(
      input({ attachments: [{ partId: 'a/b', mediaType: 'application/pdf', content: pdf }] }),
      newKey.publicKey,
      device.signing,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'seal.malformed' } });
  });
});
