/**
 * R8: the CSV tables a person reworks in Excel — minutes, KPIs, products, segments — as header and
 * rows, written by `lcr export` and the app's export alike (electron/core/retro/export/csv.ts). Pure.
 *
 * For people, not for machines (`lcr report --json` has METRICS.md's keys and units):
 * - headers in the chosen language, Chinese the platforms' words (METRICS.md's 中文), each with its
 *   unit: 成交金额(元) / GMV (CNY), 商品点击率(%) / CTR (%), 时长(秒) / Duration (s);
 * - money in yuan with two decimals, never fen; rates in percent; ratios (ROI) as they are;
 * - times as the exporting machine's local date-time, "2024-11-11 20:03:00", never epoch ms;
 * - minutes as people count them, 第几分钟 = METRICS.md's index + 1, as every screen and sheet
 *   names them (shared/minutes.ts).
 */
import { minuteColumn, minuteNumber } from '../minutes.ts';
import type { Kpis, MinuteRow, ProductRow, SegmentRow } from '../metrics/types.ts';
import type { SessionInfo } from '../sessions.ts';
import { TrafficSources } from '../protocol.ts';
import { KPI_BY_KEY, KPI_META, ROLE_LABELS, SOURCE_LABELS } from './labels.ts';
import type { KpiKey, Unit } from './types.ts';
import type { Locale } from '../format.ts';
import { RETRO_WORDS } from './words.ts';

export interface CsvTable {
  /** what the file is: `<out>` for minutes, `<base>.<name>.csv` for the others */
  name: 'minutes' | 'kpis' | 'products' | 'segments';
  header: string[];
  rows: unknown[][];
}

export interface CsvReport {
  session: SessionInfo;
  kpis: Kpis;
  minutes: readonly MinuteRow[];
  products: readonly ProductRow[];
  segments: readonly SegmentRow[];
}

type ColUnit = 'yuan' | 'pct' | 'sec' | null;
interface Col<R> {
  zh: string;
  en: string;
  unit?: ColUnit;
  value: (r: R) => unknown;
}

const UNIT_WORDS: Record<Exclude<ColUnit, null>, { zh: string; en: string }> = { yuan: { zh: '元', en: 'CNY' }, pct: { zh: '%', en: '%' }, sec: { zh: '秒', en: 's' } };

function header(c: { zh: string; en: string; unit?: ColUnit }, locale: Locale): string {
  const u = c.unit ? UNIT_WORDS[c.unit] : null;
  return locale === 'zh-CN' ? (u ? `${c.zh}(${u.zh})` : c.zh) : u ? `${c.en} (${u.en})` : c.en;
}

/** Fen → yuan with two decimals ("1234.50"): what Excel sums without a format. */
export function yuanCell(fen: number | null | undefined): string | null {
  return fen === null || fen === undefined || !Number.isFinite(fen) ? null : (fen / 100).toFixed(2);
}
function pctCell(r: number | null | undefined): number | null {
  return r === null || r === undefined || !Number.isFinite(r) ? null : Number((r * 100).toFixed(2));
}
function yuanFigure(y: number | null | undefined): number | null {
  return y === null || y === undefined || !Number.isFinite(y) ? null : Number(y.toFixed(2));
}

/** Epoch ms → "2024-11-11 20:03:00" in the exporting machine's time zone (Excel keeps none). */
export function localDateTime(ts: number | null | undefined): string | null {
  if (ts === null || ts === undefined || !Number.isFinite(ts) || Math.abs(ts) > 8.64e15) return null;
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A column named as METRICS.md's KPI of that key (成交金额, 商品点击率 …). */
function kpiCol<R>(key: KpiKey, value: (r: R) => unknown, unit?: ColUnit): Col<R> {
  const m = KPI_BY_KEY.get(key)!;
  return { zh: m.zh, en: m.en, unit, value };
}

function table<R>(name: CsvTable['name'], cols: readonly Col<R>[], rows: readonly R[], locale: Locale): CsvTable {
  return { name, header: cols.map((c) => header(c, locale)), rows: rows.map((r) => cols.map((c) => c.value(r))) };
}

function minuteTable(r: CsvReport, locale: Locale): CsvTable {
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  const cols: Col<MinuteRow>[] = [
    { zh: minuteColumn('zh-CN'), en: minuteColumn('en'), value: (m) => minuteNumber(m.minute) },
    { zh: '时间', en: 'Time', value: (m) => localDateTime(m.ts) },
    { zh: '讲解商品', en: 'Product explained', value: (m) => (m.pinnedProductId ? (titles.get(m.pinnedProductId) ?? m.pinnedProductId) : null) },
    { zh: '讲解商品ID', en: 'Product ID', value: (m) => m.pinnedProductId },
    kpiCol('avgOnline', (m) => m.onlineAvg),
    kpiCol('peakOnline', (m) => m.onlineMax),
    { zh: '分钟末在线人数', en: 'Online at minute end', value: (m) => m.onlineEnd },
    { zh: '进入人数', en: 'Entries', value: (m) => m.enters },
    kpiCol('likes', (m) => m.likes),
    kpiCol('comments', (m) => m.comments),
    kpiCol('newFollowers', (m) => m.follows),
    kpiCol('shares', (m) => m.shares),
    kpiCol('fansclubJoins', (m) => m.fansclub),
    kpiCol('giftFen', (m) => yuanCell(m.giftFen), 'yuan'),
    kpiCol('exposures', (m) => m.exposures),
    kpiCol('clicks', (m) => m.clicks),
    kpiCol('ctr', (m) => pctCell(m.ctr), 'pct'),
    kpiCol('orders', (m) => m.orders),
    kpiCol('items', (m) => m.items),
    kpiCol('gmvFen', (m) => yuanCell(m.gmvFen), 'yuan'),
    kpiCol('refundFen', (m) => yuanCell(m.refundFen), 'yuan'),
    kpiCol('adSpendFen', (m) => yuanCell(m.adSpendFen), 'yuan'),
    kpiCol('gpm', (m) => yuanFigure(m.gpm), 'yuan'),
  ];
  return table('minutes', cols, r.minutes, locale);
}

const KPI_UNIT: Record<Unit, { zh: string; en: string }> = {
  fen: UNIT_WORDS.yuan,
  yuan: UNIT_WORDS.yuan,
  rate: UNIT_WORDS.pct,
  sec: UNIT_WORDS.sec,
  count: { zh: '', en: '' },
  ratio: { zh: '', en: '' },
};

function kpiTable(r: CsvReport, locale: Locale): CsvTable {
  const zh = locale === 'zh-CN';
  const value = (v: number | null, unit: Unit) => (unit === 'fen' ? yuanCell(v) : unit === 'rate' ? pctCell(v) : unit === 'yuan' || unit === 'ratio' ? yuanFigure(v) : v);
  const rows: unknown[][] = KPI_META.map((m) => [zh ? m.zh : m.en, m.key, value(r.kpis[m.key], m.unit), zh ? KPI_UNIT[m.unit].zh : KPI_UNIT[m.unit].en]);
  const w = RETRO_WORDS[locale];
  for (const s of TrafficSources) rows.push([`${w.traffic}·${zh ? SOURCE_LABELS[s].zh : SOURCE_LABELS[s].en}`, `entersBySource.${s}`, r.kpis.entersBySource[s], '']);
  rows.unshift(
    [w.room, 'roomId', r.session.roomId, ''],
    [w.showTitle, 'title', r.session.title, ''],
    [w.start, 'startedAt', localDateTime(r.session.startedAt), ''],
    [w.end, 'endedAt', localDateTime(r.session.endedAt), ''],
  );
  return { name: 'kpis', header: zh ? ['指标', '字段', '数值', '单位'] : ['KPI', 'Key', 'Value', 'Unit'], rows };
}

function productTable(r: CsvReport, locale: Locale): CsvTable {
  const zh = locale === 'zh-CN';
  const cols: Col<ProductRow>[] = [
    { zh: '商品ID', en: 'Product ID', value: (p) => p.productId },
    { zh: '商品', en: 'Product', value: (p) => p.title },
    { zh: '角色', en: 'Role', value: (p) => (p.role ? (zh ? ROLE_LABELS[p.role]?.zh : ROLE_LABELS[p.role]?.en) ?? p.role : null) },
    { zh: '价格', en: 'Price', unit: 'yuan', value: (p) => yuanCell(p.priceFen) },
    kpiCol('exposures', (p) => p.exposures),
    kpiCol('clicks', (p) => p.clicks),
    kpiCol('ctr', (p) => pctCell(p.ctr), 'pct'),
    kpiCol('orders', (p) => p.orders),
    kpiCol('items', (p) => p.items),
    kpiCol('gmvFen', (p) => yuanCell(p.gmvFen), 'yuan'),
    kpiCol('clickToOrder', (p) => pctCell(p.clickToOrder), 'pct'),
    { zh: '讲解次数', en: 'Times explained', value: (p) => p.pins },
    { zh: '讲解时长', en: 'Time explained', unit: 'sec', value: (p) => Math.round(p.pinnedSec) },
    { zh: '讲解每分钟成交', en: 'GMV per minute explained', unit: 'yuan', value: (p) => yuanFigure(p.gmvPerPinnedMin) },
    { zh: '商品千次观看成交金额', en: 'Product GPM', unit: 'yuan', value: (p) => yuanFigure(p.productGpm) },
    { zh: '库存', en: 'Stock', value: (p) => p.stock },
    { zh: '售罄', en: 'Sold out', value: (p) => (p.soldOut ? (zh ? '是' : 'yes') : '') },
  ];
  return table('products', cols, r.products, locale);
}

function segmentTable(r: CsvReport, locale: Locale): CsvTable {
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  const cols: Col<SegmentRow>[] = [
    { zh: '商品ID', en: 'Product ID', value: (s) => s.productId },
    { zh: '商品', en: 'Product', value: (s) => titles.get(s.productId) ?? s.productId },
    { zh: '开始时间', en: 'Start', value: (s) => localDateTime(s.startTs) },
    { zh: '结束时间', en: 'End', value: (s) => localDateTime(s.endTs) },
    { zh: '时长', en: 'Duration', unit: 'sec', value: (s) => Math.round(s.durationSec) },
    kpiCol('exposures', (s) => s.exposures),
    kpiCol('clicks', (s) => s.clicks),
    kpiCol('ctr', (s) => pctCell(s.ctr), 'pct'),
    kpiCol('orders', (s) => s.orders),
    kpiCol('gmvFen', (s) => yuanCell(s.gmvFen), 'yuan'),
    kpiCol('clickToOrder', (s) => pctCell(s.clickToOrder), 'pct'),
    { zh: '进入人数', en: 'Entries', value: (s) => s.enters },
    { zh: '千次进入成交金额', en: 'GPM per entries', unit: 'yuan', value: (s) => yuanFigure(s.gpm) },
    { zh: '开始在线人数', en: 'Online at start', value: (s) => s.onlineStart },
    { zh: '结束在线人数', en: 'Online at end', value: (s) => s.onlineEnd },
  ];
  return table('segments', cols, r.segments, locale);
}

/** The four tables, in the order `lcr export` writes them. */
export function csvTables(r: CsvReport, locale: Locale): CsvTable[] {
  return [minuteTable(r, locale), kpiTable(r, locale), productTable(r, locale), segmentTable(r, locale)];
}
