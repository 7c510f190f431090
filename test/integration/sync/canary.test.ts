/**
 * Canary scan: unique strings planted in every field a visitor could type or a reader could read
 * must not appear in the database file, its WAL/SHM, or anything written to the temp folder.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpoint } from '../../../sync/store.ts';
import { type Harness, makeHarness } from '../../unit/sync/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(() => h.dispose());

function canary(field: string): string {
  return `CANARY${field}${randomBytes(8).toString('hex')}`;
}

/** Every regular file under `dir` changed since `since` (ms), skipping unreadable ones. */
function filesChangedSince(dir: string, since: number, depth = 3): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.isDirectory() && depth > 0) out.push(...filesChangedSince(path, since, depth - 1));
      else if (st.isFile() && st.mtimeMs >= since && st.size < 64 * 1024 * 1024) out.push(path);
    } catch {
      // vanished or unreadable: not ours
    }
  }
  return out;
}

function encodings(s: string): Buffer[] {
  return [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le'), Buffer.from(s, 'latin1')];
}

function scan(paths: readonly string[], canaries: readonly string[]): string[] {
  const hits: string[] = [];
  for (const path of paths) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue;
    }
    for (const c of canaries)
      for (const enc of encodings(c)) if (bytes.includes(enc)) hits.push(`${c} in ${path}`);
  }
  return hits;
}

describe('canary scan', () => {
  it('finds no planted string in the database, WAL, SHM or temp folder after enqueue and checkpoint', async () => {
    const started = Date.now() - 1000;
    const c = {
      family: canary('family'),
      given: canary('given'),
      birth: canary('birth'),
      docNumber: canary('doc'),
      mrz: canary('mrz'),
      address: canary('address'),
      phone: canary('phone'),
      free: canary('free'),
      service: canary('service'),
      pdf: canary('pdf'),
      photo: canary('photo'),
    };
    const all = Object.values(c);
    for (let i = 0; i < 3; i++) {
      const r = await h.outbox.enqueue({
        serviceId: c.service,
        data: {
          applicant: {
            familyName: c.family,
            givenNames: c.given,
            birthDate: c.birth,
            address: c.address,
            phone: c.phone,
          },
          document: { number: c.docNumber, mrz: [c.mrz, c.mrz] },
          answers: { remarks: c.free, [c.free]: true },
        },
        attachments: [
          {
            partId: 'summary',
            mediaType: 'application/pdf',
            content: Buffer.from(`%PDF-1.7 ${c.pdf} ${c.family}`),
          },
          { partId: 'photo', mediaType: 'image/jpeg', content: Buffer.from(`JFIF${c.photo}`) },
        ],
      });
      expect(r.ok).toBe(true);
    }
    const dataFiles = readdirSync(h.dir).map((f) => join(h.dir, f));
    expect(dataFiles.some((f) => f.endsWith('-wal'))).toBe(true);
    // before the checkpoint: the WAL holds the pages
    expect(scan(dataFiles, all)).toEqual([]);
    checkpoint(h.store);
    h.store.close();
    const after = readdirSync(h.dir).map((f) => join(h.dir, f));
    expect(scan(after, all)).toEqual([]);
    expect(scan(filesChangedSince(tmpdir(), started), all)).toEqual([]);
    // the scan itself can find a planted string (it is not blind)
    h.reopen();
    h.store.db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?)').run('probe', c.family);
    checkpoint(h.store);
    expect(scan([h.dbPath], [c.family]).length).toBeGreaterThan(0);
  });
});
