import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TikTokChatReaderMapper, classifyTikTokReason } from '../../electron/core/sources/tiktok-chat-reader.ts';
import { tiktokGift } from '../helpers/upstream.ts';
import type { MapResult } from '../../electron/core/sources/common.ts';
import { validateEvent } from '../../shared/protocol.ts';

const FIX = join(import.meta.dirname, '../fixtures/f2-webcast/tiktok');
const fixture = (name: string): Record<string, unknown> => {
  const v = JSON.parse(readFileSync(join(FIX, `${name}.json`), 'utf8')) as unknown;
  return (Array.isArray(v) ? v[0] : v) as Record<string, unknown>;
};

/** Every produced event must be a valid FEED-PROTOCOL event once the relay numbers it. */
function valid(r: MapResult): MapResult {
  for (const e of r.events) expect(validateEvent({ ...e, seq: 1 })).toMatchObject({ ok: true });
  return r;
}

const T = 1_720_191_973_043; // the chat fixture's createTime
const connected = (m: TikTokChatReaderMapper, at = T, roomId = '7388150294846458625') =>
  valid(m.map('tiktokConnected', { isConnected: true, roomId, roomInfo: { title: 'Evening show', create_time: Math.floor((at - 600_000) / 1000) } }, at));

describe('TikTok-Chat-Reader mapper: the real f2 fixtures (decoded webcast shape)', () => {
  it('chat → comment with the text, nickname, user id, and createTime as ts', () => {
    const m = new TikTokChatReaderMapper();
    connected(m, T - 1000);
    const r = valid(m.map('chat', fixture('WebcastChatMessage'), T + 400));
    expect(r.events).toEqual([{ ts: T, type: 'comment', text: 'hello', nickname: expect.any(String), userId: expect.stringMatching(/^u_/) }]);
  });

  it('gift (a non-streakable Train, diamondCount 899) → one gift of 899 diamonds at 10 fen each', () => {
    const m = new TikTokChatReaderMapper();
    const raw = fixture('WebcastGiftMessage');
    connected(m, 1_720_192_430_000);
    const r = valid(m.map('gift', raw, 1_720_192_430_500));
    expect(r.events).toEqual([{ ts: 1_720_192_430_390, type: 'gift', n: 1, valueFen: 8990, diamonds: 899 }]);
  });

  it('member → one entry; roomUser → online and cumulative viewers (snake_case total_user)', () => {
    const m = new TikTokChatReaderMapper();
    connected(m, 1_720_190_985_000);
    expect(valid(m.map('member', fixture('WebcastMemberMessage'), 1_720_190_985_500)).events).toEqual([{ ts: 1_720_190_985_428, type: 'enter', n: 1 }]);
    const seq = fixture('WebcastRoomUserSeqMessage');
    const r = valid(m.map('roomUser', seq, 1_720_868_172_600));
    expect(r.events).toEqual([{ ts: 1_720_868_172_587, type: 'viewers', online: 200, uv: 751 }]);
  });

  it('social with a follow display type → follow', () => {
    const m = new TikTokChatReaderMapper();
    connected(m, 1_720_191_907_000);
    expect(valid(m.map('social', fixture('WebcastSocialMessage'), 1_720_191_908_000)).events).toEqual([{ ts: 1_720_191_907_929, type: 'follow', n: 1 }]);
  });

  it('the like fixture carries neither count (protobuf dropped the defaults): quarantined with the reason', () => {
    const m = new TikTokChatReaderMapper();
    connected(m, 1_720_190_983_000);
    const r = m.map('like', fixture('WebcastLikeMessage'), 1_720_190_983_500);
    expect(r.events).toEqual([]);
    expect(r.quarantined).toEqual([{ reason: 'tiktok: like without likeCount or totalLikeCount', raw: expect.anything() }]);
  });
});

describe('TikTok-Chat-Reader mapper: rules', () => {
  it('tiktokConnected opens the session at the broadcast start; a reconnect to the same room continues it', () => {
    const m = new TikTokChatReaderMapper();
    const r = connected(m, T);
    expect(r.events).toEqual([{ ts: T - 600_000 - ((T - 600_000) % 1000), type: 'session', status: 'live', startedAt: T - 600_000 - ((T - 600_000) % 1000), title: 'Evening show' }]);
    expect(connected(m, T + 5000).events).toEqual([]);
    // Another roomId: TikTok gives each broadcast its own, so this is a new one.
    const next = connected(m, T + 9000, 'another');
    expect(next.events.map((e) => [e.type, 'status' in e ? e.status : null])).toEqual([
      ['session', 'ended'],
      ['session', 'live'],
    ]);
  });

  it('tiktok-live-connector 2.x: the start and title are roomInfo.data.create_time and roomInfo.data.title', () => {
    const m = new TikTokChatReaderMapper();
    const created = Math.floor((T - 40 * 60_000) / 1000);
    const r = valid(m.map('tiktokConnected', { isConnected: true, roomId: '7388', roomInfo: { data: { create_time: created, title: '夜场清仓', status: 2 }, status_code: 0 } }, T));
    expect(r.events).toEqual([{ ts: created * 1000, type: 'session', status: 'live', startedAt: created * 1000, title: '夜场清仓' }]);
  });

  it('an implausible broadcast start (missing, future, days old) falls back to the receipt time', () => {
    for (const create_time of [undefined, (T + 3600_000) / 1000, (T - 3 * 86_400_000) / 1000, 'garbage']) {
      const m = new TikTokChatReaderMapper();
      const r = valid(m.map('tiktokConnected', { roomId: 'r', roomInfo: { create_time } }, T));
      expect(r.events[0]).toMatchObject({ type: 'session', startedAt: T });
    }
  });

  it('streamEnd ends the session once; room data before any tiktokConnected opens one', () => {
    const m = new TikTokChatReaderMapper();
    const r = valid(m.map('member', { msgId: '1', createTime: String(T) }, T));
    expect(r.events.map((e) => e.type)).toEqual(['session', 'enter']);
    expect(valid(m.map('streamEnd', undefined, T + 10)).events).toEqual([{ ts: T + 10, type: 'session', status: 'ended', startedAt: T }]);
    expect(m.map('streamEnd', undefined, T + 20).events).toEqual([]);
  });

  it('after streamEnd the same roomId does not reopen the session; a new roomId does', () => {
    const m = new TikTokChatReaderMapper();
    connected(m, T, 'room-a');
    m.map('streamEnd', undefined, T + 10);
    expect(connected(m, T + 20, 'room-a').events).toEqual([]);
    expect(connected(m, T + 30, 'room-b').events).toMatchObject([{ type: 'session', status: 'live' }]);
  });

  it('gift streak: giftType 1 counts once, at repeatEnd, diamondCount × repeatCount (2.x payload, repeatEnd a boolean)', () => {
    const m = new TikTokChatReaderMapper({ fenPerDiamond: 10 });
    connected(m);
    const step = (id: string, repeatCount: number, repeatEnd: boolean) =>
      m.map('gift', tiktokGift({ msgId: id, createTime: T + repeatCount, giftId: 5655, groupId: '1001', repeatCount, repeatEnd, giftType: 1, diamondCount: 1 }), T + 100);
    expect(step('a', 1, false).events).toEqual([]);
    expect(step('b', 2, false).events).toEqual([]);
    expect(step('c', 5, false).ignored).toBe(1);
    const end = valid(step('d', 5, true));
    expect(end.events).toEqual([{ ts: T + 5, type: 'gift', n: 5, valueFen: 50, diamonds: 5 }]);
    // A non-streakable gift counts at once, whatever repeatEnd says.
    const big = valid(m.map('gift', { msgId: 'e', giftType: 2, diamondCount: '899', repeatCount: '1', repeatEnd: false }, T + 200));
    expect(big.events).toEqual([{ ts: T + 200, type: 'gift', n: 1, valueFen: 8990, diamonds: 899 }]);
  });

  it('gift streak whose repeatEnd never comes is counted after the timeout, not lost', () => {
    const m = new TikTokChatReaderMapper({ giftTimeoutMs: 3000 });
    connected(m);
    m.map('gift', tiktokGift({ msgId: 's1', createTime: T, giftId: 5655, groupId: '7', repeatCount: 1, repeatEnd: false, giftType: 1, diamondCount: 1 }), T);
    m.map('gift', tiktokGift({ msgId: 's2', createTime: T + 50, giftId: 5655, groupId: '7', repeatCount: 4, repeatEnd: false, giftType: 1, diamondCount: 1 }), T + 50);
    expect(m.tick(T + 3000).events).toEqual([]);
    expect(valid(m.tick(T + 3050)).events).toEqual([{ ts: T + 50, type: 'gift', n: 4, valueFen: 40, diamonds: 4 }]);
    // The end arriving late adds nothing.
    expect(m.map('gift', tiktokGift({ msgId: 's3', createTime: T + 60, giftId: 5655, groupId: '7', repeatCount: 4, repeatEnd: true, giftType: 1, diamondCount: 1 }), T + 4000).events).toEqual([]);
  });

  it('tiktokDisconnected says why in the server\'s own words: offline, rate-limited, not found, refused', () => {
    expect(classifyTikTokReason("The requested user isn't online :(")).toBe('roomEnded');
    expect(classifyTikTokReason('You have opened too many connections or made too many connection requests. Please reduce the number of connections/requests or host your own server instance.')).toBe('rateLimited');
    expect(classifyTikTokReason('[Euler] Too many connections started, try again later.')).toBe('rateLimited');
    expect(classifyTikTokReason('Failed to retrieve Room ID from all sources.')).toBe('roomNotFound');
    expect(classifyTikTokReason('reCAPTCHA verification required.')).toBe('refused');
    expect(classifyTikTokReason('Connection lost. socket hang up')).toBe('unreachable');
    const m = new TikTokChatReaderMapper();
    expect(m.map('tiktokDisconnected', 'reCAPTCHA verification required.', T).problem).toEqual({ problem: 'refused', detail: 'reCAPTCHA verification required.' });
    connected(m);
    const end = m.map('streamEnd', undefined, T + 1);
    expect(end.problem).toMatchObject({ problem: 'roomEnded' });
    expect(end.events.map((e) => e.type)).toEqual(['session']);
  });

  it('gift without diamondCount or repeatCount is quarantined with a clear reason', () => {
    const m = new TikTokChatReaderMapper();
    connected(m);
    expect(m.map('gift', { msgId: 'x', giftType: 2, repeatCount: 1 }, T).quarantined[0]!.reason).toBe('tiktok: gift without diamondCount');
    expect(m.map('gift', { msgId: 'y', giftType: 2, diamondCount: 1 }, T).quarantined[0]!.reason).toBe('tiktok: gift without repeatCount');
    expect(m.map('gift', { msgId: 'z', giftType: 2, diamondCount: -5, repeatCount: 1 }, T).quarantined[0]!.reason).toBe('tiktok: gift without diamondCount');
  });

  it('likes come from totalLikeCount deltas, not the batch likeCount sum', () => {
    const m = new TikTokChatReaderMapper();
    connected(m);
    const like = (total: number | string, likeCount: number) => m.map('like', { totalLikeCount: total, likeCount }, T).events;
    // First total: a baseline; only its own batch counts (what came before cannot be placed in time).
    // The total (the room's, from the broadcast start) rides along: the KPI is the platform's figure.
    expect(like(10_000, 15)).toEqual([{ ts: T, type: 'like', n: 15, total: 10_000 }]);
    expect(like('10030', 15)).toEqual([{ ts: T, type: 'like', n: 30, total: 10_030 }]); // sampled: 30 new, not 15
    // Out of order (a smaller total after a bigger one): nothing, and no double count after.
    expect(like(10_020, 5)).toEqual([]);
    expect(like(10_040, 5)).toEqual([{ ts: T, type: 'like', n: 10, total: 10_040 }]);
    // Reset (the counter restarted): a new baseline.
    expect(like(12, 12)).toEqual([{ ts: T, type: 'like', n: 12, total: 12 }]);
    expect(like(20, 8)).toEqual([{ ts: T, type: 'like', n: 8, total: 20 }]);
    // No total at all: the batch count.
    expect(m.map('like', { likeCount: 3 }, T).events).toEqual([{ ts: T, type: 'like', n: 3 }]);
  });

  it('follow/share: dedicated events and social events with the same msgId count once', () => {
    const m = new TikTokChatReaderMapper();
    connected(m);
    expect(m.map('social', { msgId: '9', displayType: 'pm_main_follow_message_viewer_2' }, T).events).toEqual([{ ts: T, type: 'follow', n: 1 }]);
    expect(m.map('follow', { msgId: '9' }, T).duplicates).toBe(1);
    expect(m.map('share', { msgId: '10' }, T).events).toEqual([{ ts: T, type: 'share', n: 1 }]);
    expect(m.map('social', { msgId: '10', displayType: 'pm_mt_guidance_share' }, T).duplicates).toBe(1);
    expect(m.map('social', { msgId: '11', displayType: 'pm_mt_join_message' }, T).events).toEqual([]);
  });

  it('ts: createTime as a string; missing, garbage or far-future → receipt time; duplicates by msgId dropped', () => {
    const m = new TikTokChatReaderMapper();
    connected(m);
    const at = T + 1000;
    expect(m.map('member', { msgId: 'a', createTime: String(T + 500) }, at).events[0]!.ts).toBe(T + 500);
    expect(m.map('member', { msgId: 'b' }, at).events[0]!.ts).toBe(at);
    expect(m.map('member', { msgId: 'c', createTime: 'soon' }, at).events[0]!.ts).toBe(at);
    expect(m.map('member', { msgId: 'd', createTime: String(T + 86_400_000) }, at).events[0]!.ts).toBe(at);
    expect(m.map('member', { msgId: 'e', createTime: -5 }, at).events[0]!.ts).toBe(at);
    expect(m.map('member', { msgId: 'a', createTime: String(T + 500) }, at)).toMatchObject({ events: [], duplicates: 1 });
  });

  it('hostile input never throws and never produces an invalid event', () => {
    const m = new TikTokChatReaderMapper();
    connected(m);
    const junk: Array<[string, unknown]> = [
      ['chat', null],
      ['chat', 'text'],
      ['chat', { comment: 42 }],
      ['chat', { comment: 'x'.repeat(100_000) }],
      ['chat', { comment: 'ok', nickname: { a: 1 }, userId: ['x'] }],
      ['roomUser', { viewerCount: -1 }],
      ['roomUser', { viewerCount: 1.5 }],
      ['like', { totalLikeCount: 'NaN' }],
      ['gift', { giftType: 1, repeatEnd: true, diamondCount: 1e300, repeatCount: 1e300 }],
      ['gift', { __proto__: { diamondCount: 1 }, repeatCount: 1 }],
      ['member', { msgId: { toString: null } }],
      ['emote', { whatever: true }],
      ['constructor', {}],
    ];
    for (const [event, payload] of junk) {
      const r = valid(m.map(event, payload, T));
      expect(r.events.every((e) => e.type !== 'comment' || e.text.length <= 2000)).toBe(true);
    }
    expect(m.map('chat', { comment: 'x'.repeat(100_000) }, T).quarantined[0]!.reason).toBe('tiktok: chat comment over 2000 characters');
    expect(m.map('chat', 'text', T).quarantined[0]!.reason).toBe('tiktok: chat payload is not an object');
    expect(m.map('emote', {}, T).ignored).toBe(1);
  });
});
