/**
 * `kiosk sync`: delivers the queue to the portal from the command line — one pass, or until the
 * queue is empty (or the command is stopped). Optionally enrols the terminal first.
 */
import { ConfigError, type KioskConfig, loadConfig } from '../../core/config.ts';
import { enrolWithPinnedPortal, portalPin } from '../../core/pinned-portal.ts';
import { isPinnedOrigin } from '../../sync/enrolment.ts';
import { openTerminal } from '../../sync/terminal.ts';
import { type CliCommand, writeLine } from '../command.ts';
import { dataDirFrom, formatAge } from './queue.ts';

const usage = `Usage: kiosk sync (--once | --until-empty) [--data DIR] [--portal URL] [--enrol CODE]

Delivers queued applications to the portal.

  --once          one pass: every item that is due is tried once
  --until-empty   keep delivering (with backoff) until nothing waits; Ctrl+C stops
  --data DIR      the kiosk's data folder (default: $KIOSK_DATA_DIR)
  --portal URL    the portal's base URL (default: the one the terminal was enrolled with); where
                  the installation pins its portal, only that origin; an enrolment for another
                  portal or key is refused (enrolment.foreign_origin, enrolment.foreign_key)
  --enrol CODE    first enrol this terminal using a one-time code, as \`kiosk enroll\` does: only
                  with the portal the installation pins (portal.url, portal.signingKeyThumbprint);
                  --portal, if given, must name the same origin

Exit code: 0 when nothing waits afterwards, 3 when items still wait, 1 on an error,
78 when the configuration names no portal to enrol with.`;

function optionValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const FLAGS = new Set(['--once', '--until-empty']);
const OPTIONS = new Set(['--data', '--portal', '--enrol']);

export const command: CliCommand = {
  name: 'sync',
  summary: 'Deliver the queue to the portal (--once or --until-empty)',
  usage,
  async run(args, io) {
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      if (OPTIONS.has(a)) i++;
      else if (!FLAGS.has(a)) {
        writeLine(io.stderr, `kiosk sync: unknown argument ${a}\n\n${usage}`);
        return 2;
      }
    }
    const once = args.includes('--once');
    const untilEmpty = args.includes('--until-empty');
    if (once === untilEmpty) {
      writeLine(io.stderr, `kiosk sync: give exactly one of --once and --until-empty\n\n${usage}`);
      return 2;
    }
    const dataDir = dataDirFrom(args, io);
    if (dataDir === undefined) {
      writeLine(io.stderr, 'kiosk sync: no data folder; pass --data DIR or set KIOSK_DATA_DIR');
      return 2;
    }
    const portalUrl = optionValue(args, '--portal');
    const code = optionValue(args, '--enrol');
    let config: KioskConfig;
    try {
      config = loadConfig({ env: { ...io.env, KIOSK_DATA_DIR: dataDir } });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeLine(io.stderr, error.message);
      return 78;
    }
    // where the installation pins its portal, nothing is sent to another one
    const pin = portalPin(config);
    if (portalUrl !== undefined && pin !== null && !isPinnedOrigin(portalUrl, pin)) {
      writeLine(
        io.stderr,
        `kiosk sync: enrolment.foreign_origin: ${portalUrl} is not the portal of this installation (${pin.url})`,
      );
      return 1;
    }
    if (code !== undefined) {
      const enrolled = await enrolWithPinnedPortal(
        config,
        code,
        portalUrl === undefined ? {} : { requestedUrl: portalUrl },
      );
      if (!enrolled.ok) {
        writeLine(
          io.stderr,
          `kiosk sync: enrolment failed: ${enrolled.error.code}: ${enrolled.error.message}`,
        );
        return enrolled.error.code === 'enrolment.not_pinned' ? 78 : 1;
      }
      const { record, already } = enrolled.value;
      writeLine(io.stdout, `${already ? 'already enrolled' : 'enrolled'} as ${record.terminalId}`);
    }
    const opened = await openTerminal({
      dataDir,
      ...(portalUrl === undefined ? {} : { portalUrl }),
      ...(pin === null ? {} : { pin }),
    });
    if (!opened.ok) {
      writeLine(io.stderr, `kiosk sync: ${opened.error.code}: ${opened.error.message}`);
      return 1;
    }
    const t = opened.value;
    try {
      for (const a of t.startupAlarms) writeLine(io.stderr, `ALARM ${a.code}: ${a.message}`);
      const keys = await t.refreshAuthorityKeys();
      if (!keys.ok)
        writeLine(io.stderr, `authority keys not refreshed (${keys.error.code}); using the stored ones`);
      t.alarms.onAlarm((a) => writeLine(io.stderr, `ALARM ${a.code}: ${a.message}`));
      if (once) {
        const r = await t.engine.runPass();
        writeLine(
          io.stdout,
          `sync: attempted=${r.attempted} delivered=${r.delivered} retried=${r.retried} quarantined=${r.quarantined} ` +
            `status=${r.statusEvents} purged=${r.purged} waiting=${r.pending}${r.offline ? ' (offline)' : ''}` +
            `${r.busy ? ' (another process is sending: the kiosk delivers)' : ''}`,
        );
        return r.pending === 0 ? 0 : 3;
      }
      const done = new Promise<number>((resolve) => {
        let last = '';
        t.engine.onProgress((p) => {
          if (p.current !== undefined) return;
          const line = `waiting=${p.pending} bytes=${p.pendingBytes} oldest=${formatAge(p.oldestAgeMs)} quarantined=${p.quarantined}${p.state === 'offline' ? ' (offline)' : ''}`;
          if (line !== last) writeLine(io.stdout, line);
          last = line;
          if (p.pending === 0) resolve(0);
        });
        void io.stopped.then(() => resolve(3));
      });
      t.engine.start();
      const code = await done;
      await t.engine.idle();
      return code === 0 ? 0 : t.outbox.counts(Date.now()).pending === 0 ? 0 : 3;
    } finally {
      await t.close();
    }
  },
};
