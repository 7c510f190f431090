import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(dirs: readonly string[]): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of dirs) visit(join(projectRoot, dir));
  return newest;
}

function isStale(output: string, sources: readonly string[]): boolean {
  const file = join(projectRoot, output);
  return !existsSync(file) || statSync(file).mtimeMs < newestSource(sources);
}

/**
 * Builds the renderer (and the Electron bundles when Electron will run) if the sources are newer
 * than the last build, so `npm start` always shows the current code without a separate step.
 */
export async function ensureBuilt(options: {
  electron: boolean;
  say: (line: string) => void;
}): Promise<void> {
  if (isStale('dist/renderer/index.html', ['renderer', 'api'])) {
    options.say('Building the touchscreen UI…');
    const { build } = await import('vite');
    await build({ configFile: join(projectRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  }
  if (options.electron && isStale('dist/electron/main.cjs', ['electron', 'core', 'api', 'device', 'sync'])) {
    options.say('Building the Electron main process…');
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'electron', 'build.ts')],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    if (result.status !== 0) throw new Error('building the Electron bundles failed');
  }
}
