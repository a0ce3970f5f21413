/**
 * The official platforms as room sources: how each one's connector is made for a room. A platform
 * is its folder plus one case here.
 *
 * Roles in a room with several sources: the first source opens and ends the session; a viewer-side
 * stream owns viewers, entries and engagement; 抖店 owns orders (the order truth of GMV); 千川
 * owns ad plans, spend and product clicks. 抖店 keeps the orders of the live room the room reports:
 * the id it was given, else the one 千川 found for the 抖音号, else the viewer stream's room id.
 *
 * A TikTok room: TikTok-Chat-Reader owns the audience; TikTok Shop owns the orders (taken as the
 * LIVE's by the rule in tiktok-shop/source.ts, since TikTok's orders name no room); GMV Max, when an
 * ad account is configured, owns the ads. Each source's money names its currency.
 */
import type { SourceConnector, ConnectorOptions } from '../sources/connector.ts';
import type { RoomSink } from '../sources/room-mux.ts';
import { TikTokShopOrderSource } from './tiktok-shop/source.ts';
import { GmvMaxSource } from './gmv-max/source.ts';
import { planPortOfGmvMax } from './gmv-max/plan-port.ts';
import type { SecretVault } from '../secrets/types.ts';
import { QianchuanClient } from './qianchuan/client.ts';
import { QianchuanSource } from './qianchuan/source.ts';
import { DoudianOrderSource } from './doudian/source.ts';
import { QianchuanPlanPort, type PlatformPlanPort } from './qianchuan/plan-port.ts';
import type { PlatformSettings } from './settings.ts';

export type OfficialSpec =
  | { kind: 'qianchuan'; awemeId: string }
  | { kind: 'doudian'; liveRoomId?: string }
  /** `liveRoomId`: the TikTok LIVE room id that filters GMV Max's report (LCR_TIKTOK_ADS_ROOM_IDS). */
  | { kind: 'tiktok-shop'; liveRoomId?: string };

export interface RoomContext {
  /** The room id the app shows. */
  roomId: string;
  /** Does the room have a viewer-side stream? */
  hasViewerStream: boolean;
  /** Does 抖店 feed this room (so 千川 does not count orders)? */
  hasDoudian: boolean;
  /** Is this the room's first source (it opens the session)? */
  opensSession: boolean;
  /** The live room id another source of the room reports now (千川's), or null. */
  reportedLiveRoomId: () => string | null;
  /** The broadcast's start and end as the room's session opener said them (TikTok Shop's attribution window). */
  liveWindow: () => { startedAt: number; endedAt: number | null } | null;
  /** The products the broadcast showed (catalog, pins), null when no source names any. */
  shownProducts: () => ReadonlySet<string> | null;
  /** Another sink into the same room, for a platform that runs two sources (TikTok Shop and GMV Max). */
  sink: (name: string) => RoomSink;
}

export class PlatformSetupError extends Error {}

/** The plan changes a room's sources can make on the platform (null: none of them is an ad platform). */
export function planPortOf(sources: readonly SourceConnector[]): PlatformPlanPort | null {
  const qc = sources.find((s): s is QianchuanSource => s instanceof QianchuanSource);
  return qc ? new QianchuanPlanPort(qc) : planPortOfGmvMax(sources);
}

export function startOfficial(spec: OfficialSpec, room: RoomContext, common: ConnectorOptions, platforms: PlatformSettings | undefined, vault: SecretVault | undefined): SourceConnector[] {
  if (!vault) throw new PlatformSetupError(`${spec.kind}: no credential vault is open`);
  switch (spec.kind) {
    case 'tiktok-shop': {
      const acc = platforms?.tiktokShop;
      if (!acc) throw new PlatformSetupError('TikTok Shop needs its account (LCR_TIKTOK_SHOP_APP_KEY, LCR_TIKTOK_SHOP_ID)');
      const shop = new TikTokShopOrderSource({
        ...common,
        api: { base: acc.base, authBase: acc.authBase, appKey: acc.appKey, shopId: acc.shopId, shopCipher: acc.shopCipher },
        vault,
        liveWindow: room.liveWindow,
        shownProducts: room.shownProducts,
        pollMs: platforms?.pollMs,
        webhook: acc.webhook,
        opensSession: room.opensSession,
      });
      const ads = platforms?.tiktokAds;
      if (!ads) return [shop];
      const liveRoomId = spec.liveRoomId;
      const gmv = new GmvMaxSource({
        ...common,
        sink: room.sink('gmv-max'),
        api: { base: ads.base, appId: ads.appId, advertiserId: ads.advertiserId, storeId: ads.storeId },
        vault,
        roomIds: () => (liveRoomId ? [liveRoomId] : null),
        // GMV Max is read each minute (peers sync TikTok spend every 30): LCR_API_POLL_SEC only shortens it.
        pollMs: platforms?.pollMs !== undefined ? Math.min(platforms.pollMs, 60_000) : undefined,
      });
      return [shop, gmv];
    }
    case 'qianchuan': {
      const acc = platforms?.qianchuan;
      if (!acc) throw new PlatformSetupError('千川 needs its account (LCR_QIANCHUAN_APP_ID, LCR_QIANCHUAN_ADVERTISER_ID)');
      const client = new QianchuanClient({ base: acc.base, vault, account: { advertiserId: acc.advertiserId, appId: acc.appId } });
      return [new QianchuanSource({
        ...common,
        client,
        awemeId: spec.awemeId,
        roles: { traffic: !room.hasViewerStream, orders: !room.hasDoudian, session: room.opensSession },
        pollMs: platforms?.pollMs,
        uniCostUnit: acc.uniCostUnit,
      })];
    }
    case 'doudian': {
      const acc = platforms?.doudian;
      if (!acc) throw new PlatformSetupError('抖店 needs its account (LCR_DOUDIAN_APP_KEY, LCR_DOUDIAN_SHOP_ID)');
      const fixed = spec.liveRoomId;
      // The last room seen stays followed after its show ends: refunds and late payments keep coming.
      let last: string | null = null;
      const current = () => fixed ?? room.reportedLiveRoomId() ?? (room.hasViewerStream ? room.roomId : null);
      return [new DoudianOrderSource({
        ...common,
        api: { base: acc.base, appKey: acc.appKey, shopId: acc.shopId },
        vault,
        // The room's own live id when 抖店 names the room; else the one 千川 found; else the viewer stream's room.
        liveRoomId: () => (last = current() ?? last),
        pollMs: platforms?.pollMs,
        push: acc.push,
        opensSession: room.opensSession,
      })];
    }
  }
}
