/** How `--source` and `--rooms` become rooms (electron/core/sources/hub.ts planRooms). */
import { describe, expect, it } from 'vitest';
import { planRooms, SourceConfigError } from '../../electron/core/sources/hub.ts';

describe('planRooms', () => {
  it('opens a TikTok room per unique id, without the @', () => {
    expect(planRooms({ kind: 'tiktok-chat-reader', address: 'http://127.0.0.1:8081', rooms: ['@shop_official', ' brand '] })).toEqual([
      { roomId: 'shop_official', title: '@shop_official', sources: [{ kind: 'tiktok-chat-reader', url: 'http://127.0.0.1:8081', uniqueId: 'shop_official' }] },
      { roomId: 'brand', title: '@brand', sources: [{ kind: 'tiktok-chat-reader', url: 'http://127.0.0.1:8081', uniqueId: 'brand' }] },
    ]);
  });

  it('reads Douyin rooms from the service base URL and the ids, or from one room URL', () => {
    expect(planRooms({ kind: 'douyin-ws', address: 'ws://127.0.0.1:1088/', rooms: ['731', '732'] }).map((r) => r.sources[0])).toEqual([
      { kind: 'douyin-webcast', url: 'ws://127.0.0.1:1088/ws/731' },
      { kind: 'douyin-webcast', url: 'ws://127.0.0.1:1088/ws/732' },
    ]);
    expect(planRooms({ kind: 'douyin-ws', address: 'ws://127.0.0.1:1088/ws/731' })).toMatchObject([{ roomId: '731', sources: [{ url: 'ws://127.0.0.1:1088/ws/731' }] }]);
  });

  it('joins a merchant order file to the one room, and refuses it for several', () => {
    expect(planRooms({ kind: 'barragegrab', address: 'ws://127.0.0.1:8888', ordersFile: '/o.jsonl' })[0]!.sources).toEqual([
      { kind: 'barrage-grab', url: 'ws://127.0.0.1:8888', liveRoomId: undefined },
      { kind: 'merchant-orders', path: '/o.jsonl' },
    ]);
    expect(() => planRooms({ kind: 'tiktok-chat-reader', address: 'http://x:1', rooms: ['a', 'b'], ordersFile: '/o.jsonl' })).toThrow(/one room/);
  });

  it('says what is missing', () => {
    expect(() => planRooms({ kind: 'tiktok-chat-reader', address: 'http://x:1' })).toThrow(SourceConfigError);
    expect(() => planRooms({ kind: 'tiktok-chat-reader', address: 'http://x:1' })).toThrow(/needs --rooms/);
    expect(() => planRooms({ kind: 'douyin-ws', address: 'ws://x:1' })).toThrow(/needs --rooms/);
    expect(() => planRooms({ kind: 'douyin-ws', address: '' })).toThrow(/needs --feed/);
    expect(() => planRooms({ kind: 'douyin-ws', address: '127.0.0.1:1088', rooms: ['1'] })).toThrow(/ws:\/\/ or http:\/\//);
    expect(() => planRooms({ kind: 'barragegrab', address: 'ws://x:1', rooms: ['1', '2'] })).toThrow(/one room/);
  });
});
