/** A reference portal on loopback and an enrolled terminal in a temp data folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PortalOptions, type RunningPortal, startPortal } from '../../../portal/server.ts';
import {
  type AssembledTerminal,
  enrolTerminal,
  openTerminal,
  type TerminalOptions,
} from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';

export interface Rig {
  readonly portal: RunningPortal;
  readonly dataDir: string;
  open(options?: Omit<TerminalOptions, 'dataDir'>): Promise<AssembledTerminal>;
  dispose(): Promise<void>;
}

export async function makeRig(portalOptions: PortalOptions = {}): Promise<Rig> {
  const portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 1, ...portalOptions });
  const dataDir = mkdtempSync(join(tmpdir(), 'terminal-'));
  const enrolled = await enrolTerminal({
    dataDir,
    portalUrl: portal.url,
    code: portal.createEnrolmentCode(),
  });
  if (!enrolled.ok) throw new Error(`enrolment: ${enrolled.error.code} ${enrolled.error.message}`);
  const terminals: AssembledTerminal[] = [];
  return {
    portal,
    dataDir,
    async open(options = {}) {
      const t = await openTerminal({ dataDir, ...options });
      if (!t.ok) throw new Error(`${t.error.code}: ${t.error.message}`);
      terminals.push(t.value);
      const keys = await t.value.refreshAuthorityKeys();
      if (!keys.ok && portal.faults().down === false && portal.faults().failRate === 0) {
        throw new Error(`authority keys: ${keys.error.code}`);
      }
      return t.value;
    },
    async dispose() {
      for (const t of terminals) await t.close();
      await portal.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function applicationWith(marker: string, birthDate = '1990-01-31') {
  return {
    // a service without a standard data set: the queue and delivery are what these tests are about
    serviceId: 'callback-request',
    data: { applicant: { familyName: `Family-${marker}`, birthDate }, answers: { purpose: marker } },
  };
}
