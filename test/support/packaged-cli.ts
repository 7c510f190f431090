/**
 * The packaged `kiosk` command (scripts/build-cli.ts), built once per state of its sources: kept in
 * node_modules/.cache/kiosk-cli/<hash of every source it is built from>, so a test run after a
 * change builds it again and any other run reads it. Only the newest build is kept.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { type BuiltCli, buildCli, CLI_EXECUTABLE } from '../../scripts/build-cli.ts';
import { projectRoot } from './kiosk-process.ts';

const cacheRoot = join(projectRoot, 'node_modules', '.cache', 'kiosk-cli');

/** The folders and files the command is made of; the installed packages through the lock file. */
const SOURCES = ['cli', 'core', 'sync', 'device', 'common', 'api', 'scripts', 'package-lock.json'];

function* files(path: string): Generator<string> {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  const entries = readdirSync(path, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

/** A hash of every source file (path and content), of this Node and of the platform. */
export function cliSourceHash(): string {
  const hash = createHash('sha256').update(`${process.version} ${process.platform} ${process.arch}\n`);
  for (const source of SOURCES) {
    for (const file of files(join(projectRoot, source))) {
      hash.update(`${relative(projectRoot, file)}\n`);
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** The built command for the sources as they are now: from the cache, or built into it. */
export async function packagedCli(): Promise<BuiltCli> {
  const dir = join(cacheRoot, cliSourceHash());
  const done = join(dir, '.built');
  if (!existsSync(done)) {
    mkdirSync(cacheRoot, { recursive: true });
    const partial = `${dir}.${process.pid}.partial`;
    await buildCli(partial);
    writeFileSync(join(partial, '.built'), new Date().toISOString());
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
    for (const old of readdirSync(cacheRoot)) {
      if (join(cacheRoot, old) !== dir && !old.endsWith('.partial'))
        rmSync(join(cacheRoot, old), { recursive: true, force: true });
    }
  }
  return { dir, executable: join(dir, CLI_EXECUTABLE) };
}
