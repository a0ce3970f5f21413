/**
 * The one mapping from the columns of a Compass (罗盘) / merchant export to the app's fields —
 * the platforms' English field names (SOURCES.md §4) and the Chinese labels the screens and the
 * exports show, side by side. Everything that reads an imported table goes through `resolveHeader`.
 *
 * Three kinds of table, told apart by their columns:
 * - `minutes`: one row per minute, with a time column (时间 / 分钟 / stat_time / time);
 * - `products`: one row per product, or per explain window of a product (商品ID / product_id);
 * - `totals`: the show's totals, one row (no time column, no product column).
 *
 * Units: a money column is yuan as Compass shows it (¥, 元, thousands separators and 万 allowed),
 * except `product_pay_amt`, which the merchant API gives in fen (SOURCES.md). A unit written in the
 * header — 成交金额(元), 成交金额（分）, 成交金额(万元) — wins over the column's default. Rates are
 * fractions (0.056) or percentages ("5.6%").
 */

export const ImportTableKinds = ['minutes', 'products', 'totals'] as const;
export type ImportTableKind = (typeof ImportTableKinds)[number];

/**
 * How a cell is read: `count` a whole number (万 allowed), `number` any number ≥ 0, `yuan`/`fen`
 * money into fen, `rate` a fraction, `time` a point in time (or, in a minute table's time column, a
 * minute index), `seconds` a duration, `text` as written, `role` a product role.
 */
export type FieldUnit = 'count' | 'number' | 'yuan' | 'fen' | 'rate' | 'time' | 'seconds' | 'text' | 'role';

/** The app's name for what a column holds (METRICS.md's words where METRICS.md has one). */
export type ImportField =
  | 'time'
  | 'roomId'
  | 'liveTitle'
  | 'platform'
  | 'productId'
  | 'title'
  | 'role'
  | 'priceFen'
  | 'stock'
  | 'explainStart'
  | 'explainEnd'
  | 'online'
  | 'enters'
  | 'leaves'
  | 'uv'
  | 'pv'
  | 'peakOnline'
  | 'avgOnline'
  | 'avgWatchSec'
  | 'gmvFen'
  | 'refundFen'
  | 'orders'
  | 'items'
  | 'buyers'
  | 'gpm'
  | 'uvValue'
  | 'ctr'
  | 'clickToOrder'
  | 'exposures'
  | 'clicks'
  | 'follows'
  | 'fansclub'
  | 'comments'
  | 'likes'
  | 'shares'
  | 'adSpendFen'
  | 'adGmvFen'
  | 'gmvTargetFen';

export interface FieldDef {
  field: ImportField;
  /** The kinds of table the column belongs to. */
  tables: readonly ImportTableKind[];
  unit: FieldUnit;
  /** Platform field names (English, as the APIs and the scrapers name them). */
  en: readonly string[];
  /** Chinese labels as Compass shows and exports them. */
  zh: readonly string[];
  /** Names among `en`/`zh` whose money is in fen rather than yuan. */
  fen?: readonly string[];
}

const ALL: readonly ImportTableKind[] = ImportTableKinds;
const MT: readonly ImportTableKind[] = ['minutes', 'totals'];
const MPT: readonly ImportTableKind[] = ['minutes', 'products', 'totals'];

/**
 * The mapping table. One field may appear twice with different tables when the same platform name
 * means different things: `watch_ucnt` is the minute's entries (进入人数) in a trend table and the
 * show's viewers (累计观看人数, UV) in a totals table.
 */
export const IMPORT_FIELDS: readonly FieldDef[] = [
  { field: 'time', tables: ['minutes'], unit: 'time', en: ['stat_time', 'time', 'minute', 'datetime', 'date_time', 'ts', 'timestamp'], zh: ['时间', '分钟', '时间点', '统计时间', '日期时间', '时刻'] },
  { field: 'roomId', tables: ALL, unit: 'text', en: ['room_id', 'roomid', 'live_room_id'], zh: ['直播间id', '房间id', '直播间'] },
  { field: 'liveTitle', tables: ALL, unit: 'text', en: ['live_title', 'room_title'], zh: ['直播标题', '直播间标题', '直播主题'] },
  { field: 'platform', tables: ALL, unit: 'text', en: ['platform'], zh: ['平台'] },
  { field: 'productId', tables: ['products'], unit: 'text', en: ['product_id', 'productid', 'item_id', 'goods_id'], zh: ['商品id', '商品编号', '商品编码'] },
  { field: 'title', tables: ['products'], unit: 'text', en: ['product_name', 'product_title', 'title', 'name'], zh: ['商品名称', '商品标题', '商品'] },
  { field: 'role', tables: ['products'], unit: 'role', en: ['role', 'product_role'], zh: ['商品角色', '货品角色', '商品类型'] },
  { field: 'priceFen', tables: ['products'], unit: 'yuan', en: ['price', 'product_price'], zh: ['价格', '售价', '商品价格', '商品单价'] },
  { field: 'stock', tables: ['products'], unit: 'count', en: ['stock', 'stock_num'], zh: ['库存'] },
  { field: 'explainStart', tables: ['products'], unit: 'time', en: ['explain_start_ts', 'explain_start_time'], zh: ['讲解开始时间', '开始讲解时间'] },
  { field: 'explainEnd', tables: ['products'], unit: 'time', en: ['explain_end_ts', 'explain_end_time'], zh: ['讲解结束时间', '结束讲解时间'] },
  { field: 'online', tables: ['minutes'], unit: 'count', en: ['online_user_cnt', 'online'], zh: ['在线人数', '实时在线人数', '在线'] },
  { field: 'enters', tables: ['minutes'], unit: 'count', en: ['watch_ucnt', 'enter_ucnt', 'enters'], zh: ['进入人数', '进入直播间人数', '进场人数'] },
  { field: 'leaves', tables: ['minutes'], unit: 'count', en: ['leave_ucnt', 'leaves'], zh: ['离开人数', '离开直播间人数'] },
  { field: 'uv', tables: ['totals'], unit: 'count', en: ['watch_ucnt', 'uv', 'total_watch_ucnt'], zh: ['累计观看人数', '观看人数', '进入人数', '进入直播间人数'] },
  { field: 'pv', tables: ['totals'], unit: 'count', en: ['watch_cnt', 'pv', 'total_watch_cnt'], zh: ['观看次数', '累计观看次数'] },
  { field: 'peakOnline', tables: ['totals'], unit: 'count', en: ['max_online_user_cnt', 'pcu', 'peak_online'], zh: ['最高在线人数', '最高在线', '峰值在线人数'] },
  { field: 'avgOnline', tables: ['totals'], unit: 'number', en: ['avg_online_user_cnt', 'acu', 'avg_online'], zh: ['平均在线人数', '平均在线'] },
  { field: 'avgWatchSec', tables: ['totals'], unit: 'seconds', en: ['avg_watch_duration', 'avg_watch_time'], zh: ['人均观看时长', '平均观看时长'] },
  {
    field: 'gmvFen',
    tables: MPT,
    unit: 'yuan',
    en: ['pay_amt', 'gmv', 'product_pay_amt'],
    zh: ['成交金额', '用户支付金额', '直播间成交金额', '商品成交金额', '销售额', '支付金额'],
    fen: ['product_pay_amt'],
  },
  { field: 'refundFen', tables: MPT, unit: 'yuan', en: ['refund_amt', 'refund_pay_amt'], zh: ['退款金额'] },
  { field: 'orders', tables: MPT, unit: 'count', en: ['pay_cnt', 'product_pay_cnt', 'orders'], zh: ['成交订单数', '成交单数', '订单数', '支付订单数'] },
  { field: 'items', tables: MPT, unit: 'count', en: ['pay_combo_cnt', 'pay_item_cnt', 'items'], zh: ['成交件数', '支付件数'] },
  { field: 'buyers', tables: MPT, unit: 'count', en: ['pay_ucnt', 'buyers'], zh: ['成交人数', '支付人数'] },
  { field: 'gpm', tables: MPT, unit: 'number', en: ['gpm'], zh: ['千次观看成交金额', '千次观看成交额'] },
  { field: 'uvValue', tables: MT, unit: 'number', en: ['uv_value'], zh: ['uv价值'] },
  { field: 'ctr', tables: MPT, unit: 'rate', en: ['viewing_click_rate', 'product_click_rate', 'ctr'], zh: ['商品点击率', '观看-商品点击率', '点击率'] },
  { field: 'clickToOrder', tables: MPT, unit: 'rate', en: ['click_transaction_rate', 'click_pay_rate'], zh: ['点击成交转化率', '商品点击-成交转化率', '点击-成交转化率'] },
  { field: 'exposures', tables: MPT, unit: 'count', en: ['product_show_cnt', 'product_exposure_cnt', 'exposures'], zh: ['商品曝光次数', '曝光次数'] },
  { field: 'clicks', tables: MPT, unit: 'count', en: ['product_click_cnt', 'clicks'], zh: ['商品点击次数', '点击次数'] },
  { field: 'follows', tables: MT, unit: 'count', en: ['incr_fans_cnt', 'new_fans_cnt', 'follows'], zh: ['新增粉丝数', '新增粉丝', '涨粉数', '新增关注'] },
  { field: 'fansclub', tables: MT, unit: 'count', en: ['fans_club_ucnt', 'fansclub'], zh: ['新加团人数', '加团人数', '新增粉丝团人数'] },
  { field: 'comments', tables: MT, unit: 'count', en: ['comment_cnt', 'comments'], zh: ['评论次数', '评论数'] },
  { field: 'likes', tables: MT, unit: 'count', en: ['like_cnt', 'likes'], zh: ['点赞次数', '点赞数'] },
  { field: 'shares', tables: MT, unit: 'count', en: ['share_cnt', 'shares'], zh: ['分享次数', '分享数'] },
  { field: 'adSpendFen', tables: MT, unit: 'yuan', en: ['stat_cost', 'cost', 'ad_cost'], zh: ['消耗', '投放消耗', '广告消耗', '千川消耗'] },
  { field: 'adGmvFen', tables: ['totals'], unit: 'yuan', en: ['ad_pay_amt', 'ad_gmv'], zh: ['广告成交金额', '投放成交金额'] },
  // The team's own figure, not the platform's: the show's GMV target, stored as its target.
  { field: 'gmvTargetFen', tables: ['totals'], unit: 'yuan', en: ['gmv_target', 'target_gmv', 'target_pay_amt'], zh: ['成交目标', '目标成交金额', 'GMV目标', '目标GMV', '销售目标', '成交金额目标'] },
];

/** What a unit written in a header's brackets says. */
export interface HeaderUnit {
  /** money: '元' yuan, '分' fen, '万元' ten-thousand yuan */
  money?: 'yuan' | 'fen' | 'wanYuan';
  /** the column is in percent ("(%)") */
  percent?: boolean;
  /** a duration in minutes ("(分钟)", "(min)") rather than seconds */
  minutes?: boolean;
}

export interface ResolvedColumn {
  /** index of the column in the row */
  index: number;
  /** the header as written in the file, for error messages */
  header: string;
  field: ImportField;
  unit: FieldUnit;
  headerUnit: HeaderUnit;
}

/** Lower case, no spaces, full-width brackets and colons as ASCII: how headers are compared. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\s+/g, '');
}

/** Splits "成交金额(元)" into the name and the unit in brackets. */
export function splitHeaderUnit(normalized: string): { name: string; unit: HeaderUnit } {
  const m = /^(.*?)\(([^()]*)\)$/.exec(normalized);
  if (!m) return { name: normalized, unit: {} };
  const name = m[1]!;
  const u = m[2]!;
  if (u === '元' || u === 'yuan' || u === 'cny' || u === '¥' || u === '￥') return { name, unit: { money: 'yuan' } };
  if (u === '分' || u === 'fen') return { name, unit: { money: 'fen' } };
  if (u === '万元' || u === '万') return { name, unit: { money: 'wanYuan' } };
  if (u === '%') return { name, unit: { percent: true } };
  if (u === '分钟' || u === 'min') return { name, unit: { minutes: true } };
  // (人), (次), (秒), (s), (个) and the like say nothing a cell's number does not.
  return { name, unit: {} };
}

const BY_NAME: Map<string, FieldDef[]> = (() => {
  const m = new Map<string, FieldDef[]>();
  for (const def of IMPORT_FIELDS) {
    for (const n of [...def.en, ...def.zh]) {
      const key = normalizeHeader(n);
      m.set(key, [...(m.get(key) ?? []), def]);
    }
  }
  return m;
})();

/**
 * The field a header names in a table of `kind` (null: not a column the app reads). Without a
 * kind, any field the name can mean (used to find the header row and to tell the table's kind).
 */
export function resolveHeader(header: string, kind?: ImportTableKind): { def: FieldDef; unit: FieldUnit; headerUnit: HeaderUnit } | null {
  const { name, unit: headerUnit } = splitHeaderUnit(normalizeHeader(header));
  const defs = BY_NAME.get(name) ?? BY_NAME.get(normalizeHeader(header));
  const def = defs?.find((d) => kind === undefined || d.tables.includes(kind));
  if (!def) return null;
  let unit = def.unit;
  if (unit === 'yuan' && def.fen?.some((n) => normalizeHeader(n) === name)) unit = 'fen';
  if (unit === 'yuan' || unit === 'fen') {
    if (headerUnit.money === 'fen') unit = 'fen';
    else if (headerUnit.money) unit = 'yuan';
  }
  return { def, unit, headerUnit };
}

/** The columns of a header row for a table of `kind`; the first column naming a field wins. */
export function resolveColumns(header: readonly string[], kind: ImportTableKind): { columns: ResolvedColumn[]; ignored: string[] } {
  const columns: ResolvedColumn[] = [];
  const ignored: string[] = [];
  const seen = new Set<ImportField>();
  header.forEach((h, index) => {
    if (!h.trim()) return;
    const r = resolveHeader(h, kind);
    if (!r || seen.has(r.def.field)) {
      ignored.push(h.trim());
      return;
    }
    seen.add(r.def.field);
    columns.push({ index, header: h.trim(), field: r.def.field, unit: r.unit, headerUnit: r.headerUnit });
  });
  return { columns, ignored };
}

/** How many cells of a row name a known column (to find the header row under an export's title lines). */
export function knownHeaderCount(row: readonly string[]): number {
  return row.filter((c) => c.trim() && resolveHeader(c) !== null).length;
}

/**
 * The kind of table a header row describes: a time column makes a minute table, a product column a
 * product table, neither a totals table. Null when the headers name both (a per-product minute
 * table, which the app does not read).
 */
export function detectTableKind(header: readonly string[]): ImportTableKind | null {
  const names = header.map((h) => splitHeaderUnit(normalizeHeader(h)).name);
  const has = (field: ImportField) => names.some((n) => (BY_NAME.get(n) ?? []).some((d) => d.field === field));
  const time = has('time');
  const product = has('productId');
  if (time && product) return null;
  if (time) return 'minutes';
  if (product) return 'products';
  return 'totals';
}

/** The column names a person can use for a field, both languages (for error messages and docs/imports.md). */
export function namesOf(field: ImportField): string[] {
  const defs = IMPORT_FIELDS.filter((d) => d.field === field);
  return [...new Set(defs.flatMap((d) => [...d.zh, ...d.en]))];
}
