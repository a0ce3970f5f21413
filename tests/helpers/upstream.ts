/**
 * Frames as the upstream projects encode them, built from their definitions rather than from a
 * captured sample (samples leave out exactly the fields that matter when they are zero):
 * - douyinLive: the messages of douyinlive-proto's `new_douyin.proto`, written by Go's
 *   `protojson.Marshal` — lowerCamelCase names, 64-bit integers as strings, and every field that
 *   is 0, false or "" left out — plus the `method`/`livename`/`title` the service appends.
 * - DouyinBarrageGrab: Newtonsoft.Json of its JsonEntity classes — every property present, C#
 *   `long`s (`MsgId`, `User.Id`, `GiftId`, `GroupId`) as bare numbers, the message JSON-encoded
 *   again inside the `{ Type, ProcessName, Data }` envelope.
 * - TikTok-Chat-Reader: tiktok-live-connector 2.x's legacy `simplifyObject` output (user fields
 *   hoisted, `common` hoisted, gift details hoisted, `repeatEnd` a boolean).
 * The field tables below are the proto's field types, transcribed.
 */

type Kind = 'u64' | 'i32' | 'bool' | 'str' | Schema;
interface Schema {
  [field: string]: Kind;
}

const COMMON: Schema = { method: 'str', msgId: 'u64', roomId: 'u64', createTime: 'u64' };
const USER: Schema = { id: 'u64', shortId: 'u64', nickname: 'str', idStr: 'str' };
const GIFT_STRUCT: Schema = { id: 'u64', combo: 'bool', type: 'i32', diamondCount: 'i32', name: 'str' };

export const DOUYIN: Record<string, Schema> = {
  WebcastGiftMessage: { common: COMMON, giftId: 'u64', groupCount: 'u64', repeatCount: 'u64', comboCount: 'u64', user: USER, repeatEnd: 'i32', groupId: 'u64', gift: GIFT_STRUCT, totalCount: 'u64' },
  WebcastLikeMessage: { common: COMMON, count: 'u64', total: 'u64', user: USER },
  WebcastFansclubMessage: { common: COMMON, action: 'i32', content: 'str', user: USER },
  WebcastControlMessage: { common: COMMON, action: 'u64', tips: 'str' },
  WebcastRoomStatsMessage: {
    common: COMMON,
    displayShort: 'str',
    displayMiddle: 'str',
    displayLong: 'str',
    displayValue: 'u64',
    displayVersion: 'u64',
    incremental: 'bool',
    isHidden: 'bool',
    total: 'u64',
    displayType: 'u64',
  },
  WebcastRoomUserSeqMessage: { common: COMMON, total: 'u64', totalUser: 'u64', totalPvForAnchor: 'str', onlineUserForAnchor: 'str' },
  WebcastChatMessage: { common: COMMON, user: USER, content: 'str' },
  WebcastMemberMessage: { common: COMMON, user: USER, memberCount: 'u64' },
  WebcastSocialMessage: { common: COMMON, user: USER, shareType: 'u64', action: 'u64' },
};

/** protojson of one message: zero values left out, 64-bit integers as strings. */
export function protojson(schema: Schema, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const kind = schema[key];
    if (kind === undefined) throw new Error(`no field ${key} in this message`);
    if (v === undefined || v === null) continue;
    if (typeof kind === 'object') {
      out[key] = protojson(kind, v as Record<string, unknown>);
      continue;
    }
    if (kind === 'u64') {
      // A non-numeric id in a test (for readability) is passed as given.
      if (!/^\d+$/.test(String(v)) || BigInt(String(v)) !== 0n) out[key] = String(v);
    } else if (kind === 'i32') {
      if (Number(v) !== 0) out[key] = Number(v);
    } else if (kind === 'bool') {
      if (v === true) out[key] = true;
    } else if (v !== '') out[key] = String(v);
  }
  return out;
}

/** A decoded message as the douyinLive service sends it. */
export function douyinLive(method: keyof typeof DOUYIN, value: Record<string, unknown>): Record<string, unknown> {
  const schema = DOUYIN[method]!;
  const common = { method, ...((value.common as Record<string, unknown>) ?? {}) };
  return { ...protojson(schema, { ...value, common }), method, livename: '店播', title: '夏日清仓', avatarThumb: '' };
}

/** One of the service's status frames (cmd/main/room_status.go, room.go). */
export function douyinStatus(code: 'ROOM_ONLINE' | 'ROOM_OFFLINE' | 'ROOM_ENDED' | 'ROOM_NOT_FOUND' | 'ROOM_STATUS_UNKNOWN', title = '夏日清仓'): Record<string, unknown> {
  const base = { type: 'system', event: 'live_status', code };
  switch (code) {
    case 'ROOM_ONLINE':
      return { ...base, valid: true, live: true, status: 'online', status_text: '直播间已开播', room_id: '7388', live_name: '店播', title, message: '直播间已开播' };
    case 'ROOM_OFFLINE':
      return { ...base, valid: true, live: false, status: 'offline', status_text: '直播间未开播', room_id: '7388', message: '直播间当前未开播，服务端会保持连接并继续轮询', retry_interval_seconds: 30 };
    case 'ROOM_ENDED':
      return { ...base, valid: true, live: false, status: 'ended', status_text: '直播间已下播', room_id: '7388', title, message: '直播间已经下播，服务端会保持连接并等待再次开播', ended: true, retry_interval_seconds: 30 };
    case 'ROOM_NOT_FOUND':
      return { ...base, valid: false, live: false, status: 'not_found', status_text: '直播间不存在或房间号无效', message: '直播间不存在或房间号无效，已关闭连接' };
    case 'ROOM_STATUS_UNKNOWN':
      return { ...base, valid: false, live: null, status: 'unknown', message: '暂时无法确认直播状态' };
  }
}

/** A JSON number written bare, however many digits (Newtonsoft writes C# longs so). */
export class Bare {
  constructor(readonly digits: string) {}
}

/** JSON text with `Bare` values written as raw digits. */
export function jsonWithBare(v: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(v, (_k, x: unknown) => {
    if (x instanceof Bare) {
      marks.push(x.digits);
      return `\u0000bare${marks.length - 1}\u0000`;
    }
    return x;
  });
  return text.replace(/"\\u0000bare(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)]!);
}

/** A BarrageGrab `MsgUser` as Newtonsoft writes it (every property). */
export function bgUser(id: string, nickname: string): Record<string, unknown> {
  return { Id: new Bare(id), ShortId: new Bare('0'), DisplayId: 'dy_' + id.slice(-4), Nickname: nickname, Level: 0, PayLevel: -1, Gender: 1, HeadImgUrl: '', SecUid: '', FansClub: { ClubName: '', Level: 0 }, FollowerCount: -1, FollowStatus: -1 };
}

/**
 * A BarrageGrab envelope text: `Data` is the message's JSON (bare 64-bit numbers) as a string.
 * `msg` holds the entity's own fields; `Msg`'s common ones are filled in.
 */
export function barrageGrab(type: number, msg: Record<string, unknown>, room: { roomId?: string; webRoomId?: string | null } = {}): string {
  const data = { MsgId: new Bare('0'), User: null, Onwer: null, Content: '', RoomId: room.roomId ?? '7388523424571869991', WebRoomId: room.webRoomId === undefined ? '80017709309' : room.webRoomId, ...msg };
  return JSON.stringify({ Type: type, ProcessName: '直播伴侣', Data: jsonWithBare(data) });
}

/** A TikTok-Chat-Reader payload: tiktok-live-connector 2.x's simplified message. */
export function tiktokPayload(fields: Record<string, unknown>, user = { userId: '6812345678901234567', uniqueId: 'viewer', nickname: 'Viewer' }): Record<string, unknown> {
  return { ...user, msgId: '7388150294846458625', createTime: String(Date.now()), displayType: '', ...fields };
}

/** A 2.x gift payload: details hoisted, `repeatEnd` boolean, the `gift` summary the converter adds. */
export function tiktokGift(f: { msgId: string; createTime: number; giftId: number; groupId: string; repeatCount: number; repeatEnd: boolean; giftType: number; diamondCount: number; userId?: string }): Record<string, unknown> {
  return tiktokPayload(
    {
      msgId: f.msgId,
      createTime: String(f.createTime),
      giftId: f.giftId,
      groupId: f.groupId,
      repeatCount: f.repeatCount,
      repeatEnd: f.repeatEnd,
      giftType: f.giftType,
      diamondCount: f.diamondCount,
      giftName: 'Rose',
      gift: { gift_id: f.giftId, repeat_count: f.repeatCount, repeat_end: f.repeatEnd ? 1 : 0, gift_type: f.giftType },
    },
    { userId: f.userId ?? '6812345678901234567', uniqueId: 'viewer', nickname: 'Viewer' },
  );
}
