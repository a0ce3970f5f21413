/**
 * The capture files door (docs/doors.md): a recorded show as JSON lines (`lcr record --source
 * replay --feed FILE`, `lcr capture`), read by electron/core/sources/capture.ts in chunks. Valid
 * event lines interleaved with garbage — not JSON, wrong types, prototype keys, invalid UTF-8,
 * UTF-16 BOMs, lines over the cap, a truncated last line — come out as the same events with their
 * line numbers; every other line is reported bad with its line and a reason; nothing throws,
 * whatever the chunk size.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture, type CaptureLine } from '../../electron/core/sources/capture.ts';
import { checkDoorAsync, fc, yieldToLoop, fuzzTimeout } from '../helpers/fuzz.ts';
import { hostileNumber, hostileString, hostileTs, hostileValue, prototypeKeys } from '../helpers/hostile.ts';
import { tempDir } from '../helpers/util.ts';

const { dir, cleanup } = tempDir();
afterAll(() => cleanup());
const MAX = 4096;

const validEvent = fc.oneof(
  fc.record({ type: fc.constant('enter'), ts: fc.integer({ min: 1.6e12, max: 1.9e12 }), n: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ type: fc.constant('comment'), ts: fc.integer({ min: 1.6e12, max: 1.9e12 }), text: fc.string({ maxLength: 100 }), nickname: fc.string({ minLength: 1, maxLength: 20 }) }),
  fc.record({ type: fc.constant('like'), ts: fc.integer({ min: 1.6e12, max: 1.9e12 }), n: fc.integer({ min: 1, max: 1000 }) }),
);

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return '['.repeat(30_000);
  }
}

/** A line that is not an event FEED-PROTOCOL accepts (as bytes, with no newline inside). */
const badLine = fc.oneof(
  hostileValue.map((v) => Buffer.from(safeJson(v))),
  hostileString.map((s) => Buffer.from(s)),
  fc.record({ type: fc.constantFrom('enter', 'comment', 'order', 'session'), ts: hostileTs, n: hostileNumber, text: hostileValue }).map((v) => Buffer.from(safeJson(v))),
  prototypeKeys.map((p) => Buffer.from(safeJson({ ...p, type: '__proto__', ts: 1.7e12 }))),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    Buffer.from([0xfe, 0xff, 0x00, 0x7b]),
    Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]),
    Buffer.from('{"type":"enter","ts":1700000000000,"n":'),
    Buffer.from('x'.repeat(MAX * 3)),
    Buffer.from('{"type":"comment","ts":1700000000000,"text":"' + 'y'.repeat(MAX * 2) + '"}'),
  ),
).map((b) => Buffer.from(b.toString('latin1').replace(/\n/g, ' '), 'latin1'));

const lines = fc.array(fc.oneof(validEvent.map((e) => ({ valid: e as Record<string, unknown> })), badLine.map((b) => ({ bad: b }))), { maxLength: 40 });

describe('capture files door', () => {
  it('valid lines come out exactly, with their line numbers; the rest as bad lines; nothing throws', async () => {
    await checkDoorAsync(
      'capture files',
      'readCapture interleaved',
      fc.asyncProperty(lines, fc.constantFrom('\n', '\r\n'), fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 64, max: 70_000 })), fc.boolean(), async (ls, nl, chunk, lastNewline) => {
        await yieldToLoop();
        const file = join(dir, 'c.jsonl');
        const parts: Buffer[] = [];
        ls.forEach((l, i) => {
          parts.push('valid' in l ? Buffer.from(JSON.stringify(l.valid)) : l.bad);
          if (i < ls.length - 1 || lastNewline) parts.push(Buffer.from(nl));
        });
        writeFileSync(file, Buffer.concat(parts));
        const got: CaptureLine[] = [];
        for await (const c of readCapture(file, { maxLineChars: MAX, chunkBytes: chunk })) got.push(c);
        ls.forEach((l, i) => {
          const c = got.find((g) => g.line === i + 1);
          if ('valid' in l) expect(c).toEqual({ kind: 'event', line: i + 1, event: l.valid });
          else if (c && c.kind === 'bad') {
            expect(c.reason.length).toBeLessThan(500);
            expect(c.text.length).toBeLessThanOrEqual(MAX + 100);
          }
        });
        for (const g of got) expect(g.line).toBeGreaterThanOrEqual(1);
      }),
    );
  }, fuzzTimeout(300_000));
});
