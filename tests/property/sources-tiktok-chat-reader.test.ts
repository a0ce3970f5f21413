/**
 * Door "source: tiktok-chat-reader": the Socket.IO events a TikTok-Chat-Reader server (or anything
 * answering on its port) can emit, as (event name, first argument). Valid ones are
 * tiktok-live-connector 2.x's simplified messages as server.js forwards them, fields left out at
 * random, 64-bit ids beyond 2^53, absurd createTimes; beside unknown and hostile event names,
 * mutated payloads, pure garbage, huge and deep values.
 */
import { describe, expect, it } from 'vitest';
import { TikTokChatReaderMapper } from '../../electron/core/sources/tiktok-chat-reader.ts';
import type { MapResult } from '../../electron/core/sources/common.ts';
import { checkDoorAsync, fc } from '../helpers/fuzz.ts';
import { deepValue, hostileString, hostileTs, hostileValue, mutated } from '../helpers/hostile.ts';
import { breathe, doorTimeout, feedAll, T0, withAndWithoutGarbage, type DoorMapper } from '../helpers/source-doors.ts';
import { tiktokGift } from '../helpers/upstream.ts';

const DOOR = 'source: tiktok-chat-reader';
type Frame = [string, unknown];

class EventDoor implements DoorMapper<Frame> {
  private readonly m = new TikTokChatReaderMapper({ giftTimeoutMs: 1000 });
  map([event, payload]: Frame, t: number): MapResult {
    return this.m.map(event, payload, t);
  }
  tick(t: number): MapResult {
    return this.m.tick(t);
  }
}

const id64 = fc.oneof(fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }).map(String), fc.integer({ min: 1, max: 1e9 }).map(String));
const createTime = fc.oneof(fc.integer({ min: T0 - 3_600_000, max: T0 + 3_600_000 }).map(String), hostileTs.map(String));
const base = fc.record({ msgId: id64, createTime, userId: id64, uniqueId: fc.string({ maxLength: 12 }), nickname: fc.string({ maxLength: 12 }) }, { requiredKeys: [] });

const payload = (fields: fc.Arbitrary<Record<string, unknown>>) => fc.tuple(base, fields).map(([b, f]) => ({ ...b, ...f }));
const valid: fc.Arbitrary<Frame> = fc.oneof(
  payload(fc.record({ comment: fc.string({ minLength: 1, maxLength: 40 }) })).map((p): Frame => ['chat', p]),
  payload(fc.constant({})).map((p): Frame => ['member', p]),
  payload(fc.record({ likeCount: fc.nat(100), totalLikeCount: fc.nat(1e8) }, { requiredKeys: [] })).map((p): Frame => ['like', p]),
  payload(fc.record({ viewerCount: fc.nat(1e5), totalUser: fc.nat(1e7) }, { requiredKeys: ['viewerCount'] })).map((p): Frame => ['roomUser', p]),
  payload(fc.record({ displayType: fc.constantFrom('pm_main_follow_message_viewer_2', 'pm_mt_guidance_share', 'pm_mt_join_message') })).map((p): Frame => ['social', p]),
  fc.tuple(fc.constantFrom('follow', 'share'), payload(fc.constant({}))).map(([e, p]): Frame => [e, p]),
  fc
    .record({ msgId: id64, createTime: fc.integer({ min: T0 - 60_000, max: T0 + 60_000 }), giftId: fc.constantFrom(5655, 7934), groupId: fc.constantFrom('0', '1001', '1002'), repeatCount: fc.integer({ min: 1, max: 100 }), repeatEnd: fc.boolean(), giftType: fc.constantFrom(1, 2), diamondCount: fc.nat(45_000), userId: id64 })
    .map((g): Frame => ['gift', tiktokGift(g)]),
  fc.record({ create_time: fc.oneof(fc.integer({ min: (T0 - 86_400_000) / 1000, max: T0 / 1000 }), hostileTs), title: fc.string({ maxLength: 20 }), status: fc.nat(4) }, { requiredKeys: [] }).map((data): Frame => ['tiktokConnected', { isConnected: true, roomId: '7388150294846458625', roomInfo: { data } }]),
  fc.constantFrom<Frame>(['streamEnd', undefined], ['tiktokDisconnected', "The requested user isn't online :("], ['tiktokDisconnected', 'You have opened too many connections or made too many connection requests.']),
);

const garbage: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('chat', 'gift', 'like', 'roomUser', 'member', 'social', 'tiktokConnected', 'tiktokDisconnected'), hostileValue) },
  { weight: 2, arbitrary: fc.tuple(hostileString, hostileValue) },
  { weight: 2, arbitrary: valid.chain(([e, p]) => (p !== null && typeof p === 'object' ? mutated(fc.constant(p as Record<string, unknown>)).map((m): Frame => [e, m]) : fc.constant<Frame>([e, p]))) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('chat', 'gift', 'like'), deepValue) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'toString'), hostileValue) },
);

describe('door: source: tiktok-chat-reader', () => {
  it('garbage, mutated and valid events mixed: never a throw, every event valid', async () => {
    await checkDoorAsync(DOOR, 'any events', fc.asyncProperty(fc.array(fc.oneof(valid, garbage), { maxLength: 25 }), async (frames) => {
      await breathe();
      feedAll(new EventDoor(), frames);
    }), { scale: 2 });
  }, doorTimeout(2));

  it('valid events beside garbage are mapped exactly; a refused event changes no state', async () => {
    await checkDoorAsync(DOOR, 'garbage changes nothing', fc.asyncProperty(fc.array(fc.tuple(valid, fc.array(garbage, { maxLength: 3 }), fc.boolean()), { minLength: 1, maxLength: 15 }), async (steps) => {
      await breathe();
      const frames = steps.map(([[event, p], g, twin], i) => {
        const numbered: Frame = [event, p !== null && typeof p === 'object' && 'msgId' in p ? { ...p, msgId: `7${String(i).padStart(18, '0')}` } : p];
        // A broken twin (same msgId, a checked field ruined) first: refusing it must not mark the id seen.
        const broken: Frame[] = twin && numbered[1] !== null && typeof numbered[1] === 'object' ? [[event, { ...numbered[1], comment: 42, viewerCount: -1, diamondCount: 'x', likeCount: 'x', totalLikeCount: 'x' }]] : [];
        return { valid: numbered, garbage: [...g, ...broken] };
      });
      const { clean, mixed } = withAndWithoutGarbage(() => new EventDoor(), frames);
      expect(mixed).toEqual(clean);
      const chats = frames.filter((f) => f.valid[0] === 'chat').map((f) => (f.valid[1] as { comment: string }).comment);
      const comments = mixed.filter((e) => e.type === 'comment').map((e) => (e as { text: string }).text);
      for (const c of chats) expect(comments).toContain(c);
    }));
  }, doorTimeout());
});
