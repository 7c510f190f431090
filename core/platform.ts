import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the kiosk looks for a Chromium when it runs without Electron, in order. */
export function chromiumCandidates(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string[] {
  const fromEnv = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : [];
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean) as string[];
    return [
      ...fromEnv,
      ...roots.flatMap((root) => [
        join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        join(root, 'Chromium', 'Application', 'chrome.exe'),
        join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      ]),
    ];
  }
  return [
    ...fromEnv,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ];
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  return chromiumCandidates(env).find((path) => existsSync(path)) ?? null;
}

/**
 * The Electron binary, if the `electron` package's download of it succeeded (build hosts without
 * internet install the package but cannot fetch the binary). Read from the package's `path.txt`
 * so that nothing outside electron/ loads the electron module.
 */
export function findElectron(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(
      env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
    return existsSync(binary) ? binary : null;
  }
  try {
    const packageJson = createRequire(import.meta.url).resolve('electron/package.json');
    const pathFile = join(dirname(packageJson), 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dirname(packageJson), 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Flags for a Chromium that shows only the kiosk: no first-run, no sync, nothing in the background. */
export function chromiumKioskArgs(
  url: string,
  profileDir: string,
  options: { headless?: boolean } = {},
): string[] {
  return [
    `--user-data-dir=${profileDir}`,
    `--app=${url}`,
    ...(options.headless ? ['--headless=new'] : ['--kiosk', '--start-fullscreen']),
    '--incognito',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-translate',
    '--disable-features=Translate,PasswordManagerOnboarding,AutofillServerCommunication',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--password-store=basic',
    // the voices of speech-dispatcher for reading status answers aloud (Linux only)
    '--enable-speech-dispatcher',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ];
}
