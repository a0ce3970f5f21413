/**
 * Run-of-show (排品表, PRODUCT.md S4): reading a planned sequence from a table, following the
 * show's adherence to it live, and re-ordering what is left when reality diverges.
 * Pure functions: the core feeds them the pin history and the engine's estimates.
 */
import type { ProductEstimate } from './types.ts';

export interface PlanItem {
  productId: string;
  minutes: number;
}

/** One stretch of explaining in the show, minutes since its start (endMin null: still running). */
export interface PinStretch {
  productId: string;
  startMin: number;
  endMin: number | null;
}

export type AdherenceStatus = 'noPlan' | 'onPlan' | 'ahead' | 'behind' | 'offPlan';

export interface Adherence {
  status: AdherenceStatus;
  /** what the plan has on now, by the clock */
  plannedProductId: string | null;
  /** what is explained now */
  actualProductId: string | null;
  /** the plan position the show has reached (index into the plan, counting repeats) */
  cursor: number;
  /** + ahead of the plan's clock, − behind, in minutes (0 when off plan or nothing pinned) */
  driftMin: number;
  /** planned items the show jumped over, in plan order (product ids) */
  skipped: string[];
  /** the plan's next item after the cursor */
  nextPlannedProductId: string | null;
}

/** Planned start (minutes) of plan position k, the plan repeating as SCENARIO.md's plan does. */
export function plannedStart(plan: readonly PlanItem[], k: number): number {
  const cycle = plan.reduce((s, i) => s + i.minutes, 0);
  if (!plan.length || cycle <= 0) return 0;
  const laps = Math.floor(k / plan.length);
  let t = laps * cycle;
  for (let i = 0; i < k % plan.length; i++) t += plan[i]?.minutes ?? 0;
  return t;
}

/** Plan position whose slot contains `min` on the plan's clock. */
export function plannedAt(plan: readonly PlanItem[], min: number): number {
  const cycle = plan.reduce((s, i) => s + i.minutes, 0);
  if (!plan.length || cycle <= 0) return 0;
  const laps = Math.floor(Math.max(0, min) / cycle);
  let t = laps * cycle;
  for (let i = 0; i < plan.length; i++) {
    t += plan[i]?.minutes ?? 0;
    if (min < t) return laps * plan.length + i;
  }
  return (laps + 1) * plan.length;
}

/**
 * Walks the pin history along the plan: a stretch of the plan's next item advances the cursor by
 * one; a stretch of a later item (within one lap) advances it there and marks the items between
 * as skipped; anything else is off plan and leaves the cursor where it is.
 */
export function adherence(plan: readonly PlanItem[], stretches: readonly PinStretch[], nowMin: number): Adherence {
  const current = stretches.length && stretches[stretches.length - 1]?.endMin === null ? stretches[stretches.length - 1] : undefined;
  const actual = current?.productId ?? null;
  if (!plan.length) return { status: 'noPlan', plannedProductId: null, actualProductId: actual, cursor: 0, driftMin: 0, skipped: [], nextPlannedProductId: null };
  const at = (k: number) => plan[((k % plan.length) + plan.length) % plan.length]?.productId ?? null;
  let cursor = -1;
  let cursorStart = 0;
  let onPlanNow = false;
  const skipped: string[] = [];
  for (const s of stretches) {
    let matched = false;
    for (let step = 1; step <= plan.length; step++) {
      if (at(cursor + step) === s.productId) {
        for (let j = 1; j < step; j++) {
          const id = at(cursor + j);
          if (id) skipped.push(id);
        }
        cursor += step;
        cursorStart = s.startMin;
        matched = true;
        break;
      }
    }
    // Coming back to the item the cursor is on (a short interruption) keeps the show on it.
    if (!matched && cursor >= 0 && at(cursor) === s.productId) matched = true;
    if (s === current) onPlanNow = matched;
  }
  const planned = plannedAt(plan, nowMin);
  const base = { plannedProductId: at(planned), actualProductId: actual, cursor: Math.max(0, cursor), skipped, nextPlannedProductId: at(cursor + 1) };
  if (!current || !onPlanNow) return { ...base, status: current ? 'offPlan' : 'behind', driftMin: 0 };
  const drift = plannedStart(plan, cursor) - cursorStart;
  const status: AdherenceStatus = Math.abs(drift) < 2 ? 'onPlan' : drift > 0 ? 'ahead' : 'behind';
  return { ...base, status, driftMin: Math.round(drift * 10) / 10 };
}

/**
 * The rest of the plan re-ordered by what the engine expects each product to earn now, keeping
 * each item's planned minutes; sold-out products go last. Items the engine knows nothing about
 * keep their relative order after the ranked ones.
 */
export function reorderRest(rest: readonly PlanItem[], estimates: readonly ProductEstimate[]): PlanItem[] {
  const byId = new Map(estimates.map((e) => [e.productId, e]));
  return rest
    .map((item, i) => ({ item, i, e: byId.get(item.productId) }))
    .sort((a, b) => {
      const sa = a.e ? (a.e.soldOut ? -1 : a.e.scoreFenPerMin) : -2;
      const sb = b.e ? (b.e.soldOut ? -1 : b.e.scoreFenPerMin) : -2;
      return sb - sa || a.i - b.i;
    })
    .map((x) => x.item);
}

export class PlanTableError extends Error {
  constructor(
    readonly line: number,
    readonly column: string | null,
    readonly reason: string,
  ) {
    // One readable line whatever the file held (a header of 300,000 characters, line breaks).
    super(`line ${line}${column ? `, column "${flat(column, 80)}"` : ''}: ${flat(reason, 600)}`);
  }
}

/** The longest product id a run-of-show keeps (the contract's PlanItemSchema says the same, from here). */
export const MAX_PLAN_PRODUCT_ID = 200;
/** Slots in a run-of-show. */
export const MAX_PLAN_ITEMS = 10_000;

function flat(s: string, max: number): string {
  const one = s.replace(/[\r\n\u2028\u2029]+/g, ' ');
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** A cell quoted in an error: long ones cut, so the message stays one readable line. */
function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? s.slice(0, 80) + '…' : s);
}

const PRODUCT_HEADERS = ['productid', 'product_id', 'product', 'id', '商品id', '商品', '商品编号', '链接id'];
const MINUTES_HEADERS = ['minutes', 'min', 'duration', '时长', '分钟', '讲解时长', '时长(分钟)', '时长（分钟）'];

/**
 * Reads a 排品表 from CSV text: a header row naming the product column (productId / 商品ID / 商品 …)
 * and the minutes column (minutes / 时长 / 分钟 …), then one row per slot. Products may be given
 * by id or by exact title when `catalog` is passed. Any bad row rejects the whole table with its
 * line, column and reason — nothing half-read.
 */
export function parsePlanCsv(text: string, catalog?: readonly { id: string; title: string }[]): PlanItem[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  return parsePlanRows(
    lines.map((l) => splitCsvLine(l)),
    catalog,
  );
}

/**
 * The same from rows of cells (an XLSX sheet's rows, a CSV's lines): row i is line i + 1 of the
 * file. Blank rows are skipped.
 */
export function parsePlanRows(rows: readonly (readonly string[])[], catalog?: readonly { id: string; title: string }[]): PlanItem[] {
  const head = rows[0] ?? [];
  const header = head.map((h) => h.trim().toLowerCase().replace(/\s+/g, ''));
  const pCol = header.findIndex((h) => PRODUCT_HEADERS.includes(h));
  const mCol = header.findIndex((h) => MINUTES_HEADERS.includes(h));
  if (pCol < 0) throw new PlanTableError(1, null, `no product column (expected one of: productId, 商品ID, 商品)`);
  if (mCol < 0) throw new PlanTableError(1, null, `no minutes column (expected one of: minutes, 时长, 分钟)`);
  const pName = head[pCol]?.trim() ?? 'productId';
  const mName = head[mCol]?.trim() ?? 'minutes';
  const ids = catalog ? new Map(catalog.map((c) => [c.id, c.id])) : null;
  const titles = catalog ? new Map(catalog.map((c) => [c.title, c.id])) : null;
  const out: PlanItem[] = [];
  for (let i = 1; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    if (!cells.some((c) => c.trim())) continue;
    const product = (cells[pCol] ?? '').trim();
    const minutesText = (cells[mCol] ?? '').trim();
    if (!product) throw new PlanTableError(i + 1, pName, 'empty product');
    let productId = product;
    if (ids && titles) {
      const found = ids.get(product) ?? titles.get(product);
      if (!found) throw new PlanTableError(i + 1, pName, `unknown product ${quote(product)} (not in the room's catalog)`);
      productId = found;
    }
    // The store keeps at most this; a longer id saved would read back as no plan at all.
    if (productId.length > MAX_PLAN_PRODUCT_ID) throw new PlanTableError(i + 1, pName, `the product id is ${productId.length} characters long; at most ${MAX_PLAN_PRODUCT_ID} (${quote(productId)})`);
    const minutes = Number(minutesText);
    if (!minutesText || !Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
      throw new PlanTableError(i + 1, mName, `minutes must be a number above 0 and at most 1440 (got ${quote(minutesText)})`);
    }
    out.push({ productId, minutes });
    if (out.length > MAX_PLAN_ITEMS) throw new PlanTableError(i + 1, null, `more than ${MAX_PLAN_ITEMS.toLocaleString('en-US')} rows`);
  }
  if (!out.length) throw new PlanTableError(2, null, 'the table has no rows');
  return out;
}

/** One CSV line: commas, double-quoted cells with "" escapes (RFC 4180, no line breaks in cells). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}
