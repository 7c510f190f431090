import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../common/clock.ts';
import { type RunningPortal, startPortal } from '../../../portal/server.ts';
import { ENROLMENT_FILE, type PortalPin, signingKeyThumbprint } from '../../../sync/enrolment.ts';
import { enrolTerminal, openTerminal, QUEUE_DB_FILE } from '../../../sync/terminal.ts';

/**
 * Enrolment pinned to the installation: the portal's origin and the thumbprint of its signing
 * key come from the installation; another origin, another key, or an enrolment record that
 * names either is refused. Two real reference portals: the installation's and a foreign one.
 */
let trusted: RunningPortal;
let foreign: RunningPortal;
let pin: PortalPin;
const dirs: string[] = [];

const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'terminal-pin-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  [trusted, foreign] = await Promise.all([
    startPortal({ authorityKeyBits: 2048, seed: 1 }),
    startPortal({ authorityKeyBits: 2048, seed: 2 }),
  ]);
  pin = { url: trusted.url, signingKeyThumbprint: signingKeyThumbprint(trusted.signingKey) };
});
afterAll(async () => {
  await Promise.all([trusted.close(), foreign.close()]);
});
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the portal pin', () => {
  it('is the RFC 7638 thumbprint of the portal signing key', async () => {
    expect(signingKeyThumbprint(trusted.signingKey)).toBe(await calculateJwkThumbprint(trusted.signingKey));
    expect(signingKeyThumbprint(trusted.signingKey)).not.toBe(signingKeyThumbprint(foreign.signingKey));
  });

  it('enrols with the pinned portal and opens the terminal it pinned', async () => {
    const dir = dataDir();
    const enrolled = await enrolTerminal({
      dataDir: dir,
      portalUrl: trusted.url,
      code: trusted.createEnrolmentCode(),
      pin,
    });
    expect(enrolled.ok).toBe(true);
    const opened = await openTerminal({ dataDir: dir, pin });
    if (!opened.ok) throw new Error(opened.error.code);
    expect(opened.value.enrolment.portalUrl).toBe(trusted.url);
    await opened.value.close();
  });

  it('refuses another origin before anything is sent to it', async () => {
    const dir = dataDir();
    const code = foreign.createEnrolmentCode();
    const enrolled = await enrolTerminal({ dataDir: dir, portalUrl: foreign.url, code, pin });
    expect(enrolled).toMatchObject({ ok: false, error: { code: 'enrolment.foreign_origin' } });
    expect(foreign.terminals()).toEqual([]);
    expect(existsSync(join(dir, ENROLMENT_FILE))).toBe(false);
    // the same origin with another scheme is another origin too
    const https = await enrolTerminal({
      dataDir: dir,
      portalUrl: trusted.url.replace('http:', 'https:'),
      code: trusted.createEnrolmentCode(),
      pin,
    });
    expect(https).toMatchObject({ ok: false, error: { code: 'enrolment.foreign_origin' } });
  });

  it('refuses a portal whose signing key does not match the pin, and keeps nothing of it', async () => {
    const dir = dataDir();
    // the installation pinned the trusted key, but this origin answers with the foreign portal's key
    const foreignPin = { url: foreign.url, signingKeyThumbprint: pin.signingKeyThumbprint };
    const enrolled = await enrolTerminal({
      dataDir: dir,
      portalUrl: foreign.url,
      code: foreign.createEnrolmentCode(),
      pin: foreignPin,
    });
    expect(enrolled).toMatchObject({ ok: false, error: { code: 'enrolment.foreign_key' } });
    expect(existsSync(join(dir, ENROLMENT_FILE))).toBe(false);
    expect(existsSync(join(dir, QUEUE_DB_FILE))).toBe(false);
    expect((await openTerminal({ dataDir: dir, pin: foreignPin })).ok).toBe(false);
  });

  it('refuses at start an enrolment record that names another origin or another key', async () => {
    const dir = dataDir();
    const enrolled = await enrolTerminal({
      dataDir: dir,
      portalUrl: trusted.url,
      code: trusted.createEnrolmentCode(),
      pin,
    });
    expect(enrolled.ok).toBe(true);
    const file = join(dir, ENROLMENT_FILE);
    const record = JSON.parse(readFileSync(file, 'utf8'));

    writeFileSync(file, JSON.stringify({ ...record, portalUrl: foreign.url }));
    expect(await openTerminal({ dataDir: dir, pin })).toMatchObject({
      ok: false,
      error: { code: 'enrolment.foreign_origin' },
    });

    writeFileSync(file, JSON.stringify({ ...record, portalSigningKey: foreign.signingKey }));
    expect(await openTerminal({ dataDir: dir, pin })).toMatchObject({
      ok: false,
      error: { code: 'enrolment.foreign_key' },
    });

    // the installation moved to another portal: the old record no longer counts
    const moved = { url: foreign.url, signingKeyThumbprint: signingKeyThumbprint(foreign.signingKey) };
    writeFileSync(file, JSON.stringify(record));
    expect(await openTerminal({ dataDir: dir, pin: moved })).toMatchObject({
      ok: false,
      error: { code: 'enrolment.foreign_origin' },
    });
  });

  it('enrols a terminal whose clock is 10 minutes slow, judging the portal by its own time', async () => {
    const dir = dataDir();
    // the enrolment's configuration is dated by the portal; by this clock it lies 10 minutes ahead
    const slow = { ...systemClock, now: () => Date.now() - 10 * 60_000 };
    const enrolled = await enrolTerminal({
      dataDir: dir,
      portalUrl: trusted.url,
      code: trusted.createEnrolmentCode(),
      pin,
      clock: slow,
    });
    expect(enrolled).toMatchObject({ ok: true });
    const opened = await openTerminal({ dataDir: dir, pin, clock: slow });
    if (!opened.ok) throw new Error(opened.error.code);
    expect(opened.value.siteConfig()).toBeDefined();
    await opened.value.close();
  });

  it('still refuses a configuration dated ahead of the portal itself', async () => {
    const dir = dataDir();
    // a portal whose Date says it is an hour behind the configuration it signed
    const lagging: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      const headers = new Headers(answer.headers);
      headers.set('date', new Date(Date.now() - 60 * 60_000).toUTCString());
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers });
    };
    const enrolled = await enrolTerminal({
      dataDir: dir,
      portalUrl: trusted.url,
      code: trusted.createEnrolmentCode(),
      pin,
      fetch: lagging,
    });
    expect(enrolled.ok).toBe(false);
    expect(existsSync(join(dir, ENROLMENT_FILE))).toBe(false);
  });
});
