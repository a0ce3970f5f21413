/**
 * The wall (全部直播间): what each room's tile shows, from a given store state.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { appStore } from '../../renderer/src/lib/store.ts';
import { RoomGrid } from '../../renderer/src/features/live/RoomGrid.tsx';
import type { Alert, RoomView } from '../../shared/contract.ts';
import type { Kpis } from '../../shared/metrics/types.ts';
import type { Transport } from '../../renderer/src/lib/transport.ts';

const initial = appStore.getState();
appStore.getInitialState = () => appStore.getState();
beforeEach(() => appStore.setState(initial, true));

const NOW = Date.now();
function room(id: string, over: Partial<RoomView> = {}, kpis: Partial<Kpis> = {}): RoomView {
  return {
    roomId: id, platform: 'sim', title: `直播间${id}`, status: 'live',
    session: { sessionId: `${id}@1`, roomId: id, platform: 'sim', title: `直播间${id}`, startedAt: NOW - 3_723_000, endedAt: null },
    kpis: { gmvFen: 1_234_500, onlineNow: 812, roi: 2.5, breakEvenRoi: null, ...kpis } as Kpis,
    windowEnd: NOW, lastEventAt: NOW, pinned: { productId: 'p1', title: '玻尿酸面膜' }, breakEvenRoi: 1.8, onlineCurve: [10, 50, null, 120, 90], ...over,
  };
}
const alert = (roomId: string, acked: boolean): Alert => ({ id: `${roomId}-${Math.random()}`, roomId, sessionId: `${roomId}@1`, kind: 'ctr', ts: NOW, minute: 3, params: {}, acknowledgedAt: acked ? NOW : null, acknowledgedBy: null, acknowledgedRole: null });
const transport = {} as Transport;

describe('the wall', () => {
  it('shows per room the product explained, the show clock, GMV, ROI against break-even, open alerts and the online curve at its peak', () => {
    appStore.setState({ transport: 'open', heartbeatAt: NOW, rooms: [room('a'), room('b', { breakEvenRoi: 3 }), room('c', { breakEvenRoi: null })], alerts: [alert('a', false), alert('a', false), alert('a', true), alert('b', true)] });
    const html = renderToStaticMarkup(<RoomGrid transport={transport} />);
    const tile = (id: string) => html.slice(html.indexOf(`room-card-${id}`), html.indexOf('</button>', html.indexOf(`room-card-${id}`)));
    expect(tile('a')).toContain('玻尿酸面膜');
    expect(tile('a')).toContain('1:02:03');
    expect(tile('a')).toContain('¥1.23万');
    expect(tile('a')).toMatch(/data-testid="wall-alerts"[^>]*>⚠ 2</);
    expect(tile('b')).not.toContain('wall-alerts');
    expect(tile('a')).toContain('data-state="good"'); // 2.50 ≥ break-even 1.80
    expect(tile('b')).toContain('data-state="bad"'); // 2.50 < 3.00
    expect(tile('c')).toContain('data-state="unknown"');
    expect(tile('a')).toContain('data-peak="120"');
    expect(tile('a')).toContain('0′ – 62′');
  });

  it('greys a room whose numbers stopped and says why', () => {
    appStore.setState({ transport: 'open', heartbeatAt: NOW, rooms: [room('q', { lastEventAt: NOW - 60_000 }), room('ok')] });
    const html = renderToStaticMarkup(<RoomGrid transport={transport} />);
    expect(html).toMatch(/class="room-card stale" data-testid="room-card-q" data-stale="room-quiet"/);
    expect(html).toContain('暂无新数据');
    expect(html).toMatch(/class="room-card" data-testid="room-card-ok" data-stale=""/);
  });
});
