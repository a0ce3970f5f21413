/**
 * The CSV tables a person reworks in Excel (shared/retro/csv-tables.ts, written by
 * electron/core/retro/export/csv.ts): headers in the localiser's language with their units, money in yuan, rates
 * in percent, local date-times, UTF-8 with a BOM.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvTables, localDateTime, type CsvReport } from '../../shared/retro/csv-tables.ts';
import { exportCsv } from '../../electron/core/retro/export/csv.ts';
import { localiser } from '../../shared/i18n/localiser.ts';
import type { Kpis } from '../../shared/metrics/types.ts';
import { tempDir } from '../helpers/util.ts';

const T0 = new Date(2024, 10, 11, 20, 0, 0).getTime(); // 2024-11-11 20:00 local

const report: CsvReport = {
  session: { sessionId: 'r@1', roomId: 'r', platform: 'sim', title: '美妆专场', startedAt: T0, endedAt: T0 + 120_000 },
  kpis: {
    durationSec: 120, peakOnline: 900, avgOnline: 600, uv: 8000, pv: 10_000, avgWatchSec: 70, gmvFen: 30_012_345, refundFen: 0, orders: 400, items: 420, buyers: 380,
    gpm: 3001.2345, uvValue: 37.5, itemPrice: 714.6, orderValue: 750, exposures: 40_000, clicks: 2400, ctr: 0.0612345, clickToOrder: 0.05, viewToOrder: 0.04, viewToBuyer: 0.0475,
    newFollowers: 90, followRate: 0.011, fansclubJoins: 8, comments: 900, likes: 12_000, shares: 30, giftFen: 0, adSpendFen: 2_000_000, adGmvFen: 2_740_000,
    roi: 15.006, adRoi: 1.37, breakEvenRoi: 1.83, entersBySource: { recommend: 700, paid: 300, follow: 0, search: 0, shortVideo: 0, other: 0 }, onlineNow: null,
  } as Kpis,
  minutes: [0, 1].map((m) => ({
    minute: m, ts: T0 + m * 60_000, onlineAvg: 600, onlineMax: 700, onlineEnd: 650, enters: 500, likes: 6000, comments: 450, follows: 45, shares: 15, fansclub: 4, giftFen: 0,
    exposures: 20_000, clicks: 1200, orders: 200, items: 210, gmvFen: 15_006_172 + m, refundFen: 0, adSpendFen: 1_000_000, pinnedProductId: m ? 'lip' : null, ctr: 0.06, gpm: 3001.2,
  })),
  products: [{ productId: 'lip', title: '丝绒唇釉', role: 'hero', priceFen: 8900, exposures: 40_000, clicks: 2400, ctr: 0.06, orders: 400, items: 420, gmvFen: 30_012_345, clickToOrder: 0.1666, pins: 1, pinnedSec: 60, gmvPerPinnedMin: 1500.5, productGpm: 3001.2, stock: 0, soldOut: true }],
  segments: [{ productId: 'lip', startTs: T0 + 60_000, endTs: T0 + 120_000, durationSec: 60, exposures: 20_000, clicks: 1200, ctr: 0.06, orders: 200, gmvFen: 15_006_173, clickToOrder: 0.1666, enters: 500, gpm: 30012.3, onlineStart: 650, onlineEnd: 640 }],
};

describe('CSV tables for Excel', () => {
  it('heads every column in Chinese with its unit, and writes yuan, percent and local date-times', () => {
    const [minutes, kpis, products, segments] = csvTables(report, localiser('zh-CN'));
    expect(minutes!.header.slice(0, 4)).toEqual(['第几分钟', '时间', '讲解商品', '讲解商品ID']);
    expect(minutes!.header).toEqual(expect.arrayContaining(['成交金额(元)', '商品点击率(%)', '消耗(元)', '千次观看成交金额(元)', '平均在线人数']));
    const col = (t: typeof minutes, h: string) => t!.rows.map((r) => r[t!.header.indexOf(h)]);
    expect(col(minutes, '成交金额(元)')).toEqual(['150061.72', '150061.73']);
    expect(col(minutes, '商品点击率(%)')).toEqual([6, 6]);
    expect(col(minutes, '时间')).toEqual(['2024-11-11 20:00:00', '2024-11-11 20:01:00']);
    // Minutes as people count them (index + 1), as every screen and sheet names them.
    expect(col(minutes, '第几分钟')).toEqual([1, 2]);
    expect(col(minutes, '讲解商品')).toEqual([null, '丝绒唇釉']);
    expect(kpis!.header).toEqual(['指标', '字段', '数值', '单位']);
    const kpi = (key: string) => kpis!.rows.find((r) => r[1] === key)!;
    expect(kpi('gmvFen')).toEqual(['成交金额', 'gmvFen', '300123.45', '元']);
    expect(kpi('ctr')).toEqual(['商品点击率', 'ctr', 6.12, '%']);
    expect(kpi('roi')).toEqual(['整体支付ROI', 'roi', 15.01, '']);
    expect(kpi('startedAt')).toEqual(['开播', 'startedAt', '2024-11-11 20:00:00', '']);
    expect(kpi('entersBySource.paid')).toEqual(['流量来源·付费流量', 'entersBySource.paid', 300, '']);
    expect(products!.header).toEqual(expect.arrayContaining(['价格(元)', '讲解时长(秒)', '点击成交转化率(%)']));
    expect(products!.rows[0]).toEqual(expect.arrayContaining(['89.00', '300123.45', '转化款', '是']));
    expect(segments!.header.slice(0, 5)).toEqual(['商品ID', '商品', '开始时间', '结束时间', '时长(秒)']);
    expect(segments!.rows[0]!.slice(2, 5)).toEqual(['2024-11-11 20:01:00', '2024-11-11 20:02:00', 60]);
    // No fen, no epoch anywhere.
    for (const t of [minutes, kpis, products, segments]) for (const row of t!.rows) for (const c of row) expect(String(c)).not.toMatch(/^1[0-9]{12}$|^30012345$|^15006172$/);
  });

  it('heads them in English when the chosen language is English', () => {
    const [minutes, kpis, products] = csvTables(report, localiser('en'));
    expect(minutes!.header.slice(0, 3)).toEqual(['Minute', 'Time', 'Product explained']);
    expect(minutes!.header).toEqual(expect.arrayContaining(['GMV (CNY)', 'Click-through (%)', 'Ad spend (CNY)']));
    expect(kpis!.header).toEqual(['KPI', 'Key', 'Value', 'Unit']);
    expect(kpis!.rows.find((r) => r[1] === 'gmvFen')).toEqual(['GMV', 'gmvFen', '300123.45', 'CNY']);
    expect(products!.header).toEqual(expect.arrayContaining(['Price (CNY)', 'Time explained (s)']));
    expect(products!.rows[0]).toEqual(expect.arrayContaining(['Hero', 'yes']));
  });

  it('has no date for a time no date can hold', () => {
    expect(localDateTime(null)).toBeNull();
    expect(localDateTime(9e15)).toBeNull();
  });

  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  it('writes the four files Excel opens in Chinese: UTF-8 with a BOM, CRLF', () => {
    const files = exportCsv(report, join(dir, 'show.csv'), localiser('zh-CN'));
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['show.csv', 'show.kpis.csv', 'show.products.csv', 'show.segments.csv']);
    const text = readFileSync(files[0]!, 'utf8');
    expect(text.startsWith('\uFEFF第几分钟,时间,讲解商品,讲解商品ID,平均在线人数')).toBe(true);
    expect(text.split('\r\n')[1]).toMatch(/^1,2024-11-11 20:00:00,,,600,/);
    expect(readFileSync(files[1]!, 'utf8').startsWith('\uFEFF指标,字段,数值,单位\r\n')).toBe(true);
  });
});
