import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DouyinWebcastMapper } from '../../electron/core/sources/douyin-webcast.ts';
import { GIFT_STREAK_TIMEOUT_MS } from '../../electron/core/sources/gift-streaks.ts';
import { douyinLive, douyinStatus } from '../helpers/upstream.ts';
import type { MapResult } from '../../electron/core/sources/common.ts';
import { validateEvent } from '../../shared/protocol.ts';

const FIX = join(import.meta.dirname, '../fixtures/f2-webcast');
/** As stored: an object or a one-element array — the mapper takes either. */
const fixture = (name: string, dir = 'douyin'): unknown => JSON.parse(readFileSync(join(FIX, dir, `${name}.json`), 'utf8'));

function valid(r: MapResult): MapResult {
  for (const e of r.events) expect(validateEvent({ ...e, seq: 1 })).toMatchObject({ ok: true });
  return r;
}

const T = 1_720_284_937_552; // the LiveShopping fixture's createTime
const online = (m: DouyinWebcastMapper, at = T - 60_000) => valid(m.map({ type: 'system', event: 'live_status', code: 'ROOM_ONLINE', live: true, room_id: '1', title: '直播间', live_name: 'x' }, at));
const types = (r: MapResult) => r.events.map((e) => e.type);

describe('douyin mapper: the real f2 fixtures', () => {
  it('WebcastGiftMessage (a combo 入团卡 without repeatEnd, diamondCount 1) → one gift of 1 diamond, once its streak times out', () => {
    const m = new DouyinWebcastMapper();
    online(m, 1_718_870_387_000);
    // A streak step: counted at its end, which this capture does not include.
    expect(valid(m.map(fixture('WebcastGiftMessage'), 1_718_870_388_000))).toMatchObject({ events: [], ignored: 1 });
    // The same message again (a reconnect replays it): a duplicate.
    expect(m.map(fixture('WebcastGiftMessage'), 1_718_870_389_000)).toMatchObject({ events: [], duplicates: 1 });
    expect(valid(m.tick(1_718_870_388_000 + GIFT_STREAK_TIMEOUT_MS)).events).toEqual([{ ts: 1_718_870_387_667, type: 'gift', n: 1, valueFen: 10, diamonds: 1 }]);
  });

  it('WebcastLiveShoppingMessage (array-wrapped, sold_out) → product sold out', () => {
    const m = new DouyinWebcastMapper();
    online(m);
    expect(valid(m.map(fixture('WebcastLiveShoppingMessage'), T + 100)).events).toEqual([{ ts: T, type: 'product', productId: '3607009049079634959', soldOut: true }]);
  });

  it('WebcastProductChangeMessage → pin of the product with explain_type (no createTime: stamped on receipt)', () => {
    const m = new DouyinWebcastMapper();
    online(m);
    expect(valid(m.map(fixture('WebcastProductChangeMessage'), T + 100)).events).toEqual([{ ts: T + 100, type: 'pin', productId: '3691984502923623681' }]);
  });

  it('WebcastRoomUserSeqMessage → online and cumulative viewers; WebcastRoomStatsMessage → online', () => {
    const m = new DouyinWebcastMapper();
    online(m, 1_720_190_984_000);
    expect(valid(m.map(fixture('WebcastRoomUserSeqMessage'), 1_720_190_985_000)).events).toEqual([{ ts: 1_720_190_984_678, type: 'viewers', online: 497, uv: 6597 }]);
    expect(valid(m.map(fixture('WebcastStatsMessage'), 1_720_284_938_500)).events).toEqual([{ ts: 1_720_284_938_163, type: 'viewers', online: 2252 }]);
  });

  it('WebcastSocialMessage action "1" → follow; WebcastUpdateFanTicketMessage → ignored', () => {
    const m = new DouyinWebcastMapper();
    online(m);
    expect(valid(m.map(fixture('WebcastSocialMessage'), T)).events).toEqual([{ ts: T, type: 'follow', n: 1 }]);
    expect(m.map(fixture('WebcastUpdateFanTicketMessage'), T)).toMatchObject({ events: [], ignored: 1, quarantined: [] });
  });

  it('the TikTok-side RoomStats fixture decodes the same way (same webcast schema)', () => {
    const m = new DouyinWebcastMapper();
    online(m, 1_720_287_172_000);
    expect(valid(m.map(fixture('WebcastStatsMessage', 'tiktok'), 1_720_287_172_500)).events).toEqual([{ ts: 1_720_287_172_223, type: 'viewers', online: 78 }]);
  });
});

describe('douyin mapper: RoomStats (guest mode) is online only when its display says so', () => {
  const stats = (m: DouyinWebcastMapper, id: string, f: Record<string, unknown>) => valid(m.map(douyinLive('WebcastRoomStatsMessage', { common: { msgId: id, createTime: T }, ...f }), T));

  it('display type 1 / 在线观众 → online; "N人看过" → accumulated viewers (uv), not online; anything else is not guessed at', () => {
    const m = new DouyinWebcastMapper();
    online(m);
    expect(stats(m, '1', { displayType: 1, displayLong: '2252在线观众', displayMiddle: '2252', displayValue: 2252, total: 2252 }).events).toEqual([{ ts: T, type: 'viewers', online: 2252 }]);
    expect(stats(m, '2', { displayType: 2, displayLong: '1.2万人看过', displayMiddle: '1.2万', displayValue: 12_345, total: 12_345 }).events).toEqual([{ ts: T, type: 'viewers', uv: 12_345 }]);
    // The same with the exact figure left out: the display's own (4 significant digits).
    expect(stats(m, '3', { displayType: 2, displayLong: '1.2万人看过', displayMiddle: '1.2万' }).events).toEqual([{ ts: T, type: 'viewers', uv: 12_000 }]);
    expect(stats(m, '4', { displayType: 3, displayLong: '热度 3', total: 3 })).toMatchObject({ events: [], ignored: 1, quarantined: [] });
    // An empty room: total 0 is left out, the display still says 在线.
    expect(stats(m, '5', { displayType: 1, displayLong: '0在线观众', displayMiddle: '0' }).events).toEqual([{ ts: T, type: 'viewers', online: 0 }]);
  });
});

describe('douyin mapper: status frames and session', () => {
  it('ROOM_ONLINE opens with the title, repeats are ignored, ROOM_OFFLINE changes nothing, ROOM_ENDED ends once', () => {
    const m = new DouyinWebcastMapper();
    expect(online(m, T).events).toEqual([{ ts: T, type: 'session', status: 'live', startedAt: T, title: '直播间' }]);
    expect(online(m, T + 5).events).toEqual([]);
    expect(m.map({ type: 'system', event: 'live_status', code: 'ROOM_OFFLINE', live: false }, T + 6).events).toEqual([]);
    expect(m.map({ type: 'system', event: 'live_status', code: 'ROOM_ENDED', live: false, ended: true }, T + 7).events).toEqual([
      { ts: T + 7, type: 'session', status: 'ended', startedAt: T },
    ]);
    expect(m.map({ type: 'system', event: 'live_status', code: 'ROOM_ENDED', ended: true }, T + 8).events).toEqual([]);
    // The next broadcast.
    expect(types(online(m, T + 100))).toEqual(['session']);
  });

  it('WebcastControlMessage action (field 2) 3 ends the session; other actions do not', () => {
    const m = new DouyinWebcastMapper();
    online(m, T);
    expect(m.map(douyinLive('WebcastControlMessage', { common: { msgId: '1', createTime: T + 50 }, action: 1 }), T + 60).events).toEqual([]);
    expect(m.map(douyinLive('WebcastControlMessage', { common: { msgId: '2', createTime: T + 70 }, action: 3 }), T + 80).events).toEqual([
      { ts: T + 70, type: 'session', status: 'ended', startedAt: T },
    ]);
  });

  it('a decoded message before any status frame opens the session at its receipt', () => {
    const m = new DouyinWebcastMapper();
    expect(types(valid(m.map({ method: 'WebcastMemberMessage', common: { msgId: '5' } }, T)))).toEqual(['session', 'enter']);
  });
});

describe('douyin mapper: rules', () => {
  it('gift: non-combo (combo omitted), ×3 streak → counted once at the end, 3 gifts, not 1+2+3', () => {
    const m = new DouyinWebcastMapper({ fenPerDiamond: 10 });
    online(m);
    // gift.combo false is left out by protojson; the rule holds whatever it says.
    const step = (id: string, repeatCount: number, repeatEnd = 0) =>
      m.map(douyinLive('WebcastGiftMessage', { common: { msgId: id, createTime: T }, giftId: 463, groupId: '1720284937001', repeatCount, comboCount: repeatCount, groupCount: 1, repeatEnd, user: { id: '111', nickname: 'a' }, gift: { id: 463, combo: false, diamondCount: 1 } }), T);
    expect(step('1', 1).events).toEqual([]);
    expect(step('2', 2).events).toEqual([]);
    expect(step('3', 3).events).toEqual([]);
    // The trailing copy with repeatEnd 1 ends it: 3 gifts of 1 diamond.
    expect(valid(step('4', 3, 1)).events).toEqual([{ ts: T, type: 'gift', n: 3, valueFen: 30, diamonds: 3 }]);
    // A second copy of the end (or a late step) adds nothing.
    expect(step('5', 3, 1)).toMatchObject({ events: [], ignored: 1 });
    expect(step('6', 2)).toMatchObject({ events: [], ignored: 1 });
  });

  it('gift: a single gift followed by its trailing repeatEnd copy counts once', () => {
    const m = new DouyinWebcastMapper();
    online(m);
    const g = (id: string, repeatEnd: number) =>
      m.map(douyinLive('WebcastGiftMessage', { common: { msgId: id, createTime: T }, giftId: 3242, groupId: '77', repeatCount: 1, repeatEnd, user: { id: '9' }, gift: { id: 3242, combo: true, diamondCount: 30_000 } }), T);
    expect(g('a', 0).events).toEqual([]);
    expect(g('b', 1).events).toEqual([{ ts: T, type: 'gift', n: 1, valueFen: 300_000, diamonds: 30_000 }]);
  });

  it('gift: a preset group send (×66, ×1314 in groupCount) counts repeatCount × groupCount gifts', () => {
    const m = new DouyinWebcastMapper({ fenPerDiamond: 10 });
    online(m);
    const r = m.map(douyinLive('WebcastGiftMessage', { common: { msgId: 'g66', createTime: T }, giftId: 463, groupId: '5', groupCount: 66, repeatCount: 1, repeatEnd: 1, user: { id: '1' }, gift: { id: 463, diamondCount: 1 } }), T);
    expect(valid(r).events).toEqual([{ ts: T, type: 'gift', n: 66, valueFen: 660, diamonds: 66 }]);
    const two = m.map(douyinLive('WebcastGiftMessage', { common: { msgId: 'g1314', createTime: T }, giftId: 463, groupId: '6', groupCount: 1314, repeatCount: 2, repeatEnd: 1, user: { id: '1' }, gift: { id: 463, diamondCount: 1 } }), T);
    expect(two.events).toEqual([{ ts: T, type: 'gift', n: 2628, valueFen: 26_280, diamonds: 2628 }]);
  });

  it('gift: a streak whose end never comes is counted after the timeout with its last count; two users, two streaks', () => {
    const m = new DouyinWebcastMapper({ giftTimeoutMs: 5000 });
    online(m);
    const step = (id: string, user: string, repeatCount: number, at: number) =>
      m.map(douyinLive('WebcastGiftMessage', { common: { msgId: id, createTime: at }, giftId: 463, groupId: '8', repeatCount, user: { id: user }, gift: { id: 463, diamondCount: 1 } }), at);
    step('1', 'u1', 1, T);
    step('2', 'u2', 1, T + 100);
    step('3', 'u1', 2, T + 200);
    expect(m.tick(T + 5099).events).toEqual([]);
    expect(m.tick(T + 5150).events).toEqual([{ ts: T + 100, type: 'gift', n: 1, valueFen: 10, diamonds: 1 }]);
    // The next message flushes what has timed out by its receipt too.
    expect(step('4', 'u3', 1, T + 5300).events).toEqual([{ ts: T + 200, type: 'gift', n: 2, valueFen: 20, diamonds: 2 }]);
    // The broadcast ends: the open streak is counted before the end.
    const end = m.map(douyinStatus('ROOM_ENDED'), T + 5400);
    expect(end.events.map((e) => e.type)).toEqual(['gift', 'session']);
  });

  it('gift: a zero-diamond gift (diamondCount left out) counts with no value; no gift object, or a diamondCount that is not a count, is quarantined', () => {
    const m = new DouyinWebcastMapper();
    online(m);
    const free = m.map(douyinLive('WebcastGiftMessage', { common: { msgId: 'f', createTime: T }, giftId: 1, groupId: '1', repeatCount: 1, repeatEnd: 1, user: { id: '1' }, gift: { id: 1, name: '小心心' } }), T);
    expect(valid(free).events).toEqual([{ ts: T, type: 'gift', n: 1, valueFen: 0, diamonds: 0 }]);
    expect(m.map({ method: 'WebcastGiftMessage', common: { msgId: '1' }, repeatCount: '1' }, T).quarantined[0]!.reason).toBe('douyin: WebcastGiftMessage without gift');
    expect(m.map({ method: 'WebcastGiftMessage', common: { msgId: '2' }, repeatCount: '1', gift: { diamondCount: 'lots' } }, T).quarantined[0]!.reason).toBe(
      'douyin: WebcastGiftMessage gift.diamondCount is not a count',
    );
  });

  it('likes: deltas of total; chat → comment; fansclub type 2; share by shareType; RoomUserSeq pv from "43.6万"', () => {
    const m = new DouyinWebcastMapper();
    online(m);
    const like = (id: string, count: string, total: string) => m.map({ method: 'WebcastLikeMessage', common: { msgId: id }, count, total }, T).events;
    // The room's total from the broadcast start is kept (the KPI); n is the increase seen.
    expect(like('l1', '5', '1000')).toEqual([{ ts: T, type: 'like', n: 5, total: 1000 }]);
    expect(like('l2', '3', '1040')).toEqual([{ ts: T, type: 'like', n: 40, total: 1040 }]);
    expect(valid(m.map({ method: 'WebcastChatMessage', common: { msgId: 'c' }, content: '链接多少钱', user: { id: 'u9', nickname: '小王' } }, T)).events).toEqual([
      { ts: T, type: 'comment', text: '链接多少钱', nickname: '小王', userId: 'u9' },
    ]);
    // Field 2 is `action`: 2 joined, 1 upgraded.
    expect(m.map(douyinLive('WebcastFansclubMessage', { common: { msgId: 'f', createTime: T }, action: 2, content: '加入了粉丝团' }), T).events).toEqual([{ ts: T, type: 'fansclub', n: 1 }]);
    expect(m.map(douyinLive('WebcastFansclubMessage', { common: { msgId: 'f2', createTime: T }, action: 1 }), T).events).toEqual([]);
    expect(m.map({ method: 'WebcastSocialMessage', common: { msgId: 's' }, action: '3', shareType: '1' }, T).events).toEqual([{ ts: T, type: 'share', n: 1 }]);
    expect(valid(m.map({ method: 'WebcastRoomUserSeqMessage', common: { msgId: 'u' }, total: '1200', totalUser: '52000', totalPvForAnchor: '43.6万' }, T)).events).toEqual([
      { ts: T, type: 'viewers', online: 1200, uv: 52_000, pv: 436_000 },
    ]);
  });

  it('an array of messages maps each; a huge array, junk and missing fields are quarantined with reasons', () => {
    const m = new DouyinWebcastMapper();
    online(m);
    expect(types(m.map([{ method: 'WebcastMemberMessage', common: { msgId: 'a' } }, { method: 'WebcastMemberMessage', common: { msgId: 'b' } }], T))).toEqual(['enter', 'enter']);
    expect(m.map(new Array(1000).fill({}), T).quarantined[0]!.reason).toBe('douyin: an array of 1000 messages (more than 100)');
    expect(m.map(42, T).quarantined[0]!.reason).toBe('douyin: message is not a JSON object');
    expect(m.map({ common: {} }, T).quarantined[0]!.reason).toBe('douyin: message without method');
    expect(m.map({ method: 'WebcastRoomStatsMessage', common: { msgId: 'x' }, total: 'many' }, T).quarantined[0]!.reason).toBe('douyin: WebcastRoomStatsMessage total is not a count');
    expect(m.map({ method: 'WebcastChatMessage', common: { msgId: 'y' }, content: 'x'.repeat(5000) }, T).quarantined[0]!.reason).toBe('douyin: WebcastChatMessage content over 2000 characters');
    for (const junk of [null, 'ping', [], [null], { method: 42 }, { method: 'WebcastGiftMessage', gift: 'x' }, { method: 'WebcastProductChangeMessage', update_product_info: 'x' }, { method: 'WebcastLiveShoppingMessage', sold_out: 'maybe', updated_product_ids: [{}, 1] }]) {
      valid(m.map(junk, T));
    }
  });
});
