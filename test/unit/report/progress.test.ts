import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/report/progress.js';

function fakeStream(isTTY: boolean, columns = 80) {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { output: string };
  let output = '';
  stream.write = ((chunk: string) => {
    output += chunk;
    return true;
  }) as never;
  Object.assign(stream, { isTTY, columns });
  Object.defineProperty(stream, 'output', { get: () => output });
  return stream;
}

describe('createProgress', () => {
  it('draws one line in place on a terminal and clears it when done', () => {
    const stream = fakeStream(true);
    const progress = createProgress(stream, 12);
    progress.tick('entra.token', 'pass');
    progress.tick('entra.redirect-uri', 'fail');
    progress.tick('exchange.forwarding', 'skip');
    progress.done();
    const frames = stream.output.split('\r\x1b[2K');
    expect(frames).toEqual(['', '[ 1/12] entra.token', '[ 2/12] entra.redirect-uri  1 fail', '[ 3/12] exchange.forwarding  1 fail 1 skip', '']);
    expect(stream.output).not.toContain('\n');
  });

  it('keeps the line shorter than the terminal, so \\r redraws all of it', () => {
    const stream = fakeStream(true, 20);
    const progress = createProgress(stream, 3);
    progress.tick('exchange.outbound-spam-policy', 'error');
    const frame = stream.output.split('\r\x1b[2K')[1]!;
    expect(frame.length).toBeLessThan(20);
    expect(frame.endsWith('…')).toBe(true);
  });

  it('writes nothing when the stream is not a terminal (CI logs, pipes)', () => {
    const stream = fakeStream(false);
    const progress = createProgress(stream, 2);
    progress.tick('a.b', 'pass');
    progress.done();
    expect(stream.output).toBe('');
  });

  it('writes nothing on done() when nothing was drawn', () => {
    const stream = fakeStream(true);
    createProgress(stream, 0).done();
    expect(stream.output).toBe('');
  });
});
