/**
 * The core process as Electron runs it, minus Electron: the real bundle (built here, as
 * `npm run build:electron` builds it) in a child process, supervised by main's CoreSupervisor,
 * against the reference portal. A submission queued while the portal is down survives a SIGKILL
 * of the core and is delivered, once, by the restarted core.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../common/clock.ts';
import { createLogger } from '../../../core/log.ts';
import { buildElectron } from '../../../electron/build.ts';
import { type CoreChild, CoreSupervisor } from '../../../electron/core-supervisor.ts';
import { prepareDeviceKey } from '../../../electron/device-key-handover.ts';
import type { SafeStorageLike } from '../../../electron/keystore.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { DEVICE_KEY_FILE } from '../../../sync/keystore.ts';
import { enrolTerminal } from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';
import { pinnedKioskEnv } from '../../support/kiosk-terminal.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
const harness = join(import.meta.dirname, 'support', 'core-child.cjs');

/** Reversible stand-in for safeStorage (see keystore.test.ts). */
const safeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (text) => Buffer.from(Buffer.from(text).map((b) => b ^ 0x5a)),
  decryptString: (bytes) => Buffer.from(bytes.map((b) => b ^ 0x5a)).toString(),
};

let outDir: string;
let dataDir: string;
let portal: RunningPortal;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'kiosk-electron-bundle-'));
  dataDir = mkdtempSync(join(tmpdir(), 'kiosk-electron-data-'));
  await buildElectron(outDir);
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 7 });
}, 120_000);

afterAll(async () => {
  await portal?.close();
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('bundled core process under the supervisor', () => {
  it('the bundle resolves import.meta.url and finds the document texts beside it', () => {
    expect(readdirSync(join(outDir, 'locales')).sort()).toEqual(
      readdirSync(join(root, 'core', 'documents', 'locales')).sort(),
    );
  });

  it('restarts a killed core with its queue intact; the queued submission is delivered once', async () => {
    // What `kiosk enroll` leaves behind: enrolment.json and a plain device key.
    const enrolled = await enrolTerminal({
      dataDir,
      portalUrl: portal.url,
      code: portal.createEnrolmentCode(),
    });
    expect(enrolled.ok).toBe(true);
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    const handover = await prepareDeviceKey({ dataDir, safeStorage, platform: 'linux', log });
    expect(handover.status.encrypted).toBe(true);

    const children: ChildProcess[] = [];
    let stderr = '';
    let restarted = 0;
    let keyUsed = 0;
    const fatal: string[] = [];
    const supervisor = new CoreSupervisor({
      fork: (): CoreChild => {
        const child = fork(harness, [join(outDir, 'core-process.cjs')], {
          env: {
            PATH: process.env.PATH ?? '',
            NODE_PATH: join(root, 'node_modules'),
            ...pinnedKioskEnv(portal, dataDir),
            KIOSK_PRINTER_KIND: 'none',
            KIOSK_METRICS: '0',
          },
          serialization: 'advanced',
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        });
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        children.push(child);
        return {
          postMessage: (message) => {
            if (child.connected) child.send(message as never);
          },
          on: (_event, listener) => child.on('message', listener),
          once: (_event, listener) =>
            child.once('exit', (code, signal) => listener(code ?? (signal ? 137 : 0))),
          kill: () => child.kill('SIGKILL'),
        };
      },
      clock: systemClock,
      log,
      deviceKey: () => handover.message,
      onEvent: () => undefined,
      onRestarted: () => restarted++,
      onFatal: (message) => fatal.push(message),
      onDeviceKeyUsed: () => {
        keyUsed++;
        handover.completeMigration();
      },
    });

    const call = async (name: string, input: unknown = {}) => {
      const envelope = (await supervisor.call(name, input)) as {
        ok: boolean;
        value?: unknown;
        error?: unknown;
      };
      if (!envelope.ok) throw new Error(`${name}: ${JSON.stringify(envelope.error)}\n${stderr}`);
      return envelope.value as Record<string, unknown>;
    };

    supervisor.start();
    try {
      expect(await call('system.status')).toMatchObject({ enrolled: true });
      portal.setFaults({ down: true });

      await call('session.start', { language: 'uk' });
      await call('journey.start', { serviceId: 'callback-request' });
      await call('journey.step', { values: { topic: 'appointment', urgency: 'normal' } });
      await call('journey.step', {
        values: { lastName: 'Kovalenko', phone: '+49 341 9876543', callLanguage: 'uk', timeWindow: 'any' },
      });
      await call('journey.step', { values: {} });
      await call('journey.step', { values: { consentContact: true } });
      const receipt = await call('journey.submit');
      expect(receipt).toMatchObject({ kind: 'receipt' });
      expect(portal.submissions()).toEqual([]);
      const trackingNumber = receipt.trackingNumber as string;

      // A crash, not a shutdown: nothing gets to close the store.
      const first = children[0] as ChildProcess;
      const killed = new Promise((done) => first.once('exit', done));
      first.kill('SIGKILL');
      await killed;
      await vi.waitFor(() => expect(restarted).toBe(1), { timeout: 60_000, interval: 100 });
      expect(await call('system.status')).toMatchObject({ enrolled: true });
      expect(portal.submissions()).toEqual([]);

      portal.setFaults({ down: false });
      // the portal lists the submission once it is opened, before its parts are in: wait for delivered
      await vi.waitFor(
        () => expect(portal.submissions()[0]).toMatchObject({ trackingNumber, state: 'delivered' }),
        { timeout: 60_000, interval: 200 },
      );
      expect(portal.submissions()).toHaveLength(1);
      expect(children).toHaveLength(2);
      expect(fatal).toEqual([]);
      // The portal verified the device signature, so the core signed with the enrolled key. The
      // plain key file goes only once the core says it runs on the key main handed over.
      expect(existsSync(join(dataDir, DEVICE_KEY_FILE))).toBe(keyUsed === 0);
      expect(JSON.parse(lines.find((l) => l.includes('core.exited')) ?? '{}')).toMatchObject({ attempt: 1 });
      // Nothing the visitor typed in the logs of either side.
      expect(`${stderr}${lines.join('')}`).not.toMatch(/Kovalenko|9876543/);
    } finally {
      await supervisor.shutdown(10_000);
    }
    expect(children.every((c) => c.exitCode !== null || c.signalCode !== null)).toBe(true);
  }, 120_000);
});
