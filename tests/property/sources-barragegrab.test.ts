/**
 * Door "source: barragegrab": text frames on DouyinBarrageGrab's port, parsed as the adapter
 * parses them (common.ts `parseJsonLossless`) and mapped. Valid frames are Newtonsoft output of
 * the tool's JsonEntity classes, with 64-bit `MsgId`/`User.Id` written bare beyond 2^53 — ids one
 * apart, which a plain JSON.parse would make equal — beside mutated envelopes, broken `Data`,
 * pure garbage, huge and deep values.
 */
import { describe, expect, it } from 'vitest';
import { BarrageGrabMapper } from '../../electron/core/sources/barrage-grab.ts';
import { emptyResult, parseJsonLossless, quarantine, type MapResult } from '../../electron/core/sources/common.ts';
import { checkDoorAsync, fc } from '../helpers/fuzz.ts';
import { deepValue, hostileString, hostileValue, mutated } from '../helpers/hostile.ts';
import { breathe, doorTimeout, feedAll, withAndWithoutGarbage, type DoorMapper } from '../helpers/source-doors.ts';
import { Bare, barrageGrab, bgUser } from '../helpers/upstream.ts';

const DOOR = 'source: barragegrab';

/** What the WebSocket source does with a text frame: lossless JSON, then the mapper. */
class TextDoor implements DoorMapper<unknown> {
  private readonly m = new BarrageGrabMapper({ liveRoomId: '80017709309', giftTimeoutMs: 1000 });
  map(frame: unknown, t: number): MapResult {
    let parsed = frame;
    if (typeof frame === 'string') {
      try {
        parsed = parseJsonLossless(frame);
      } catch {
        const r = emptyResult();
        r.quarantined.push(quarantine('barrage-grab: frame is not JSON', frame));
        return r;
      }
    }
    return this.m.map(parsed, t);
  }
  tick(t: number): MapResult {
    return this.m.tick(t);
  }
}

const bigId = fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n - 1n }).map(String);
const room = fc.constantFrom({ roomId: '7388523424571869991', webRoomId: '80017709309' }, { roomId: '7388523424571869991', webRoomId: null }, { roomId: '7111111111111111111', webRoomId: '123' });

/** A message spec: its Type and the entity's own fields (MsgId filled in later). */
const spec: fc.Arbitrary<{ type: number; msg: Record<string, unknown>; room: { roomId: string; webRoomId: string | null } }> = fc.oneof(
  fc.record({ type: fc.constant(1), msg: fc.record({ Content: fc.string({ minLength: 1, maxLength: 30 }), User: bigId.map((id) => bgUser(id, 'u')) }), room }),
  fc.record({ type: fc.constant(2), msg: fc.record({ Count: fc.nat(100), Total: fc.nat(1e8), User: bigId.map((id) => bgUser(id, 'u')) }), room }),
  fc.record({ type: fc.constant(3), msg: fc.record({ CurrentCount: fc.nat(1e5) }), room }),
  fc.record({ type: fc.constantFrom(4, 8, 9), msg: fc.constant({}), room }),
  fc.record({
    type: fc.constant(5),
    msg: fc.record({
      GiftId: fc.constantFrom('463', '3242').map((d) => new Bare(d)),
      GroupId: fc.constantFrom('0', '1720284937001').map((d) => new Bare(d)),
      GiftCount: fc.nat(10).map((n) => new Bare(String(n))),
      RepeatCount: fc.nat(200).map((n) => new Bare(String(n))),
      DiamondCount: fc.nat(30_000),
      Combo: fc.boolean(),
      User: fc.constantFrom('98765432109876543', '98765432109876544').map((id) => bgUser(id, 'u')),
    }),
    room,
  }),
  fc.record({ type: fc.constant(6), msg: fc.record({ OnlineUserCount: fc.nat(1e5), TotalUserCount: fc.nat(1e7), TotalUserCountStr: fc.constant('1万'), OnlineUserCountStr: fc.constant('1') }), room }),
  fc.record({ type: fc.constant(7), msg: fc.record({ Type: fc.nat(3), Level: fc.nat(20) }), room }),
);

/** JSON text of a generated value ('' for what JSON cannot write: too deep, bigint). */
function asJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

const envelope = spec.map((s) => ({ Type: s.type, ProcessName: 'douyin.exe', Data: JSON.stringify(s.msg) }));
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileValue },
  { weight: 2, arbitrary: mutated(envelope) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: -2, max: 12 }), hostileString).map(([Type, Data]) => JSON.stringify({ Type, Data })) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 9 }), hostileValue).map(([Type, d]) => JSON.stringify({ Type, Data: asJson(d) })) },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: deepValue },
  // Deep nesting as text, inside the envelope and inside Data.
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 50_000 }).map((d) => `{"Type":1,"Data":${'['.repeat(d)}1${']'.repeat(d)}}`) },
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 50_000 }).map((d) => JSON.stringify({ Type: 1, Data: `${'{"a":'.repeat(d)}1${'}'.repeat(d)}` })) },
);

const text = (s: { type: number; msg: Record<string, unknown>; room: { roomId: string; webRoomId: string | null } }, msgId: string) => barrageGrab(s.type, { MsgId: new Bare(msgId), ...s.msg }, s.room);

describe('door: source: barragegrab', () => {
  it('garbage, mutated and valid frames mixed: never a throw, every event valid', async () => {
    await checkDoorAsync(DOOR, 'any frames', fc.asyncProperty(fc.array(fc.oneof(spec.map((s) => text(s, '7388567546888702514')), garbage), { maxLength: 25 }), async (frames) => {
      await breathe();
      feedAll(new TextDoor(), frames);
    }), { scale: 2 });
  }, doorTimeout(2));

  it('valid frames beside garbage are mapped exactly (ids beyond 2^53 one apart stay distinct); a refused frame changes no state', async () => {
    await checkDoorAsync(DOOR, 'garbage changes nothing', fc.asyncProperty(fc.array(fc.tuple(spec, fc.array(garbage, { maxLength: 3 }), fc.boolean()), { minLength: 1, maxLength: 15 }), async (steps) => {
      await breathe();
      const frames = steps.map(([s, g, twin], i) => {
        const msgId = `80000000000000000${String(i).padStart(2, '0')}`;
        // A broken twin (same MsgId, a checked field ruined) first: refusing it must not mark the id seen.
        const broken = twin ? [barrageGrab(s.type, { MsgId: new Bare(msgId), ...s.msg, Content: 42, DiamondCount: 'x', OnlineUserCount: 'x', Count: 'x', Total: 'x' }, s.room)] : [];
        // A frame of an unknown web id was ignored; sent again after a match taught the room's RoomId, it counts.
        return { valid: text(s, msgId), garbage: [...g, ...broken], replay: s.room.webRoomId !== null };
      });
      const { clean, mixed, replayed } = withAndWithoutGarbage(() => new TextDoor(), frames);
      expect(mixed).toEqual(clean);
      // Every valid frame has a MsgId: sent again, each is a duplicate, ids one apart beyond 2^53 included.
      expect(replayed.filter((e) => e.type !== 'session')).toEqual([]);
      // Every chat of the followed room yields its comment.
      const ours = steps.filter(([s]) => s.type === 1 && s.room.webRoomId === '80017709309').map(([s]) => s.msg.Content);
      const comments = mixed.filter((e) => e.type === 'comment').map((e) => (e as { text: string }).text);
      for (const c of ours) expect(comments).toContain(c);
    }));
  }, doorTimeout());
});
