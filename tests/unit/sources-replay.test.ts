/**
 * Replay: the capture format's parser, the streaming line reader, and the ReplaySource's
 * pacing, re-stamping and session rules against a plain sink (no relay, no store).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCaptureLine, readCapture, readCaptureHeader, type CaptureLine } from '../../electron/core/sources/capture.ts';
import { ReplaySource, checkReplaySpeed, probeRecording, type ReplaySummary } from '../../electron/core/sources/replay.ts';
import type { RoomSink } from '../../electron/core/sources/room-mux.ts';
import type { SourceEvent } from '../../electron/core/sources/common.ts';
import type { SourceQuarantine } from '../../electron/core/sources/connector.ts';
import { validateEvent } from '../../shared/protocol.ts';
import { tempDir } from '../helpers/util.ts';

const T0 = 1_720_000_000_000;
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function capture(name: string, text: string | Buffer): string {
  const { dir, cleanup } = tempDir('lcr-replay-');
  cleanups.push(cleanup);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function all(path: string, opts?: Parameters<typeof readCapture>[1]): Promise<CaptureLine[]> {
  const out: CaptureLine[] = [];
  for await (const l of readCapture(path, opts)) out.push(l);
  return out;
}

const j = (o: unknown) => JSON.stringify(o);
const header = { ts: T0, type: 'session', status: 'live', startedAt: T0, title: '美妆专场', roomId: 'beauty-daily', platform: 'douyin' };

describe('capture lines', () => {
  it('an event body becomes an event; seq is dropped (the replaying relay numbers events)', () => {
    expect(parseCaptureLine(j({ seq: 9, ts: T0, type: 'enter', n: 3, source: 'recommend' }), 4)).toEqual({ kind: 'event', line: 4, event: { ts: T0, type: 'enter', n: 3, source: 'recommend' } });
  });

  it('a BOM, surrounding whitespace and a \\r ending are tolerated; blank lines are blank', () => {
    expect(parseCaptureLine(`\uFEFF${j({ ts: T0, type: 'follow', n: 1 })}\r`, 1)).toMatchObject({ kind: 'event', event: { type: 'follow', n: 1 } });
    expect(parseCaptureLine('   \r', 2)).toEqual({ kind: 'blank', line: 2 });
    expect(parseCaptureLine('\uFEFF', 1)).toEqual({ kind: 'blank', line: 1 });
  });

  it('bad lines come back with their line number and the reason', () => {
    expect(parseCaptureLine('{oops', 7)).toEqual({ kind: 'bad', line: 7, reason: 'replay: line is not JSON', text: '{oops' });
    expect(parseCaptureLine('[1,2]', 8)).toMatchObject({ kind: 'bad', line: 8, reason: 'replay: line is not a JSON object' });
    expect(parseCaptureLine('"text"', 9)).toMatchObject({ kind: 'bad', reason: 'replay: line is not a JSON object' });
    // Wrong field types, negative counts, a missing ts: what FEED-PROTOCOL rejects, worded by the app's one validator.
    const qty = parseCaptureLine(j({ ts: T0, type: 'order', orderId: 'o1', productId: 'p', qty: '2', amountFen: 100, status: 'paid' }), 10);
    expect(qty).toMatchObject({ kind: 'bad', line: 10 });
    expect((qty as { reason: string }).reason).toMatch(/^replay: order: qty: /);
    expect(parseCaptureLine(j({ ts: T0, type: 'enter', n: -1 }), 11)).toMatchObject({ kind: 'bad', reason: expect.stringMatching(/^replay: enter: n: /) });
    expect(parseCaptureLine(j({ type: 'enter', n: 1 }), 12)).toMatchObject({ kind: 'bad', reason: expect.stringMatching(/^replay: ts: /) });
    expect(parseCaptureLine(j({ ts: 'yesterday', type: 'enter', n: 1 }), 13)).toMatchObject({ kind: 'bad', reason: expect.stringMatching(/^replay: ts: /) });
    expect(parseCaptureLine(j({ ts: T0, type: 7 }), 14)).toMatchObject({ kind: 'bad', reason: expect.stringMatching(/^replay: type: /) });
  });

  it('an unknown type with a valid envelope is replayed as it is (without the store’s unknown marker)', () => {
    expect(parseCaptureLine(j({ seq: 3, ts: T0, type: 'vote', unknown: true, option: 'A' }), 1)).toEqual({ kind: 'event', line: 1, event: { ts: T0, type: 'vote', option: 'A' } });
  });

  it('reads a file line by line: BOM, CRLF, blank lines, bad lines with their numbers, no final newline', async () => {
    const path = capture(
      'show.jsonl',
      ['\uFEFF' + j(header), '', j({ ts: T0 + 1000, type: 'enter', n: 2 }), '{oops', '   ', j({ ts: T0 + 2000, type: 'comment', text: '3号链接' })].join('\r\n'),
    );
    const lines = await all(path);
    expect(lines.map((l) => [l.kind, l.line])).toEqual([
      ['event', 1],
      ['blank', 2],
      ['event', 3],
      ['bad', 4],
      ['blank', 5],
      ['event', 6],
    ]);
    expect(lines[5]).toMatchObject({ event: { text: '3号链接' } });
    expect(await readCaptureHeader(path)).toEqual({ startedAt: T0, roomId: 'beauty-daily', platform: 'douyin', title: '美妆专场' });
  });

  it('multi-byte text split across chunks survives; an over-long line is skipped whole and the numbering goes on', async () => {
    const long = j({ ts: T0, type: 'comment', text: 'x'.repeat(500) });
    const path = capture('long.jsonl', [j({ ts: T0, type: 'comment', text: '直播间福利来了' }), long, j({ ts: T0, type: 'comment', text: '好看' }), long].join('\n'));
    const lines = await all(path, { chunkBytes: 7, maxLineChars: 200 });
    expect(lines.map((l) => [l.kind, l.line])).toEqual([
      ['event', 1],
      ['bad', 2],
      ['event', 3],
      ['bad', 4],
    ]);
    expect(lines[0]).toMatchObject({ event: { text: '直播间福利来了' } });
    expect(lines[1]).toMatchObject({ reason: 'replay: line over 200 characters', text: `(${long.length} characters)` });
    expect(lines[3]).toMatchObject({ reason: 'replay: line over 200 characters' });
  });

  it('a capture without a session header names its room after the file', async () => {
    const path = capture('night-show.jsonl', j({ ts: T0, type: 'enter', n: 1 }) + '\n');
    expect(await readCaptureHeader(path)).toBeUndefined();
    expect(await probeRecording(path)).toEqual({ roomId: 'night-show', platform: 'replay', title: null, startedAt: null });
    await expect(probeRecording(join(path, '..', 'missing.jsonl'))).rejects.toThrow(/cannot read the capture .*missing\.jsonl/);
    await expect(probeRecording('session:abc')).rejects.toThrow(/needs the data folder/);
  });
});

describe('replay speed', () => {
  it('is a number from 1 to 60', () => {
    expect(checkReplaySpeed(1)).toBe(1);
    expect(checkReplaySpeed(60)).toBe(60);
    expect(checkReplaySpeed(2.5)).toBe(2.5);
    for (const bad of [0, 0.5, 61, Number.NaN, Infinity, '10', null, undefined]) expect(() => checkReplaySpeed(bad)).toThrow(/replay speed must be a number from 1 to 60/);
  });
});

// ---- The connector against a recording sink ---------------------------------------------------------

function recordingSink(): RoomSink & { events: SourceEvent[]; at: number[] } {
  const events: SourceEvent[] = [];
  const at: number[] = [];
  return {
    name: 'replay',
    events,
    at,
    push(batch) {
      for (const e of batch) {
        expect(validateEvent({ ...e, seq: 1 })).toMatchObject({ ok: true });
        events.push(e);
        at.push(performance.now());
      }
    },
    priceOf: () => undefined,
  };
}

async function replay(path: string, opts: { speed: number; maxGapMs?: number; title?: string; now?: number }) {
  const sink = recordingSink();
  const quarantined: SourceQuarantine[] = [];
  const src = new ReplaySource({ from: path, speed: opts.speed, maxGapMs: opts.maxGapMs, title: opts.title, sink, onQuarantine: (q) => quarantined.push(q), now: () => opts.now ?? T0 + 999_000_000 });
  const started = performance.now();
  src.start();
  const summary: ReplaySummary = await src.finished;
  return { sink, quarantined, summary, realMs: performance.now() - started, src };
}

describe('ReplaySource', () => {
  const LIVE = T0 + 999_000_000;

  it('re-stamps onto the live start keeping every offset, announces and ends the session, quarantines bad lines', async () => {
    const path = capture(
      'show.jsonl',
      [
        j(header),
        j({ ts: T0 + 500, type: 'catalog', products: [{ id: 'p1', title: '面膜', priceFen: 2990 }] }),
        'not json',
        j({ ts: T0 + 1500, type: 'pin', productId: 'p1' }),
        j({ ts: T0 + 1400, type: 'enter', n: 4, source: 'follow' }), // slightly out of order, kept as recorded
        j({ ts: T0 + 3000, type: 'order', orderId: 'o1', productId: 'p1', qty: 1, amountFen: 2990, status: 'paid' }),
        j({ ts: T0 + 3000, type: 'order', orderId: 'o2', productId: 'p1', qty: 0, amountFen: 2990, status: 'paid' }),
        j({ ts: T0 + 999 * 24 * 3600_000, type: 'enter', n: 1 }), // a broken clock
        j({ ts: T0 + 4000, type: 'session', status: 'ended', startedAt: T0 }),
        j({ ts: T0 + 5000, type: 'enter', n: 99 }), // after the end: not replayed
      ].join('\n'),
    );
    const { sink, quarantined, summary, src } = await replay(path, { speed: 60 });
    expect(sink.events).toEqual([
      { ts: LIVE, type: 'session', status: 'live', startedAt: LIVE, title: '美妆专场' },
      { ts: LIVE + 500, type: 'catalog', products: [{ id: 'p1', title: '面膜', priceFen: 2990 }] },
      { ts: LIVE + 1500, type: 'pin', productId: 'p1' },
      { ts: LIVE + 1400, type: 'enter', n: 4, source: 'follow' },
      { ts: LIVE + 3000, type: 'order', orderId: 'o1', productId: 'p1', qty: 1, amountFen: 2990, status: 'paid' },
      { ts: LIVE + 4000, type: 'session', status: 'ended', startedAt: LIVE, title: '美妆专场' },
    ]);
    expect(quarantined.map((q) => [q.reason.replace(/: .*$/, ''), (q.raw as { line?: number }).line])).toEqual([
      ['replay', 3],
      ['replay', 7],
      ['replay', 8],
    ]);
    expect(quarantined[0]).toEqual({ source: 'replay', reason: 'replay: line is not JSON', raw: { line: 3, text: 'not json' } });
    expect(quarantined[2]!.reason).toBe("replay: ts more than a day before the recording's start or two days after it");
    expect(summary).toMatchObject({ outcome: 'ended', error: null, startedAt: LIVE, events: 6, quarantined: 3, sourceMs: 4000, compressedMs: 0 });
    expect(src.state).toMatchObject({ source: 'replay', status: 'stopped', events: 6, quarantined: 3, ignored: 0 });
  });

  it('paces by ts ÷ speed: 30 s of show at 60× takes about half a second, in order of ts', async () => {
    const lines = [j(header)];
    for (let s = 1; s <= 30; s++) lines.push(j({ ts: T0 + s * 1000, type: 'viewers', online: 100 + s }));
    const { sink, summary, realMs } = await replay(capture('paced.jsonl', lines.join('\n')), { speed: 60 });
    expect(sink.events).toHaveLength(32); // live, 30 snapshots, and the end made at the last event
    expect(sink.events.at(-1)).toMatchObject({ type: 'session', status: 'ended', ts: LIVE + 30_000 });
    // Never early by more than the no-timer slack (8 ms) plus the clocks' own jitter on a loaded
    // machine (a CI run saw 238 ms for 250); the upper bound leaves a loaded machine room too.
    expect(realMs).toBeGreaterThanOrEqual(500 - 20);
    expect(realMs).toBeLessThan(5000);
    const t0 = sink.at[0]!;
    expect(sink.at[15]! - t0).toBeGreaterThanOrEqual(15 * (1000 / 60) - 20);
    expect(summary).toMatchObject({ sourceMs: 30_000, compressedMs: 0 });
  });

  it('compresses a long silence to maxGapMs of waiting, while the stamps keep the gap', async () => {
    const path = capture(
      'gap.jsonl',
      [j(header), j({ ts: T0 + 1000, type: 'enter', n: 1 }), j({ ts: T0 + 1000 + 2 * 3600_000, type: 'enter', n: 2 })].join('\n'),
    );
    const { sink, summary, realMs } = await replay(path, { speed: 60, maxGapMs: 1000 });
    expect(sink.events.map((e) => e.ts - LIVE)).toEqual([0, 1000, 1000 + 2 * 3600_000, 1000 + 2 * 3600_000]);
    expect(summary.compressedMs).toBe(2 * 3600_000 - 1000);
    // Two hours at 60× would be two minutes; compressed it is ~2 s of show, ~35 ms.
    expect(realMs).toBeLessThan(3000);
  });

  it('without a header the session opens at the first event; a given title wins; a repeated start is dropped', async () => {
    const path = capture(
      'bare.jsonl',
      [j({ ts: T0 + 200, type: 'enter', n: 1 }), j({ ts: T0 + 300, type: 'session', status: 'live', startedAt: T0 }), j({ ts: T0 + 400, type: 'like', n: 5 })].join('\n'),
    );
    const { sink, src } = await replay(path, { speed: 60, title: '回放演示' });
    const live = LIVE;
    expect(sink.events).toEqual([
      { ts: live, type: 'session', status: 'live', startedAt: live, title: '回放演示' },
      { ts: live, type: 'enter', n: 1 },
      { ts: live + 200, type: 'like', n: 5 },
      { ts: live + 200, type: 'session', status: 'ended', startedAt: live, title: '回放演示' },
    ]);
    expect(src.state.ignored).toBe(1);
  });

  it('a missing file fails the source with the reason; stop() ends a replay at once', async () => {
    const missing = join(capture('x.jsonl', ''), '..', 'gone.jsonl');
    const { summary, src, sink } = await replay(missing, { speed: 1 });
    expect(summary.outcome).toBe('failed');
    expect(summary.error).toMatch(/cannot read .*gone\.jsonl/);
    expect(src.state.status).toBe('failed');
    expect(sink.events).toEqual([]);

    // A capture with nothing in it fails too: a recorder waiting for the session's end would wait forever.
    const empty = await replay(capture('empty.jsonl', '\uFEFF\n\n{bad\n'), { speed: 60 });
    expect(empty.summary).toMatchObject({ outcome: 'failed', quarantined: 1, events: 0 });
    expect(empty.summary.error).toMatch(/empty\.jsonl holds no event to replay/);

    // An hour of show at 1×: stopped long before its end.
    const path = capture('hour.jsonl', [j(header), j({ ts: T0 + 10, type: 'enter', n: 1 }), j({ ts: T0 + 3_600_000, type: 'enter', n: 1 })].join('\n'));
    const sink2 = recordingSink();
    const long = new ReplaySource({ from: path, speed: 1, maxGapMs: Infinity, sink: sink2 });
    long.start();
    while (sink2.events.length < 2) await new Promise((r) => setTimeout(r, 5));
    await long.stop();
    expect(await long.finished).toMatchObject({ outcome: 'stopped' });
    expect(sink2.events.map((e) => e.type)).toEqual(['session', 'enter']);
    expect(long.state.status).toBe('stopped');
  });

  it('rejects a bad speed or gap setting at construction', () => {
    const sink = recordingSink();
    expect(() => new ReplaySource({ from: 'x.jsonl', speed: 120, sink })).toThrow(/from 1 to 60 \(got 120\)/);
    expect(() => new ReplaySource({ from: 'x.jsonl', speed: 10, maxGapMs: 0, sink })).toThrow(/maxGapMs/);
    expect(() => new ReplaySource({ from: 'session:', speed: 10, sink })).toThrow(/needs a session id/);
  });
});
