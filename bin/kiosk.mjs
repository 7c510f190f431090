#!/usr/bin/env node
// The `kiosk` command for administrators and scripts, run from the TypeScript sources through
// tsx. An installed terminal has the same command as one executable (`npm run build:cli`).
import { register } from 'tsx/esm/api';

register();
const { runKiosk } = await import('../cli/run.ts');
await runKiosk();
