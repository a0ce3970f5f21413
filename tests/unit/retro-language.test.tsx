/**
 * Issue 16, point 4: one way to say a word. The review's four dimensions are laid out once
 * (shared/retro/review-view.ts) and the screen, the HTML export and `lcr report` print those rows,
 * in that order, in the reader's language; the workbook follows the language the export was asked
 * in — sheet names, headers and dimension rows — read back with exceljs, the library that wrote it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { renderToStaticMarkup } from 'react-dom/server';
import { buildHeadline, type PreviousSession } from '../../shared/retro/headline.ts';
import { buildReview } from '../../shared/retro/review.ts';
import { buildScorecard } from '../../shared/retro/scorecard.ts';
import { buildFunnel, buildTrafficMix } from '../../shared/retro/funnel.ts';
import { buildKeyPoints } from '../../shared/retro/key-points.ts';
import { reviewView, type ReviewView } from '../../shared/retro/review-view.ts';
import { localiser } from '../../shared/i18n/localiser.ts';
import { DEFAULT_TARGETS } from '../../shared/contract.ts';
import type { Locale } from '../../shared/format.ts';
import type { Kpis, MinuteRow, ProductRow, SegmentRow } from '../../shared/metrics/types.ts';
import type { RetroReport } from '../../electron/core/retro/retrospective.ts';
import { renderHtml } from '../../electron/core/retro/export/html.ts';
import { reportText } from '../../electron/core/retro/export/text.ts';
import { exportFileName, exportReport } from '../../electron/core/retro/export/index.ts';
import { ReviewCards } from '../../renderer/src/features/retro/ReportSummary.tsx';
import { tempDir } from '../helpers/util.ts';

const T0 = 1_700_000_000_000;

function kpis(over: Partial<Kpis> = {}): Kpis {
  return {
    durationSec: 120, peakOnline: 900, avgOnline: 600, uv: 8000, pv: 10_000, avgWatchSec: 70, gmvFen: 5_000_000, refundFen: 0, orders: 400, items: 420, buyers: 380,
    gpm: 5000, uvValue: 6.25, itemPrice: 119, orderValue: 125, exposures: 40_000, clicks: 2400, ctr: 0.06, clickToOrder: 0.05, viewToOrder: 0.04, viewToBuyer: 0.0475,
    newFollowers: 90, followRate: 0.011, fansclubJoins: 8, comments: 900, likes: 12_000, shares: 30, giftFen: 0, adSpendFen: 2_000_000, adGmvFen: 2_740_000,
    roi: 2.5, adRoi: 1.37, breakEvenRoi: 1.83, entersBySource: { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 }, onlineNow: null, ...over,
  };
}

function minute(m: number, pinnedProductId: string, gmvFen: number): MinuteRow {
  return {
    minute: m, ts: T0 + m * 60_000, onlineAvg: 600, onlineMax: 900, onlineEnd: 650, enters: 300, likes: 100, comments: 40, follows: 5, shares: 2, fansclub: 1, giftFen: 0,
    exposures: 2000, clicks: 120, orders: 20, items: 21, gmvFen, refundFen: 0, adSpendFen: 10_000, pinnedProductId, ctr: 0.06, gpm: 50,
  };
}

function product(productId: string, title: string, gmvFen: number): ProductRow {
  return { productId, title, role: 'hero', priceFen: 9900, exposures: 2000, clicks: 120, ctr: 0.06, orders: 20, items: 21, gmvFen, clickToOrder: 0.16, pins: 1, pinnedSec: 60, gmvPerPinnedMin: gmvFen / 100, productGpm: 50, stock: 10, soldOut: false };
}

function segment(productId: string, startMin: number, gmvFen: number): SegmentRow {
  return { productId, startTs: T0 + startMin * 60_000, endTs: T0 + (startMin + 1) * 60_000, durationSec: 60, exposures: 2000, clicks: 120, ctr: 0.06, orders: 20, gmvFen, clickToOrder: 0.16, enters: 300, gpm: 50, onlineStart: 600, onlineEnd: 650 };
}

/** A whole report from the pure builders, as buildRetroReport makes one: a show with a target and one earlier show. */
function report(): RetroReport {
  const k = kpis();
  const targets = { ...DEFAULT_TARGETS, gmvFen: 8_000_000 };
  const products = [product('mask', 'Hydrating mask', 3_000_000), product('lip', 'Velvet lip', 2_000_000)];
  const segments = [segment('mask', 0, 3_000_000), segment('lip', 1, 2_000_000)];
  const minutes = [minute(0, 'mask', 3_000_000), minute(1, 'lip', 2_000_000)];
  const previous: PreviousSession[] = [{ sessionId: 'r@1', startedAt: T0 - 86_400_000, title: 'Yesterday', kpis: kpis({ gmvFen: 4_000_000 }) }];
  const scorecard = buildScorecard({ startedAt: T0, minutes, segments, products, decisions: [], alerts: [], markers: [], adActions: [], traffic: [] });
  const traffic = buildTrafficMix({ traffic: [] }, minutes.length);
  const headline = buildHeadline(k, targets, previous);
  const economics = { margin: 0.4, breakEvenRoi: k.breakEvenRoi, feeRate: 0.05, refundRate: 0.1, refundSource: 'setting' as const, missingCosts: 0 };
  const review = buildReview({ kpis: k, targets, gmvTargetSource: 'show', previousGmvMeanFen: 4_000_000, traffic, scorecard, decisions: [], economics });
  return {
    session: { sessionId: `r@${T0}`, roomId: 'r', platform: 'douyin', title: 'Evening show', startedAt: T0, endedAt: T0 + 120_000 },
    kpis: k,
    minutes,
    products,
    segments,
    alerts: [],
    actions: [],
    quarantined: {},
    gaps: [],
    headline,
    keyPoints: buildKeyPoints({ headline, review, scorecard }),
    scorecard,
    funnel: buildFunnel(k),
    traffic,
    demand: { words: [{ word: 'price', count: 3 }], products: [], perMinute: [2, 1], demandShare: 0.1, comments: 30 },
    review,
    notes: [{ id: 'n', sessionId: `r@${T0}`, roomId: 'r', ts: null, minute: null, text: 'slow start', byName: 'Wang', createdAt: T0 + 200_000 }],
    timeline: { markers: [], adActions: [] },
    targets,
    retro: { metrics: 'rollups', extras: 'rollups', previousN: 5 },
    settlement: null,
  };
}

const r = report();
const LOCALES: Locale[] = ['zh-CN', 'en'];

function unescape(s: string): string {
  return s.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The (label, text) pairs of a card list, in document order. */
function pairs(markup: string): Array<[string, string]> {
  return [...markup.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)]);
}

function modelPairs(view: ReviewView): Array<[string, string]> {
  return view.dims.flatMap((d) => d.rows.map((x): [string, string] => [x.label, x.text]));
}

/** `lcr report`'s review section: each dimension's title, then a "label  text" line per figure. */
function textSection(text: string, title: string): { titles: string[]; pairs: Array<[string, string]> } {
  const lines = text.split('\n');
  const from = lines.indexOf(`■ ${title}`);
  const body = lines.slice(from + 1, lines.indexOf('', from + 1));
  return {
    titles: body.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim()),
    pairs: body.filter((l) => /^ {4}[^ (]/.test(l)).map((l) => l.trim().split(/ {2,}/) as [string, string]),
  };
}

describe('the review view-model', () => {
  it('lays out the four dimensions once, the same figures in either language', () => {
    const zh = reviewView(r, localiser('zh-CN'));
    const en = reviewView(r, localiser('en'));
    expect(zh.dims.map((d) => d.title)).toEqual(['销售指标达成', '传播价值', '人群资产沉淀', '投入产出比']);
    expect(en.dims.map((d) => d.title)).toEqual(['Sales attainment', 'Reach', 'Audience assets', 'Return on spend']);
    const shape = (v: ReviewView) => v.dims.flatMap((d) => d.rows.map((x) => [d.dim, x.key, x.kind, x.value, x.target, x.status]));
    expect(shape(en)).toEqual(shape(zh));
    const sales = zh.dims[0]!.rows;
    expect(sales.find((x) => x.key === 'gmvTarget')).toMatchObject({ value: 8_000_000, kind: 'money', text: '¥8万（本场目标）', note: '（本场目标）' });
    expect(sales.find((x) => x.key === 'ctr')).toMatchObject({ label: '商品点击率 / 目标', text: '6.00% / 4.00%', target: 0.04, status: 'met' });
    expect(en.dims[2]!.rows.at(-1)).toMatchObject({ key: 'returningViewers', value: null, text: 'not in the feed' });
  });
});

describe('the screen, the HTML export and lcr report render the same rows', () => {
  for (const locale of LOCALES) {
    it(`in ${locale}`, async () => {
      const i18n = localiser(locale);
      const view = reviewView(r, i18n);
      const want = modelPairs(view);
      expect(want.length).toBeGreaterThan(20);

      const screen = renderToStaticMarkup(<ReviewCards r={r} i18n={i18n} />);
      expect([...screen.matchAll(/<h3>(.*?)<\/h3>/g)].map((m) => m[1])).toEqual(view.dims.map((d) => d.title));
      expect(pairs(screen)).toEqual(want);

      const html = await renderHtml(r, i18n, { generatedAt: T0 });
      const cards = html.slice(html.indexOf(`<h2>${view.title}</h2><div class="cards">`), html.indexOf('</div></section>', html.indexOf('<div class="cards">')));
      expect([...cards.matchAll(/<h3>(.*?)<\/h3>/g)].map((m) => unescape(m[1]!))).toEqual(view.dims.map((d) => d.title));
      expect(pairs(cards)).toEqual(want);

      const text = textSection(reportText(r, i18n), view.title);
      expect(text.titles).toEqual(view.dims.map((d) => d.title));
      expect(text.pairs).toEqual(want);
    });
  }
});

describe('the workbook follows the language it was asked in', () => {
  const { dir, cleanup } = tempDir();
  afterAll(() => cleanup());

  async function workbook(locale: Locale): Promise<ExcelJS.Workbook> {
    const [file] = await exportReport(r, 'xlsx', join(dir, locale), { locale });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file!);
    return wb;
  }
  const header = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1);
  const rows = (ws: ExcelJS.Worksheet) => ws.getRows(2, ws.rowCount - 1)!.map((row) => (row.values as unknown[]).slice(1));

  it('English: English sheet names, headers and dimension rows', async () => {
    const wb = await workbook('en');
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Overview', 'Review dimensions', 'Minutes', 'Products', 'Segments', 'Suggestions', 'Ad actions', 'Notes', 'Demand words', 'Alerts']);
    for (const ws of wb.worksheets) for (const h of header(ws)) expect(String(h), `${ws.name}: ${String(h)}`).not.toMatch(/\p{Script=Han}/u);
    expect(header(wb.getWorksheet('Overview')!)).toEqual(['KPI', 'key', 'This show', 'Target', 'vs target', 'Mean of 1 before', 'vs mean', 'Rank']);
    expect(header(wb.getWorksheet('Review dimensions')!)).toEqual(['Dimension', 'KPI', 'Value', 'Target', 'Note']);
    const view = reviewView(r, localiser('en'));
    expect(rows(wb.getWorksheet('Review dimensions')!).map((x) => x.slice(0, 2))).toEqual(view.dims.flatMap((d) => d.rows.map((x) => [d.title, x.name])));
    expect(wb.getWorksheet('Overview')!.getRow(2).getCell(1).value).toBe('GMV');
    expect(wb.getWorksheet('Products')!.getRow(2).getCell(3).value).toBe('Hero');
  });

  it('Chinese (the default): Chinese sheet names, headers and dimension rows, with the same figures', async () => {
    const zh = await workbook('zh-CN');
    expect(zh.worksheets.map((w) => w.name)).toEqual(['概览', '复盘维度', '分钟', '商品', '讲解段', '建议记录', '投放操作', '备注', '需求词', '预警']);
    expect(header(zh.getWorksheet('概览')!)).toEqual(['指标', 'key', '本场', '目标', '较目标', '前1场均值', '较均值', '排名']);
    expect(header(zh.getWorksheet('复盘维度')!)).toEqual(['维度', '指标', '数值', '目标', '说明']);
    const view = reviewView(r, localiser('zh-CN'));
    const dims = rows(zh.getWorksheet('复盘维度')!);
    expect(dims.map((x) => x.slice(0, 2))).toEqual(view.dims.flatMap((d) => d.rows.map((x) => [d.title, x.name])));
    // Money in yuan, as the sheet has always written it; a target where the figure has one.
    expect(dims[0]!.slice(2, 3)).toEqual([50_000]);
    expect(dims.find((x) => x[1] === '商品点击率')!.slice(2, 4)).toEqual([0.06, 0.04]);
    // The figures do not depend on the language: every numeric cell of every sheet is the same.
    const en = await workbook('en');
    const numbers = (wb: ExcelJS.Workbook) => wb.worksheets.map((ws) => ws.getSheetValues().map((row) => (Array.isArray(row) ? row.filter((v) => typeof v === 'number') : [])));
    expect(numbers(en)).toEqual(numbers(zh));
  });

  it('names the file in the language too, Chinese by default', () => {
    expect(exportFileName(r, 'xlsx')).toMatch(/^复盘-r-\d{8}-\d{4}\.xlsx$/);
    expect(exportFileName(r, 'xlsx', 'en')).toMatch(/^retro-r-\d{8}-\d{4}\.xlsx$/);
  });
});
