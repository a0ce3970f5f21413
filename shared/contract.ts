/**
 * The one contract between the core and the UI, whatever carries it: Electron IPC (main relays
 * to the utility process) or the browser-mode Socket.IO channel. Request name → argument and
 * result; push topic → payload. Arguments are validated with these zod schemas on the core side.
 */
import { z } from 'zod';
import { FeedCommandSchema, type CommandAck, type RoomInfo } from './protocol.ts';
import type { Kpis, MinuteRow, ProductRow, SegmentRow } from './metrics/types.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'failed' | 'stopped';

export interface ConnectionState {
  status: ConnectionStatus;
  /** The relay's URL without credentials. */
  url: string;
  error: string | null;
  /** Wall-clock time the last batch arrived. */
  lastEventAt: number | null;
  /** How far the newest event's source time is behind the wall clock (0 when the source runs ahead, as a sped-up simulator does). */
  lagMs: number | null;
  quarantined: number;
  duplicates: number;
  resyncs: number;
  reconnects: number;
  gapsAccepted: number;
}

export interface SessionInfo {
  sessionId: string;
  roomId: string;
  platform: string;
  title: string;
  startedAt: number;
  endedAt: number | null;
}

/** A room as the UI sees it: relay info, the current session and its live figures. */
export interface RoomView {
  roomId: string;
  platform: string;
  title: string;
  status: RoomInfo['status'];
  session: SessionInfo | null;
  kpis: Kpis | null;
  /** Source time the figures are computed up to. */
  windowEnd: number | null;
}

export interface RoomDetail extends RoomView {
  minutes: MinuteRow[];
  products: ProductRow[];
  segments: SegmentRow[];
  pinnedProductId: string | null;
  commandsSupported: boolean;
}

export interface Diagnostics {
  connection: ConnectionState;
  store: { dataDir: string; eventsStored: number; batches: number; lastCommitMs: number; maxCommitMs: number; writeErrors: number };
  quarantinedByReason: Array<{ reason: string; count: number }>;
  source: { kind: 'embedded' | 'relay'; scenario: string[] | null; speed: number | null; seed: string | null };
}

export interface Overview {
  rooms: RoomView[];
  diagnostics: Diagnostics;
}

export const RequestSchemas = {
  getOverview: z.object({}).strict(),
  getRoom: z.object({ roomId: z.string().min(1).max(200) }).strict(),
  sendCommand: z.object({ roomId: z.string().min(1).max(200), command: FeedCommandSchema }).strict(),
} as const;

export interface RequestResults {
  getOverview: Overview;
  getRoom: RoomDetail;
  sendCommand: CommandAck;
}

export type RequestName = keyof typeof RequestSchemas;
export type RequestArgs<N extends RequestName> = z.infer<(typeof RequestSchemas)[N]>;
export type RequestResult<N extends RequestName> = RequestResults[N];

/** Every reply across a boundary: never a thrown error the other side cannot read. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/** Pushes, coalesced by the core to a few per second. */
export interface PushPayloads {
  /** Live figures of one room: KPIs, and the minute rows that changed (by `minute` index). */
  room: {
    roomId: string;
    view: RoomView;
    /** Minute rows that changed since the last push; `reset` means replace the whole series (a new session). */
    minutes: MinuteRow[];
    reset: boolean;
    /** Sent at most once a second, and only when they changed. */
    products?: ProductRow[];
    segments?: SegmentRow[];
    pinnedProductId: string | null;
  };
  connection: ConnectionState;
  rooms: RoomView[];
}
export type PushTopic = keyof PushPayloads;
export type Push = { [K in PushTopic]: { topic: K; payload: PushPayloads[K] } }[PushTopic];

/** What the preload script exposes as `window.lcr` (and the browser transport imitates). */
export interface LcrApi {
  request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<Reply<RequestResult<N>>>;
  /** Returns an unsubscribe function. */
  onPush(listener: (push: Push) => void): () => void;
}

export function isRequestName(x: unknown): x is RequestName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(RequestSchemas, x);
}
