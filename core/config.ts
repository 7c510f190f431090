import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { serviceIdSchema } from '../api/contract.ts';
import { keyboardLayoutIds } from '../common/keyboard-layouts.ts';
import { readerPlacements } from '../common/reader-placement.ts';
import { visitorLanguages } from '../common/vocabulary.ts';
import { type DeviceProfile, validateProfiles } from '../device/profiles.ts';
import { authorityConfigSchema } from './authority.ts';
import { captureConfigSchema } from './capture-config.ts';
import { metricsConfigSchema } from './metrics/config.ts';
import { staffConfigSchema } from './staff/records.ts';

/**
 * The terminal's configuration: defaults, then a JSON config file, then the environment.
 * A wrong value stops start-up with a message that names the key, where it came from and what
 * is wrong with it.
 */

const languageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag like "de" or "en"');

export const configSchema = z
  .object({
    dataDir: z.string().min(1),
    terminal: z
      .object({
        id: z.string().min(1).nullable().default(null),
        location: z.string().min(1).default('Ausländerbehörde – Servicebereich'),
      })
      .strict()
      .default({ id: null, location: 'Ausländerbehörde – Servicebereich' }),
    portal: z
      .object({
        /**
         * The portal's origin, set at installation (never from the screen). null: the launcher
         * starts the built-in reference portal and fills this in. `https:` only; see below.
         */
        url: z
          .url({ protocol: /^https?$/ })
          .nullable()
          .default(null),
        /**
         * RFC 7638 thumbprint (SHA-256, base64url) of the portal's signing key, set at
         * installation: an enrolment with a portal whose key has another thumbprint is refused.
         */
        signingKeyThumbprint: z
          .string()
          .regex(/^[A-Za-z0-9_-]{43}$/, 'must be an RFC 7638 SHA-256 thumbprint (43 base64url characters)')
          .nullable()
          .default(null),
        /**
         * `http:` for a portal on this machine's loopback address (development, tests, the demo).
         * The launcher sets it for its built-in portal; a packaged kiosk never does.
         */
        allowLoopbackHttp: z.boolean().default(false),
        timeoutMs: z.number().int().min(100).max(120_000).default(5_000),
      })
      .strict()
      .superRefine((portal, ctx) => {
        const problem = portal.url === null ? null : portalUrlProblem(portal.url, portal.allowLoopbackHttp);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['url'] });
      })
      .default({ url: null, signingKeyThumbprint: null, allowLoopbackHttp: false, timeoutMs: 5_000 }),
    session: z
      .object({
        idleTimeoutSeconds: z.number().int().min(5).max(3_600).default(120),
        idleWarningSeconds: z.number().int().min(0).max(600).default(30),
      })
      .strict()
      .refine((s) => s.idleWarningSeconds < s.idleTimeoutSeconds, {
        message: 'idleWarningSeconds must be shorter than idleTimeoutSeconds',
        path: ['idleWarningSeconds'],
      })
      .default({ idleTimeoutSeconds: 120, idleWarningSeconds: 30 }),
    languages: z
      .object({
        enabled: z
          .array(languageTag)
          .min(1)
          .default([...visitorLanguages]),
        default: languageTag.default('de'),
      })
      .strict()
      .refine((l) => l.enabled.includes(l.default), {
        message: 'the default language must be one of the enabled languages',
        path: ['default'],
      })
      .default({ enabled: [...visitorLanguages], default: 'de' }),
    services: z
      .object({ disabled: z.array(serviceIdSchema).default([]) })
      .strict()
      .default({ disabled: [] }),
    readers: z
      .object({
        /** Simulated readers instead of node-hid (npm start, end-to-end tests, demos). */
        simulate: z.boolean().default(false),
        /** Where the document reader sits, as a visitor sees it; the document steps show it. */
        placement: z.enum(readerPlacements).default('below-right'),
        /** The layout keyboard-mode readers type in, unless their profile says otherwise. */
        layout: z.enum(keyboardLayoutIds as unknown as [string, ...string[]]).default('de-DE'),
        /** Administrators' reader profiles; they take precedence over the built-in ones. */
        profiles: z
          .array(z.unknown())
          .default([])
          .transform((input, ctx): DeviceProfile[] => {
            const result = validateProfiles(input);
            if (result.ok) return result.value;
            ctx.addIssue({ code: 'custom', message: result.error.message });
            return z.NEVER;
          }),
        /**
         * A reader the operating system keeps as a keyboard (Windows): the UI recognises its
         * keystroke bursts. Off unless configured.
         */
        wedge: z
          .object({
            mode: z.enum(['mrz', 'barcode']),
            layout: z.enum(['en-US', 'de-DE']).default('de-DE'),
            maxKeyGapMs: z.number().int().min(5).max(200).default(30),
          })
          .strict()
          .nullable()
          .default(null),
      })
      .strict()
      .default({ simulate: false, placement: 'below-right', layout: 'de-DE', profiles: [], wedge: null }),
    printer: z
      .object({
        /** cups and windows print to the named queue; file writes PDFs into `dir` (development, demos). */
        kind: z.enum(['none', 'cups', 'windows', 'file']).default('none'),
        name: z.string().min(1).nullable().default(null),
        dir: z.string().min(1).nullable().default(null),
        paper: z.enum(['roll80', 'a4']).default('roll80'),
      })
      .strict()
      .refine((p) => (p.kind !== 'cups' && p.kind !== 'windows') || p.name !== null, {
        message: 'a cups or windows printer needs the name of its queue',
        path: ['name'],
      })
      .refine((p) => p.kind !== 'file' || p.dir !== null, {
        message: 'a file printer needs a folder',
        path: ['dir'],
      })
      .default({ kind: 'none', name: null, dir: null, paper: 'roll80' }),
    /** Documents handed in at the terminal: the scanner, if there is one, and the limits. */
    capture: captureConfigSchema,
    /** Prometheus text endpoint on 127.0.0.1 for the city's monitoring. */
    metrics: metricsConfigSchema.default({ enabled: false, port: 9464 }),
    /**
     * Counter staff and administrators who may sign in here. Normally they come with the
     * portal's signed configuration; a local file may add records (e.g. before enrolment).
     */
    staff: staffConfigSchema,
    /** Where `admin.exportLog` writes; the data folder's `exports` when null. */
    exportDir: z.string().min(1).nullable().default(null),
    /** The city's facts on screen and paper (service centre, portal, fees); demo: Nürnberg. */
    authority: authorityConfigSchema.default(authorityConfigSchema.parse({})),
    /** Visitors' service-account sign-in. */
    accounts: z
      .object({
        /**
         * `mtan`: a sign-in needs the one-time code the portal sends to the account's phone, and a
         * portal that signs in by password alone is refused; `none`: the password alone is taken
         * (recorded as such, assurance low).
         */
        secondFactor: z.enum(['mtan', 'none']).default('mtan'),
      })
      .strict()
      .default({ secondFactor: 'mtan' }),
  })
  .strict();

export type KioskConfig = z.output<typeof configSchema>;

/** Whether a host name is this machine's loopback: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Why a portal URL may not be used, or null when it may: `https:` always; `http:` only to a
 * loopback address and only where `allowLoopbackHttp` is set (development, tests, the demo).
 */
export function portalUrlProblem(url: string, allowLoopbackHttp: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a URL';
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol !== 'http:') return 'must be an https: URL';
  if (!isLoopbackHost(parsed.hostname)) return 'must be an https: URL (http: is refused for a portal)';
  if (!allowLoopbackHttp)
    return 'must be an https: URL (http: to a loopback address only with portal.allowLoopbackHttp, in development)';
  return null;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Environment variables and the config key each one sets. */
const environment: Record<string, { path: string[]; parse: (raw: string) => unknown }> = {
  KIOSK_DATA_DIR: { path: ['dataDir'], parse: (raw) => raw },
  KIOSK_PORTAL_URL: { path: ['portal', 'url'], parse: (raw) => raw },
  KIOSK_PORTAL_KEY_THUMBPRINT: { path: ['portal', 'signingKeyThumbprint'], parse: (raw) => raw },
  KIOSK_PORTAL_ALLOW_LOOPBACK_HTTP: { path: ['portal', 'allowLoopbackHttp'], parse: parseBoolean },
  KIOSK_TERMINAL_LOCATION: { path: ['terminal', 'location'], parse: (raw) => raw },
  KIOSK_IDLE_TIMEOUT_SECONDS: { path: ['session', 'idleTimeoutSeconds'], parse: parseNumber },
  KIOSK_IDLE_WARNING_SECONDS: { path: ['session', 'idleWarningSeconds'], parse: parseNumber },
  KIOSK_LANGUAGES: { path: ['languages', 'enabled'], parse: (raw) => raw.split(',').map((s) => s.trim()) },
  KIOSK_DEFAULT_LANGUAGE: { path: ['languages', 'default'], parse: (raw) => raw },
  KIOSK_SIMULATE_READERS: { path: ['readers', 'simulate'], parse: parseBoolean },
  KIOSK_READER_PLACEMENT: { path: ['readers', 'placement'], parse: (raw) => raw },
  KIOSK_PRINTER: { path: ['printer', 'name'], parse: (raw) => raw },
  KIOSK_PRINTER_KIND: { path: ['printer', 'kind'], parse: (raw) => raw },
  KIOSK_PRINTER_DIR: { path: ['printer', 'dir'], parse: (raw) => raw },
  KIOSK_CAMERA: { path: ['capture', 'camera'], parse: parseBoolean },
  KIOSK_SCANNER: { path: ['capture', 'scanner'], parse: (raw) => raw },
  KIOSK_METRICS: { path: ['metrics', 'enabled'], parse: parseBoolean },
  KIOSK_METRICS_PORT: { path: ['metrics', 'port'], parse: parseNumber },
};

function parseNumber(raw: string): unknown {
  return /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
}

function parseBoolean(raw: string): unknown {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  return raw;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env.PROGRAMDATA) return join(env.PROGRAMDATA, 'Serviceterminal');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'serviceterminal');
}

export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  /** A config file; defaults to KIOSK_CONFIG, then `<dataDir>/config.json` when it exists. */
  file?: string;
  /** Values that win over everything, e.g. from command-line flags. */
  overrides?: Record<string, unknown>;
}

/**
 * The configuration file the layers include: the one named (`file`, KIOSK_CONFIG), which must
 * exist, else `<dataDir>/config.json` when there is one; null when there is none.
 */
export function configFileOf(sources: ConfigSources = {}): string | null {
  const env = sources.env ?? process.env;
  const named = sources.file ?? env.KIOSK_CONFIG;
  if (named !== undefined) return named;
  const dataDir = env.KIOSK_DATA_DIR ? env.KIOSK_DATA_DIR : defaultDataDir(env);
  const inDataDir = join(dataDir, 'config.json');
  return existsSync(inDataDir) ? inDataDir : null;
}

/** Builds the configuration from its layers; throws ConfigError naming the key on any problem. */
export function loadConfig(sources: ConfigSources = {}): KioskConfig {
  const env = sources.env ?? process.env;
  const origin = new Map<string, string>();
  const merged: Record<string, unknown> = {};

  const envLayer: Record<string, unknown> = {};
  for (const [variable, { path, parse }] of Object.entries(environment)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    setPath(envLayer, path, parse(raw));
    origin.set(path.join('.'), `environment variable ${variable}`);
  }

  const dataDirHint = (envLayer.dataDir as string | undefined) ?? defaultDataDir(env);
  const file = configFileOf(sources);
  if (file !== null) {
    const fileLayer = readConfigFile(file);
    deepMerge(merged, fileLayer);
    for (const key of leafPaths(fileLayer)) if (!origin.has(key)) origin.set(key, `config file ${file}`);
  }
  deepMerge(merged, envLayer);
  if (sources.overrides) deepMerge(merged, sources.overrides);
  if (merged.dataDir === undefined) merged.dataDir = dataDirHint;

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      const from = origin.get(key) ?? findOrigin(origin, key);
      return `  ${key}: ${issue.message}${from ? ` (from ${from})` : ''}`;
    });
    throw new ConfigError(`Invalid kiosk configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.dataDir) };
}

/**
 * What the environment set wins over the portal's configuration too: an administrator who starts
 * this terminal with KIOSK_IDLE_TIMEOUT_SECONDS=300 means it for this terminal. Returns `effective`
 * with every key an environment variable set taken back from `local`.
 */
export function keepEnvironment(
  effective: KioskConfig,
  local: KioskConfig,
  env: NodeJS.ProcessEnv = process.env,
): KioskConfig {
  const result = structuredClone(effective) as unknown as Record<string, unknown>;
  for (const [variable, { path }] of Object.entries(environment)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    let value: unknown = local;
    for (const key of path) value = (value as Record<string, unknown>)[key];
    setPath(result, path, value);
  }
  return result as unknown as KioskConfig;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Cannot read the config file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`The config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`The config file ${file} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

function findOrigin(origin: Map<string, string>, key: string): string | undefined {
  for (const [k, v] of origin) if (k.startsWith(`${key}.`) || key.startsWith(`${k}.`)) return v;
  return undefined;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const [index, key] of path.entries()) {
    if (index === path.length - 1) node[key] = value;
    else {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(value) && isPlainObject(existing)) deepMerge(existing, value);
    else target[key] = isPlainObject(value) ? structuredClone(value) : value;
  }
}

function leafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    isPlainObject(child) ? leafPaths(child, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}
