/**
 * Run-of-show (排品表): reading a planned sequence from a table, following the
 * show's adherence to it live, and re-ordering what is left when reality diverges.
 * Pure functions: the core feeds them the pin history and the engine's estimates.
 */
import type { ProductEstimate } from './types.ts';
import { clipText } from '../format.ts';

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

/**
 * One thing wrong with a run-of-show row: where (the line a person sees in the file or Excel, the
 * column's header) and what, as a code the words come from (planProblemText).
 */
export interface PlanProblem {
  line: number;
  column: string | null;
  code: 'noProductColumn' | 'noMinutesColumn' | 'emptyProduct' | 'unknownProduct' | 'idTooLong' | 'badMinutes' | 'tooManyRows' | 'noRows' | 'file';
  params: Record<string, string | number>;
}

/** The problems a table is refused for, all of them (up to MAX_PLAN_PROBLEMS), in line order. */
export class PlanTableError extends Error {
  readonly problems: PlanProblem[];
  constructor(problems: PlanProblem[] | PlanProblem) {
    const list = Array.isArray(problems) ? problems : [problems];
    // The English words on one line (what lcr prints: CONTRACTS.md's one clear line); the page
    // shows them a line each, in its language (text()).
    super(flat(list.map((p) => planProblemText(p, 'en')).join('; '), 900));
    this.problems = list;
  }

  get line(): number {
    return this.problems[0]?.line ?? 1;
  }

  /** Every problem in the page's language, one a line. */
  text(locale: 'zh-CN' | 'en'): string {
    return this.problems.map((p) => planProblemText(p, locale)).join('\n');
  }
}

/** A problem with the whole file (unreadable, too big, wrong kind) at line 1. */
export function planFileProblem(detail: string): PlanTableError {
  return new PlanTableError({ line: 1, column: null, code: 'file', params: { detail: flat(detail, 600) } });
}

/** Problems reported before the table is refused: enough to fix a file in one go. */
export const MAX_PLAN_PROBLEMS = 20;

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
  return JSON.stringify(clipText(s, 80));
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
  const missing: PlanProblem[] = [];
  if (pCol < 0) missing.push({ line: 1, column: null, code: 'noProductColumn', params: {} });
  if (mCol < 0) missing.push({ line: 1, column: null, code: 'noMinutesColumn', params: {} });
  if (missing.length) throw new PlanTableError(missing);
  const pName = flat(head[pCol]?.trim() ?? 'productId', 80);
  const mName = flat(head[mCol]?.trim() ?? 'minutes', 80);
  const ids = catalog ? new Map(catalog.map((c) => [c.id, c.id])) : null;
  const titles = catalog ? new Map(catalog.map((c) => [c.title, c.id])) : null;
  const out: PlanItem[] = [];
  const problems: PlanProblem[] = [];
  const problem = (p: PlanProblem) => {
    if (problems.length < MAX_PLAN_PROBLEMS) problems.push(p);
  };
  for (let i = 1; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    if (!cells.some((c) => c.trim())) continue;
    const line = i + 1;
    const product = (cells[pCol] ?? '').trim();
    const minutesText = (cells[mCol] ?? '').trim();
    let productId: string | null = product;
    if (!product) {
      problem({ line, column: pName, code: 'emptyProduct', params: {} });
      productId = null;
    } else if (ids && titles) {
      productId = ids.get(product) ?? titles.get(product) ?? null;
      if (productId === null) {
        const near = closestProduct(product, catalog!);
        problem({ line, column: pName, code: 'unknownProduct', params: { product: quote(product), ...(near ? { suggestion: quote(near) } : {}) } });
      }
    }
    // The store keeps at most this; a longer id saved would read back as no plan at all.
    if (productId !== null && productId.length > MAX_PLAN_PRODUCT_ID) {
      problem({ line, column: pName, code: 'idTooLong', params: { length: productId.length, max: MAX_PLAN_PRODUCT_ID, id: quote(productId) } });
      productId = null;
    }
    const minutes = Number(minutesText);
    const minutesOk = !!minutesText && Number.isFinite(minutes) && minutes > 0 && minutes <= 24 * 60;
    if (!minutesOk) problem({ line, column: mName, code: 'badMinutes', params: { got: quote(minutesText) } });
    if (productId !== null && minutesOk) out.push({ productId, minutes });
    if (out.length > MAX_PLAN_ITEMS) {
      problem({ line, column: null, code: 'tooManyRows', params: { max: MAX_PLAN_ITEMS } });
      break;
    }
  }
  if (problems.length) throw new PlanTableError(problems);
  if (!out.length) throw new PlanTableError({ line: 2, column: null, code: 'noRows', params: {} });
  return out;
}

/**
 * The catalog product a mistyped name most likely meant: the fewest single-character edits (on
 * the title or the id), within a third of its length — "面莫" finds "面膜"; nothing for a name
 * unlike any product.
 */
export function closestProduct(name: string, catalog: readonly { id: string; title: string }[]): string | null {
  let best: { text: string; d: number } | null = null;
  for (const c of catalog) {
    for (const text of [c.title, c.id]) {
      const d = editDistance(name, text, Math.max(1, Math.floor(Math.max(name.length, text.length) / 3)));
      if (d !== null && (best === null || d < best.d)) best = { text, d };
    }
  }
  return best?.text ?? null;
}

/** Levenshtein distance by code point, or null once it exceeds `max` (long texts are not compared). */
function editDistance(a: string, b: string, max: number): number | null {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > max || x.length > 200 || y.length > 200) return null;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (cur[j]! < rowMin) rowMin = cur[j]!;
    }
    if (rowMin > max) return null;
    prev = cur;
  }
  return prev[y.length]! <= max ? prev[y.length]! : null;
}

const PLAN_WORDS: Record<'zh-CN' | 'en', Record<PlanProblem['code'], string>> = {
  'zh-CN': {
    noProductColumn: '没有商品列（表头应为 商品ID、商品 或 productId 之一）',
    noMinutesColumn: '没有时长列（表头应为 时长、分钟 或 minutes 之一）',
    emptyProduct: '商品为空',
    unknownProduct: '找不到商品 {product}（直播间的商品列表里没有）',
    idTooLong: '商品 ID 有 {length} 个字符，最多 {max} 个（{id}）',
    badMinutes: '时长应为大于 0、不超过 1440 的分钟数（填的是 {got}）',
    tooManyRows: '超过 {max} 行',
    noRows: '表中没有任何行',
    file: '{detail}',
  },
  en: {
    noProductColumn: "no product column (expected one of: productId, 商品ID, 商品)",
    noMinutesColumn: 'no minutes column (expected one of: minutes, 时长, 分钟)',
    emptyProduct: 'empty product',
    unknownProduct: "unknown product {product} (not in the room's catalog)",
    idTooLong: 'the product id is {length} characters long; at most {max} ({id})',
    badMinutes: 'minutes must be a number above 0 and at most 1440 (got {got})',
    tooManyRows: 'more than {max} rows',
    noRows: 'the table has no rows',
    file: '{detail}',
  },
};

/** One problem as a line a person reads: where, then what (and what was probably meant). */
export function planProblemText(p: PlanProblem, locale: 'zh-CN' | 'en'): string {
  const zh = locale === 'zh-CN';
  const where = zh ? `第 ${p.line} 行${p.column ? `「${p.column}」列` : ''}：` : `line ${p.line}${p.column ? `, column "${p.column}"` : ''}: `;
  const what = PLAN_WORDS[locale][p.code].replace(/\{(\w+)\}/g, (m, k: string) => (k in p.params ? String(p.params[k]) : m));
  const hint = typeof p.params.suggestion === 'string' ? (zh ? `，是不是 ${p.params.suggestion}？` : `; did you mean ${p.params.suggestion}?`) : '';
  return `${where}${what}${hint}`;
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
