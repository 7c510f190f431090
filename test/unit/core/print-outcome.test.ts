import { describe, expect, it } from 'vitest';
import { buildAndPrint, type Printer, printError } from '../../../core/printing/index.ts';

const pdf = Uint8Array.from([0x25, 0x50, 0x44, 0x46]);

function printer(result: 'ok' | 'out_of_paper'): Printer & { jobs: string[] } {
  const jobs: string[] = [];
  return {
    jobs,
    async print(_pdf, options) {
      jobs.push(options.jobName);
      return result === 'ok'
        ? { ok: true, value: { jobId: '1' } }
        : printError('printer.out_of_paper', 'The printer is out of paper');
    },
    async state() {
      return { status: 'ready', reasons: [] };
    },
  };
}

describe('buildAndPrint', () => {
  it('builds nothing without a printer', async () => {
    let built = 0;
    const outcome = await buildAndPrint(
      null,
      async () => {
        built += 1;
        return { ok: true, value: pdf };
      },
      { jobName: 'Quittung' },
    );
    expect(outcome).toEqual({ state: 'no_printer' });
    expect(built).toBe(0);
  });

  it('says printed when the spooler took the job', async () => {
    const p = printer('ok');
    expect(await buildAndPrint(p, async () => ({ ok: true, value: pdf }), { jobName: 'Quittung' })).toEqual({
      state: 'printed',
    });
    expect(p.jobs).toEqual(['Quittung']);
  });

  it('gives the document code when the PDF cannot be made, and prints nothing', async () => {
    const p = printer('ok');
    const outcome = await buildAndPrint(
      p,
      async () => ({ ok: false, error: { code: 'document.font_missing' } }),
      { jobName: 'Quittung' },
    );
    expect(outcome).toEqual({ state: 'failed', code: 'document.font_missing' });
    expect(p.jobs).toEqual([]);
  });

  it('gives the printer code when printing fails', async () => {
    const outcome = await buildAndPrint(printer('out_of_paper'), async () => ({ ok: true, value: pdf }), {
      jobName: 'Quittung',
    });
    expect(outcome).toEqual({ state: 'failed', code: 'printer.out_of_paper' });
  });
});
