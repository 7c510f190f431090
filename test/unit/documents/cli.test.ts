import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/command.ts';
import { command as printTest } from '../../../cli/commands/print-test.ts';
import { command as receipt } from '../../../cli/commands/receipt.ts';
import { parseTrackingQr } from '../../../core/documents/qr.ts';
import { decodeQr, pdfText, renderPng } from '../../support/pdf.ts';

function io(env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c) => (o += String(c)));
  stderr.on('data', (c) => (e += String(c)));
  return {
    io: { stdin: new PassThrough(), stdout, stderr, env, stopped: new Promise(() => {}) },
    out: () => o,
    err: () => e,
  };
}

describe('kiosk receipt', () => {
  it('writes a sample receipt in the chosen language and paper', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-cli-'));
    try {
      const file = join(dir, 'sample.pdf');
      const t = io();
      expect(await receipt.run(['--sample', '--lang', 'tr', '--paper=a4', '--out', file], t.io)).toBe(0);
      expect(t.out()).toContain('TEST-2025-000001, tr, a4');
      const pdf = new Uint8Array(await readFile(file));
      expect(await pdfText(pdf)).toContain('Başvuru makbuzu');
      expect(parseTrackingQr(decodeQr(await renderPng(pdf)) ?? '')).toMatchObject({ ok: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects missing and bad options with exit code 2', async () => {
    for (const args of [
      ['--lang', 'de', '--out', 'x.pdf'],
      ['--sample'],
      ['--sample', '--out', 'x.pdf', '--paper', 'a5'],
      ['--sample', '--out', 'x.pdf', '--lang', 'xx'],
      ['--sample', '--out'],
      ['--bogus'],
    ]) {
      const t = io();
      expect(await receipt.run(args, t.io), args.join(' ')).toBe(2);
      expect(t.err()).not.toBe('');
    }
  });
});

describe('kiosk print-test', () => {
  it('needs a printer name', async () => {
    const t = io({});
    expect(await printTest.run([], t.io)).toBe(2);
    expect(t.err()).toContain('KIOSK_PRINTER');
  });
});
