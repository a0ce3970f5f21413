/**
 * Component tests: the dashboard pieces rendered from a given store state (react-dom/server,
 * no browser needed). The end-to-end tests cover them live; these pin down what they show.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { appStore } from '../../renderer/src/lib/store.ts';
import { KpiStrip } from '../../renderer/src/features/live/KpiStrip.tsx';
import { ProductBoard } from '../../renderer/src/features/live/ProductBoard.tsx';
import { SegmentCard } from '../../renderer/src/features/live/SegmentCard.tsx';
import { SettingsDialog } from '../../renderer/src/features/settings/SettingsDialog.tsx';
import { alertText } from '../../shared/alerts/text.ts';
import type { Transport } from '../../renderer/src/lib/transport.ts';
import type { Kpis, ProductRow, SegmentRow } from '../../shared/metrics/types.ts';
import type { Alert, RoomView } from '../../shared/contract.ts';
import { DEFAULT_TARGETS } from '../../shared/contract.ts';

const initial = appStore.getState();
// Server rendering reads zustand's server snapshot, which is the store's initial state; in these
// tests the state set by each test is what the component should see.
appStore.getInitialState = () => appStore.getState();
beforeEach(() => appStore.setState(initial, true));

function kpis(over: Partial<Kpis>): Kpis {
  const base = {
    durationSec: 600, peakOnline: 900, avgOnline: 700, uv: 5000, pv: 6000, avgWatchSec: 80, gmvFen: 12_345_600, refundFen: 0, orders: 300,
    items: 320, buyers: 280, gpm: 205.76, uvValue: 24.69, itemPrice: 385.8, orderValue: 440.9, exposures: 20000, clicks: 1200, ctr: 0.06,
    clickToOrder: 0.025, viewToOrder: 0.05, viewToBuyer: 0.056, newFollowers: 120, followRate: 0.024, fansclubJoins: 12, comments: 800, likes: 9000,
    shares: 40, giftFen: 0, adSpendFen: 0, adGmvFen: 0, roi: null, adRoi: null, breakEvenRoi: null,
    entersBySource: { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 }, onlineNow: 812,
  } satisfies Kpis;
  return { ...base, ...over };
}

function room(k: Kpis): RoomView {
  return { roomId: 'r', platform: 'sim', title: '测试间', status: 'live', session: { sessionId: 'r@0', roomId: 'r', platform: 'sim', title: '测试间', startedAt: 0, endedAt: null }, kpis: k, windowEnd: 600_000 };
}

function product(id: string, over: Partial<ProductRow> = {}): ProductRow {
  return {
    productId: id, title: `商品${id}`, role: 'hero', priceFen: 9900, exposures: 1000, clicks: 50, ctr: 0.05, orders: 5, items: 5, gmvFen: 49500,
    clickToOrder: 0.1, pins: 1, pinnedSec: 300, gmvPerPinnedMin: 99, productGpm: 8.25, stock: 100, soldOut: false, ...over,
  };
}

const noTransport = {} as Transport;

describe('KpiStrip', () => {
  it('shows the figures in ¥/万, the last-minute change, and target states', () => {
    const now = kpis({});
    appStore.setState({ room: room(now), kpisMinuteAgo: kpis({ gmvFen: 12_000_000, onlineNow: 850, ctr: 0.061 }), targets: DEFAULT_TARGETS });
    const html = renderToStaticMarkup(<KpiStrip />);
    expect(html).toContain('¥12.35万'); // 12,345,600 fen = ¥123,456
    expect(html).toContain('近1分钟 +¥3,456'); // +345,600 fen
    expect(html).toContain('近1分钟 −38'); // online 812 vs 850
    expect(html).toContain('近1分钟 −0.10pt'); // ctr 6.0 % vs 6.1 %
    expect(html).toMatch(/data-testid="kpi-ctr" data-value="0.06" data-state="good"/); // 6 % ≥ 4 %
    expect(html).toMatch(/data-testid="kpi-clickToOrder" data-value="0.025" data-state="bad"/); // 2.5 % < 3.5 % × 0.9
  });

  it('shows order figures as unknown, not ¥0, for a room whose source carries no orders', () => {
    appStore.setState({ room: { ...room(kpis({ gmvFen: 0, orders: 0, gpm: 0 })), noOrders: true }, targets: DEFAULT_TARGETS });
    const html = renderToStaticMarkup(<KpiStrip />);
    expect(html).toMatch(/data-testid="kpi-gmvFen" data-value="" data-state=""/);
    expect(html).toContain('data-testid="kpi-noorders-gmvFen"');
    expect(html).toContain('数据源不含订单');
    expect(html).not.toContain('¥0<');
    // What the source does carry still shows.
    expect(html).toMatch(/data-testid="kpi-onlineNow" data-value="812"/);
  });

  it('says so when a figure is undefined instead of showing 0', () => {
    appStore.setState({ room: room(kpis({ ctr: null, uv: null })), kpisMinuteAgo: null });
    const html = renderToStaticMarkup(<KpiStrip />);
    expect(html).toMatch(/data-testid="kpi-ctr" data-value="" data-state=""[^>]*>.*?—/);
    expect(html).toContain('近1分钟 —');
  });
});

describe('ProductBoard', () => {
  it('sorts by GMV, highlights the pinned product, offers pin only where the relay accepts it', () => {
    appStore.setState({
      products: [product('a', { gmvFen: 100 }), product('b', { gmvFen: 900 }), product('c', { gmvFen: 500, soldOut: true, stock: 0 })],
      pinnedProductId: 'c',
      selectedRoomId: 'r',
      commandsSupported: true,
    });
    const html = renderToStaticMarkup(<ProductBoard transport={noTransport} />);
    const order = [...html.matchAll(/data-testid="product-(\w)"/g)].map((m) => m[1]);
    expect(order).toEqual(['b', 'c', 'a']);
    expect(html).toMatch(/class="pinned-row" data-testid="product-c"/);
    expect(html).toContain('售罄');
    expect(html).toMatch(/data-testid="pin-b"(?![^>]*disabled)/);
    appStore.setState({ commandsSupported: false });
    expect(renderToStaticMarkup(<ProductBoard transport={noTransport} />)).toMatch(/data-testid="pin-b"[^>]*disabled/);
  });
});

describe('SegmentCard', () => {
  it('compares the current segment with the product’s earlier ones and the room', () => {
    const seg = (start: number, clicks: number, orders: number): SegmentRow => ({
      productId: 'a', startTs: start, endTs: start + 120_000, durationSec: 120, exposures: 1000, clicks, ctr: clicks / 1000, orders, gmvFen: orders * 9900,
      clickToOrder: orders / clicks, enters: 500, gpm: (orders * 99) / 0.5, onlineStart: 500, onlineEnd: 480,
    });
    appStore.setState({ room: room(kpis({})), pinnedProductId: 'a', products: [product('a')], segments: [seg(0, 80, 8), seg(300_000, 40, 1)] });
    const html = renderToStaticMarkup(<SegmentCard />);
    expect(html).toContain('商品a');
    // This segment: CTR 4.0 % (below the earlier 8.0 %), click→order 2.5 % (below 10.0 %).
    expect(html).toMatch(/class="bad">4\.0%/);
    expect(html).toMatch(/class="bad">2\.5%/);
    expect(html).toContain('8.0%');
  });
});

describe('SettingsDialog', () => {
  it('keeps the operator and source fields disabled until the saved settings arrive (their reply would wipe what was typed), the targets editable', () => {
    appStore.setState({ settingsOpen: true, selectedRoomId: 'r', room: room(kpis({})), targets: DEFAULT_TARGETS });
    // The first render, before any reply: what an operator sees the moment the dialog opens.
    const html = renderToStaticMarkup(<SettingsDialog transport={noTransport} />);
    for (const id of ['setting-operatorName', 'setting-operatorRole', 'save-operator', 'setting-sourceKind', 'setting-feedUrl', 'setting-rooms', 'save-feed']) {
      expect(html, id).toMatch(new RegExp(`<[^>]*data-testid="${id}"[^>]*disabled=""`));
    }
    expect(html).toMatch(/data-testid="target-ctr"/);
    expect(html).not.toMatch(/<[^>]*data-testid="target-ctr"[^>]*disabled/);
    expect(html).not.toMatch(/<[^>]*data-testid="save-targets"[^>]*disabled/);
  });
});

describe('alertText', () => {
  const base: Alert = { id: 'x', roomId: 'r', sessionId: 's', kind: 'onlineDrop', ts: 0, minute: 12, params: { from: 12000, to: 7000, windowMin: 2 }, acknowledgedAt: null, acknowledgedBy: null, acknowledgedRole: null };
  it('words each kind in Chinese and English', () => {
    expect(alertText(base, 'zh-CN')).toBe('在线人数 2 分钟内从 12,000 降到 7,000');
    expect(alertText(base, 'en')).toBe('Online fell from 12,000 to 7,000 within 2 min');
    expect(alertText({ ...base, kind: 'ctr', params: { value: 0.031, target: 0.04 } }, 'zh-CN')).toBe('商品点击率 3.1% 低于目标 4.0%');
    expect(alertText({ ...base, kind: 'lowStock', params: { productId: 'p', title: '面膜', stock: 0, startStock: 800 } }, 'zh-CN')).toBe('面膜 已售罄');
    expect(alertText({ ...base, kind: 'lowStock', params: { productId: 'p', title: '面膜', stock: 60, startStock: 800 } }, 'en')).toBe('面膜: only 60 left (started with 800)');
  });
});
