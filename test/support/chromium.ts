import { type Browser, chromium } from 'playwright-core';
import { chromiumCandidates, findChromium } from '../../core/platform.ts';

/** Flags for Chromium on a build machine without network, GPU or user namespaces. */
export const testChromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Launches the system Chromium (CHROMIUM_PATH or the usual paths) through playwright-core, with
 * `extraArgs` after the usual flags (a fake camera, say).
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(
      `No Chromium found for the end-to-end tests. Install Debian's "chromium" package or set CHROMIUM_PATH. Looked at: ${chromiumCandidates().join(', ')}`,
    );
  }
  return chromium.launch({ executablePath, headless: true, args: [...testChromiumArgs, ...extraArgs] });
}
