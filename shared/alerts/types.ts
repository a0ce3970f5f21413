/**
 * Alerts and the per-room targets they are judged against (METRICS.md "Targets and alerts").
 * Domain types: the request contract (contract.ts) refers to them.
 */
import { z } from 'zod';

export const AlertKinds = ['ctr', 'clickToOrder', 'roi', 'roiBelowBreakEven', 'onlineDrop', 'lowStock'] as const;
export type AlertKind = (typeof AlertKinds)[number];

/** Per-room thresholds (METRICS.md "Targets and alerts" defaults), set by the operator. */
export const RoomTargetsSchema = z.object({
  ctr: z.number().min(0).max(1),
  clickToOrder: z.number().min(0).max(1),
  roi: z.number().min(0).max(1000),
  /** A metric more than this fraction below target raises an alert. */
  tolerance: z.number().min(0).max(1),
  /** Online falling by at least this fraction within `onlineDropWindowMin` minutes raises one. */
  onlineDropPct: z.number().min(0).max(1),
  onlineDropWindowMin: z.number().int().min(1).max(30),
  /** Stock under this fraction of its starting level raises one. */
  lowStockPct: z.number().min(0).max(1),
  /** Play a sound with each new alert. */
  sound: z.boolean(),
  /** Sales attainment: the show's GMV target in fen (null or absent: none set). Not an alert. */
  gmvFen: z.number().int().min(0).max(1e13).nullable().optional(),
});
export type RoomTargets = z.infer<typeof RoomTargetsSchema>;

export const DEFAULT_TARGETS: RoomTargets = {
  ctr: 0.04,
  clickToOrder: 0.035,
  roi: 3,
  tolerance: 0.1,
  onlineDropPct: 0.3,
  onlineDropWindowMin: 2,
  lowStockPct: 0.1,
  sound: false,
};

export interface Alert {
  id: string;
  roomId: string;
  sessionId: string;
  kind: AlertKind;
  /** Source time the condition was seen, and its minute index in the session. */
  ts: number;
  minute: number;
  /** The figures behind it, for the UI to word in either language: e.g. { value, target }, { from, to }, { productId, title, stock, startStock }. */
  params: Record<string, number | string | null>;
  acknowledgedAt: number | null;
  /** Who acknowledged it: the operator's name and role from the settings of the desk that did. */
  acknowledgedBy: string | null;
  acknowledgedRole: string | null;
  /**
   * The title of the show (session) it was raised in, as the store knows it: names the room when
   * the room is not in this run, so no screen falls back to a raw room id.
   */
  showTitle?: string;
}
