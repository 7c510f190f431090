/** `kiosk hash-pin`, run with in-memory streams. */
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { command } from '../../../cli/commands/hash-pin.ts';
import { badgeHash } from '../../../core/staff/badge.ts';
import { productionPinHasher } from '../../../core/staff/hasher.ts';
import { SECRET, SECRET_HEX } from './fixtures.ts';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(args: string[], input: string | string[] = '', env: NodeJS.ProcessEnv = {}) {
  const stdout = new Sink();
  const stderr = new Sink();
  const chunks = (Array.isArray(input) ? input : [input]).map((c) => Buffer.from(c));
  const code = await command.run(args, {
    stdin: Readable.from(chunks),
    stdout,
    stderr,
    env,
    stopped: new Promise<void>(() => {}),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('kiosk hash-pin', () => {
  it('prints the argon2id PHC string (OWASP parameters) of the PIN on standard input', async () => {
    const { code, stdout, stderr } = await run([], '471100\n');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const phc = stdout.trim();
    expect(stdout).toBe(`${phc}\n`);
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await productionPinHasher.verify(phc, '471100')).toBe(true);
    expect(await productionPinHasher.verify(phc, '471100\n')).toBe(false);
    expect(stdout).not.toContain('471100');
  });

  it('takes a pipe without a newline, a CRLF, and input in pieces', async () => {
    for (const input of ['081542', '081542\r\n', ['08', '15', '42\n']]) {
      const { code, stdout } = await run([], input);
      expect(code).toBe(0);
      expect(await productionPinHasher.verify(stdout.trim(), '081542')).toBe(true);
    }
  });

  it('refuses a 4-digit PIN (and anything under 6 characters) with exit code 2, hashing nothing', async () => {
    for (const short of ['4711\n', '0815', '12345\n']) {
      expect(await run([], short)).toEqual({
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(/at least 6 characters/),
      });
    }
    expect((await run([], '123456\n')).code).toBe(0);
  });

  it('refuses an empty PIN, several lines and unknown options with exit code 2', async () => {
    expect(await run([], '')).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/no PIN given/),
    });
    expect(await run([], '\n')).toMatchObject({ code: 2 });
    expect(await run([], '1234\n5678\n')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/more than one line/),
    });
    expect(await run([], `${'1'.repeat(129)}\n`)).toMatchObject({ code: 2 });
    expect(await run(['--pin', '1234'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown option "--pin"/),
    });
  });

  it('--badge CODE --secret HEX prints the keyed badge hash', async () => {
    const expected = badgeHash(SECRET, 'ST-000417');
    expect(await run(['--badge', 'ST-000417', '--secret', SECRET_HEX])).toEqual({
      code: 0,
      stdout: `${expected}\n`,
      stderr: '',
    });
    expect((await run([`--badge=ST-000417`, `--secret=${SECRET_HEX}`])).stdout).toBe(`${expected}\n`);
  });

  it('--badge - reads the code from standard input; the secret may come from the environment', async () => {
    const { code, stdout } = await run(['--badge', '-'], 'ST-000417\r\n', {
      KIOSK_STAFF_BADGE_SECRET: SECRET_HEX,
    });
    expect(code).toBe(0);
    expect(stdout).toBe(`${badgeHash(SECRET, 'ST-000417')}\n`);
  });

  it('refuses a missing or short secret and a missing badge', async () => {
    expect(await run(['--badge', 'ST-000417'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--secret or KIOSK_STAFF_BADGE_SECRET/),
    });
    expect(await run(['--badge', 'ST-000417', '--secret', 'abcd'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/64 to 128 hex characters/),
    });
    expect(await run(['--badge'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--badge needs a value/),
    });
    expect(await run(['--secret', SECRET_HEX])).toMatchObject({ code: 2 });
    expect(await run(['--badge', '-', '--secret', SECRET_HEX], '\n')).toMatchObject({ code: 2 });
  });

  it('has a name, a summary and usage for kiosk --help', () => {
    expect(command.name).toBe('hash-pin');
    expect(command.summary.length).toBeLessThan(80);
    expect(command.usage).toMatch(/^Usage: kiosk hash-pin/);
  });
});
