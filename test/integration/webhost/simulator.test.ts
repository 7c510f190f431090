import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskEvent } from '../../../api/contract.ts';
import { loadConfig } from '../../../core/config.ts';
import { createKiosk, type Kiosk } from '../../../core/kiosk.ts';
import type { Terminal } from '../../../sync/terminal.ts';
import { startWebHost, type WebHost } from '../../../webhost/server.ts';
import { offlineEnrolment } from '../../support/offline-terminal.ts';

let kiosk: Kiosk;
let host: WebHost;
let rendererDir: string;
let terminal: Terminal;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'kiosk-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  const config = loadConfig({
    env: {
      KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-sim-')),
      KIOSK_PORTAL_URL: 'http://127.0.0.1:1',
      KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
      KIOSK_SIMULATE_READERS: '1',
    },
  });
  terminal = await (await offlineEnrolment(config.dataDir, 'http://127.0.0.1:1')).open();
  kiosk = createKiosk(config, { terminal });
  await kiosk.started;
  host = await startWebHost({ kiosk, rendererDir, simulatorRoutes: true });
});

afterAll(async () => {
  await host.close();
  await kiosk.close();
  await terminal.close();
});

const post = (path: string, body: unknown, token = host.token) =>
  fetch(`${host.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

describe('simulated reader control', () => {
  it('feeds a document through the reader simulation to the expecting step', async () => {
    const reads: KioskEvent[] = [];
    kiosk.events.subscribe((event) => {
      if (event.name === 'device.read') reads.push(event);
    });
    await kiosk.router.dispatch('session.start', { language: 'en' });
    await kiosk.router.dispatch('reader.expect', { kinds: ['mrz', 'barcode'] });
    const response = await post('/simulator/document', {
      lines: [
        'I<UTOD231458907<<<<<<<<<<<<<<<',
        '7408122F1204159UTO<<<<<<<<<<<6',
        'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
      ],
    });
    expect(response.status).toBe(200);
    expect((await post('/simulator/barcode', { text: 'hello', symbology: 'qr' })).status).toBe(200);
    await expect.poll(() => reads.length, { timeout: 5_000 }).toBe(2);
    expect(reads[0]).toMatchObject({
      payload: { kind: 'mrz', document: { format: 'TD1', lastName: 'ERIKSSON' } },
    });
    expect(reads[1]).toMatchObject({ payload: { kind: 'barcode', text: 'hello', symbology: 'qr' } });
  });

  it('refuses without the launch token and rejects malformed bodies', async () => {
    expect((await post('/simulator/barcode', { text: 'x' }, 'wrong')).status).toBe(403);
    expect((await post('/simulator/document', { lines: [] })).status).toBe(400);
    expect((await post('/simulator/barcode', { text: 'x', symbology: 'nonsense' })).status).toBe(409);
  });
});

describe('simulator routes without the development flag', () => {
  it('are not there, although the readers are simulated', async () => {
    expect(kiosk.simulator).not.toBeNull();
    const plain = await startWebHost({ kiosk, rendererDir });
    try {
      for (const path of ['/simulator/document', '/simulator/barcode']) {
        const response = await fetch(`${plain.origin}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${plain.token}` },
          body: JSON.stringify({ text: 'hello', lines: ['x'] }),
        });
        expect(response.status).toBe(404);
      }
    } finally {
      await plain.close();
    }
  });
});
