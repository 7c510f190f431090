/** `kiosk mrz`, run with in-memory streams; and through bin/kiosk.mjs once cli/main.ts registers it. */
import { spawnSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { command, createMrzCommand } from '../../../cli/commands/mrz.ts';
import { registeredCommands } from '../../../cli/main.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];
const BAD_TD3 = [TD3[0], 'L898902C36UTO7408122F1204159ZE184226B<<<<<11'];

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(input: string, args: string[] = ['--today', '2025-06-15']) {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await command.run(args, {
    stdin: Readable.from([Buffer.from(input)]),
    stdout,
    stderr,
    env: {},
    stopped: new Promise<void>(() => {}),
  });
  const results = stdout.text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, results, stdout: stdout.text, stderr: stderr.text };
}

describe('kiosk mrz', () => {
  it('plain text: the lines of one document, one JSON object out, exit 0 when valid', async () => {
    const { code, results, stderr } = await run(`${TD3.join('\r\n')}\r\n`);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      valid: true,
      format: 'TD3',
      documentCode: 'P',
      issuingState: 'UTO',
      documentNumber: 'L898902C3',
      nationality: 'UTO',
      birthDate: '1974-08-12',
      expiryDate: '2012-04-15',
      sex: 'F',
      lastName: 'ERIKSSON',
      firstNames: 'ANNA MARIA',
      optionalData: ['ZE184226B'],
      checks: {
        documentNumber: 'ok',
        birthDate: 'ok',
        expiryDate: 'ok',
        personalNumber: 'ok',
        composite: 'ok',
      },
      errors: [],
      suggestions: [],
    });
  });

  it('plain text: an invalid document prints its result and exits 1', async () => {
    const { code, results } = await run(BAD_TD3.join('\n'));
    expect(code).toBe(1);
    expect(results[0]).toMatchObject({ valid: false, checks: { composite: 'bad' } });
  });

  it('JSON lines: one result per document, in order; exit 1 if any is invalid', async () => {
    const input = [TD3, TD1, BAD_TD3].map((lines) => JSON.stringify({ lines })).join('\n');
    const { code, results } = await run(`${input}\n`);
    expect(code).toBe(1);
    expect(results.map((r) => [r.format, r.valid])).toEqual([
      ['TD3', true],
      ['TD1', true],
      ['TD3', false],
    ]);
    const allValid = await run([TD3, TD1].map((lines) => JSON.stringify({ lines })).join('\n'));
    expect(allValid.code).toBe(0);
  });

  it('unusable input: empty, a bad JSON line, too many plain lines, a wrong option -> exit 2 with a message', async () => {
    const empty = await run('  \n\n');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no input/);
    expect(empty.stdout).toBe('');

    const badJson = await run(`${JSON.stringify({ lines: TD3 })}\n{"lines": [1, 2]}\n{nope\n`);
    expect(badJson.code).toBe(2);
    expect(badJson.results).toHaveLength(1);
    expect(badJson.stderr).toMatch(/line 2: expected an object/);
    expect(badJson.stderr).toMatch(/line 3: not valid JSON/);

    const tooMany = await run([...TD3, ...TD3].join('\n'));
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/one document of 2 or 3 lines/);

    for (const args of [['--today', '2025-13-01'], ['--today'], ['--frobnicate']]) {
      const wrong = await run(TD3.join('\n'), args);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/kiosk mrz: /);
    }
  });

  it('a line of the wrong length is an invalid document, not unusable input', async () => {
    const { code, results } = await run(`${TD3[0]}\n${TD3[1]?.slice(0, 40)}\n`);
    expect(code).toBe(1);
    expect(results[0]).toMatchObject({ valid: false, format: null });
  });

  it('resolves dates against --today, or against the injected clock', async () => {
    const lines = [
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
      'L898902C36UTO2506160F3001019<<<<<<<<<<<<<<<6',
    ];
    const before = await run(lines.join('\n'), ['--today=2025-06-15']);
    expect(before.results[0]?.birthDate).toBe('1925-06-16');
    const stdout = new Sink();
    const clocked = createMrzCommand(() => new Date(Date.UTC(2025, 5, 16)));
    await clocked.run([], {
      stdin: Readable.from([lines.join('\n')]),
      stdout,
      stderr: new Sink(),
      env: {},
      stopped: new Promise<void>(() => {}),
    });
    expect((JSON.parse(stdout.text) as { birthDate: string }).birthDate).toBe('2025-06-16');
  });

  it.skipIf(!registeredCommands().includes('mrz'))('runs through bin/kiosk.mjs', () => {
    const bin = fileURLToPath(new URL('../../../bin/kiosk.mjs', import.meta.url));
    const ok = spawnSync(process.execPath, [bin, 'mrz', '--today', '2025-06-15'], {
      input: TD3.join('\n'),
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, documentNumber: 'L898902C3' });
    const bad = spawnSync(process.execPath, [bin, 'mrz'], { input: BAD_TD3.join('\n'), encoding: 'utf8' });
    expect(bad.status).toBe(1);
    const unusable = spawnSync(process.execPath, [bin, 'mrz'], { input: '', encoding: 'utf8' });
    expect(unusable.status).toBe(2);
    expect(unusable.stderr).toMatch(/no input/);
  });
});
