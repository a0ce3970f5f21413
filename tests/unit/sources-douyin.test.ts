import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DouyinWebcastMapper } from '../../electron/core/sources/douyin-webcast.ts';
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
  it('WebcastGiftMessage (a combo 入团卡 without repeatEnd, diamondCount 1) → one gift of 1 diamond', () => {
    const m = new DouyinWebcastMapper();
    online(m, 1_718_870_387_000);
    const r = valid(m.map(fixture('WebcastGiftMessage'), 1_718_870_388_000));
    expect(r.events).toEqual([{ ts: 1_718_870_387_667, type: 'gift', n: 1, valueFen: 10, diamonds: 1 }]);
    // The same message again (a reconnect replays it): a duplicate.
    expect(m.map(fixture('WebcastGiftMessage'), 1_718_870_389_000)).toMatchObject({ events: [], duplicates: 1 });
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

  it('WebcastControlMessage status 3 ends the session; other statuses do not', () => {
    const m = new DouyinWebcastMapper();
    online(m, T);
    expect(m.map({ method: 'WebcastControlMessage', common: { msgId: '1', createTime: String(T + 50) }, status: 1 }, T + 60).events).toEqual([]);
    expect(m.map({ method: 'WebcastControlMessage', common: { msgId: '2', createTime: String(T + 70) }, status: '3' }, T + 80).events).toEqual([
      { ts: T + 70, type: 'session', status: 'ended', startedAt: T },
    ]);
  });

  it('a decoded message before any status frame opens the session at its receipt', () => {
    const m = new DouyinWebcastMapper();
    expect(types(valid(m.map({ method: 'WebcastMemberMessage', common: { msgId: '5' } }, T)))).toEqual(['session', 'enter']);
  });
});

describe('douyin mapper: rules', () => {
  it('gift combos count the growth of repeatCount, whether or not repeatEnd arrives', () => {
    const m = new DouyinWebcastMapper({ fenPerDiamond: 10 });
    online(m);
    const g = (id: string, repeatCount: string, extra: Record<string, unknown> = {}) =>
      m.map({ method: 'WebcastGiftMessage', common: { msgId: id, createTime: String(T) }, giftId: '1', groupId: 'g1', user: { id: 'u1' }, repeatCount, gift: { combo: true, diamondCount: '10' }, ...extra }, T);
    expect(g('1', '1').events).toEqual([{ ts: T, type: 'gift', n: 1, valueFen: 100, diamonds: 10 }]);
    expect(g('2', '3').events).toEqual([{ ts: T, type: 'gift', n: 2, valueFen: 200, diamonds: 20 }]);
    expect(g('3', '3', { repeatEnd: 1 })).toMatchObject({ events: [], ignored: 1 }); // the end repeats the final count
    // A new combo of the same user and gift (new group) counts afresh; snake_case keys are read too.
    const snake = m.map({ method: 'WebcastGiftMessage', common: { msg_id: '4', create_time: String(T) }, gift_id: '1', group_id: 'g2', user: { id: 'u1' }, repeat_count: '2', repeat_end: '1', gift: { combo: true, diamond_count: 10 } }, T);
    expect(valid(snake).events).toEqual([{ ts: T, type: 'gift', n: 2, valueFen: 200, diamonds: 20 }]);
    // Not a combo gift: repeatCount is what was sent.
    expect(m.map({ method: 'WebcastGiftMessage', common: { msgId: '5' }, repeatCount: '1', gift: { diamondCount: 3000 } }, T).events).toEqual([
      { ts: T, type: 'gift', n: 1, valueFen: 30_000, diamonds: 3000 },
    ]);
  });

  it('gift without gift.diamondCount is quarantined as "douyin: WebcastGiftMessage without gift.diamondCount"', () => {
    const m = new DouyinWebcastMapper();
    online(m);
    const r = m.map({ method: 'WebcastGiftMessage', common: { msgId: '1' }, repeatCount: '1', gift: { name: 'x' } }, T);
    expect(r.quarantined).toEqual([{ reason: 'douyin: WebcastGiftMessage without gift.diamondCount', raw: expect.anything() }]);
  });

  it('likes: deltas of total; chat → comment; fansclub type 2; share by shareType; RoomUserSeq pv from "43.6万"', () => {
    const m = new DouyinWebcastMapper();
    online(m);
    const like = (id: string, count: string, total: string) => m.map({ method: 'WebcastLikeMessage', common: { msgId: id }, count, total }, T).events;
    expect(like('l1', '5', '1000')).toEqual([{ ts: T, type: 'like', n: 5 }]);
    expect(like('l2', '3', '1040')).toEqual([{ ts: T, type: 'like', n: 40 }]);
    expect(valid(m.map({ method: 'WebcastChatMessage', common: { msgId: 'c' }, content: '链接多少钱', user: { id: 'u9', nickname: '小王' } }, T)).events).toEqual([
      { ts: T, type: 'comment', text: '链接多少钱', nickname: '小王', userId: 'u9' },
    ]);
    expect(m.map({ method: 'WebcastFansclubMessage', common: { msgId: 'f' }, type: 2 }, T).events).toEqual([{ ts: T, type: 'fansclub', n: 1 }]);
    expect(m.map({ method: 'WebcastFansclubMessage', common: { msgId: 'f2' }, type: 1 }, T).events).toEqual([]);
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
    expect(m.map({ method: 'WebcastRoomStatsMessage', common: { msgId: 'x' } }, T).quarantined[0]!.reason).toBe('douyin: WebcastRoomStatsMessage without total or display_value');
    expect(m.map({ method: 'WebcastChatMessage', common: { msgId: 'y' }, content: 'x'.repeat(5000) }, T).quarantined[0]!.reason).toBe('douyin: WebcastChatMessage content over 2000 characters');
    for (const junk of [null, 'ping', [], [null], { method: 42 }, { method: 'WebcastGiftMessage', gift: 'x' }, { method: 'WebcastProductChangeMessage', update_product_info: 'x' }, { method: 'WebcastLiveShoppingMessage', sold_out: 'maybe', updated_product_ids: [{}, 1] }]) {
      valid(m.map(junk, T));
    }
  });
});
