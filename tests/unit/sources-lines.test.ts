/**
 * LineSplitter: the lines of a file read in chunks (a replayed capture, a tailed order file), with
 * an over-long line reported once when it passes the limit and once more at its end, then skipped.
 */
import { describe, expect, it } from 'vitest';
import { LineSplitter, type LinePiece } from '../../electron/core/sources/lines.ts';

function split(chunks: string[], max = 10): LinePiece[] {
  const s = new LineSplitter(max);
  const out = chunks.flatMap((c) => s.push(c));
  const last = s.end();
  return last ? [...out, last] : out;
}

describe('LineSplitter', () => {
  it('joins lines cut across chunks and numbers them; the last one needs no newline', () => {
    expect(split(['ab', 'c\nde\n', '\nf', 'g'])).toEqual([
      { kind: 'line', line: 1, text: 'abc' },
      { kind: 'line', line: 2, text: 'de' },
      { kind: 'line', line: 3, text: '' },
      { kind: 'line', line: 4, text: 'fg' },
    ]);
  });

  it('gives up on a line past the limit: its text so far once, then its whole length at its end, and goes on', () => {
    expect(split(['ok\n0123456', '789ABC', 'DEF\nnext\n'])).toEqual([
      { kind: 'line', line: 1, text: 'ok' },
      { kind: 'overflow', line: 2, text: '0123456789ABC' },
      { kind: 'skipped', line: 2, chars: 16 },
      { kind: 'line', line: 3, text: 'next' },
    ]);
  });

  it('keeps no more than the limit of a line that never ends, and says so at the end of the file', () => {
    const s = new LineSplitter(4);
    expect(s.push('abcdef')).toEqual([{ kind: 'overflow', line: 1, text: 'abcdef' }]);
    expect(s.push('x'.repeat(100_000))).toEqual([]);
    expect(s.end()).toEqual({ kind: 'skipped', line: 1, chars: 100_006 });
  });

  it('takes a line of exactly the limit whole', () => {
    expect(split(['0123456789\n'])).toEqual([{ kind: 'line', line: 1, text: '0123456789' }]);
  });
});
