/**
 * The CSV tables a person reworks in Excel — minutes, KPIs, products, segments — as header and
 * rows, written by `lcr export` and the app's export alike (electron/core/retro/export/csv.ts). Pure.
 *
 * For people, not for machines (`lcr report --json` has METRICS.md's keys and units):
 * - headers in the localiser's language, Chinese the platforms' words (METRICS.md's 中文), each with
 *   its unit: 成交金额(元) / GMV (CNY), 商品点击率(%) / CTR (%), 时长(秒) / Duration (s);
 * - money in yuan with two decimals, never fen; rates in percent; ratios (ROI) as they are;
 * - times as the exporting machine's local date-time, "2024-11-11 20:03:00", never epoch ms;
 * - minutes as people count them, 第几分钟 = METRICS.md's index + 1, as every screen and sheet
 *   names them (shared/minutes.ts).
 */
import { minuteColumn, minuteNumber } from '../minutes.ts';
import type { Kpis, MinuteRow, ProductRow, SegmentRow } from '../metrics/types.ts';
import type { SessionInfo } from '../sessions.ts';
import { TrafficSources } from '../protocol.ts';
import { KPI_META, roleName } from './labels.ts';
import type { KpiKey, Unit } from './types.ts';
import type { Localiser } from '../i18n/localiser.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { getDisplayCurrency } from '../format.ts';
import { CURRENCY_EXPONENT } from '../currency.ts';

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

/** `cny`: 元 whatever the show's currency (gift values). */
type ColUnit = 'yuan' | 'cny' | 'pct' | 'sec' | null;
interface Col<R> {
  /** the column's name: a message, or a word already said (the minute column) */
  name: MessageKey | { said: string };
  unit?: ColUnit;
  value: (r: R) => unknown;
}

function header(c: Col<never>, i18n: Localiser): string {
  const name = typeof c.name === 'string' ? i18n(c.name) : c.name.said;
  return c.unit ? i18n('col.withUnit', { name, unit: unitWord(c.unit, i18n) }) : name;
}

/** A column's unit; money is the show's currency (元 for CNY, else its code: USD, GBP …). */
function unitWord(u: NonNullable<ColUnit>, i18n: Localiser): string {
  const code = getDisplayCurrency();
  if (u === 'cny') return i18n('col.unit.yuan');
  return u === 'yuan' && code !== 'CNY' ? code : i18n(`col.unit.${u}`);
}

/**
 * Minor units → major with the currency's decimals ("1234.50" USD, "1250000" VND): what Excel sums
 * without a format. The show's currency unless named (gift values are CNY fen whatever the show's).
 */
export function yuanCell(fen: number | null | undefined, currency: string = getDisplayCurrency()): string | null {
  const e = CURRENCY_EXPONENT[currency] ?? 2;
  return fen === null || fen === undefined || !Number.isFinite(fen) ? null : (fen / 10 ** e).toFixed(e);
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
  return { name: `kpi.${key}`, unit, value };
}

function table<R>(name: CsvTable['name'], cols: readonly Col<R>[], rows: readonly R[], i18n: Localiser): CsvTable {
  return { name, header: cols.map((c) => header(c as Col<never>, i18n)), rows: rows.map((r) => cols.map((c) => c.value(r))) };
}

function minuteTable(r: CsvReport, i18n: Localiser): CsvTable {
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  const cols: Col<MinuteRow>[] = [
    { name: { said: minuteColumn(i18n.locale) }, value: (m) => minuteNumber(m.minute) },
    { name: 'report.time', value: (m) => localDateTime(m.ts) },
    { name: 'col.pinned', value: (m) => (m.pinnedProductId ? (titles.get(m.pinnedProductId) ?? m.pinnedProductId) : null) },
    { name: 'col.pinnedId', value: (m) => m.pinnedProductId },
    kpiCol('avgOnline', (m) => m.onlineAvg),
    kpiCol('peakOnline', (m) => m.onlineMax),
    { name: 'col.onlineEnd', value: (m) => m.onlineEnd },
    { name: 'report.enters', value: (m) => m.enters },
    kpiCol('likes', (m) => m.likes),
    kpiCol('comments', (m) => m.comments),
    kpiCol('newFollowers', (m) => m.follows),
    kpiCol('shares', (m) => m.shares),
    kpiCol('fansclubJoins', (m) => m.fansclub),
    kpiCol('giftFen', (m) => yuanCell(m.giftFen, 'CNY'), 'cny'),
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
  return table('minutes', cols, r.minutes, i18n);
}

/** The unit a KPI's figure is written in, for the KPI table's unit column (none for counts and ratios). */
const KPI_UNIT: Record<Unit, ColUnit> = { fen: 'yuan', cnyFen: 'cny', yuan: 'yuan', rate: 'pct', sec: 'sec', count: null, ratio: null };

function kpiTable(r: CsvReport, i18n: Localiser): CsvTable {
  const value = (v: number | null, unit: Unit) => (unit === 'cnyFen' ? yuanCell(v, 'CNY') : unit === 'fen' ? yuanCell(v) : unit === 'rate' ? pctCell(v) : unit === 'yuan' || unit === 'ratio' ? yuanFigure(v) : v);
  const word = (m: { unit: Unit }) => {
    const u = KPI_UNIT[m.unit];
    return u ? unitWord(u, i18n) : '';
  };
  const rows: unknown[][] = KPI_META.map((m) => [i18n(`kpi.${m.key}`), m.key, value(r.kpis[m.key], m.unit), word(m)]);
  for (const s of TrafficSources) rows.push([`${i18n('report.traffic')}·${i18n(`traffic.${s}`)}`, `entersBySource.${s}`, r.kpis.entersBySource[s], '']);
  rows.unshift(
    [i18n('report.room'), 'roomId', r.session.roomId, ''],
    [i18n('report.showTitle'), 'title', r.session.title, ''],
    [i18n('report.start'), 'startedAt', localDateTime(r.session.startedAt), ''],
    [i18n('report.end'), 'endedAt', localDateTime(r.session.endedAt), ''],
  );
  return { name: 'kpis', header: [i18n('report.kpi'), i18n('col.field'), i18n('col.value'), i18n('col.unit')], rows };
}

function productTable(r: CsvReport, i18n: Localiser): CsvTable {
  const cols: Col<ProductRow>[] = [
    { name: 'col.productId', value: (p) => p.productId },
    { name: 'report.product', value: (p) => p.title },
    { name: 'report.role', value: (p) => (p.role ? roleName(p.role, i18n) : null) },
    { name: 'report.price', unit: 'yuan', value: (p) => yuanCell(p.priceFen) },
    kpiCol('exposures', (p) => p.exposures),
    kpiCol('clicks', (p) => p.clicks),
    kpiCol('ctr', (p) => pctCell(p.ctr), 'pct'),
    kpiCol('orders', (p) => p.orders),
    kpiCol('items', (p) => p.items),
    kpiCol('gmvFen', (p) => yuanCell(p.gmvFen), 'yuan'),
    kpiCol('clickToOrder', (p) => pctCell(p.clickToOrder), 'pct'),
    { name: 'col.pins', value: (p) => p.pins },
    { name: 'col.pinnedSec', unit: 'sec', value: (p) => Math.round(p.pinnedSec) },
    { name: 'col.perPinnedMin', unit: 'yuan', value: (p) => yuanFigure(p.gmvPerPinnedMin) },
    { name: 'col.productGpm', unit: 'yuan', value: (p) => yuanFigure(p.productGpm) },
    { name: 'col.stock', value: (p) => p.stock },
    { name: 'col.soldOut', value: (p) => (p.soldOut ? i18n('col.yes') : '') },
  ];
  return table('products', cols, r.products, i18n);
}

function segmentTable(r: CsvReport, i18n: Localiser): CsvTable {
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  const cols: Col<SegmentRow>[] = [
    { name: 'col.productId', value: (s) => s.productId },
    { name: 'report.product', value: (s) => titles.get(s.productId) ?? s.productId },
    { name: 'col.startTime', value: (s) => localDateTime(s.startTs) },
    { name: 'col.endTime', value: (s) => localDateTime(s.endTs) },
    { name: 'report.duration', unit: 'sec', value: (s) => Math.round(s.durationSec) },
    kpiCol('exposures', (s) => s.exposures),
    kpiCol('clicks', (s) => s.clicks),
    kpiCol('ctr', (s) => pctCell(s.ctr), 'pct'),
    kpiCol('orders', (s) => s.orders),
    kpiCol('gmvFen', (s) => yuanCell(s.gmvFen), 'yuan'),
    kpiCol('clickToOrder', (s) => pctCell(s.clickToOrder), 'pct'),
    { name: 'report.enters', value: (s) => s.enters },
    { name: 'col.gpmEnters', unit: 'yuan', value: (s) => yuanFigure(s.gpm) },
    { name: 'col.onlineStartPeople', value: (s) => s.onlineStart },
    { name: 'col.onlineEndPeople', value: (s) => s.onlineEnd },
  ];
  return table('segments', cols, r.segments, i18n);
}

/** The four tables, in the order `lcr export` writes them. */
export function csvTables(r: CsvReport, i18n: Localiser): CsvTable[] {
  return [minuteTable(r, i18n), kpiTable(r, i18n), productTable(r, i18n), segmentTable(r, i18n)];
}
