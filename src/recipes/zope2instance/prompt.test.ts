import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptInitialUser } from './prompt.js';

function session(answers: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  // feed one answer per question, as a person would
  let i = 0;
  output.on('data', (c: Buffer) => {
    if (/(Username|Password|Verify password): $/.test(c.toString()) && i < answers.length) setImmediate(() => input.write(answers[i++] + '\n'));
  });
  return { input, output, shown: () => shown };
}

describe('initial user prompt', () => {
  it('asks for name and password twice, retrying on a mismatch', async () => {
    const s = session(['admin', 'one', 'two', 'secret', 'secret']);
    await expect(promptInitialUser(s.input, s.output)).resolves.toEqual({ name: 'admin', password: 'secret' });
    expect(s.shown()).toContain('Password mismatch, please try again...');
    expect(s.shown()).not.toContain('secret');
  });

  it('skips the user when the name is left empty', async () => {
    const s = session(['']);
    await expect(promptInitialUser(s.input, s.output)).resolves.toBeUndefined();
  });
});
