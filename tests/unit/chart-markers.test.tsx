/**
 * Platform markers on the minute chart: the marks MinuteChart hands ECharts, their tooltip
 * lines, and the store keeping the selected room's markers from the room detail and from pushes
 * (a reconnect reloads them with the room). No canvas: the e2e test sees the marks in Chromium.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MARKER_COLORS, markerLine, markerMarks, markerTooltipLines } from '../../renderer/src/features/live/chart/chart-markers.ts';
import { appStore, connectStores } from '../../renderer/src/lib/store.ts';
import { axisEnd, fitText, plots, tagBoxes, valueScale, xOf } from '../../renderer/src/lib/marks-layer.ts';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { Transport, TransportState } from '../../renderer/src/lib/transport.ts';
import type { Push, RoomDetail, SessionMarker } from '../../shared/contract.ts';
import { DEFAULT_TARGETS } from '../../shared/contract.ts';

const T0 = 1_700_000_000_000;
const giveaway: SessionMarker = { seq: 10, ts: T0 + 7 * 60_000 + 30_000, minute: 7, kind: 'giveaway', text: '福袋：评论“想要”参与，5分钟后开奖' };
const flash: SessionMarker = { seq: 20, ts: T0 + 12 * 60_000, minute: 12, kind: 'flash', text: '秒杀：面膜 ¥19.9，限量200件' };
const warning: SessionMarker = { seq: 30, ts: T0 + 12 * 60_000 + 5_000, minute: 12, kind: 'warning', text: '违规提醒：<极限词>' };

describe('markerMarks', () => {
  it('puts each marker at its time in minutes with a tag of its kind, each kind its own colour', () => {
    const marks = markerMarks([giveaway, flash], T0, 'zh-CN');
    expect(marks.map((m) => m.at)).toEqual([7.5, 12]);
    expect(marks.map((m) => m.tag)).toEqual(['福袋', '秒杀']);
    expect(marks.map((m) => m.color)).toEqual([MARKER_COLORS.giveaway, MARKER_COLORS.flash]);
    // The tag's hover text: kind, minute, the platform's words.
    expect(marks[0]!.title).toBe('福袋 第8分钟 — 福袋：评论“想要”参与，5分钟后开奖');
    // Unlike alerts (red) and pins (product colours): no kind shares a colour with an alert.
    expect(new Set(Object.values(MARKER_COLORS)).size).toBe(Object.keys(MARKER_COLORS).length); // the four platform kinds and ad actions
    expect(Object.values(MARKER_COLORS)).not.toContain('#ef5350');
    expect(markerMarks([warning], T0, 'en')[0]).toMatchObject({ tag: 'Warn', title: 'Platform warning minute 13 — 违规提醒：<极限词>' });
    expect(markerMarks([{ ...flash, text: null }], T0, 'en')[0]!.title).toBe('Flash deal minute 13');
  });

  it('never draws a marker before the show started (a relay backlog can carry earlier ones)', () => {
    expect(markerMarks([{ ...giveaway, ts: T0 - 30_000, minute: 0 }], T0, 'zh-CN')[0]!.at).toBe(0);
  });
});

describe('the marks layer’s geometry (the canvas under the ECharts axes)', () => {
  const view = { width: 1144, height: 400, from: 0, to: 100 }; // plot 1000 px wide: 10 px a minute

  it('puts a minute where ECharts puts it: grids 72 px in from either side, top 54, bottom plot from 70 %', () => {
    expect(plots(1144, 400)).toEqual([
      { x0: 72, x1: 1072, y0: 54, y1: 54 + 0.47 * 400 },
      { x0: 72, x1: 1072, y0: 280, y1: 372 },
    ]);
    expect(xOf(0, view)).toBe(72);
    expect(xOf(50, view)).toBe(572);
    expect(xOf(35, { ...view, from: 30, to: 40 })).toBe(572); // zoomed to minutes 30–40
  });

  it('tags markers in the lane above the plot, only those in the window', () => {
    const measure = (s: string) => s.length * 11;
    const markers = [
      { at: 10, color: '#fff', tag: '福袋', title: 'a' },
      { at: 150, color: '#fff', tag: '秒杀', title: 'b' },
    ];
    const tags = tagBoxes(markers, view, measure);
    expect(tags).toHaveLength(1);
    expect(tags[0]).toMatchObject({ x: 172, x0: 172 - 15, x1: 172 + 15, y1: 51, title: 'a' });
    expect(tags[0]!.y0).toBeGreaterThanOrEqual(30); // below the legend
  });

  it('fits a band’s product name to its width, or leaves it out', () => {
    const measure = (s: string) => s.length * 10;
    expect(fitText('面膜', 100, measure)).toBe('面膜');
    expect(fitText('玻尿酸补水保湿面膜 10片装', 60, measure)).toBe('玻尿酸补水…');
    expect(fitText('玻尿酸补水保湿面膜', 20, measure)).toBeNull();
  });

  it('ends the x axis at a round minute, so it moves every few minutes of the show, not every minute', () => {
    expect(axisEnd(0)).toBe(10);
    expect(axisEnd(10)).toBe(10);
    expect(axisEnd(23)).toBe(25);
    expect(axisEnd(61)).toBe(65);
    expect(axisEnd(160)).toBe(160);
    expect(axisEnd(446)).toBe(450);
    expect(axisEnd(451)).toBe(480);
    // Never before the data, never more than a step (≤ ~10 % of the show) beyond it.
    for (let n = 11; n <= 1000; n++) {
      expect(axisEnd(n)).toBeGreaterThanOrEqual(n);
      expect(axisEnd(n) - n).toBeLessThanOrEqual(Math.max(5, n * 0.1));
    }
  });
});

describe('the fixed y scales the ECharts axes and the chart’s canvases share', () => {
  echarts.use([LineChart, GridComponent, SVGRenderer]);
  /** The y axis ECharts lays out over data from 0 to `max`, with `yAxis` options: its extent and ticks, read back. */
  function echartsAxis(max: number, yAxis: object = {}) {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 800, height: 300 });
    chart.setOption({ animation: false, xAxis: { type: 'value' }, yAxis: { type: 'value', ...yAxis }, series: [{ type: 'line', data: [[0, 0], [1, max]] }] });
    type Scale = { getExtent(): number[]; getTicks(): Array<{ value: number }> };
    const model = (chart as unknown as { getModel(): { getComponent(t: string, i: number): { axis: { scale: Scale } } } }).getModel();
    const scale = model.getComponent('yAxis', 0).axis.scale;
    const out = { extent: scale.getExtent(), ticks: scale.getTicks().map((t) => t.value) };
    chart.dispose();
    return out;
  }

  it('is the scale ECharts would pick from the data (same extent, same ticks), so the layers can share it and the axes need not move with each minute', () => {
    const maxima = [0, 1, 0.0834, 0.12, 7, 99.5, 1234, 7400, 11_000, 13_000, 14_999, 15_000, 15_001, 28_700, 123_456, 0.0049];
    let x = 1;
    for (let i = 0; i < 60; i++) maxima.push((x = (x * 7919) % 100_003) * 10 ** ((i % 7) - 3));
    for (const m of maxima) {
      const fixed = valueScale(m);
      expect(fixed.max, `max ${m}`).toBeGreaterThanOrEqual(m);
      expect(echartsAxis(m, fixed), `max ${m}`).toEqual(echartsAxis(m));
    }
  });
});

describe('marker tooltips', () => {
  it('lists the markers of the hovered minute with their text, escaped, in the chosen language', () => {
    expect(markerTooltipLines([giveaway, flash, warning], 7, 'zh-CN')).toHaveLength(1);
    const twelve = markerTooltipLines([giveaway, flash, warning], 12, 'zh-CN').join('');
    expect(twelve).toContain('<b>秒杀</b> 第13分钟 — 秒杀：面膜 ¥19.9，限量200件');
    expect(twelve).toContain('<b>违规提醒</b> 第13分钟 — 违规提醒：&lt;极限词&gt;');
    expect(markerTooltipLines([giveaway], 8, 'zh-CN')).toEqual([]);
    expect(markerLine(giveaway, 'en')).toContain('<b>Giveaway</b> minute 8 — 福袋：评论');
    expect(markerLine({ ...giveaway, text: null }, 'en')).toMatch(/<b>Giveaway<\/b> minute 8$/);
  });
});

describe('the store keeps the selected room’s markers', () => {
  beforeEach(() => appStore.setState({ selectedRoomId: null, markers: [], rooms: [] }));

  function fakeTransport(detail: () => RoomDetail) {
    let state: (s: TransportState) => void = () => undefined;
    let push: (p: Push) => void = () => undefined;
    let roomRequests = 0;
    const view = detail();
    const transport = {
      request: async (name: string) => {
        switch (name) {
          case 'getOverview':
            return { ok: true, value: { rooms: [view], diagnostics: { connection: null, source: null } } };
          case 'getAlerts':
            return { ok: true, value: [] };
          case 'getTargets':
            return { ok: true, value: DEFAULT_TARGETS };
          case 'getRoom':
            roomRequests++;
            return { ok: true, value: detail() };
          default:
            return { ok: false, error: name };
        }
      },
      onPush: (l: (p: Push) => void) => {
        push = l;
        return () => undefined;
      },
      onState: (l: (s: TransportState) => void) => {
        state = l;
        return () => undefined;
      },
    } as unknown as Transport;
    return { transport, open: () => state('open'), push: (p: Push) => push(p), roomRequests: () => roomRequests };
  }

  function detailWith(markers: SessionMarker[]): RoomDetail {
    return {
      roomId: 'r1', platform: 'sim', title: '测试间', status: 'live',
      session: { sessionId: `r1@${T0}`, roomId: 'r1', platform: 'sim', title: '测试间', startedAt: T0, endedAt: null },
      kpis: null, windowEnd: T0 + 13 * 60_000, minutes: [], products: [], segments: [], pinnedProductId: null,
      commandsSupported: false, demand: null, markers,
    };
  }

  it('from the room detail, from pushes that carry them, and again after a reconnect', async () => {
    let markers = [giveaway];
    const t = fakeTransport(() => detailWith(markers));
    const off = connectStores(t.transport);
    t.open();
    await expect.poll(() => appStore.getState().markers).toEqual([giveaway]);

    const base = detailWith([]);
    const { minutes: _m, products: _p, segments: _s, pinnedProductId: _pin, commandsSupported: _c, demand: _d, markers: _k, ...view } = base;
    // A push without markers leaves them; one with them replaces them.
    t.push({ topic: 'room', payload: { roomId: 'r1', view, minutes: [], reset: false, pinnedProductId: null } });
    expect(appStore.getState().markers).toEqual([giveaway]);
    t.push({ topic: 'room', payload: { roomId: 'r1', view, minutes: [], reset: false, pinnedProductId: null, markers: [giveaway, flash] } });
    expect(appStore.getState().markers).toEqual([giveaway, flash]);
    // Another room's push does not touch them.
    t.push({ topic: 'room', payload: { roomId: 'r2', view: { ...view, roomId: 'r2' }, minutes: [], reset: false, pinnedProductId: null, markers: [] } });
    expect(appStore.getState().markers).toEqual([giveaway, flash]);

    // Reconnected: the room is read again, with every marker the core kept meanwhile.
    markers = [giveaway, flash, warning];
    const before = t.roomRequests();
    t.open();
    await expect.poll(() => t.roomRequests()).toBeGreaterThan(before);
    await expect.poll(() => appStore.getState().markers).toEqual([giveaway, flash, warning]);
    off();
  });
});
