/**
 * The product board's figures, as the suggestions quote them (issue 15: "every figure a card
 * quotes is the board's figure"). A reason that names a click-through, a conversion or a stock
 * reads it from the same ProductRow the board shows (shared/metrics/aggregator.ts), and the room's
 * from the KPI strip — never from the engine's own estimates, which are freshness-adjusted and
 * shrunk and would disagree with the screen beside them.
 */
import type { Kpis, ProductRow } from '../metrics/types.ts';
import type { Reason } from './types.ts';

export type BoardProduct = Pick<ProductRow, 'productId' | 'priceFen' | 'exposures' | 'clicks' | 'ctr' | 'orders' | 'clickToOrder' | 'stock'>;

export interface BoardFigures {
  products: ReadonlyMap<string, BoardProduct>;
  /** the room's product CTR and click→order rate (the KPI strip's) */
  room: Pick<Kpis, 'ctr' | 'clickToOrder'>;
}

/** A product's rate is compared with the room's once it has this many clicks on the board. */
export const MIN_CLICKS = 30;
/** … and a conversion once it has this many orders: 2 orders say little about a rate. */
export const MIN_ORDERS = 5;
/** Differences smaller than this share are not worth a reason. */
const NOTABLE = 0.15;

export function boardFigures(rows: readonly BoardProduct[], room: Pick<Kpis, 'ctr' | 'clickToOrder'> | null): BoardFigures {
  return { products: new Map(rows.map((r) => [r.productId, r])), room: { ctr: room?.ctr ?? null, clickToOrder: room?.clickToOrder ?? null } };
}

/** "点击率高于场均 40%", "转化率低于场均 25%" from the board's row against the room's figures. */
export function vsRoomReasons(row: BoardProduct | undefined, room: BoardFigures['room']): Reason[] {
  const out: Reason[] = [];
  if (!row || row.clicks < MIN_CLICKS) return out;
  const ctrPct = relPct(row.ctr, room.ctr);
  if (ctrPct !== null && Math.abs(ctrPct) >= NOTABLE * 100) out.push({ code: 'ctrVsRoom', pct: ctrPct });
  const cvrPct = row.orders >= MIN_ORDERS ? relPct(row.clickToOrder, room.clickToOrder) : null;
  if (cvrPct !== null && Math.abs(cvrPct) >= NOTABLE * 100) out.push({ code: 'cvrVsRoom', pct: cvrPct });
  return out;
}

/**
 * The traffic plays' "best converter" for a surging room: the highest click→order rate on the board among the
 * products that may be explained, counting only those with enough clicks and orders to tell.
 * Ties go to more orders, then to the id (deterministic). Null when none has the evidence.
 */
export function bestConverter(board: BoardFigures, eligible: (productId: string) => boolean): { productId: string; reason: Reason } | null {
  let best: BoardProduct | null = null;
  for (const row of board.products.values()) {
    if (!eligible(row.productId) || row.clicks < MIN_CLICKS || row.orders < MIN_ORDERS || row.clickToOrder === null) continue;
    if (!best || row.clickToOrder > best.clickToOrder! || (row.clickToOrder === best.clickToOrder && (row.orders > best.orders || (row.orders === best.orders && row.productId < best.productId)))) best = row;
  }
  if (!best || best.clickToOrder === null) return null;
  return { productId: best.productId, reason: { code: 'bestConverter', cvrPct: Math.round(best.clickToOrder * 1000) / 10, rate: best.clickToOrder, orders: best.orders } };
}

function relPct(v: number | null, base: number | null): number | null {
  if (v === null || base === null || !(base > 0)) return null;
  return Math.round((v / base - 1) * 100);
}
