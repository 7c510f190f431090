/**
 * A test terminal for the reference portal: a device key, enrolment, signed request tokens,
 * and sealed submissions made with the kiosk's own sealing code.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { type CryptoKey, decodeJwt, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { ManualClock } from '../../../common/clock.ts';
import { createPortal, type Portal, type PortalOptions } from '../../../portal/server.ts';
import {
  type AuthorityKey,
  authorityKeySetSchema,
  authorityKeysResponseSchema,
  type CreateSubmissionRequest,
  type EnrolmentResponse,
  PORTAL_AUDIENCE,
} from '../../../sync/protocol/index.ts';
import { type SealedSubmission, sealSubmission } from '../../../sync/sealing.ts';
import { makeTrackingNumber } from '../../../sync/tracking.ts';

export interface Harness {
  readonly portal: Portal;
  readonly clock: ManualClock;
  close(): Promise<void>;
}

export async function makePortal(options: PortalOptions = {}): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'portal-test-'));
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9, 0, 0));
  const portal = await createPortal({ dataDir, clock, authorityKeyBits: 2048, seed: 7, ...options });
  return {
    portal,
    clock,
    close: async () => {
      await portal.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TokenOverrides {
  readonly iat?: number;
  readonly exp?: number;
  readonly aud?: string;
  readonly iss?: string;
  readonly key?: CryptoKey;
  readonly kid?: string;
  readonly jti?: string;
}

export class TestTerminal {
  terminalId = '';
  keyId = '';
  enrolment: EnrolmentResponse | undefined;

  private constructor(
    private readonly portal: Portal,
    private readonly clock: { now(): number },
    readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
  ) {}

  static async create(portal: Portal, clock: { now(): number }): Promise<TestTerminal> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    return new TestTerminal(portal, clock, privateKey, jwk);
  }

  /** Creates a terminal and enrols it with a fresh code. */
  static async enrolled(portal: Portal, clock: { now(): number }): Promise<TestTerminal> {
    const t = await TestTerminal.create(portal, clock);
    const res = await t.enrol(portal.createEnrolmentCode());
    if (res.statusCode !== 201) throw new Error(`enrolment failed: ${res.body}`);
    return t;
  }

  async enrol(code: string): Promise<LightMyRequestResponse> {
    const res = await this.portal.app.inject({
      method: 'POST',
      url: '/v1/enrolment',
      payload: { code, publicKey: this.publicJwk, label: 'Foyer test' },
    });
    if (res.statusCode === 201) {
      this.enrolment = res.json() as EnrolmentResponse;
      this.terminalId = this.enrolment.terminalId;
      this.keyId = this.enrolment.keyId;
    }
    return res;
  }

  async token(o: TokenOverrides = {}): Promise<string> {
    const now = Math.floor(this.clock.now() / 1000);
    const iat = o.iat ?? now;
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: o.kid ?? this.keyId })
      .setIssuer(o.iss ?? this.terminalId)
      .setAudience(o.aud ?? PORTAL_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(o.exp ?? iat + 30)
      .setJti(o.jti ?? randomUUID())
      .sign(o.key ?? this.privateKey);
  }

  async headers(extra: Record<string, string> = {}): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token()}`, ...extra };
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.portal.app.inject({ method: 'GET', url, headers: await this.headers() });
  }

  async post(
    url: string,
    payload: unknown,
    extra: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return this.portal.app.inject({
      method: 'POST',
      url,
      headers: await this.headers(extra),
      payload: payload as Record<string, unknown>,
    });
  }

  async putChunk(id: string, partId: string, offset: number, bytes: Buffer): Promise<LightMyRequestResponse> {
    return this.portal.app.inject({
      method: 'PUT',
      url: `/v1/submissions/${id}/parts/${partId}?offset=${offset}`,
      headers: await this.headers({ 'content-type': 'application/octet-stream' }),
      payload: bytes,
    });
  }

  async authorityKey(): Promise<{ kid: string; key: CryptoKey }> {
    const res = await this.get('/v1/authority-keys');
    const first = keysOf(res)[0];
    if (first === undefined) throw new Error('no authority key');
    return { kid: first.kid, key: (await importJWK(first.jwk, 'RSA-OAEP-256')) as CryptoKey };
  }

  /** Seals an application (with a PDF-like attachment) to the portal's newest authority key. */
  async seal(
    options: {
      birthDate?: string;
      attachmentBytes?: number;
      authority?: { kid: string; key: CryptoKey };
      /** Another service and its data (a data set the portal checks against its schema). */
      serviceId?: string;
      data?: Record<string, unknown>;
    } = {},
  ): Promise<SealedSubmission & { trackingNumber: string }> {
    const authority = options.authority ?? (await this.authorityKey());
    const trackingNumber = makeTrackingNumber();
    const attachment = Buffer.alloc(options.attachmentBytes ?? 3000, 0x25);
    const r = await sealSubmission(
      {
        submissionId: randomUUID(),
        serviceId: options.serviceId ?? 'residence-permit-extension',
        terminalId: this.terminalId,
        createdAt: new Date(this.clock.now()).toISOString(),
        trackingNumber,
        data: options.data ?? {
          applicant: { surname: 'Yılmaz', givenNames: 'Ayşe', birthDate: options.birthDate ?? '1988-03-14' },
        },
        attachments: [{ partId: 'summary', mediaType: 'application/pdf', content: attachment }],
      },
      authority,
      { kid: this.keyId, privateKey: this.privateKey },
    );
    if (!r.ok) throw new Error(r.error.message);
    return { ...r.value, trackingNumber };
  }
}

/** The keys of a `GET /v1/authority-keys` answer (the signed set's payload, not verified here). */
export function keysOf(res: { json(): unknown }): AuthorityKey[] {
  const { keySet } = authorityKeysResponseSchema.parse(res.json());
  return authorityKeySetSchema.parse(decodeJwt(keySet)).keys;
}

export function createBody(sealed: SealedSubmission): CreateSubmissionRequest {
  return {
    submissionId: sealed.submissionId,
    metadata: sealed.metadata,
    parts: sealed.parts.map((p) => ({
      partId: p.partId,
      kind: p.kind,
      mediaType: p.mediaType,
      sealedSize: p.sealedSize,
      sha512OfSealed: p.sha512OfSealed,
    })),
    manifestSignature: sealed.manifestSignature,
  };
}

/** Creates, uploads (in chunks of `chunk` bytes) and submits a sealed submission. */
export async function deliver(
  t: TestTerminal,
  sealed: SealedSubmission,
  chunk = 1000,
): Promise<LightMyRequestResponse> {
  const created = await t.post('/v1/submissions', createBody(sealed), {
    'idempotency-key': `key-${sealed.submissionId}`,
  });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  for (const p of sealed.parts) {
    const bytes = Buffer.from(p.jwe);
    for (let offset = 0; offset < bytes.length; offset += chunk) {
      const res = await t.putChunk(
        sealed.submissionId,
        p.partId,
        offset,
        bytes.subarray(offset, offset + chunk),
      );
      if (res.statusCode !== 200) throw new Error(`chunk failed: ${res.body}`);
    }
  }
  return t.post(`/v1/submissions/${sealed.submissionId}/submit`, {});
}
