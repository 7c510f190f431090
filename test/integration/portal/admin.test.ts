/** The administrator's routes under /admin/v1 on a real portal on 127.0.0.1. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SITE_CONFIG } from '../../../portal/config.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { verifySiteConfig } from '../../../sync/site-config.ts';
import { enrolTerminal, openTerminal } from '../../../sync/terminal.ts';
import { pooledAuthorityKeys } from '../../support/authority-keys.ts';

const TOKEN = 'admin-token-for-tests-0123456789';
let portal: RunningPortal;
let dataDir: string;

beforeEach(async () => {
  portal = await startPortal({ authorityKeySource: pooledAuthorityKeys(), seed: 5, adminToken: TOKEN });
  dataDir = mkdtempSync(join(tmpdir(), 'admin-terminal-'));
});
afterEach(async () => {
  await portal.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function admin(method: string, path: string, body?: unknown, token = TOKEN): Promise<Response> {
  return fetch(`${portal.url}/admin/v1${path}`, {
    method,
    headers: {
      ...(token === '' ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function enrolled(): Promise<string> {
  const r = await enrolTerminal({ dataDir, portalUrl: portal.url, code: portal.createEnrolmentCode() });
  if (!r.ok) throw new Error(r.error.code);
  return r.value.terminalId;
}

describe('/admin/v1', () => {
  it('refuses every request without the admin token', async () => {
    for (const token of ['', 'wrong', `${TOKEN}x`, TOKEN.replace(/.$/, 'X')]) {
      const res = await admin('GET', '/terminals', undefined, token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'auth.invalid' } });
    }
    expect((await admin('POST', '/config/publish', undefined, 'wrong')).status).toBe(401);
    expect(portal.siteConfig().version).toBe(1);
    // a terminal token is not an admin token, and the terminals' routes take no admin token
    expect(
      (await fetch(`${portal.url}/v1/config`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(401);
  });

  it('lists the terminals and requests a wipe for one', async () => {
    const terminalId = await enrolled();
    const list = (await (await admin('GET', '/terminals')).json()) as {
      terminals: { terminalId: string; revokedAt: string | null; commands: unknown[] }[];
    };
    expect(list.terminals).toMatchObject([{ terminalId, revokedAt: null, commands: [] }]);
    expect((await admin('POST', '/terminals/T-unknown/wipe')).status).toBe(404);
    expect((await admin('POST', '/terminals/bad%20id/wipe')).status).toBe(400);
    const res = await admin('POST', `/terminals/${terminalId}/wipe`);
    expect(res.status).toBe(202);
    const { commandId } = (await res.json()) as { commandId: string };
    expect(portal.terminals()[0]?.commands).toMatchObject([{ id: commandId, type: 'wipe', ackedAt: null }]);
    // the terminal finds it in its next heartbeat answer
    const t = await openTerminal({ dataDir });
    if (!t.ok) throw new Error(t.error.code);
    try {
      const answer = await t.value.client.heartbeat({
        time: new Date().toISOString(),
        appVersion: '1.0.0',
        uptimeSeconds: 5,
        queue: { queued: 0, sending: 0, quarantined: 0, oldestAgeSeconds: null },
      });
      expect(answer.ok && answer.value.commands).toHaveLength(1);
    } finally {
      await t.value.close();
    }
  });

  it('replaces and publishes the site configuration; terminals get it signed', async () => {
    await enrolled();
    const current = (await (await admin('GET', '/config')).json()) as {
      version: number;
      site: typeof DEFAULT_SITE_CONFIG;
    };
    expect(current.version).toBe(1);
    expect(current.site.services.map((s) => s.id)).toEqual(DEFAULT_SITE_CONFIG.services.map((s) => s.id));
    const bad = await admin('PUT', '/config', { ...current.site, languages: [] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'request.invalid' } });
    expect(portal.siteConfig().version).toBe(1);
    const put = await admin('PUT', '/config', { ...current.site, languages: ['uk', 'de'] });
    expect(await put.json()).toEqual({ version: 2 });
    expect(await (await admin('POST', '/config/publish')).json()).toEqual({ version: 3 });
    const t = await openTerminal({ dataDir });
    if (!t.ok) throw new Error(t.error.code);
    try {
      const fetched = await t.value.client.config();
      if (!fetched.ok) throw new Error(fetched.error.code);
      const verified = await verifySiteConfig(fetched.value.config, {
        portalSigningKey: t.value.enrolment.portalSigningKey,
        terminalId: t.value.enrolment.terminalId,
        now: Date.now(),
      });
      expect(verified.ok && verified.value).toMatchObject({ version: 3, languages: ['uk', 'de'] });
    } finally {
      await t.value.close();
    }
  });
});
