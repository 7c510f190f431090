/**
 * The portal's remote wipe as the kiosk carries it out (core/terminal-holder.ts remoteWipeHooks,
 * core/data-wipe.ts): recorded before it is acknowledged, carried out once the portal has the
 * acknowledgement, deleting sync's one list of files and the kiosk's folders, and finished at the
 * next start when the process died in between.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configSchema, type KioskConfig } from '../../../core/config.ts';
import { PENDING_WIPE_FILE, wipeTerminalData } from '../../../core/data-wipe.ts';
import { silentLogger } from '../../../core/log.ts';
import { openPinnedTerminal } from '../../../core/pinned-portal.ts';
import { remoteWipeHooks } from '../../../core/terminal-holder.ts';
import { signingKeyThumbprint } from '../../../sync/enrolment.ts';
import { TERMINAL_FILES } from '../../../sync/terminal.ts';
import { makeRig, type Rig } from '../sync/setup.ts';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

/** A terminal enrolled with the rig's portal, which has asked it for a remote wipe. */
async function wipeRequested(): Promise<{ rig: Rig; config: KioskConfig }> {
  rig = await makeRig();
  const config = {
    ...configSchema.parse({ dataDir: rig.dataDir }),
    portal: {
      url: rig.portal.url,
      signingKeyThumbprint: signingKeyThumbprint(rig.portal.signingKey),
      allowLoopbackHttp: true,
      timeoutMs: 5_000,
    },
  };
  const probe = await rig.open();
  rig.portal.requestWipe(probe.terminalId);
  await probe.close();
  return { rig, config };
}

describe('a remote wipe', () => {
  it('is carried out once the portal took the acknowledgement: the one list of files and the folders', async () => {
    const { rig, config } = await wipeRequested();
    mkdirSync(join(rig.dataDir, 'exports'));
    writeFileSync(join(rig.dataDir, 'exports', 'kiosk-log.jsonl'), '{}\n');
    const terminal = await openPinnedTerminal(config, silentLogger);
    if (!terminal) throw new Error('not opened');
    const wiped: string[][] = [];
    terminal.bind(
      remoteWipeHooks(rig.dataDir, silentLogger, async () => {
        wiped.push(await wipeTerminalData(config, terminal));
        return true;
      }),
    );
    terminal.start();
    expect(terminal.heartbeat.started).toBe(true);
    await vi.waitFor(() => expect(wiped).toEqual([[]]));
    for (const f of [...TERMINAL_FILES, 'exports', PENDING_WIPE_FILE])
      expect(existsSync(join(rig.dataDir, f)), f).toBe(false);
    expect(rig.portal.terminals()[0]?.revokedAt).not.toBeNull();
  });

  it('is recorded before it is acknowledged; a start after a death in between finishes it', async () => {
    const { rig, config } = await wipeRequested();
    const dataDir = rig.dataDir;
    // an export and a damaged copy of the queue are wiped too
    mkdirSync(join(dataDir, 'exports'));
    writeFileSync(join(dataDir, 'exports', 'kiosk-log.jsonl'), '{}\n');
    writeFileSync(join(dataDir, 'kiosk.db.damaged-2026-01-01T00-00-00-000Z'), 'x');
    let started: () => void = () => undefined;
    const wipeStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const terminal = await openPinnedTerminal(config, silentLogger);
    if (!terminal) throw new Error('not opened');
    // the process "dies" once the portal took the acknowledgement: the wipe never runs
    terminal.bind(
      remoteWipeHooks(dataDir, silentLogger, () => {
        started();
        return new Promise<boolean>(() => undefined);
      }),
    );
    terminal.start();
    await wipeStarted;
    expect(rig.portal.terminals()[0]?.revokedAt).not.toBeNull();
    expect(JSON.parse(readFileSync(join(dataDir, PENDING_WIPE_FILE), 'utf8'))).toMatchObject({
      commandId: expect.stringMatching(/^cmd-/),
    });
    await terminal.close();
    expect(existsSync(join(dataDir, 'enrolment.json'))).toBe(true);

    expect(await openPinnedTerminal(config, silentLogger)).toBeNull();
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('that cannot be recorded is not acknowledged; the portal offers it again', async () => {
    const { rig, config } = await wipeRequested();
    // the record cannot be written: a folder (not empty) stands where the file goes
    mkdirSync(join(rig.dataDir, PENDING_WIPE_FILE, 'blocker'), { recursive: true });
    const terminal = await openPinnedTerminal(config, silentLogger);
    if (!terminal) throw new Error('not opened');
    terminal.bind(
      remoteWipeHooks(rig.dataDir, silentLogger, () => {
        throw new Error('must not run');
      }),
    );
    terminal.start();
    await vi.waitFor(() => expect(terminal.heartbeat.lastResult?.ok).toBe(true));
    expect(terminal.heartbeat.lastResult?.commandsRun).toEqual([]);
    expect(rig.portal.terminals()[0]?.revokedAt ?? null).toBeNull();
    expect(readdirSync(rig.dataDir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    await terminal.close();
  });
});
