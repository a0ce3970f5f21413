/**
 * The retrospective end to end on real SQLite files: a hand-written recorded session whose report
 * figures are worked out by hand, and a simulated show finished through the core — its report
 * opened, a note added and deleted, and HTML, PDF and XLSX exported and read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { StoreWriter, emptyBatch, type EventRow } from '../../electron/core/store/writer.ts';
import { buildRetroReport } from '../../electron/core/retro/retrospective.ts';
import { renderHtml } from '../../electron/core/retro/export/html.ts';
import { reportText } from '../../electron/core/retro/export/text.ts';
import type { RetroReportView, Note, SessionListItem, Comparison } from '../../shared/retro/types.ts';
import { tempDir } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const T0 = 1_700_000_000_000;

describe('report figures on a hand-written recorded session', () => {
  it('match the hand-computed values, from the raw log', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = openDatabase(dir);
      const s = (sec: number) => T0 + sec * 1000;
      const bodies: Array<Record<string, unknown>> = [
        { type: 'session', status: 'live', startedAt: T0, ts: s(0), title: '手工场' },
        { type: 'catalog', ts: s(0), products: [{ id: 'a', title: '丝绒哑光唇釉', priceFen: 5000, costFen: 1000 }, { id: 'b', title: '补水面膜', priceFen: 2000 }] },
        { type: 'viewers', ts: s(0), online: 100, uv: 100, pv: 100 },
        { type: 'pin', ts: s(0), productId: 'a' },
        { type: 'enter', ts: s(10), n: 40, source: 'recommend' },
        { type: 'enter', ts: s(20), n: 10, source: 'paid' },
        { type: 'exposure', ts: s(30), productId: 'a', n: 200 },
        { type: 'click', ts: s(31), productId: 'a', n: 20 },
        { type: 'order', ts: s(40), orderId: 'o1', productId: 'a', qty: 1, amountFen: 5000, status: 'paid', buyerId: 'u1' },
        { type: 'order', ts: s(50), orderId: 'o2', productId: 'a', qty: 2, amountFen: 10000, status: 'paid', buyerId: 'u2' },
        { type: 'comment', ts: s(55), text: '多少钱' },
        { type: 'pin', ts: s(60), productId: 'b' },
        { type: 'viewers', ts: s(60), online: 200, uv: 250, pv: 300 },
        { type: 'enter', ts: s(70), n: 50, source: 'paid' },
        { type: 'exposure', ts: s(80), productId: 'b', n: 100 },
        { type: 'click', ts: s(81), productId: 'b', n: 5 },
        { type: 'order', ts: s(90), orderId: 'o3', productId: 'b', qty: 1, amountFen: 2000, status: 'paid', buyerId: 'u3' },
        { type: 'comment', ts: s(95), text: '面膜有货吗' },
        { type: 'marker', ts: s(100), kind: 'flash', text: '秒杀' },
        { type: 'session', status: 'ended', startedAt: T0, ts: s(120) },
      ];
      const events: EventRow[] = bodies.map((b, i) => ({ feed: 'hand', roomId: 'hand', epoch: 0, seq: i + 1, sessionId: `hand@${T0}`, ts: b.ts as number, type: b.type as string, body: JSON.stringify({ seq: i + 1, ...b }) }));
      new StoreWriter(db).write({
        ...emptyBatch(),
        sessions: [{ sessionId: `hand@${T0}`, roomId: 'hand', platform: 'douyin', title: '手工场', startedAt: T0, endedAt: s(120), feed: 'hand', epoch: 0, firstSeq: 1, lastSeq: events.length }],
        events,
      });
      const r = buildRetroReport(new StoreReader(db), `hand@${T0}`);
      expect(r.retro).toMatchObject({ metrics: 'recomputed', extras: 'recomputed' });
      // GMV 50+100+20 = ¥170 over PV 300: GPM = 170 / 300 × 1000.
      expect(r.kpis).toMatchObject({ gmvFen: 17_000, orders: 3, items: 4, pv: 300, uv: 250, exposures: 300, clicks: 25, durationSec: 120 });
      expect(r.kpis.gpm).toBeCloseTo(566.667, 3);
      // Funnel: 300 views → 300 exposures (1.0) → 25 clicks (8.33 %) → 3 orders (12 %).
      expect(r.funnel.steps.map((x) => x.value)).toEqual([300, 300, 25, 3]);
      expect(r.funnel.steps[2]!.rate).toBeCloseTo(25 / 300, 10);
      expect(r.funnel.steps[3]!.rate).toBeCloseTo(0.12, 10);
      // Traffic: minute 0 recommend 40 + paid 10; minute 1 paid 50 → paid share 60 %.
      expect(r.traffic.perMinute.map((m) => [m.bySource.recommend, m.bySource.paid])).toEqual([[40, 10], [0, 50]]);
      expect(r.traffic.shares.paid).toBeCloseTo(0.6, 10);
      expect(r.traffic.naturalShare).toBeCloseTo(0.4, 10);
      // Segments: A for a minute (¥150, 50 entries: GPM 3000), B for a minute (¥20, 50 entries: GPM 400).
      expect(r.scorecard.segments.map((g) => [g.productId, g.durationSec, g.gmvFen, g.gmvPerMin, g.gpm])).toEqual([
        ['a', 60, 15_000, 150, 3000],
        ['b', 60, 2_000, 20, 400],
      ]);
      // Baseline ¥170 / 2 min = ¥85/min: A +76.5 % (strong), B −76.5 % (weak).
      expect(r.scorecard.baseline.gmvPerMin).toBe(85);
      expect(r.scorecard.segments.map((g) => g.verdict)).toEqual(['strong', 'weak']);
      expect(r.scorecard.segments[0]!.vsRoom.gmvPerMin).toBeCloseTo(150 / 85 - 1, 10);
      // Demand: 多少钱 (to the pinned A) and 有货 naming 面膜 (B).
      expect(r.demand.words.map((w) => w.word).sort()).toEqual(['多少钱', '有货'].sort());
      expect(r.demand.perMinute).toEqual([1, 1, 0]); // up to the minute the show ended in
      expect(r.timeline.markers).toMatchObject([{ kind: 'flash', minute: 1 }]);
      // Profit: only A has a cost (margin at ¥50 with 5 % fee and the default 5 % refunds: 0.95 × (1 − 0.05 − 0.2) = 0.7125);
      // the mix is A's alone → ¥170 × 0.7125 = ¥121.125, no ad spend; B sold without a cost and is named.
      expect(r.review.roi.margin).toBeCloseTo(0.7125, 10);
      expect(Math.abs(r.review.roi.profitFen! - 17_000 * 0.7125)).toBeLessThanOrEqual(0.5); // ¥121.125, rounded to the fen
      expect(r.review.roi.assumptionsZh.join()).toMatch(/1 个商品没有成本/);
      // Break-even ROI = 1 ÷ margin, the same figure in the KPIs, the headline and the ROI card.
      expect(r.review.roi.breakEvenRoi).toBeCloseTo(1 / 0.7125, 10);
      expect(r.kpis.breakEvenRoi).toBe(r.review.roi.breakEvenRoi);
      expect(r.headline.items.find((i) => i.key === 'breakEvenRoi')?.value).toBe(r.review.roi.breakEvenRoi);
      expect(r.headline.items.find((i) => i.key === 'ctr')).toMatchObject({ target: 0.04, targetStatus: 'met' });
      // The room's first show: 首场, no comparison columns, never "前0场" — on paper and in the terminal.
      const html = await renderHtml(r);
      expect(html).toContain('首场：本直播间没有更早的场次，不做往场对比');
      expect(html).not.toMatch(/前\s*0\s*场/);
      const text = reportText(r);
      expect(text).toContain('核心指标（首场，不做往场对比）');
      expect(text).not.toMatch(/前\s*0\s*场/);
      db.close();
    } finally {
      cleanup();
    }
  });
});

describe('a simulated show through the core: report, notes, exports', () => {
  let dir: string;
  let cleanup: () => void;
  let core: Core;
  let sessionId: string;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, seed: '3' });
    await core.untilEnded();
  }, 60_000);
  afterAll(async () => {
    await core.stop();
    cleanup();
  });

  async function req<T>(name: string, args: unknown): Promise<T> {
    const r = await core.request(name, args);
    if (!r.ok) throw new Error(r.error);
    return r.value as T;
  }

  it('lists the session with filters and opens its report from the rollups', async () => {
    const all = await req<SessionListItem[]>('listSessions', {});
    expect(all).toHaveLength(1);
    sessionId = all[0]!.sessionId;
    expect(all[0]!.gmvFen).toBeGreaterThan(0);
    expect(await req<SessionListItem[]>('listSessions', { search: '小场' })).toHaveLength(1);
    expect(await req<SessionListItem[]>('listSessions', { roomId: 'nope' })).toHaveLength(0);
    expect(await req<SessionListItem[]>('listSessions', { platform: 'sim', since: all[0]!.startedAt })).toHaveLength(1);
    const rep = await req<RetroReportView>('getReport', { sessionId });
    // The core wrote both rollups live: nothing is re-read from the raw log.
    expect(rep.retro).toMatchObject({ metrics: 'rollups', extras: 'rollups' });
    // And they agree with a recomputation from the raw events.
    const db = openDatabase(dir);
    try {
      const raw = buildRetroReport(new StoreReader(db), sessionId, { recompute: true });
      expect(raw.retro).toMatchObject({ metrics: 'recomputed', extras: 'recomputed' });
      // breakEvenRoi comes from the ad console's live economics, which a recomputation does not replay.
      expect({ ...rep.kpis, breakEvenRoi: null }).toEqual({ ...raw.kpis, breakEvenRoi: null });
      expect(rep.traffic).toEqual(raw.traffic);
      expect(rep.demand).toEqual(raw.demand);
      expect(rep.scorecard).toEqual(raw.scorecard);
    } finally {
      db.close();
    }
    expect(rep.scorecard.segments.length).toBeGreaterThan(0);
    expect(Object.keys(rep)).toEqual(expect.arrayContaining(['session', 'kpis', 'minutes', 'products', 'segments', 'alerts', 'actions', 'quarantined', 'headline', 'scorecard', 'funnel', 'traffic', 'demand', 'review', 'notes']));
  });

  it('stores notes with who wrote them, lists and deletes them', async () => {
    await req('saveSettings', { settings: { operatorName: '小王' } });
    const n = await req<Note>('addNote', { sessionId, minute: 2, text: '换唇釉后在线上涨，<下次>提前' });
    expect(n).toMatchObject({ minute: 2, byName: '小王', ts: Number(sessionId.split('@')[1]) + 120_000 });
    const whole = await req<Note>('addNote', { sessionId, text: '整体节奏偏慢' });
    expect(whole.minute).toBeNull();
    let rep = await req<RetroReportView>('getReport', { sessionId });
    expect(rep.notes.map((x) => x.text)).toEqual(['整体节奏偏慢', '换唇釉后在线上涨，<下次>提前']);
    await req('deleteNote', { id: whole.id });
    rep = await req<RetroReportView>('getReport', { sessionId });
    expect(rep.notes.map((x) => x.id)).toEqual([n.id]);
    expect((await core.request('addNote', { sessionId, text: '   ' })).ok).toBe(false);
    expect((await req<SessionListItem[]>('listSessions', {}))[0]!.notes).toBe(1);
  });

  it('exports HTML with the figures and SVG charts, and XLSX that reads back', async () => {
    const rep = await req<RetroReportView>('getReport', { sessionId });
    const html = await req<{ path: string }>('exportReport', { sessionId, format: 'html' });
    expect(html.path.startsWith(dir)).toBe(true);
    expect(html.path).toMatch(/exports[\\/]复盘-test-tiny-\d{8}-\d{4}\.html$/);
    const text = readFileSync(html.path, 'utf8');
    expect(text).toMatch(/^<!doctype html>/);
    expect((text.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(5);
    expect(text).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(text).toContain('直播复盘报告');
    expect(text).toContain('讲解段评分');
    expect(text).toContain(`¥${(rep.kpis.gmvFen / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })}`);
    expect(text).toContain('换唇釉后在线上涨，&lt;下次&gt;提前');
    for (const p of rep.products) expect(text).toContain(p.title.replace(/&/g, '&amp;'));
    const again = await req<{ path: string }>('exportReport', { sessionId, format: 'html' });
    expect(again.path).not.toBe(html.path); // never over an earlier export

    const xlsx = await req<{ path: string }>('exportReport', { sessionId, format: 'xlsx' });
    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    await wb.xlsx.readFile(xlsx.path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '复盘维度', '分钟', '商品', '讲解段', '建议记录', '投放操作', '备注', '需求词', '预警']);
    const ov = wb.getWorksheet('概览')!;
    const gmvRow = ov.getRows(2, ov.rowCount - 1)!.find((r) => r.getCell(2).value === 'gmvFen')!;
    expect(gmvRow.getCell(1).value).toBe('成交金额');
    expect(gmvRow.getCell(3).value).toBe(rep.kpis.gmvFen / 100);
    expect(gmvRow.getCell(3).numFmt).toContain('¥');
    const ctrRow = ov.getRows(2, ov.rowCount - 1)!.find((r) => r.getCell(2).value === 'ctr')!;
    expect(ctrRow.getCell(3).value).toBeCloseTo(rep.kpis.ctr!, 10);
    expect(ctrRow.getCell(3).numFmt).toBe('0.00%');
    const mins = wb.getWorksheet('分钟')!;
    expect(mins.rowCount).toBe(1 + rep.minutes.length);
    // The minute as people count it (第几分钟 = index + 1), as every screen and sheet names it.
    expect(mins.getRow(1).getCell(1).value).toBe('第几分钟');
    expect(mins.getRow(2).getCell(1).value).toBe(rep.minutes[0]!.minute + 1);
    const gmvCol = (mins.getRow(1).values as unknown[]).indexOf('成交金额');
    const sum = rep.minutes.reduce((a, m) => a + m.gmvFen, 0) / 100;
    let xsum = 0;
    for (let i = 2; i <= mins.rowCount; i++) xsum += Number(mins.getRow(i).getCell(gmvCol).value);
    expect(xsum).toBeCloseTo(sum, 6);
    expect(wb.getWorksheet('商品')!.rowCount).toBe(1 + rep.products.length);
    expect(wb.getWorksheet('讲解段')!.rowCount).toBe(1 + rep.segments.length);
    expect(wb.getWorksheet('备注')!.getRow(2).getCell(2).value).toBe('换唇釉后在线上涨，<下次>提前');
  });

  it('exports a PDF with pages, printed by Chromium', async () => {
    const pdf = await req<{ path: string }>('exportReport', { sessionId, format: 'pdf' });
    const bytes = readFileSync(pdf.path);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = (bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('compares sessions by minute and by slot', async () => {
    const c = await core.request('compareSessions', { sessionIds: [sessionId, sessionId], align: 'slot' });
    expect(c.ok).toBe(true);
    const v = (c as { ok: true; value: Comparison }).value;
    expect(v.series).toHaveLength(2);
    expect(v.series[0]!.points.length).toBeGreaterThan(0);
    expect(v.deltas[1]!.gmvFen).toBe(0);
    expect((await core.request('compareSessions', { sessionIds: [sessionId], align: 'minute' })).ok).toBe(false);
  });
});
