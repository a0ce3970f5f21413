/**
 * The emulator's truth as plain data, for tests to compare with what the client reports: ids as
 * decimal strings, money in fen (what the app stores) and the statuses a read would show now.
 */
import { FLOW_CHANNELS, type FlowChannel, type LogEntry, type Plan, type PlanFigures, type Room, type RoomTotals, type World, addFigures, emptyFigures } from './state.ts';

export interface ProductSnapshot {
  productId: string;
  title: string;
  priceFen: number;
  stock: number;
  explainStatus: string;
  explainCount: number;
  clicks: number;
  orders: number;
  gmvFen: number;
  adOrders: number;
  adGmvFen: number;
  costFen: number;
  refundFen: number;
}

export interface RoomSnapshot {
  roomId: string;
  advertiserId: string;
  awemeId: string;
  title: string;
  status: string;
  startedAt: number;
  endedAt: number | null;
  /** The product being explained, or null. */
  explaining: string | null;
  totals: Omit<RoomTotals, 'flowEntries' | 'flowGmvFen'> & { flowEntries: Record<FlowChannel, number>; flowGmvFen: Record<FlowChannel, number> };
  products: ProductSnapshot[];
}

export interface PlanSnapshot {
  adId: string;
  advertiserId: string;
  awemeId: string;
  kind: 'standard' | 'uni';
  name: string;
  optStatus: string;
  status: string;
  budgetFen: number;
  budgetMode: string;
  bidFen: number | null;
  roiGoal: number | null;
  smartBidType: string;
  todayCostFen: number;
  /** Everything the plan bought since it was added. */
  total: PlanFigures;
}

export interface LogSnapshot {
  logId: string;
  advertiserId: string;
  objectId: string;
  objectName: string;
  contentTitle: string;
  contentLog: [string, string];
  operatorName: string;
  createdAt: number;
}

export interface Snapshot {
  now: number;
  rooms: RoomSnapshot[];
  plans: PlanSnapshot[];
}

export function roomSnapshot(room: Room): RoomSnapshot {
  const { flowEntries, flowGmvFen, ...rest } = room.totals;
  const copy = <T>(r: Record<FlowChannel, T>): Record<FlowChannel, T> => Object.fromEntries(FLOW_CHANNELS.map((c) => [c, r[c]])) as Record<FlowChannel, T>;
  return {
    roomId: room.roomId,
    advertiserId: room.advertiserId,
    awemeId: room.awemeId,
    title: room.title,
    status: room.status,
    startedAt: room.startedAt,
    endedAt: room.endedAt,
    explaining: room.products.find((p) => p.explainStatus === 'BEINGEXPLAIN')?.productId ?? null,
    totals: { ...rest, flowEntries: copy(flowEntries), flowGmvFen: copy(flowGmvFen) },
    products: room.products.map((p) => ({
      productId: p.productId, title: p.title, priceFen: p.priceFen, stock: p.stock, explainStatus: p.explainStatus, explainCount: p.explainCount,
      clicks: p.clicks, orders: p.orders, gmvFen: p.gmvFen, adOrders: p.adOrders, adGmvFen: p.adGmvFen, costFen: p.costFen, refundFen: p.refundFen,
    })),
  };
}

export function planSnapshot(w: World, plan: Plan): PlanSnapshot {
  const total = emptyFigures();
  for (const f of plan.hours.values()) addFigures(total, f);
  return {
    adId: plan.adId,
    advertiserId: plan.advertiserId,
    awemeId: plan.awemeId,
    kind: plan.kind,
    name: plan.name,
    optStatus: plan.optStatus,
    status: w.planStatus(plan),
    budgetFen: plan.budgetFen,
    budgetMode: plan.budgetMode,
    bidFen: plan.bidFen,
    roiGoal: plan.roiGoal,
    smartBidType: plan.smartBidType,
    todayCostFen: w.todayCostFen(plan),
    total,
  };
}

export function logSnapshot(l: LogEntry): LogSnapshot {
  return {
    logId: l.logId, advertiserId: l.advertiserId, objectId: l.objectId, objectName: l.objectName,
    contentTitle: l.contentTitle, contentLog: [...l.contentLog], operatorName: l.operatorName, createdAt: l.createdAt,
  };
}
