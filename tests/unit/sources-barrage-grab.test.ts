import { describe, expect, it } from 'vitest';
import { BarrageGrabMapper } from '../../electron/core/sources/barrage-grab.ts';
import { parseJsonLossless, type MapResult } from '../../electron/core/sources/common.ts';
import { GIFT_STREAK_TIMEOUT_MS } from '../../electron/core/sources/gift-streaks.ts';
import { Bare, barrageGrab, bgUser } from '../helpers/upstream.ts';
import { validateEvent } from '../../shared/protocol.ts';

function valid(r: MapResult): MapResult {
  for (const e of r.events) expect(validateEvent({ ...e, seq: 1 })).toMatchObject({ ok: true });
  return r;
}

const T = 1_720_000_000_000;
let id = 0;
/** An envelope as DouyinBarrageGrab sends it: Data is JSON encoded a second time. */
const env = (Type: number, data: Record<string, unknown>) => ({ Type, ProcessName: 'douyin.exe', Data: JSON.stringify({ MsgId: String(++id), RoomId: '7388', ...data }) });

describe('DouyinBarrageGrab mapper', () => {
  it('maps Types 1–9, stamped on receipt; the first message opens the session', () => {
    const m = new BarrageGrabMapper();
    const user = { Id: '111', Nickname: '小李' };
    const r1 = valid(m.map(env(1, { Content: '多少钱', User: user }), T));
    expect(r1.events).toEqual([
      { ts: T, type: 'session', status: 'live', startedAt: T },
      { ts: T, type: 'comment', text: '多少钱', nickname: '小李', userId: '111' },
    ]);
    // The room's Total from the broadcast start is kept; n is the increase seen.
    expect(valid(m.map(env(2, { Count: 5, Total: 300, User: user }), T + 1)).events).toEqual([{ ts: T + 1, type: 'like', n: 5, total: 300 }]);
    expect(valid(m.map(env(2, { Count: 5, Total: 320, User: user }), T + 2)).events).toEqual([{ ts: T + 2, type: 'like', n: 20, total: 320 }]);
    expect(valid(m.map(env(3, { CurrentCount: 870, User: user }), T + 3)).events).toEqual([
      { ts: T + 3, type: 'enter', n: 1 },
      { ts: T + 3, type: 'viewers', online: 870 },
    ]);
    // The online figure from entries at most once a second.
    expect(m.map(env(3, { CurrentCount: 871 }), T + 500).events).toEqual([{ ts: T + 500, type: 'enter', n: 1 }]);
    expect(m.map(env(4, { User: user }), T + 4).events).toEqual([{ ts: T + 4, type: 'follow', n: 1 }]);
    // A gift is a streak step: counted when its streak times out (the tool never forwards the end).
    expect(valid(m.map(env(5, { GiftId: 463, GroupId: 1, GiftCount: 3, RepeatCount: 9, DiamondCount: 1, User: user }), T + 5)).events).toEqual([]);
    expect(m.map(env(5, { GiftId: 463, GroupId: 1, GiftCount: 0, RepeatCount: 9, DiamondCount: 1, User: user }), T + 5).events).toEqual([]);
    expect(valid(m.tick(T + 5 + GIFT_STREAK_TIMEOUT_MS)).events).toEqual([{ ts: T + 5, type: 'gift', n: 9, valueFen: 90, diamonds: 9 }]);
    expect(valid(m.map(env(6, { OnlineUserCount: '900', TotalUserCount: '12000' }), T + 6)).events).toEqual([{ ts: T + 6, type: 'viewers', online: 900, uv: 12_000 }]);
    expect(m.map(env(7, { Type: 2 }), T + 7).events).toEqual([{ ts: T + 7, type: 'fansclub', n: 1 }]);
    expect(m.map(env(7, { Type: 1 }), T + 7).events).toEqual([]);
    expect(m.map(env(8, {}), T + 8).events).toEqual([{ ts: T + 8, type: 'share', n: 1 }]);
    expect(m.map(env(9, {}), T + 9).events).toEqual([{ ts: T + 9, type: 'session', status: 'ended', startedAt: T }]);
    // A straggler right after the end stays in the ended session; a new room id is the next broadcast.
    expect(m.map(env(1, { Content: 'bye' }), T + 10).events.map((e) => e.type)).toEqual(['comment']);
    expect(m.map({ Type: 1, Data: JSON.stringify({ MsgId: 'n1', RoomId: '9999', Content: 'hi' }) }, T + 20).events.map((e) => e.type)).toEqual(['session', 'comment']);
  });

  it('a configured room is the web id people type (WebRoomId) or the internal RoomId; other rooms are ignored', () => {
    const byWeb = new BarrageGrabMapper({ liveRoomId: '80017709309' });
    const chat = (id: string, room: { roomId?: string; webRoomId?: string | null }) => parseJsonLossless(barrageGrab(1, { MsgId: new Bare(id), Content: '在吗', User: bgUser('111', 'a') }, room));
    expect(byWeb.map(chat('1', { roomId: '7388523424571869991', webRoomId: '80017709309' }), T).events.map((e) => e.type)).toEqual(['session', 'comment']);
    expect(byWeb.map(chat('2', { roomId: '7111111111111111111', webRoomId: '123' }), T)).toMatchObject({ events: [], ignored: 1 });
    // The tool leaves WebRoomId null until it has the room's page: the matched RoomId stands for the room.
    expect(byWeb.map(chat('4', { roomId: '7388523424571869991', webRoomId: null }), T).events.map((e) => e.type)).toEqual(['comment']);
    expect(byWeb.map(chat('5', { roomId: '7111111111111111111', webRoomId: null }), T)).toMatchObject({ events: [], ignored: 1 });
    const byInternal = new BarrageGrabMapper({ liveRoomId: '7388523424571869991' });
    expect(byInternal.map(chat('3', { roomId: '7388523424571869991', webRoomId: null }), T).events.map((e) => e.type)).toEqual(['session', 'comment']);
  });

  it('MsgIds beyond 2^53, written bare, stay distinct (a plain JSON.parse would make these two one)', () => {
    const m = new BarrageGrabMapper();
    const a = barrageGrab(4, { MsgId: new Bare('7388567546888702514'), User: bgUser('98765432109876543', 'a') });
    const b = barrageGrab(4, { MsgId: new Bare('7388567546888702515'), User: bgUser('98765432109876544', 'b') });
    expect(a).toContain('"MsgId\\":7388567546888702514');
    expect(m.map(JSON.parse(a), T).events.map((e) => e.type)).toEqual(['session', 'follow']);
    expect(m.map(JSON.parse(b), T).events.map((e) => e.type)).toEqual(['follow']);
    expect(m.map(JSON.parse(b), T)).toMatchObject({ events: [], duplicates: 1 });
    // And the user ids stay exact.
    const c = m.map(JSON.parse(barrageGrab(1, { MsgId: new Bare('7388567546888702516'), Content: 'hi', User: bgUser('98765432109876543', 'a') })), T);
    expect(c.events).toEqual([{ ts: T, type: 'comment', text: 'hi', nickname: 'a', userId: '98765432109876543' }]);
  });

  it('gifts: counted once per streak from RepeatCount — not GiftCount, which restarts at the full count once the tool forgets a streak', () => {
    const m = new BarrageGrabMapper({ fenPerDiamond: 10, giftTimeoutMs: 5000 });
    const gift = (id: string, repeatCount: number, giftCount: number, at: number) =>
      m.map(JSON.parse(barrageGrab(5, { MsgId: new Bare(id), GiftId: new Bare('463'), GiftName: '小心心', GroupId: new Bare('1720284937001'), GiftCount: new Bare(String(giftCount)), RepeatCount: new Bare(String(repeatCount)), DiamondCount: 1, Combo: true, ImgUrl: '', User: bgUser('111', 'a'), ToUser: null })), at);
    expect(gift('10', 1, 1, T).events).toEqual([{ ts: T, type: 'session', status: 'live', startedAt: T }]);
    expect(gift('11', 2, 1, T + 500).events).toEqual([]);
    expect(gift('12', 3, 1, T + 1000).events).toEqual([]);
    expect(m.tick(T + 5999).events).toEqual([]);
    expect(m.tick(T + 6000).events).toEqual([{ ts: T + 1000, type: 'gift', n: 3, valueFen: 30, diamonds: 3 }]);
    // 11 s later the tool has forgotten the streak and forwards the trailing end with GiftCount = RepeatCount: nothing new.
    expect(gift('13', 3, 3, T + 12_000)).toMatchObject({ events: [], ignored: 1 });
  });

  it('fans club: the inner Type (field 2, action) 2 is a join, 1 an upgrade', () => {
    const m = new BarrageGrabMapper();
    expect(m.map(JSON.parse(barrageGrab(7, { MsgId: new Bare('20'), Type: 2, Level: 1, User: bgUser('1', 'a') })), T).events.map((e) => e.type)).toEqual(['session', 'fansclub']);
    expect(m.map(JSON.parse(barrageGrab(7, { MsgId: new Bare('21'), Type: 1, Level: 2, User: bgUser('1', 'a') })), T).events).toEqual([]);
  });

  it('follows only the configured room; de-duplicates by MsgId', () => {
    const m = new BarrageGrabMapper({ liveRoomId: '7388' });
    expect(m.map({ Type: 3, Data: JSON.stringify({ MsgId: 'x', RoomId: '1' }) }, T)).toMatchObject({ events: [], ignored: 1 });
    const e = env(3, {});
    expect(m.map(e, T).events.map((x) => x.type)).toEqual(['session', 'enter']);
    expect(m.map(e, T)).toMatchObject({ events: [], duplicates: 1 });
  });

  it('quarantines bad envelopes with reasons and never throws', () => {
    const m = new BarrageGrabMapper();
    expect(m.map('x', T).quarantined[0]!.reason).toBe('barrage-grab: envelope is not a JSON object');
    expect(m.map({ Type: 12, Data: '{}' }, T).quarantined[0]!.reason).toBe('barrage-grab: envelope Type is not 1–9');
    expect(m.map({ Type: 1, Data: '{not json' }, T).quarantined[0]!.reason).toBe('barrage-grab: envelope Data is not a JSON-encoded object');
    expect(m.map({ Type: 5, Data: JSON.stringify({ GiftCount: 1 }) }, T).quarantined[0]!.reason).toBe('barrage-grab: gift (Type 5) without DiamondCount');
    expect(m.map({ Type: 1, Data: JSON.stringify({ Content: 7 }) }, T).quarantined[0]!.reason).toBe('barrage-grab: chat (Type 1) without Content');
    // Data already an object (some builds), or encoded three times: both read.
    expect(m.map({ Type: 4, Data: { MsgId: 'o' } }, T).events.map((e) => e.type)).toContain('follow');
    expect(m.map({ Type: 4, Data: JSON.stringify(JSON.stringify({ MsgId: 'p' })) }, T).events.map((e) => e.type)).toEqual(['follow']);
    for (const junk of [null, [], { Type: '1' }, { Type: 2, Data: '{"Total":-1}' }, { Type: 6, Data: '{"OnlineUserCount":1e400}' }, { Type: 1, Data: '"just a string"' }]) valid(m.map(junk, T));
  });
});
