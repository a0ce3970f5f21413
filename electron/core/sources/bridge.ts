/**
 * Real sources as a bridge: real sources → adapters → one relay room on loopback → the app's FeedClient,
 * exactly as the embedded simulator does it (core.ts starts `Simulator`, takes its `url`, and the
 * FeedClient connects with a one-off token). Everything after the relay — resume with `afterSeq`,
 * quarantine, the store — is the path the app already uses for any relay.
 *
 * One bridge = one room: a viewer-side source (it opens and ends the session) plus, optionally, a
 * merchant order stream feeding the same session — or a replay of a recorded session (replay.ts),
 * which is a whole session by itself and takes its room id, platform and title from the recording
 * unless they are given.
 */
import { RelayServer } from '../feed/relay-server.ts';
import type { SourceState } from './common.ts';
import type { SourceConnector, SourceQuarantine } from './connector.ts';
import { RoomMux } from './room-mux.ts';
import { TikTokChatReaderSource, TIKTOK_PLATFORM } from './tiktok-chat-reader.ts';
import { DouyinWebcastSource, DOUYIN_PLATFORM } from './douyin-webcast.ts';
import { BarrageGrabSource } from './barrage-grab.ts';
import { MerchantOrderFileSource } from './merchant-orders.ts';
import { ReplaySource, checkReplaySpeed, probeRecording, type RecordingInfo } from './replay.ts';
import { startOfficial, type OfficialSpec } from '../platforms/registry.ts';
import { QianchuanSource } from '../platforms/qianchuan/source.ts';
import type { PlatformSettings } from '../platforms/settings.ts';
import type { SecretVault } from '../secrets/types.ts';

export type SourceSpec =
  | { kind: 'tiktok-chat-reader'; url: string; uniqueId: string; connectOptions?: Record<string, unknown> }
  | { kind: 'douyin-webcast'; url: string }
  | { kind: 'barrage-grab'; url: string; liveRoomId?: string }
  | { kind: 'merchant-orders'; path: string; pollMs?: number }
  /**
   * `from`: a capture file (capture.ts) or `session:ID` read from the store in `dataDir`;
   * `speed` 1–60; `maxGapMs`: source ms of silence beyond which the wait is compressed (replay.ts).
   */
  | { kind: 'replay'; from: string; speed: number; dataDir?: string; maxGapMs?: number }
  /** An official platform API (platforms/): 千川 for a 抖音号, 抖店 for a live room's orders. */
  | OfficialSpec;

const NOT_VIEWER = new Set<SourceSpec['kind']>(['merchant-orders', 'qianchuan', 'doudian', 'tiktok-shop']);

export interface SourceBridgeOptions {
  /** The relay room id the app sees. Required but for a replay, which defaults to the recording's. */
  roomId?: string;
  title?: string;
  /** Default: the viewer-side source's platform. */
  platform?: string;
  sources: SourceSpec[];
  host?: string;
  port?: number;
  token?: string;
  batchMs?: number;
  fenPerDiamond?: number;
  backoff?: { initialMs?: number; maxMs?: number };
  /** Waits before asking again for a room a source cannot serve now (connector.ts; tests shorten it). */
  problemBackoff?: { initialMs?: number; maxMs?: number };
  /** Gift streaks with no end are counted this long after their last step (gift-streaks.ts). */
  giftTimeoutMs?: number;
  /** Any source's status changed; all states are passed. */
  onState?: (states: SourceState[]) => void;
  onQuarantine?: (q: SourceQuarantine) => void;
  /**
   * A relay already listening, shared by several bridges (one per room) so the app's one
   * FeedClient follows every room; the bridge then neither listens nor closes it.
   */
  relay?: RelayServer;
  platforms?: PlatformSettings;
  vault?: SecretVault;
}

export class SourceBridge {
  private constructor(
    readonly relay: RelayServer,
    readonly mux: RoomMux,
    readonly sources: SourceConnector[],
    private readonly ownRelay = true,
  ) {}

  static async start(opts: SourceBridgeOptions): Promise<SourceBridge> {
    const viewers = opts.sources.filter((s) => !NOT_VIEWER.has(s.kind));
    if (viewers.length > 1) throw new Error('a bridge room takes one viewer-side source (and optionally official platforms and a merchant order stream)');
    if (!opts.sources.length) throw new Error('no source given');
    const viewer = viewers[0];
    let recording: RecordingInfo | null = null;
    if (viewer?.kind === 'replay') {
      if (opts.sources.length > 1) throw new Error('a replay is a whole recorded session: it takes no other source in its room');
      // Checked before anything listens, so a bad speed, a missing file or an unknown session is one clear error.
      checkReplaySpeed(viewer.speed);
      recording = await probeRecording(viewer.from, viewer.dataDir);
    }
    const roomId = opts.roomId ?? recording?.roomId;
    if (!roomId) throw new Error('a bridge needs the room id the app shows (roomId)');
    const tiktok = viewer?.kind === 'tiktok-chat-reader' || (!viewer && opts.sources.some((s) => s.kind === 'tiktok-shop'));
    const platform = opts.platform ?? recording?.platform ?? (tiktok ? TIKTOK_PLATFORM : DOUYIN_PLATFORM);
    const ownRelay = !opts.relay;
    const relay = opts.relay ?? new RelayServer({ host: opts.host, port: opts.port, token: opts.token });
    const mux = new RoomMux({
      relay,
      roomId,
      platform,
      title: opts.title ?? recording?.title ?? roomId,
      batchMs: opts.batchMs,
      onQuarantine: opts.onQuarantine,
    });
    const sources: SourceConnector[] = [];
    const bridge = new SourceBridge(relay, mux, sources, ownRelay);
    const common = {
      onState: () => opts.onState?.(bridge.states()),
      onQuarantine: opts.onQuarantine,
      backoff: opts.backoff,
      problemBackoff: opts.problemBackoff,
      fenPerDiamond: opts.fenPerDiamond,
      giftTimeoutMs: opts.giftTimeoutMs,
    };
    const first = opts.sources[0]!;
    const hasDoudian = opts.sources.some((s) => s.kind === 'doudian');
    for (const spec of opts.sources) {
      // The viewer-side stream opens the session; without one, the room's first source does.
      const opensSession = viewer ? spec === viewer : spec === first;
      const sink = mux.sink(spec.kind, { opensSession, showsProducts: spec.kind !== 'tiktok-shop' });
      switch (spec.kind) {
        case 'qianchuan':
        case 'doudian':
        case 'tiktok-shop':
          sources.push(
            ...startOfficial(
              spec,
              {
                roomId,
                hasViewerStream: !!viewer,
                hasDoudian,
                opensSession,
                reportedLiveRoomId: () => bridge.reportedLiveRoomId(),
                liveWindow: () => mux.liveWindow(),
                shownProducts: () => mux.shownProducts(),
                sink: (name) => mux.sink(name, { opensSession: false }),
              },
              { ...common, sink },
              opts.platforms,
              opts.vault,
            ),
          );
          break;
        case 'tiktok-chat-reader':
          sources.push(new TikTokChatReaderSource({ ...common, sink, url: spec.url, uniqueId: spec.uniqueId, connectOptions: spec.connectOptions }));
          break;
        case 'douyin-webcast':
          sources.push(new DouyinWebcastSource({ ...common, sink, url: spec.url }));
          break;
        case 'barrage-grab':
          sources.push(new BarrageGrabSource({ ...common, sink, url: spec.url, liveRoomId: spec.liveRoomId }));
          break;
        case 'merchant-orders':
          sources.push(new MerchantOrderFileSource({ ...common, sink, path: spec.path, pollMs: spec.pollMs }));
          break;
        case 'replay':
          sources.push(
            new ReplaySource({ ...common, sink, from: spec.from, speed: spec.speed, dataDir: spec.dataDir, maxGapMs: spec.maxGapMs, title: opts.title, flush: () => mux.flush() }),
          );
          break;
      }
    }
    if (ownRelay) await relay.listen();
    mux.start();
    for (const s of sources) s.start();
    return bridge;
  }

  get url(): string {
    return this.relay.url;
  }

  /** The live room id the room's 千川 source found for its 抖音号 (what 抖店 follows), or null. */
  reportedLiveRoomId(): string | null {
    for (const s of this.sources) if (s instanceof QianchuanSource && s.liveRoomId) return s.liveRoomId;
    return null;
  }

  states(): SourceState[] {
    return this.sources.map((s) => s.state);
  }

  /** The room's replay, when it is one: `replay.finished` resolves at the recording's end. */
  get replay(): ReplaySource | undefined {
    return this.sources.find((s): s is ReplaySource => s instanceof ReplaySource);
  }

  async stop(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.stop()));
    this.mux.stop();
    if (this.ownRelay) await this.relay.close();
  }
}
