/**
 * Sealing of a submission (FIT-Connect's model): every part — the application data (JSON), each
 * attachment, and the metadata — is a separate compact JWE (RSA-OAEP-256 + A256GCM) to one of
 * the authority's public keys, chosen by `kid`. The metadata carries, for every part, its size
 * and the SHA-512 of its plain and of its sealed bytes; it is signed with the terminal's device
 * key (compact JWS, ES256) before it is sealed: metadata part = JWE(JWS(metadata JSON)).
 *
 * The terminal holds no authority private key, so it cannot read a submission back. To detect
 * tampering with what sits in its own queue, it also signs a manifest of the sealed parts
 * (hashes of the ciphertexts only) that it can verify with its own public key before sending.
 */
import { createHash } from 'node:crypto';
import {
  CompactEncrypt,
  CompactSign,
  type CryptoKey,
  compactDecrypt,
  compactVerify,
  decodeProtectedHeader,
  type JWK,
  type KeyObject,
} from 'jose';
import { z } from 'zod';
import { err, ok, type Result } from '../common/result.ts';
import { publicServices } from './protocol/datasets.ts';

export const JWE_ALG = 'RSA-OAEP-256';
export const JWE_ENC = 'A256GCM';
export const JWS_ALG = 'ES256';

export type KeyMaterial = CryptoKey | KeyObject | JWK;

/** One of the authority's public encryption keys. */
export interface AuthorityPublicKey {
  readonly kid: string;
  readonly key: KeyMaterial;
}

/** One of the authority's private decryption keys (portal/authority side only). */
export interface AuthorityPrivateKey {
  readonly kid: string;
  readonly key: KeyMaterial;
}

/** The terminal's signing key. */
export interface DeviceSigningKey {
  readonly kid: string;
  readonly privateKey: KeyMaterial;
}

export type PartKind = 'data' | 'attachment';

/**
 * What a part is for, as FIT-Connect's metadata says it: `form` the structured data, `report` a
 * rendering of it for people (the authority's summary PDF), `attachment` a document handed in.
 */
export const PART_PURPOSES = ['form', 'report', 'attachment'] as const;
export type PartPurpose = (typeof PART_PURPOSES)[number];

export interface AttachmentInput {
  readonly partId: string;
  readonly mediaType: string;
  readonly content: Uint8Array;
  /** Without one, an attachment is a document handed in (`attachment`). */
  readonly purpose?: PartPurpose;
  /** For a document handed in: the checklist item it stands for (`payslips`). */
  readonly checklistItem?: string;
}

export interface SubmissionInput {
  readonly submissionId: string;
  readonly serviceId: string;
  readonly terminalId: string;
  /** ISO 8601 */
  readonly createdAt: string;
  readonly trackingNumber: string;
  /** The application data; serialised as JSON. */
  readonly data: unknown;
  readonly attachments?: readonly AttachmentInput[];
}

/** A sealed part as it is queued and sent: only the ciphertext and non-personal facts. */
export interface SealedPart {
  readonly partId: string;
  readonly kind: PartKind;
  readonly mediaType: string;
  /** Length of the compact JWE in bytes (UTF-8 = ASCII). */
  readonly sealedSize: number;
  /** Hex SHA-512 of the compact JWE string. */
  readonly sha512OfSealed: string;
  readonly jwe: string;
}

export interface SealedSubmission {
  readonly submissionId: string;
  readonly authorityKid: string;
  /** JWE(JWS(metadata JSON)). */
  readonly metadata: string;
  readonly parts: readonly SealedPart[];
  /**
   * Compact JWS (ES256, device key) over the manifest: submission id, hash of the metadata JWE
   * and every part's id and sealed hash. Lets the terminal (and the portal) detect tampering
   * without opening anything.
   */
  readonly manifestSignature: string;
}

export const PART_ID = /^[A-Za-z0-9._-]{1,64}$/;
export const DATA_PART_ID = 'data';

const hex512 = z.string().regex(/^[0-9a-f]{128}$/);

export const partDescriptionSchema = z.object({
  partId: z.string().regex(PART_ID),
  kind: z.enum(['data', 'attachment']),
  mediaType: z.string().min(1).max(200),
  size: z.number().int().nonnegative(),
  sha512OfPlain: hex512,
  sha512OfSealed: hex512,
  /** SHA-256 of the plain bytes (as a document's own hash is usually quoted); absent in older seals. */
  sha256OfPlain: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  purpose: z.enum(PART_PURPOSES).optional(),
  /** The checklist item a document handed in stands for (see `AttachmentInput.checklistItem`). */
  checklistItem: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/)
    .optional(),
});
export type PartDescription = z.infer<typeof partDescriptionSchema>;

export const submissionMetadataSchema = z.object({
  version: z.literal(1),
  submissionId: z.string().min(1).max(100),
  serviceId: z.string().min(1).max(100),
  terminalId: z.string().min(1).max(100),
  createdAt: z.string().min(1),
  trackingNumber: z.string().min(1).max(40),
  parts: z.array(partDescriptionSchema).min(1),
  /** The public service and its data set's schema (sync/protocol/datasets.ts), where it has one. */
  publicService: z.object({ leikaKey: z.string(), schemaUri: z.string(), version: z.string() }).optional(),
});
export type SubmissionMetadata = z.infer<typeof submissionMetadataSchema>;

export const manifestSchema = z.object({
  version: z.literal(1),
  submissionId: z.string(),
  authorityKid: z.string(),
  sha512OfMetadata: hex512,
  parts: z.array(z.object({ partId: z.string(), sha512OfSealed: hex512, sealedSize: z.number().int() })),
});
export type SealManifest = z.infer<typeof manifestSchema>;

export type SealErrorCode =
  | 'seal.bad_signature'
  | 'seal.hash_mismatch'
  | 'seal.unknown_kid'
  | 'seal.decrypt_failed'
  | 'seal.malformed'
  | 'seal.failed';

export function sha512Hex(bytes: Uint8Array | string): string {
  return createHash('sha512').update(bytes).digest('hex');
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function encryptTo(authority: AuthorityPublicKey, plain: Uint8Array, cty?: string): Promise<string> {
  const header: { alg: string; enc: string; kid: string; cty?: string } = {
    alg: JWE_ALG,
    enc: JWE_ENC,
    kid: authority.kid,
  };
  if (cty !== undefined) header.cty = cty;
  return new CompactEncrypt(plain).setProtectedHeader(header).encrypt(authority.key);
}

function manifestOf(
  submissionId: string,
  authorityKid: string,
  metadata: string,
  parts: readonly SealedPart[],
): SealManifest {
  return {
    version: 1,
    submissionId,
    authorityKid,
    sha512OfMetadata: sha512Hex(metadata),
    parts: parts.map((p) => ({
      partId: p.partId,
      sha512OfSealed: p.sha512OfSealed,
      sealedSize: p.sealedSize,
    })),
  };
}

/**
 * Seals a submission for the authority. Returns only ciphertexts and non-personal facts; the
 * caller drops the plain input afterwards.
 */
export async function sealSubmission(
  input: SubmissionInput,
  authority: AuthorityPublicKey,
  device: DeviceSigningKey,
): Promise<Result<SealedSubmission, SealErrorCode>> {
  try {
    const attachments = input.attachments ?? [];
    const ids = new Set<string>([DATA_PART_ID]);
    for (const a of attachments) {
      if (!PART_ID.test(a.partId) || ids.has(a.partId)) {
        return err('seal.malformed', `attachment part id ${JSON.stringify(a.partId)} is invalid or repeated`);
      }
      ids.add(a.partId);
    }
    const plains: {
      partId: string;
      kind: PartKind;
      mediaType: string;
      content: Uint8Array;
      purpose: PartPurpose;
      checklistItem?: string;
    }[] = [
      {
        partId: DATA_PART_ID,
        kind: 'data',
        mediaType: 'application/json',
        content: encoder.encode(JSON.stringify(input.data)),
        purpose: 'form',
      },
      ...attachments.map((a) => ({
        partId: a.partId,
        kind: 'attachment' as const,
        mediaType: a.mediaType,
        content: a.content,
        purpose: a.purpose ?? 'attachment',
        ...(a.checklistItem === undefined ? {} : { checklistItem: a.checklistItem }),
      })),
    ];
    const parts: SealedPart[] = [];
    const descriptions: PartDescription[] = [];
    for (const p of plains) {
      const jwe = await encryptTo(authority, p.content);
      const sha512OfSealed = sha512Hex(jwe);
      parts.push({
        partId: p.partId,
        kind: p.kind,
        mediaType: p.mediaType,
        sealedSize: jwe.length,
        sha512OfSealed,
        jwe,
      });
      descriptions.push({
        partId: p.partId,
        kind: p.kind,
        mediaType: p.mediaType,
        size: p.content.byteLength,
        sha512OfPlain: sha512Hex(p.content),
        sha512OfSealed,
        ...(p.kind === 'attachment' ? { sha256OfPlain: sha256Hex(p.content) } : {}),
        purpose: p.purpose,
        ...(p.checklistItem === undefined ? {} : { checklistItem: p.checklistItem }),
      });
    }
    const service = publicServices[input.serviceId];
    const metadata: SubmissionMetadata = {
      version: 1,
      submissionId: input.submissionId,
      serviceId: input.serviceId,
      terminalId: input.terminalId,
      createdAt: input.createdAt,
      trackingNumber: input.trackingNumber,
      parts: descriptions,
      ...(service
        ? {
            publicService: {
              leikaKey: service.leikaKey,
              schemaUri: service.schemaUri,
              version: service.version,
            },
          }
        : {}),
    };
    const parsed = submissionMetadataSchema.safeParse(metadata);
    if (!parsed.success) return err('seal.malformed', `metadata is invalid: ${parsed.error.message}`);
    const jws = await new CompactSign(encoder.encode(JSON.stringify(metadata)))
      .setProtectedHeader({ alg: JWS_ALG, kid: device.kid, typ: 'submission-metadata+jws' })
      .sign(device.privateKey);
    const metadataJwe = await encryptTo(authority, encoder.encode(jws), 'JWS');
    const manifest = manifestOf(input.submissionId, authority.kid, metadataJwe, parts);
    const manifestSignature = await new CompactSign(encoder.encode(JSON.stringify(manifest)))
      .setProtectedHeader({ alg: JWS_ALG, kid: device.kid, typ: 'seal-manifest+jws' })
      .sign(device.privateKey);
    return ok({
      submissionId: input.submissionId,
      authorityKid: authority.kid,
      metadata: metadataJwe,
      parts,
      manifestSignature,
    });
  } catch (e) {
    return err('seal.failed', `sealing failed: ${messageOf(e)}`);
  }
}

/**
 * Checks a sealed submission without opening it: the manifest signature against the device's
 * public key, and the hash and size of the metadata and of every part against the manifest.
 * The terminal runs this before it sends an item from its queue.
 */
export async function verifySealedIntegrity(
  sealed: SealedSubmission,
  devicePublicKey: KeyMaterial,
): Promise<Result<SealManifest, SealErrorCode>> {
  let manifest: SealManifest;
  try {
    const { payload } = await compactVerify(sealed.manifestSignature, devicePublicKey, {
      algorithms: [JWS_ALG],
    });
    const parsed = manifestSchema.safeParse(JSON.parse(decoder.decode(payload)));
    if (!parsed.success) return err('seal.malformed', 'the seal manifest is malformed');
    manifest = parsed.data;
  } catch (e) {
    return err('seal.bad_signature', `the seal manifest signature does not verify: ${messageOf(e)}`);
  }
  if (manifest.submissionId !== sealed.submissionId || manifest.authorityKid !== sealed.authorityKid) {
    return err('seal.hash_mismatch', 'the seal manifest belongs to another submission');
  }
  if (sha512Hex(sealed.metadata) !== manifest.sha512OfMetadata) {
    return err('seal.hash_mismatch', 'the sealed metadata does not match its hash');
  }
  if (manifest.parts.length !== sealed.parts.length) {
    return err('seal.hash_mismatch', 'the number of sealed parts does not match the manifest');
  }
  for (const [i, expected] of manifest.parts.entries()) {
    const part = sealed.parts[i];
    if (
      part === undefined ||
      part.partId !== expected.partId ||
      part.jwe.length !== expected.sealedSize ||
      sha512Hex(part.jwe) !== expected.sha512OfSealed ||
      part.sha512OfSealed !== expected.sha512OfSealed
    ) {
      return err('seal.hash_mismatch', `sealed part ${expected.partId} does not match its hash`);
    }
  }
  return ok(manifest);
}

export interface OpenedAttachment {
  readonly partId: string;
  readonly mediaType: string;
  readonly content: Uint8Array;
  /** The checklist item, for a document handed in (from the signed metadata). */
  readonly checklistItem?: string;
  /** SHA-256 of `content`, checked against the signed metadata when it names one. */
  readonly sha256?: string;
}

export interface OpenedSubmission {
  readonly metadata: SubmissionMetadata;
  /** The kid of the terminal key that signed the metadata. */
  readonly signerKid: string;
  /** The authority key that opened it. */
  readonly authorityKid: string;
  readonly data: unknown;
  readonly attachments: readonly OpenedAttachment[];
}

/** What the portal receives: the metadata JWE and the sealed parts (the manifest signature is optional there). */
export interface SealedSubmissionForOpening {
  readonly submissionId?: string;
  readonly metadata: string;
  readonly parts: readonly {
    readonly partId: string;
    readonly jwe: string;
    /**
     * SHA-512 (hex) the caller computed itself from exactly these bytes (never a hash it was
     * told): compared with the signed metadata instead of hashing the part again.
     */
    readonly computedSha512?: string;
  }[];
}

export type ResolveTerminalPublicKey = (
  kid: string,
) => Promise<KeyMaterial | undefined> | KeyMaterial | undefined;

function kidOf(compact: string): string | undefined {
  try {
    const kid = decodeProtectedHeader(compact).kid;
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

async function decryptWith(
  jwe: string,
  keys: ReadonlyMap<string, KeyMaterial>,
): Promise<Result<{ plaintext: Uint8Array; kid: string }, SealErrorCode>> {
  const kid = kidOf(jwe);
  if (kid === undefined) return err('seal.malformed', 'the JWE has no readable kid');
  const key = keys.get(kid);
  if (key === undefined) return err('seal.unknown_kid', `no authority key with kid ${kid}`);
  try {
    const { plaintext } = await compactDecrypt(jwe, key, {
      keyManagementAlgorithms: [JWE_ALG],
      contentEncryptionAlgorithms: [JWE_ENC],
    });
    return ok({ plaintext, kid });
  } catch (e) {
    return err('seal.decrypt_failed', `the JWE cannot be decrypted: ${messageOf(e)}`);
  }
}

/**
 * Opens a sealed submission (portal/authority side): decrypts the metadata, verifies the
 * terminal's signature, then decrypts every part and checks its sealed and plain hashes and size.
 */
export async function openSubmission(
  sealed: SealedSubmissionForOpening,
  authorityPrivateKeys: readonly AuthorityPrivateKey[],
  resolveTerminalPublicKey: ResolveTerminalPublicKey,
): Promise<Result<OpenedSubmission, SealErrorCode>> {
  const keys = new Map(authorityPrivateKeys.map((k) => [k.kid, k.key] as const));
  const outer = await decryptWith(sealed.metadata, keys);
  if (!outer.ok) return outer;
  let jws: string;
  try {
    jws = decoder.decode(outer.value.plaintext);
  } catch {
    return err('seal.malformed', 'the metadata is not a JWS');
  }
  const signerKid = kidOf(jws);
  if (signerKid === undefined) return err('seal.malformed', 'the metadata signature has no kid');
  let publicKey: KeyMaterial | undefined;
  try {
    publicKey = await resolveTerminalPublicKey(signerKid);
  } catch (e) {
    return err('seal.unknown_kid', `terminal key ${signerKid} cannot be resolved: ${messageOf(e)}`);
  }
  if (publicKey === undefined) return err('seal.unknown_kid', `no terminal key with kid ${signerKid}`);
  let metadata: SubmissionMetadata;
  try {
    const { payload } = await compactVerify(jws, publicKey, { algorithms: [JWS_ALG] });
    const parsed = submissionMetadataSchema.safeParse(JSON.parse(decoder.decode(payload)));
    if (!parsed.success) return err('seal.malformed', `the metadata is invalid: ${parsed.error.message}`);
    metadata = parsed.data;
  } catch (e) {
    return err('seal.bad_signature', `the metadata signature does not verify: ${messageOf(e)}`);
  }
  if (sealed.submissionId !== undefined && sealed.submissionId !== metadata.submissionId) {
    return err('seal.hash_mismatch', 'the metadata belongs to another submission');
  }
  const byId = new Map(sealed.parts.map((p) => [p.partId, p] as const));
  if (byId.size !== sealed.parts.length || byId.size !== metadata.parts.length) {
    return err('seal.hash_mismatch', 'the parts received do not match the parts in the metadata');
  }
  let data: unknown;
  let sawData = false;
  const attachments: OpenedAttachment[] = [];
  for (const description of metadata.parts) {
    const part = byId.get(description.partId);
    if (part === undefined) return err('seal.hash_mismatch', `part ${description.partId} is missing`);
    const jwe = part.jwe;
    if ((part.computedSha512 ?? sha512Hex(jwe)) !== description.sha512OfSealed) {
      return err('seal.hash_mismatch', `sealed part ${description.partId} does not match its hash`);
    }
    const opened = await decryptWith(jwe, keys);
    if (!opened.ok) return opened;
    const plain = opened.value.plaintext;
    if (plain.byteLength !== description.size || sha512Hex(plain) !== description.sha512OfPlain) {
      return err('seal.hash_mismatch', `part ${description.partId} does not match its plain hash`);
    }
    const sha256 = sha256Hex(plain);
    if (description.sha256OfPlain !== undefined && description.sha256OfPlain !== sha256) {
      return err('seal.hash_mismatch', `part ${description.partId} does not match its SHA-256`);
    }
    if (description.kind === 'data') {
      if (sawData) return err('seal.malformed', 'more than one data part');
      sawData = true;
      try {
        data = JSON.parse(decoder.decode(plain));
      } catch {
        return err('seal.malformed', 'the data part is not JSON');
      }
    } else {
      attachments.push({
        partId: description.partId,
        mediaType: description.mediaType,
        content: plain,
        sha256,
        ...(description.checklistItem === undefined ? {} : { checklistItem: description.checklistItem }),
      });
    }
  }
  if (!sawData) return err('seal.malformed', 'the submission has no data part');
  return ok({ metadata, signerKid, authorityKid: outer.value.kid, data, attachments });
}

/**
 * The identity document an activation was checked against, as the terminal hands it to the
 * portal. The number is never sent in plain form nor as a plain hash: a SHA-256 of
 * "state:number" could be reversed by trying every number of a country's (short, structured)
 * number space. Instead the terminal seals state and number as a compact JWE to the authority's
 * current key (the same verified key set the applications are sealed to); only the portal, which
 * holds the private key, opens it, and it stores nothing but HMAC-SHA-256 of the normalised pair
 * under a key it keeps outside its database (portal/document-ref.ts). A stolen terminal database
 * holds nothing (the activation lives in memory); a stolen portal database holds keyed hashes
 * that cannot be enumerated without the HMAC key.
 */
export const DOCUMENT_REF_CTY = 'document-ref+json';

export const documentRefSchema = z.object({
  version: z.literal(1),
  /** ICAO 9303 issuing state, e.g. `D`, `TUR`. */
  issuingState: z.string().regex(/^[A-Z<]{1,3}$/),
  documentNumber: z.string().regex(/^[A-Z0-9<]{1,20}$/),
});
export type DocumentRef = z.infer<typeof documentRefSchema>;

/** Seals a document reference to the authority's key (see `DocumentRef`). */
export async function sealDocumentRef(
  ref: { readonly issuingState: string; readonly documentNumber: string },
  authority: AuthorityPublicKey,
): Promise<Result<string, SealErrorCode>> {
  const parsed = documentRefSchema.safeParse({
    version: 1,
    issuingState: ref.issuingState.toUpperCase(),
    documentNumber: ref.documentNumber.toUpperCase().replace(/\s+/g, ''),
  });
  if (!parsed.success) return err('seal.malformed', 'the document reference is malformed');
  try {
    return ok(await encryptTo(authority, encoder.encode(JSON.stringify(parsed.data)), DOCUMENT_REF_CTY));
  } catch (e) {
    return err('seal.failed', `sealing failed: ${messageOf(e)}`);
  }
}

/** Opens a sealed document reference (portal side). */
export async function openDocumentRef(
  jwe: string,
  authorityPrivateKeys: readonly AuthorityPrivateKey[],
): Promise<Result<DocumentRef, SealErrorCode>> {
  const keys = new Map(authorityPrivateKeys.map((k) => [k.kid, k.key] as const));
  const opened = await decryptWith(jwe, keys);
  if (!opened.ok) return opened;
  try {
    const parsed = documentRefSchema.safeParse(JSON.parse(decoder.decode(opened.value.plaintext)));
    return parsed.success ? ok(parsed.data) : err('seal.malformed', 'the document reference is malformed');
  } catch {
    return err('seal.malformed', 'the document reference is not JSON');
  }
}
