/**
 * `npm run bench`: runs every suite in bench/suites one after the other, each in its own Node
 * process (so one suite's heap and native handles do not colour another's figures), and prints
 * what each reports. `npm run bench -- mrz receipt` runs only the suites whose names are given.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const suites = readdirSync(join(here, 'suites'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

let failed = 0;
for (const name of suites) {
  process.stdout.write(`\n== bench: ${name}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'suites', `${name}.ts`)], {
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`bench ${name} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
