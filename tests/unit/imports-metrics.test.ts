/**
 * METRICS.md's figures from imported tables (worked out by hand), the placing of minute rows
 * on a session's clock, and the settled figures laid over live ones with what moved.
 */
import { describe, expect, it } from 'vitest';
import { metricsFromImports, placeMinutes, settleMetrics, settlementChanges, type ImportedSet } from '../../shared/imports/metrics.ts';
import { parseTable, ImportError } from '../../shared/imports/parse.ts';
import { textRows } from '../../electron/core/imports/file.ts';

const T = (hh: number, mm: number, ss = 0) => new Date(2024, 10, 11, hh, mm, ss).getTime();

describe('placing minute rows', () => {
  const t = parseTable(textRows('时间,成交金额\n2024-11-11 20:03,1\n2024-11-11 20:04,2\n2024-11-11 20:06,3\n'));
  it('starts a new show at the table’s first minute', () => {
    const p = placeMinutes(t.rows, null, '时间');
    expect(p.startedAt).toBe(T(20, 3));
    expect(p.minutes.map((m) => m.minute)).toEqual([0, 1, 3]);
  });
  it('puts the platform minute the show started in at minute 0 of a recorded session', () => {
    expect(placeMinutes(t.rows, T(20, 3, 45), '时间').minutes.map((m) => m.minute)).toEqual([0, 1, 3]);
    expect(placeMinutes(t.rows, T(20, 2, 10), '时间').minutes.map((m) => m.minute)).toEqual([1, 2, 4]);
  });
  it('refuses a minute before the start, a minute twice, and an index without a start', () => {
    expect(() => placeMinutes(t.rows, T(20, 4, 1), '时间')).toThrow(/line 2, column 时间: this minute is before the show started/);
    const dup = parseTable(textRows('时间,成交金额\n2024-11-11 20:03,1\n2024-11-11 20:03:30,2\n'));
    expect(() => placeMinutes(dup.rows, null, '时间')).toThrow('line 3, column 时间: the same minute as line 2');
    const idx = parseTable(textRows('分钟,成交金额\n0,1\n1,2\n'));
    expect(() => placeMinutes(idx.rows, null, '分钟')).toThrow(ImportError);
    expect(placeMinutes(idx.rows, T(20, 0), '分钟').minutes.map((m) => m.ts)).toEqual([T(20, 0), T(20, 1)]);
  });
  it('gives clock times the date of the show’s start, rolling over midnight', () => {
    const c = parseTable(textRows('时间,成交金额\n23:59,1\n00:00,2\n'));
    expect(placeMinutes(c.rows, T(23, 59), '时间').minutes.map((m) => m.minute)).toEqual([0, 1]);
  });
});

function set(minutesCsv: string | null, productsCsv: string | null, startedAt: number): ImportedSet {
  const s: ImportedSet = { minutes: null, products: null, totals: null };
  if (minutesCsv) {
    const t = parseTable(textRows(minutesCsv));
    s.minutes = { fields: t.columns.map((c) => c.field), rows: placeMinutes(t.rows, startedAt, '时间').minutes };
  }
  if (productsCsv) {
    const t = parseTable(textRows(productsCsv));
    s.products = { fields: t.columns.map((c) => c.field), rows: t.rows };
  }
  return s;
}

describe('figures of an imported show', () => {
  const minutes = '时间,在线人数,进入人数,成交金额,成交订单数\n2024-11-11 20:00,100,50,¥100,2\n2024-11-11 20:01,200,150,300元,3\n2024-11-11 20:03,300,100,0,0\n';
  const products = 'product_id,product_name,explain_start_ts,explain_end_ts,product_show_cnt,product_click_cnt,pay_cnt,product_pay_amt\na,唇釉,2024-11-11 20:00,2024-11-11 20:02,200,20,4,30000\nb,面膜,2024-11-11 20:02,2024-11-11 20:04,100,5,1,10000\n';
  const m = metricsFromImports(T(20, 0), T(20, 4), set(minutes, products, T(20, 0)));

  it('sums the minute table into KPIs (entries to PV) and derives the ratios', () => {
    // GMV ¥400 over PV 300: GPM 1333.3; the products give exposures 300 and clicks 25.
    expect(m.kpis).toMatchObject({ durationSec: 240, gmvFen: 40_000, orders: 5, pv: 300, peakOnline: 300, avgOnline: 200, onlineNow: 300, exposures: 300, clicks: 25, uv: null, buyers: null });
    expect(m.kpis.gpm).toBeCloseTo(1333.333, 3);
    expect(m.kpis.ctr).toBeCloseTo(25 / 300, 12);
    expect(m.kpis.clickToOrder).toBeCloseTo(5 / 25, 12);
  });

  it('fills every minute of the show, empty where the table has none, pinned from the explain windows', () => {
    expect(m.minutes.map((r) => [r.minute, r.onlineEnd, r.enters, r.gmvFen, r.pinnedProductId])).toEqual([
      [0, 100, 50, 10_000, 'a'],
      [1, 200, 150, 30_000, 'a'],
      [2, null, 0, 0, 'b'],
      [3, 300, 100, 0, 'b'],
    ]);
    expect(m.minutes[1]!.gpm).toBeCloseTo((300 / 150) * 1000, 9);
  });

  it('makes segments and product rows from the product table', () => {
    expect(m.segments.map((s) => [s.productId, s.durationSec, s.enters, s.gmvFen, s.onlineStart, s.onlineEnd])).toEqual([
      ['a', 120, 200, 30_000, 100, 200],
      ['b', 120, 100, 10_000, null, 300],
    ]);
    const a = m.products.find((p) => p.productId === 'a')!;
    expect(a).toMatchObject({ title: '唇釉', pins: 1, pinnedSec: 120, gmvFen: 30_000, orders: 4, clicks: 20 });
    expect(a.gmvPerPinnedMin).toBe(150);
    expect(a.productGpm).toBeCloseTo(1000, 9);
  });
});

describe('settled figures over live ones', () => {
  const live = metricsFromImports(T(20, 0), T(20, 2), set('时间,进入人数,成交金额,成交订单数\n2024-11-11 20:00,100,¥100,2\n2024-11-11 20:01,100,¥100,2\n', null, T(20, 0)));
  const settled = settleMetrics(live, T(20, 0), set('时间,成交金额,成交订单数\n2024-11-11 20:00,¥150,3\n2024-11-11 20:01,¥100,2\n', null, T(20, 0)));

  it('replaces what the settled tables give, keeps the rest, and derives the ratios again', () => {
    expect(settled.kpis).toMatchObject({ gmvFen: 25_000, orders: 5, pv: 200 });
    expect(settled.kpis.gpm).toBeCloseTo(1250, 9);
    expect(settled.minutes.map((r) => [r.enters, r.gmvFen, r.orders])).toEqual([
      [100, 15_000, 3],
      [100, 10_000, 2],
    ]);
    expect(live.kpis.gmvFen).toBe(20_000); // the live figures are a different object, untouched
  });

  it('lists what moved: live, settled, change and change %', () => {
    const changes = settlementChanges(live.kpis, settled.kpis);
    expect(changes.map((c) => c.key)).toEqual(['gmvFen', 'orders', 'gpm', 'viewToOrder']);
    expect(changes[0]).toEqual({ key: 'gmvFen', live: 20_000, settled: 25_000, change: 5_000, changePct: 0.25 });
  });
});
