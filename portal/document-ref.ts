/**
 * The portal's side of an activation's document reference (why it is sealed and keyed: see
 * sync/sealing.ts `DocumentRef`). The HMAC key lives in its own file beside the database
 * (`document-ref.key`, 0600, made on first start), not in the database, so a copy of the
 * database alone cannot test candidate numbers; a production portal keeps it in its key store.
 * What is stored is `hmac-sha256:<key id>:<hex>`, the key id naming the key for a later rotation.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../common/result.ts';
import { type AuthorityPrivateKey, openDocumentRef } from '../sync/sealing.ts';

export const DOCUMENT_REF_KEY_FILE = 'document-ref.key';

export type DocumentRefResult = Result<string, 'document_ref.invalid'>;

export class DocumentReferences {
  readonly #key: Buffer;
  readonly keyId: string;

  constructor(
    dataDir: string,
    private readonly privateKeys: () => readonly AuthorityPrivateKey[],
  ) {
    this.#key = loadOrCreateKey(join(dataDir, DOCUMENT_REF_KEY_FILE));
    this.keyId = createHash('sha256').update(this.#key).digest('hex').slice(0, 8);
  }

  /** HMAC-SHA-256 of "state:number" under the portal's key, as stored. */
  keyed(issuingState: string, documentNumber: string): string {
    const mac = createHmac('sha256', this.#key).update(`${issuingState}:${documentNumber}`).digest('hex');
    return `hmac-sha256:${this.keyId}:${mac}`;
  }

  /** Opens a sealed reference and returns its keyed hash; the plain number is dropped here. */
  async fromSealed(jwe: string): Promise<DocumentRefResult> {
    const opened = await openDocumentRef(jwe, this.privateKeys());
    if (!opened.ok) {
      return {
        ok: false,
        error: { code: 'document_ref.invalid', message: 'The document reference cannot be opened.' },
      };
    }
    return { ok: true, value: this.keyed(opened.value.issuingState, opened.value.documentNumber) };
  }
}

/** A random 32-byte key in its own file (0600) beside the database, made on first use. */
export function loadOrCreateKey(path: string): Buffer {
  try {
    const hex = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
    throw new Error(`${DOCUMENT_REF_KEY_FILE} is malformed`);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}
