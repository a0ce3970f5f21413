/**
 * Reading an imported table's rows of text cells into typed rows, in the app's units (fen,
 * fractions, epoch ms). Pure: the core turns a file's bytes into rows of cells (CSV or XLSX), this
 * file decides what every cell means. Any bad cell rejects the whole table with its line, its
 * column (as the file names it) and the reason — the caller stores nothing.
 */
import {
  detectTableKind,
  knownHeaderCount,
  namesOf,
  resolveColumns,
  type HeaderUnit,
  type ImportField,
  type ImportTableKind,
  type ResolvedColumn,
} from './columns.ts';
import type { ProductRole } from '../protocol.ts';

export class ImportError extends Error {
  constructor(
    readonly line: number,
    readonly column: string | null,
    readonly reason: string,
  ) {
    // The message is one readable line whatever the file held: a header or a file name of
    // 300,000 characters, or one with line breaks, is cut and flattened.
    super(`line ${line}${column ? `, column ${oneLine(column, 80)}` : ''}: ${oneLine(reason, 600)}`);
  }
}

/** Text from a file as part of a message: line breaks flattened, cut at `max` characters. */
export function oneLine(s: string, max: number): string {
  const flat = s.replace(/[\r\n\u2028\u2029]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** A minute table's time cell: a point in time, a minute index (0-based), or a clock time without a date. */
export type TimeCell = { at: number } | { index: number } | { clock: number };

export type ImportValue = number | string;
/** One row's values by field, only the fields the file gave (an empty cell or "-" gives none). */
export type ImportValues = Partial<Record<ImportField, ImportValue>>;

export interface ParsedRow {
  /** the line in the file (1-based, as an editor or Excel shows it) */
  line: number;
  values: ImportValues;
  /** minute tables: the time cell */
  time?: TimeCell;
}

export interface ParsedTable {
  table: ImportTableKind;
  columns: Array<{ header: string; field: ImportField }>;
  /** headers the app does not read (kept out of the import, listed for the person importing) */
  ignored: string[];
  rows: ParsedRow[];
  /** what the file says about the show (first non-empty cell of each column) */
  meta: { roomId: string | null; liveTitle: string | null; platform: string | null };
}

export const MAX_IMPORT_ROWS = 100_000;

const EMPTY = new Set(['', '-', '--', '—', '——', 'n/a', 'na', 'null', 'none', '/']);

export function isEmptyCell(s: string): boolean {
  return EMPTY.has(s.trim().toLowerCase());
}

/**
 * A number as Compass writes it: thousands separators, a currency mark (¥ ￥ 元), 万 / 亿, a
 * trailing count word (人 次 单 件 个), a sign. Returns the value and what the cell said about
 * itself; null when it is not a number.
 */
export function parseNumberCell(raw: string): { value: number; percent: boolean; yuanMark: boolean; scaled: boolean } | null {
  let s = raw.trim().replace(/[\s\u00a0]/g, '');
  let yuanMark = false;
  let percent = false;
  let mult = 1;
  if (/^[¥￥]/.test(s) || /^-[¥￥]/.test(s)) {
    yuanMark = true;
    s = s.replace(/[¥￥]/, '');
  }
  if (/^(rmb|cny)/i.test(s)) {
    yuanMark = true;
    s = s.replace(/^(rmb|cny)/i, '');
  }
  s = s.replace(/[人次单件个]$/, '');
  if (s.endsWith('元')) {
    yuanMark = true;
    s = s.slice(0, -1);
  }
  if (s.endsWith('%') || s.endsWith('％')) {
    percent = true;
    s = s.slice(0, -1);
  }
  if (s.endsWith('万')) {
    mult = 1e4;
    s = s.slice(0, -1);
  } else if (s.endsWith('亿')) {
    mult = 1e8;
    s = s.slice(0, -1);
  }
  // Thousands separators only between digit groups: "1,234.5" yes, "1,2" no.
  if (s.includes(',')) {
    if (!/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) return null;
    s = s.replace(/,/g, '');
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return null;
  const v = Number(s) * mult;
  if (!Number.isFinite(v)) return null;
  return { value: v, percent, yuanMark, scaled: mult !== 1 };
}

/** Rounds away float noise from ×100 and ×10000 (12.34 × 100 = 1233.9999…). */
function roundTo(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

const PAD = (n: number) => String(n).padStart(2, '0');

/**
 * A point in time: epoch ms (13 digits) or seconds (10 digits, as the `_ts` fields are), or a date
 * and time "2024-11-11 20:05[:00]" / "2024/11/11 20:05" / "2024年11月11日 20:05" — local time, as
 * Compass shows it — or ISO 8601 with an offset ("…T12:05:00Z", "+08:00").
 */
export function parseDateTime(raw: string): number | null {
  const s = raw.trim();
  if (/^\d{13}$/.test(s)) return Number(s);
  if (/^\d{10}$/.test(s)) return Number(s) * 1000;
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:时](\d{2})(?:[:分](\d{2})(?:\.(\d{1,3}))?秒?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return null;
  const msPart = Number((m[7] ?? '0').padEnd(3, '0'));
  const tz = m[8];
  if (tz) {
    const t = Date.parse(`${y}-${PAD(mo)}-${PAD(d)}T${PAD(h)}:${PAD(mi)}:${PAD(sec)}.${String(msPart).padStart(3, '0')}${tz === 'Z' ? 'Z' : tz.length === 5 ? `${tz.slice(0, 3)}:${tz.slice(3)}` : tz}`);
    return Number.isFinite(t) ? t : null;
  }
  const t = new Date(y, mo - 1, d, h, mi, sec, msPart).getTime();
  // new Date rolls 2024-02-31 over to March: a date that does not exist is an error.
  const back = new Date(t);
  if (back.getFullYear() !== y || back.getMonth() !== mo - 1 || back.getDate() !== d) return null;
  return t;
}

/** A minute table's time cell: a date-time, "20:05" (a clock time), "第5分钟" (1-based) or a plain minute index (0-based). */
export function parseTimeCell(raw: string): TimeCell | null {
  const s = raw.trim();
  const nth = /^第?(\d{1,5})分钟?$/.exec(s);
  if (nth && s.startsWith('第')) return { index: Number(nth[1]) - 1 };
  if (/^\d{1,5}$/.test(s)) return { index: Number(s) };
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (clock) {
    const h = Number(clock[1]);
    const mi = Number(clock[2]);
    if (h > 23 || mi > 59) return null;
    return { clock: h * 60 + mi };
  }
  const at = parseDateTime(s);
  return at === null ? null : { at };
}

/** A duration in seconds: 83, "83s", "83秒", "1分23秒", "01:23", "00:01:23", "1.5分钟" (or a number in a "(分钟)" column). */
export function parseSeconds(raw: string, inMinutes: boolean): number | null {
  const s = raw.trim().replace(/\s+/g, '');
  let m = /^(?:(\d+(?:\.\d+)?)(?:小时|h))?(?:(\d+(?:\.\d+)?)(?:分钟|分|min|m))?(?:(\d+(?:\.\d+)?)(?:秒|s))?$/i.exec(s);
  if (m && (m[1] || m[2] || m[3])) return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  m = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(s);
  if (m) return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  const n = parseNumberCell(s);
  if (!n || n.percent || n.yuanMark || n.value < 0) return null;
  return inMinutes ? n.value * 60 : n.value;
}

const ROLE_WORDS: Record<string, ProductRole> = {
  traffic: 'traffic',
  引流款: 'traffic',
  引流: 'traffic',
  福利款: 'traffic',
  hero: 'hero',
  转化款: 'hero',
  主推款: 'hero',
  爆款: 'hero',
  profit: 'profit',
  利润款: 'profit',
  利润: 'profit',
  new: 'new',
  机会款: 'new',
  新品: 'new',
};

/** Reads one cell of a resolved column; throws ImportError with the line, the column and the reason. */
export function parseCell(raw: string, col: Pick<ResolvedColumn, 'header' | 'unit' | 'headerUnit' | 'field'>, line: number): ImportValue | undefined {
  if (isEmptyCell(raw)) return undefined;
  const s = raw.trim();
  const fail = (reason: string): never => {
    throw new ImportError(line, col.header, reason);
  };
  const shown = JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
  switch (col.unit) {
    case 'text':
      return s;
    case 'role': {
      const r = ROLE_WORDS[s.toLowerCase()];
      return r ?? fail(`${shown} is not a product role (引流款 / 转化款 / 利润款 / 机会款, or traffic / hero / profit / new)`);
    }
    case 'time': {
      const t = parseDateTime(s);
      return t ?? fail(`${shown} is not a date and time (such as 2024-11-11 20:05, or epoch seconds)`);
    }
    case 'seconds': {
      const v = parseSeconds(s, col.headerUnit.minutes === true);
      return v ?? fail(`${shown} is not a duration (such as 83, 83秒, 1分23秒 or 01:23)`);
    }
    case 'rate': {
      const n = parseNumberCell(s);
      if (!n || n.yuanMark) return fail(`${shown} is not a rate (such as 5.6% or 0.056)`);
      const v = n.percent || col.headerUnit.percent ? n.value / 100 : n.value;
      if (v < 0) return fail(`${shown} is negative`);
      // Without a % sign a rate is a fraction; 5.6 meaning 5.6 % would be a silent ×100 error.
      if (!n.percent && !col.headerUnit.percent && v > 1) return fail(`${shown} is not a rate: write a fraction from 0 to 1 (0.056) or a percentage (5.6%)`);
      return roundTo(v, 12);
    }
    case 'count':
    case 'number': {
      const n = parseNumberCell(s);
      if (!n || n.percent || n.yuanMark) return fail(`${shown} is not a number`);
      if (n.value < 0) return fail(`${shown} is negative`);
      if (col.unit === 'number') return roundTo(n.value, 6);
      const v = roundTo(n.value, 6);
      if (!Number.isInteger(v)) {
        // "1.23456万" is 12,345.6 people: a count shown in 万 is rounded as Compass rounds it.
        if (n.scaled) return Math.round(v);
        return fail(`${shown} is not a whole number`);
      }
      return v;
    }
    case 'yuan':
    case 'fen': {
      const n = parseNumberCell(s);
      if (!n || n.percent) return fail(`${shown} is not a number`);
      if (n.value < 0) return fail(`${shown} is negative`);
      // A ¥ or 元 in the cell says yuan whatever the column's default.
      const yuan = col.unit === 'yuan' || n.yuanMark;
      const wan = col.headerUnit.money === 'wanYuan' && !n.scaled ? 1e4 : 1;
      const fen = yuan ? n.value * wan * 100 : n.value;
      const r = roundTo(fen, 6);
      if (!yuan && !Number.isInteger(r)) return fail(`${shown} is not a whole number of fen (the column ${col.header} is in fen, 1/100 yuan)`);
      return Math.round(r);
    }
  }
}

/** The first of the first ten rows that names at least two known columns: exports put title lines above it. */
function findHeaderRow(rows: readonly (readonly string[])[]): number {
  for (let i = 0; i < Math.min(rows.length, 10); i++) if (knownHeaderCount(rows[i] ?? []) >= 2) return i;
  return -1;
}

/** Which fields a table must name to mean anything; checked before any row is read. */
const METRIC_FIELDS: ImportField[] = [
  'online', 'enters', 'leaves', 'uv', 'pv', 'peakOnline', 'avgOnline', 'avgWatchSec', 'gmvFen', 'refundFen', 'orders', 'items', 'buyers', 'gpm',
  'uvValue', 'ctr', 'clickToOrder', 'exposures', 'clicks', 'follows', 'fansclub', 'comments', 'likes', 'shares', 'adSpendFen', 'adGmvFen', 'priceFen', 'stock',
  'gmvTargetFen',
];

/**
 * Reads a table from rows of text cells (row i is line i + 1 of the file). Finds the header row,
 * tells the table's kind, maps its columns, parses every cell. Blank rows are skipped.
 */
export function parseTable(rows: readonly (readonly string[])[]): ParsedTable {
  const h = findHeaderRow(rows);
  if (h < 0) {
    throw new ImportError(1, null, `no header row naming the table's columns (such as 时间, 在线人数, 成交金额 or stat_time, online_user_cnt, pay_amt) in the first 10 lines`);
  }
  const header = rows[h]!;
  const table = detectTableKind(header);
  if (!table) throw new ImportError(h + 1, null, 'the header names both a time column and a product column; import the minute table and the product table as two files');
  const { columns, ignored } = resolveColumns(header, table);
  if (!columns.some((c) => METRIC_FIELDS.includes(c.field))) {
    throw new ImportError(h + 1, null, `no figures to import: none of the columns is a known field (such as ${namesOf('gmvFen').slice(0, 2).join(', ')}, ${namesOf('orders')[0]})`);
  }
  const timeCol = columns.find((c) => c.field === 'time');
  const productCol = columns.find((c) => c.field === 'productId');
  const out: ParsedRow[] = [];
  const meta: ParsedTable['meta'] = { roomId: null, liveTitle: null, platform: null };
  for (let i = h + 1; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    if (!cells.some((c) => c.trim())) continue;
    const line = i + 1;
    if (out.length >= MAX_IMPORT_ROWS) throw new ImportError(line, null, `more than ${MAX_IMPORT_ROWS.toLocaleString('en-US')} rows`);
    const values: ImportValues = {};
    let time: TimeCell | undefined;
    for (const col of columns) {
      const raw = cells[col.index] ?? '';
      if (col === timeCol) {
        if (isEmptyCell(raw)) throw new ImportError(line, col.header, 'empty time: every row of a minute table needs its minute');
        const t = parseTimeCell(raw);
        if (!t) throw new ImportError(line, col.header, `${JSON.stringify(raw.trim())} is not a time (such as 2024-11-11 20:05, 20:05, or a minute index such as 5)`);
        time = t;
        continue;
      }
      const v = parseCell(raw, col, line);
      if (v !== undefined) values[col.field] = v;
    }
    if (productCol && values.productId === undefined) throw new ImportError(line, productCol.header, 'empty product id');
    const start = values.explainStart;
    const end = values.explainEnd;
    if ((start === undefined) !== (end === undefined)) {
      const missing = columns.find((c) => c.field === (start === undefined ? 'explainStart' : 'explainEnd'));
      throw new ImportError(line, missing?.header ?? null, 'an explain window needs both its start and its end');
    }
    if (typeof start === 'number' && typeof end === 'number' && end < start) {
      throw new ImportError(line, columns.find((c) => c.field === 'explainEnd')?.header ?? null, 'the explain window ends before it starts');
    }
    for (const k of ['roomId', 'liveTitle', 'platform'] as const) {
      const v = values[k];
      if (typeof v === 'string' && meta[k] === null) meta[k] = v;
    }
    out.push({ line, values, time });
  }
  if (!out.length) throw new ImportError(h + 2, null, 'the table has no rows under its header');
  if (table === 'totals' && out.length > 1) throw new ImportError(out[1]!.line, null, 'a totals table (no time column, no product column) has one row; add a time column (时间) for a minute table or a product column (商品ID) for a product table');
  if (table === 'minutes') checkTimeKinds(out, timeCol!);
  return { table, columns: columns.map((c) => ({ header: c.header, field: c.field })), ignored, rows: out, meta };
}

function checkTimeKinds(rows: readonly ParsedRow[], col: ResolvedColumn): void {
  const kindOf = (t: TimeCell) => ('at' in t ? 'date and time' : 'index' in t ? 'minute index' : 'clock time');
  const first = kindOf(rows[0]!.time!);
  for (const r of rows) {
    const k = kindOf(r.time!);
    if (k !== first) throw new ImportError(r.line, col.header, `a ${k} where the rows above have a ${first}: one kind of time per table`);
  }
}

export type { HeaderUnit };
