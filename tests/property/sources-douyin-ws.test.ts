/**
 * Door "source: douyin-ws": what a douyinLive service (or anything on its port) can send. Valid
 * frames are built from new_douyin.proto as protojson writes them (zero fields left out at
 * random, 64-bit ids beyond 2^53 as strings, absurd createTimes), beside mutated frames, pure
 * garbage, huge and deep values.
 */
import { describe, expect, it } from 'vitest';
import { DouyinWebcastMapper } from '../../electron/core/sources/douyin-webcast.ts';
import { checkDoorAsync, fc } from '../helpers/fuzz.ts';
import { deepValue, hostileString, hostileTs, hostileValue, mutated } from '../helpers/hostile.ts';
import { breathe, doorTimeout, feedAll, T0, withAndWithoutGarbage } from '../helpers/source-doors.ts';
import { douyinLive, douyinStatus } from '../helpers/upstream.ts';

const DOOR = 'source: douyin-ws';

const id64 = fc.oneof(fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }).map(String), fc.integer({ min: 0, max: 1e9 }).map(String));
const createTime = fc.oneof(fc.integer({ min: T0 - 3_600_000, max: T0 + 3_600_000 }), hostileTs.map((t) => (Number.isFinite(t) && t >= 0 ? Math.floor(t) : 0)));
const common = fc.record({ msgId: id64, createTime, roomId: id64 }, { requiredKeys: [] });
const user = fc.record({ id: id64, nickname: fc.string({ maxLength: 20 }) }, { requiredKeys: [] });

/** One valid decoded message per method, any field possibly left out (as zero). */
const message: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ common, user, content: fc.string({ minLength: 1, maxLength: 50 }) }, { requiredKeys: ['content'] }).map((v) => douyinLive('WebcastChatMessage', v)),
  fc.record({ common, user, memberCount: fc.nat(1e6) }, { requiredKeys: [] }).map((v) => douyinLive('WebcastMemberMessage', v)),
  fc.record({ common, user, count: fc.nat(1000), total: fc.nat(1e9) }, { requiredKeys: [] }).map((v) => douyinLive('WebcastLikeMessage', v)),
  fc
    .record(
      {
        common,
        user,
        giftId: fc.constantFrom(463, 3242, 685),
        groupId: fc.constantFrom('0', '1720284937001', '1720284937002'),
        repeatCount: fc.integer({ min: 0, max: 200 }),
        comboCount: fc.integer({ min: 0, max: 200 }),
        groupCount: fc.constantFrom(0, 1, 10, 66, 1314),
        repeatEnd: fc.constantFrom(0, 1),
        totalCount: fc.nat(10_000),
        gift: fc.record({ id: fc.constantFrom(463, 3242), combo: fc.boolean(), type: fc.nat(5), diamondCount: fc.nat(30_000), name: fc.string({ maxLength: 8 }) }, { requiredKeys: [] }),
      },
      { requiredKeys: ['gift'] },
    )
    .map((v) => douyinLive('WebcastGiftMessage', v)),
  fc.record({ common, user, action: fc.nat(3), content: fc.string({ maxLength: 10 }) }, { requiredKeys: [] }).map((v) => douyinLive('WebcastFansclubMessage', v)),
  fc.record({ common, action: fc.nat(4), tips: fc.string({ maxLength: 10 }) }, { requiredKeys: [] }).map((v) => douyinLive('WebcastControlMessage', v)),
  fc
    .record(
      { common, displayLong: fc.constantFrom('2252在线观众', '1.2万人看过', '热度 3'), displayMiddle: fc.constantFrom('2252', '1.2万', ''), displayValue: fc.nat(1e6), total: fc.nat(1e6), displayType: fc.nat(3) },
      { requiredKeys: [] },
    )
    .map((v) => douyinLive('WebcastRoomStatsMessage', v)),
  fc.record({ common, total: fc.nat(1e6), totalUser: fc.nat(1e7), totalPvForAnchor: fc.constantFrom('43.6万', '1200', '1.1亿', '') }, { requiredKeys: [] }).map((v) => douyinLive('WebcastRoomUserSeqMessage', v)),
  fc.record({ common, user, action: fc.nat(3), shareType: fc.nat(3) }, { requiredKeys: [] }).map((v) => douyinLive('WebcastSocialMessage', v)),
  fc.constantFrom('ROOM_ONLINE', 'ROOM_OFFLINE', 'ROOM_ENDED', 'ROOM_NOT_FOUND', 'ROOM_STATUS_UNKNOWN').map((c) => douyinStatus(c as Parameters<typeof douyinStatus>[0])),
);

const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: mutated(message) },
  { weight: 3, arbitrary: hostileValue },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostileValue, mutated(message)), { maxLength: 5 }) },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.record({ method: fc.constantFrom('WebcastGiftMessage', 'WebcastLikeMessage', 'WebcastChatMessage', 'WebcastRoomStatsMessage'), common: hostileValue, gift: hostileValue, content: hostileString, total: hostileValue, repeatCount: hostileValue, groupCount: hostileValue }) },
  { weight: 1, arbitrary: fc.integer({ min: 101, max: 3000 }).map((n) => new Array<unknown>(n).fill({ method: 'WebcastMemberMessage' })) },
);

/** Unique msgIds for the valid frames, so that de-duplication does not hide one. */
function numbered(frames: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return frames.map((f, i) => (f.type === 'system' ? f : { ...f, common: { ...(f.common as object), msgId: `8${String(i).padStart(18, '0')}` } }));
}

describe('door: source: douyin-ws', () => {
  it('garbage, mutated and valid frames mixed: never a throw, every event valid', async () => {
    await checkDoorAsync(DOOR, 'any frames', fc.asyncProperty(fc.array(fc.oneof(message, garbage), { maxLength: 25 }), async (frames) => {
      await breathe();
      feedAll(new DouyinWebcastMapper(), frames);
    }), { scale: 2 });
  }, doorTimeout(2));

  it('valid frames beside garbage are mapped exactly; a refused frame changes no state', async () => {
    await checkDoorAsync(DOOR, 'garbage changes nothing', fc.asyncProperty(fc.array(fc.tuple(message, fc.array(garbage, { maxLength: 3 }), fc.boolean()), { minLength: 1, maxLength: 15 }), async (pairs) => {
      await breathe();
      const valid = numbered(pairs.map(([v]) => v));
      // A broken twin (same msgId, a checked field ruined) before its valid frame: refusing it must not mark the id seen.
      const twin = (v: Record<string, unknown>) => ({ ...v, content: 42, gift: 'broken', total: 'many', count: 'x' });
      const steps = valid.map((v, i) => ({ valid: v, garbage: [...pairs[i]![1], ...(pairs[i]![2] && v.type !== 'system' ? [twin(v)] : [])] }));
      const { clean, mixed } = withAndWithoutGarbage(() => new DouyinWebcastMapper({ giftTimeoutMs: 1000 }), steps);
      expect(mixed).toEqual(clean);
      // A chat beside garbage still yields its comment.
      const chats = valid.filter((v) => v.method === 'WebcastChatMessage').map((v) => v.content);
      const comments = mixed.filter((e) => e.type === 'comment').map((e) => (e as { text: string }).text);
      for (const text of chats) expect(comments).toContain(text);
    }));
  }, doorTimeout());
});
