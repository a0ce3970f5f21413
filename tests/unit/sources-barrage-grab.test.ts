import { describe, expect, it } from 'vitest';
import { BarrageGrabMapper } from '../../electron/core/sources/barrage-grab.ts';
import type { MapResult } from '../../electron/core/sources/common.ts';
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
    expect(valid(m.map(env(2, { Count: 5, Total: 300, User: user }), T + 1)).events).toEqual([{ ts: T + 1, type: 'like', n: 5 }]);
    expect(valid(m.map(env(2, { Count: 5, Total: 320, User: user }), T + 2)).events).toEqual([{ ts: T + 2, type: 'like', n: 20 }]);
    expect(valid(m.map(env(3, { CurrentCount: 870, User: user }), T + 3)).events).toEqual([
      { ts: T + 3, type: 'enter', n: 1 },
      { ts: T + 3, type: 'viewers', online: 870 },
    ]);
    // The online figure from entries at most once a second.
    expect(m.map(env(3, { CurrentCount: 871 }), T + 500).events).toEqual([{ ts: T + 500, type: 'enter', n: 1 }]);
    expect(m.map(env(4, { User: user }), T + 4).events).toEqual([{ ts: T + 4, type: 'follow', n: 1 }]);
    expect(valid(m.map(env(5, { GiftId: 463, GiftCount: 3, RepeatCount: 9, DiamondCount: 1 }), T + 5)).events).toEqual([
      { ts: T + 5, type: 'gift', n: 3, valueFen: 30, diamonds: 3 },
    ]);
    expect(m.map(env(5, { GiftId: 463, GiftCount: 0, RepeatCount: 9, DiamondCount: 1 }), T + 5).events).toEqual([]);
    expect(valid(m.map(env(6, { OnlineUserCount: '900', TotalUserCount: '12000' }), T + 6)).events).toEqual([{ ts: T + 6, type: 'viewers', online: 900, uv: 12_000 }]);
    expect(m.map(env(7, { Type: 2 }), T + 7).events).toEqual([{ ts: T + 7, type: 'fansclub', n: 1 }]);
    expect(m.map(env(7, { Type: 1 }), T + 7).events).toEqual([]);
    expect(m.map(env(8, {}), T + 8).events).toEqual([{ ts: T + 8, type: 'share', n: 1 }]);
    expect(m.map(env(9, {}), T + 9).events).toEqual([{ ts: T + 9, type: 'session', status: 'ended', startedAt: T }]);
    // A straggler right after the end stays in the ended session; a new room id is the next broadcast.
    expect(m.map(env(1, { Content: 'bye' }), T + 10).events.map((e) => e.type)).toEqual(['comment']);
    expect(m.map({ Type: 1, Data: JSON.stringify({ MsgId: 'n1', RoomId: '9999', Content: 'hi' }) }, T + 20).events.map((e) => e.type)).toEqual(['session', 'comment']);
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
