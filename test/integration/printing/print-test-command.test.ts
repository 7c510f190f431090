import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../../cli/commands/print-test.ts';
import { createPdfQueue, type PdfQueue } from '../../support/cups.ts';

describe('kiosk print-test on a real CUPS queue', () => {
  let queue: PdfQueue;
  beforeAll(async () => {
    queue = await createPdfQueue(`kiosk-cli-${randomBytes(3).toString('hex')}`);
  });
  afterAll(async () => {
    await queue?.dispose();
  });

  function run(args: string[], env: NodeJS.ProcessEnv) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += String(c)));
    stderr.on('data', (c) => (out += String(c)));
    return command
      .run(args, { stdin: new PassThrough(), stdout, stderr, env, stopped: new Promise(() => {}) })
      .then((code) => ({ code, out }));
  }

  it('prints on the printer named by KIOSK_PRINTER and reports job and state', async () => {
    const { code, out } = await run([], { KIOSK_PRINTER: queue.name });
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`job ${queue.name}-\\d+`));
    expect(out).toContain(`Printer ${queue.name}: ready`);
    expect(await queue.waitForOutput()).toBeDefined();
  });

  it('reports a disabled printer as offline with exit code 1', async () => {
    await queue.disable();
    try {
      const { code, out } = await run(['--printer', queue.name], {});
      expect(code).toBe(1);
      expect(out).toContain('printer.offline');
      expect(out).toMatch(/offline \(.*stopped/);
    } finally {
      await queue.enable();
    }
  });
});
