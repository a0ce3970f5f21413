/**
 * CONTRACTS.md's `--source KIND` for the whole app: the rooms a team follows from one kind of
 * real source, each room a SourceBridge on ONE loopback relay, so the core's one FeedClient
 * follows them all exactly as it follows the simulator or a remote relay (resume, quarantine,
 * the store). The kinds and their addresses (`--feed` / LCR_FEED_URL):
 * - `tiktok-chat-reader`: the TikTok-Chat-Reader server's URL; `--rooms` are TikTok unique ids.
 * - `douyin-ws`: the douyinLive service (`ws://host:port`, each room at `/ws/<roomId>`), or one
 *   room's full `…/ws/<roomId>` URL; `--rooms` are Douyin live room ids.
 * - `barragegrab`: DouyinBarrageGrab's local WebSocket; one room (`--rooms` names it, optional).
 * - `replay`: a JSONL capture file or `session:ID` from the store, at LCR_SPEED / `--speed` 1–60×,
 *   as a new live session of the recording's room.
 * A merchant order file (LCR_ORDERS_FILE / `--orders`) joins the one room's session.
 */
import { RelayServer } from '../feed/relay-server.ts';
import { SourceBridge, type SourceSpec } from './bridge.ts';
import { douyinLiveUrl } from './douyin-webcast.ts';
import type { SourceState } from './common.ts';
import type { SourceQuarantine } from './connector.ts';

import type { OfficialKind, SourceKind } from '../../../shared/contract.ts';
import type { PlatformSettings } from '../platforms/settings.ts';
import { planPortOf } from '../platforms/registry.ts';
import { bridgeOrigins } from './origins.ts';
import type { FigureOrigin } from '../../../shared/contract.ts';
import type { SourceFacts } from '../live/room.ts';
import type { PlatformPlanPort } from '../platforms/plan-port.ts';
import type { SecretVault } from '../secrets/types.ts';

/** `feed` is a FEED-PROTOCOL relay, handled by the core itself; the hub runs the others. */
export type RealSourceKind = Exclude<SourceKind, 'feed'>;


export interface SourceConfig {
  kind: RealSourceKind;
  /** `--feed`: the source's URL (for replay: a JSONL capture or `session:ID`). */
  address: string;
  rooms?: string[];
  /** A merchant order stream (JSON lines, SOURCES.md §4) for the same room. */
  ordersFile?: string;
  /** Replay speed, 1–60. */
  speed?: number;
  fenPerDiamond?: number;
  /** The data folder, where `session:ID` replays read from. */
  dataDir?: string;
  /** Official platforms joining each room (`--source douyin-ws,qianchuan,doudian`). */
  also?: OfficialKind[];
  /** The official accounts (non-secret parts; the vault holds the rest). */
  platforms?: PlatformSettings;
}

export class SourceConfigError extends Error {}

/** Events per room the hub's relay keeps for a resume: minutes of a busy room's peak. */
export const RELAY_HISTORY = 200_000;

/** A room the hub will open: the id the app shows and the specs feeding it (a replay names its room from the recording). */
export interface PlannedRoom {
  roomId?: string;
  title?: string;
  sources: SourceSpec[];
}

/** Checks a configuration and lays out its rooms, with a clear error for what is missing. */
export function planRooms(cfg: SourceConfig): PlannedRoom[] {
  const rooms = (cfg.rooms ?? []).map((r) => r.trim()).filter(Boolean);
  const address = cfg.address.trim();
  if (cfg.kind === 'qianchuan' || cfg.kind === 'doudian' || cfg.kind === 'tiktok-shop') return withOfficial(planOfficial(cfg.kind, rooms, cfg.platforms ?? {}), cfg);
  if (!address) throw new SourceConfigError(`--source ${cfg.kind} needs --feed (LCR_FEED_URL): ${cfg.kind === 'replay' ? 'a JSONL capture file or session:ID' : "the source's address"}`);
  if (cfg.kind !== 'replay' && !/^(wss?|https?):\/\//i.test(address)) throw new SourceConfigError(`--feed for ${cfg.kind} must be a ws:// or http:// URL (got "${address}")`);
  let planned: PlannedRoom[];
  switch (cfg.kind) {
    case 'tiktok-chat-reader':
      if (!rooms.length) throw new SourceConfigError('--source tiktok-chat-reader needs --rooms (LCR_ROOMS): the TikTok unique ids to follow, e.g. --rooms shop_official');
      planned = rooms.map((r) => {
        const uniqueId = r.replace(/^@/, '');
        return { roomId: uniqueId, title: `@${uniqueId}`, sources: [{ kind: 'tiktok-chat-reader', url: address, uniqueId }] };
      });
      break;
    case 'douyin-ws': {
      // One room's full URL, or the service's base URL and the room ids.
      const own = /\/ws\/([^/?#]+)\/?$/.exec(address);
      if (own) {
        const id = decodeURIComponent(own[1]!);
        planned = [{ roomId: rooms[0] ?? id, title: `抖音 ${id}`, sources: [{ kind: 'douyin-webcast', url: address }] }];
      } else {
        if (!rooms.length) throw new SourceConfigError('--source douyin-ws needs --rooms (LCR_ROOMS): the Douyin live room ids, or --feed ending in /ws/<roomId>');
        planned = rooms.map((id) => ({ roomId: id, title: `抖音 ${id}`, sources: [{ kind: 'douyin-webcast', url: douyinLiveUrl(address, id) }] }));
      }
      break;
    }
    case 'barragegrab':
      if (rooms.length > 1) throw new SourceConfigError('--source barragegrab follows one room (DouyinBarrageGrab captures what the Douyin client shows); give at most one --rooms');
      planned = [{ roomId: rooms[0] ?? 'douyin-barragegrab', title: rooms[0] ? `抖音 ${rooms[0]}` : '抖音直播间 (BarrageGrab)', sources: [{ kind: 'barrage-grab', url: address, liveRoomId: rooms[0] }] }];
      break;
    case 'replay': {
      // The recording names its room, platform and title; --rooms may rename the room.
      const speed = cfg.speed ?? 1;
      if (!(speed >= 1 && speed <= 60)) throw new SourceConfigError(`replay speed must be a number from 1 to 60 (got ${speed})`);
      if (rooms.length > 1) throw new SourceConfigError('--source replay plays one recorded show: give at most one --rooms');
      planned = [{ roomId: rooms[0], sources: [{ kind: 'replay', from: address, speed, dataDir: cfg.dataDir }] }];
      break;
    }
  }
  planned = withOfficial(planned, cfg);
  if (cfg.ordersFile && cfg.kind !== 'replay') {
    if (planned.length !== 1) throw new SourceConfigError('a merchant order file feeds one room: give one room with --orders');
    planned[0]!.sources.push({ kind: 'merchant-orders', path: cfg.ordersFile });
  }
  return planned;
}

/**
 * A room named by an official platform: 千川 rooms are 抖音号 (aweme_id), 抖店 rooms live room ids;
 * a TikTok Shop room alone is a name the team gives it (its orders are the shop's while the app follows).
 */
function planOfficial(kind: OfficialKind, rooms: string[], platforms: PlatformSettings): PlannedRoom[] {
  needAccount(kind, platforms);
  if (kind === 'tiktok-shop') {
    if (!rooms.length) throw new SourceConfigError('--source tiktok-shop needs --rooms (LCR_ROOMS): a name for each room, e.g. the TikTok account (@shop_official)');
    return rooms.map((r, i) => {
      const id = r.replace(/^@/, '');
      if (!/^[\w.-]{1,100}$/.test(id)) throw new SourceConfigError(`--rooms for tiktok-shop are names of letters, digits, '.', '_' or '-' (got "${r}")`);
      return { roomId: id, title: `TikTok Shop @${id}`, sources: [tiktokShopSpec(platforms, i)] };
    });
  }
  if (!rooms.length) throw new SourceConfigError(kind === 'qianchuan' ? '--source qianchuan needs --rooms (LCR_ROOMS): the 抖音号 ids (aweme_id) whose live rooms to follow' : '--source doudian needs --rooms (LCR_ROOMS): the live room ids whose orders to keep');
  for (const r of rooms) if (!/^\d{1,20}$/.test(r)) throw new SourceConfigError(`--rooms for ${kind} are numeric ids (got "${r}")`);
  return rooms.map((id) =>
    kind === 'qianchuan'
      ? { roomId: id, title: `抖音号 ${id}`, sources: [{ kind: 'qianchuan', awemeId: id }] }
      : { roomId: id, title: `抖音直播间 ${id}`, sources: [{ kind: 'doudian', liveRoomId: id }] },
  );
}

/** Adds the official platforms that join each room's first source. */
function withOfficial(planned: PlannedRoom[], cfg: SourceConfig): PlannedRoom[] {
  const platforms = cfg.platforms ?? {};
  for (const kind of cfg.also ?? []) {
    needAccount(kind, platforms);
    planned.forEach((room, i) => {
      if (kind === 'doudian') {
        room.sources.push({ kind: 'doudian' });
        return;
      }
      if (kind === 'tiktok-shop') {
        room.sources.push(tiktokShopSpec(platforms, i));
        return;
      }
      const awemeId = platforms.qianchuan?.awemeIds?.[i];
      if (!awemeId) throw new SourceConfigError(`千川 beside ${cfg.kind} needs the 抖音号 of each room: LCR_QIANCHUAN_AWEME_ID (comma-separated, in the order of --rooms; room ${room.roomId ?? i + 1} has none)`);
      room.sources.push({ kind: 'qianchuan', awemeId });
    });
  }
  return planned;
}

/** The room's TikTok Shop spec; its GMV Max report is filtered by the room's LIVE id when one is configured. */
function tiktokShopSpec(platforms: PlatformSettings, i: number): SourceSpec {
  const liveRoomId = platforms.tiktokAds?.roomIds?.[i];
  return { kind: 'tiktok-shop', ...(liveRoomId ? { liveRoomId } : {}) };
}

function needAccount(kind: OfficialKind, platforms: PlatformSettings): void {
  if (kind === 'tiktok-shop' && !platforms.tiktokShop) throw new SourceConfigError('TikTok Shop needs its account: LCR_TIKTOK_SHOP_APP_KEY and LCR_TIKTOK_SHOP_ID (and the secret, and `lcr auth tiktok-shop --auth-code CODE`)');
  if (kind === 'qianchuan' && !platforms.qianchuan) throw new SourceConfigError('千川 needs its account: LCR_QIANCHUAN_APP_ID and LCR_QIANCHUAN_ADVERTISER_ID (and the secret and refresh token, or `lcr auth qianchuan`)');
  if (kind === 'doudian' && !platforms.doudian) throw new SourceConfigError('抖店 needs its account: LCR_DOUDIAN_APP_KEY and LCR_DOUDIAN_SHOP_ID (and the secret and refresh token, or `lcr auth doudian`)');
}

export interface SourceHubOptions {
  token: string;
  host?: string;
  /** Default: any free port (the core's own hub on loopback); lcr relay listens where it is told. */
  port?: number;
  onState?: (states: SourceState[]) => void;
  onQuarantine?: (q: SourceQuarantine) => void;
  /** Where the official platforms' secrets and tokens are kept. */
  vault?: SecretVault;
}

export class SourceHub {
  private constructor(
    private readonly relay: RelayServer,
    readonly bridges: SourceBridge[],
    readonly config: SourceConfig,
  ) {}

  static async start(cfg: SourceConfig, opts: SourceHubOptions): Promise<SourceHub> {
    const planned = planRooms(cfg);
    // The app on loopback is the relay's one client and keeps up: a bounded history is enough to
    // resume after a hiccup, and a big room's night does not pile up in memory.
    const relay = new RelayServer({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, token: opts.token, maxHistory: RELAY_HISTORY });
    await relay.listen();
    const bridges: SourceBridge[] = [];
    const hub = new SourceHub(relay, bridges, cfg);
    try {
      for (const room of planned) {
        bridges.push(
          await SourceBridge.start({
            relay,
            roomId: room.roomId,
            title: room.title,
            sources: room.sources,
            fenPerDiamond: cfg.fenPerDiamond,
            platforms: cfg.platforms,
            vault: opts.vault,
            onState: () => opts.onState?.(hub.states()),
            onQuarantine: opts.onQuarantine,
          }),
        );
      }
    } catch (e) {
      await hub.stop();
      throw e;
    }
    return hub;
  }

  get url(): string {
    return this.relay.url;
  }

  states(): SourceState[] {
    return this.bridges.flatMap((b) => b.states());
  }

  /** What every room's view says about these sources: whether they carry orders, and each figure's origin. */
  facts(): SourceFacts {
    const cfg = this.config;
    const kinds = [cfg.kind, ...(cfg.also ?? [])];
    const hasOrders = cfg.kind === 'replay' || !!cfg.ordersFile || kinds.includes('qianchuan') || kinds.includes('doudian') || kinds.includes('tiktok-shop');
    return { noOrders: !hasOrders, commandsSupported: false, origins: (roomId) => this.origins(roomId) };
  }

  /** Where each kind of figure of a room comes from, and how fresh it is. */
  origins(roomId: string): FigureOrigin[] {
    const bridge = this.bridges.find((b) => b.mux.roomId === roomId);
    return bridge ? bridgeOrigins(bridge.sources) : [];
  }

  private readonly ports = new Map<string, PlatformPlanPort | null>();

  /** The room's ad platform, for plan changes (null: none of its sources is one). */
  planPort(roomId: string): PlatformPlanPort | null {
    if (!this.ports.has(roomId)) {
      const bridge = this.bridges.find((b) => b.mux.roomId === roomId);
      this.ports.set(roomId, bridge ? planPortOf(bridge.sources) : null);
    }
    return this.ports.get(roomId) ?? null;
  }

  async stop(): Promise<void> {
    await Promise.all(this.bridges.map((b) => b.stop()));
    await this.relay.close();
  }
}
