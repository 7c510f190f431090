import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../core/config.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'kiosk-config-'));

describe('loadConfig', () => {
  it('fills in defaults', () => {
    const dataDir = tempDir();
    const config = loadConfig({ env: { KIOSK_DATA_DIR: dataDir } });
    expect(config.dataDir).toBe(dataDir);
    expect(config.portal.url).toBeNull();
    expect(config.session).toEqual({ idleTimeoutSeconds: 120, idleWarningSeconds: 30 });
    expect(config.languages).toEqual({
      enabled: ['de', 'de-x-ls', 'en', 'tr', 'uk', 'ru', 'ar', 'fa', 'fr'],
      default: 'de',
    });
  });

  it('layers defaults, then the config file, then the environment', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        portal: { url: 'https://portal.example/', timeoutMs: 900 },
        session: { idleTimeoutSeconds: 60 },
      }),
    );
    const config = loadConfig({
      env: {
        KIOSK_DATA_DIR: dataDir,
        KIOSK_PORTAL_URL: 'http://127.0.0.1:9999',
        KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1',
        KIOSK_IDLE_WARNING_SECONDS: '10',
      },
    });
    expect(config.portal).toEqual({
      url: 'http://127.0.0.1:9999',
      signingKeyThumbprint: null,
      allowLoopbackHttp: true,
      timeoutMs: 900,
    });
    expect(config.session).toEqual({ idleTimeoutSeconds: 60, idleWarningSeconds: 10 });
  });

  it('says where the document reader sits: below the screen on the right unless the site says otherwise', () => {
    expect(loadConfig({ env: { KIOSK_DATA_DIR: tempDir() } }).readers.placement).toBe('below-right');
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ readers: { placement: 'left' } }));
    expect(loadConfig({ env: { KIOSK_DATA_DIR: dataDir } }).readers.placement).toBe('left');
    const env = { KIOSK_DATA_DIR: dataDir, KIOSK_READER_PLACEMENT: 'below-centre' };
    expect(loadConfig({ env }).readers.placement).toBe('below-centre');
    expect(() => loadConfig({ env: { ...env, KIOSK_READER_PLACEMENT: 'under the counter' } })).toThrow(
      /readers\.placement: .*\(from environment variable KIOSK_READER_PLACEMENT\)/,
    );
  });

  it('names the key and the environment variable of a wrong value', () => {
    const run = () => loadConfig({ env: { KIOSK_DATA_DIR: tempDir(), KIOSK_IDLE_TIMEOUT_SECONDS: 'soon' } });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      /session\.idleTimeoutSeconds: .*\(from environment variable KIOSK_IDLE_TIMEOUT_SECONDS\)/,
    );
  });

  it('names the key and the file of a wrong value in the config file', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'kiosk.json');
    writeFileSync(file, JSON.stringify({ portal: { url: 'ftp://portal' } }));
    expect(() => loadConfig({ env: { KIOSK_DATA_DIR: dataDir, KIOSK_CONFIG: file } })).toThrow(
      new RegExp(`portal\\.url: .*\\(from config file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`),
    );
  });

  it('refuses unknown keys, so a typo is not silently ignored', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ sesion: { idleTimeoutSeconds: 30 } }));
    expect(() => loadConfig({ env: { KIOSK_DATA_DIR: dataDir } })).toThrow(/Unrecognized key.*"sesion"/);
  });

  it('checks values against each other', () => {
    const env = {
      KIOSK_DATA_DIR: tempDir(),
      KIOSK_IDLE_TIMEOUT_SECONDS: '20',
      KIOSK_IDLE_WARNING_SECONDS: '30',
    };
    expect(() => loadConfig({ env })).toThrow(
      /session\.idleWarningSeconds: idleWarningSeconds must be shorter/,
    );
    expect(() =>
      loadConfig({
        env: { KIOSK_DATA_DIR: tempDir(), KIOSK_LANGUAGES: 'de,en', KIOSK_DEFAULT_LANGUAGE: 'ar' },
      }),
    ).toThrow(/languages\.default: the default language must be one of the enabled languages/);
  });

  it('says so when the config file is not JSON or cannot be read', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'config.json'), '{ portal: ');
    expect(() => loadConfig({ env: { KIOSK_DATA_DIR: dataDir } })).toThrow(/is not valid JSON/);
    expect(() =>
      loadConfig({ env: { KIOSK_DATA_DIR: dataDir, KIOSK_CONFIG: join(dataDir, 'missing.json') } }),
    ).toThrow(/Cannot read the config file .*ENOENT/);
  });

  it('parses lists and booleans from the environment', () => {
    const config = loadConfig({
      env: { KIOSK_DATA_DIR: tempDir(), KIOSK_LANGUAGES: 'de, en ,ar', KIOSK_SIMULATE_READERS: 'yes' },
    });
    expect(config.languages.enabled).toEqual(['de', 'en', 'ar']);
    expect(config.readers.simulate).toBe(true);
  });

  it("validates administrators' reader profiles and names the broken one", () => {
    const dataDir = tempDir();
    writeFileSync(
      join(dataDir, 'config.json'),
      JSON.stringify({
        readers: {
          profiles: [{ id: 'desk', name: 'Desk', match: { vendorId: 'x' }, driver: 'keyboard', mode: 'mrz' }],
        },
      }),
    );
    expect(() => loadConfig({ env: { KIOSK_DATA_DIR: dataDir } })).toThrow(
      /readers\.profiles: \[0\]\.match\.vendorId/,
    );
    expect(() =>
      loadConfig({ env: { KIOSK_DATA_DIR: tempDir() }, overrides: { readers: { layout: 'fr-FR' } } }),
    ).toThrow(/readers\.layout/);
  });
});

describe('portal URL and key pin', () => {
  const thumbprint = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
  const load = (env: Record<string, string>) => loadConfig({ env: { KIOSK_DATA_DIR: tempDir(), ...env } });

  it('takes an https portal and the signing key thumbprint from the environment', () => {
    const config = load({
      KIOSK_PORTAL_URL: 'https://portal.stadt.example/',
      KIOSK_PORTAL_KEY_THUMBPRINT: thumbprint,
    });
    expect(config.portal).toMatchObject({
      url: 'https://portal.stadt.example/',
      signingKeyThumbprint: thumbprint,
      allowLoopbackHttp: false,
    });
  });

  it('refuses an http portal URL, naming the key and where it came from', () => {
    const run = () => load({ KIOSK_PORTAL_URL: 'http://portal.stadt.example/' });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(
      /portal\.url: must be an https: URL \(http: is refused for a portal\) \(from environment variable KIOSK_PORTAL_URL\)/,
    );
    // the development flag does not open http to anything but loopback
    expect(() =>
      load({ KIOSK_PORTAL_URL: 'http://192.168.1.5:8080/', KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1' }),
    ).toThrow(/portal\.url: must be an https: URL/);
  });

  it('refuses http to loopback unless portal.allowLoopbackHttp is set', () => {
    for (const url of [
      'http://127.0.0.1:9999/',
      'http://localhost:8080/',
      'http://[::1]:8080/',
      'http://127.5.6.7/',
    ]) {
      expect(() => load({ KIOSK_PORTAL_URL: url }), url).toThrow(/portal\.url: .*portal\.allowLoopbackHttp/);
      expect(load({ KIOSK_PORTAL_URL: url, KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: '1' }).portal.url).toBe(url);
    }
  });

  it('refuses http in the config file too, naming the file', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'config.json');
    writeFileSync(file, JSON.stringify({ portal: { url: 'http://portal.stadt.example/' } }));
    expect(() => loadConfig({ env: { KIOSK_DATA_DIR: dataDir } })).toThrow(
      /portal\.url: .*\(from config file /,
    );
  });

  it('refuses a thumbprint that is not one', () => {
    expect(() => load({ KIOSK_PORTAL_KEY_THUMBPRINT: 'abc' })).toThrow(
      /portal\.signingKeyThumbprint: must be an RFC 7638 SHA-256 thumbprint .*KIOSK_PORTAL_KEY_THUMBPRINT/,
    );
  });
});
