import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, compactVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyStore, loadOrCreateDeviceKey } from '../../../sync/keystore.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keystore-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FileKeyStore', () => {
  it('makes a device key once, stores it 0600, and loads the same key again', async () => {
    const store = new FileKeyStore(dir);
    const a = await loadOrCreateDeviceKey(store);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    const b = await loadOrCreateDeviceKey(new FileKeyStore(dir));
    expect(b.ok && b.value.thumbprint).toBe(a.value.thumbprint);
    expect(a.value.publicJwk).not.toHaveProperty('d');
    if (!b.ok) return;
    const jws = await new CompactSign(new TextEncoder().encode('x'))
      .setProtectedHeader({ alg: 'ES256' })
      .sign(b.value.privateJwk);
    await expect(compactVerify(jws, a.value.publicJwk)).resolves.toBeDefined();
  });

  it('reports a malformed key file instead of replacing it', async () => {
    const store = new FileKeyStore(dir);
    writeFileSync(store.path, '{"kty":"RSA"}');
    expect(await loadOrCreateDeviceKey(store)).toMatchObject({
      ok: false,
      error: { code: 'keystore.malformed' },
    });
    writeFileSync(store.path, 'not json');
    expect(store.load()).toMatchObject({ ok: false, error: { code: 'keystore.malformed' } });
  });
});
