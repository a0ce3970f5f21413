/**
 * Stable under the hand (issue 15, point 4), the parts that need no browser: each room's KPI
 * history survives while other rooms are shown, so a room switch shows the last-minute changes at
 * once (they were blank for a show-minute — exactly when an operator switches).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { appStore, connectStores, selectRoom } from '../../renderer/src/lib/store.ts';
import { KpiStrip } from '../../renderer/src/components/KpiStrip.tsx';
import { KpiHistory } from '../../shared/metrics/kpi-history.ts';
import type { Transport } from '../../renderer/src/lib/transport.ts';
import type { Kpis } from '../../shared/metrics/types.ts';
import type { Push, RoomDetail, RoomView } from '../../shared/contract.ts';

const initial = appStore.getState();
appStore.getInitialState = () => appStore.getState();
beforeEach(() => appStore.setState(initial, true));

function kpis(gmvFen: number): Kpis {
  return {
    durationSec: 600, peakOnline: 900, avgOnline: 700, uv: 5000, pv: 6000, avgWatchSec: 80, gmvFen, refundFen: 0, orders: 300, items: 320, buyers: 280, gpm: 205.76,
    uvValue: 24.69, itemPrice: 385.8, orderValue: 440.9, exposures: 20000, clicks: 1200, ctr: 0.06, clickToOrder: 0.025, viewToOrder: 0.05, viewToBuyer: 0.056,
    newFollowers: 120, followRate: 0.024, fansclubJoins: 12, comments: 800, likes: 9000, shares: 40, giftFen: 0, adSpendFen: 0, adGmvFen: 0, roi: null, adRoi: null,
    breakEvenRoi: null, entersBySource: { recommend: 0, paid: 0, follow: 0, search: 0, shortVideo: 0, other: 0 }, onlineNow: 812,
  };
}

function view(roomId: string, t: number, gmvFen: number): RoomView {
  return { roomId, platform: 'sim', title: roomId, status: 'live', session: { sessionId: `${roomId}@0`, roomId, platform: 'sim', title: roomId, startedAt: 0, endedAt: null }, kpis: kpis(gmvFen), windowEnd: t };
}

describe('KpiHistory', () => {
  it('answers with the newest snapshot at least a minute old, and keeps two minutes', () => {
    const h = new KpiHistory();
    for (let t = 0; t <= 180_000; t += 10_000) h.add(t, kpis(t));
    expect(h.ago(180_000)?.ts).toBe(120_000);
    expect(h.ago(175_000)?.ts).toBe(110_000);
    expect(h.ago(50_000)).toBeNull();
    // Older than two minutes before the newest: gone (the one just before the window stays).
    expect(h.ago(60_000 + 40_000)).toBeNull();
  });

  it('takes an older snapshot from the core in front, and ignores snapshots closer than a second', () => {
    const h = new KpiHistory();
    h.add(100_000, kpis(1));
    h.add(100_500, kpis(2));
    h.seed({ ts: 30_000, kpis: kpis(0) });
    expect(h.ago(100_500)?.kpis.gmvFen).toBe(0);
    expect(h.ago(160_000)?.kpis.gmvFen).toBe(1);
  });
});

describe('switching rooms', () => {
  it('shows the new room\'s last-minute changes at once, from the pushes it got while another room was shown', async () => {
    let push: (p: Push) => void = () => {};
    const requests: string[] = [];
    // getRoom answers only when the test says so: what shows before it is what the switch itself shows.
    let answer: (d: RoomDetail) => void = () => {};
    const transport = {
      onState: () => () => {},
      onPush: (l: (p: Push) => void) => ((push = l), () => {}),
      request: (name: string) => {
        requests.push(name);
        if (name === 'getRoom') return new Promise((resolve) => (answer = (d) => resolve({ ok: true, value: d })));
        return Promise.resolve({ ok: false, error: 'not in this test' });
      },
    } as unknown as Transport;
    connectStores(transport);
    appStore.setState({ selectedRoomId: 'a', room: view('a', 0, 0), rooms: [view('a', 0, 0), view('b', 0, 0)] });
    // Two minutes of both rooms; room a is on screen.
    for (let t = 0; t <= 120_000; t += 5_000) {
      for (const id of ['a', 'b']) push({ topic: 'room', payload: { roomId: id, view: view(id, t, t * (id === 'a' ? 1 : 2)), minutes: [], reset: false, pinnedProductId: null } });
    }
    const switching = selectRoom(transport, 'b');
    // Before the room's detail comes back: b's own figures and its change over the last minute.
    expect(appStore.getState().room?.roomId).toBe('b');
    expect(appStore.getState().kpisMinuteAgo?.gmvFen).toBe(120_000);
    const html = renderToStaticMarkup(<KpiStrip />);
    expect(html).toMatch(/data-testid="kpi-delta-gmvFen">近1分钟 \+¥1,200</);
    expect(html).not.toContain('近1分钟 —');
    answer({ ...view('b', 120_000, 240_000), minutes: [], products: [], segments: [], pinnedProductId: null, commandsSupported: true, demand: null, markers: [], kpisMinuteAgo: null });
    await switching;
    expect(appStore.getState().kpisMinuteAgo?.gmvFen).toBe(120_000);
    expect(requests).toContain('getRoom');
  });

  it('fills a room never pushed yet from the core\'s own minute-ago figures', async () => {
    const transport = {
      onState: () => () => {},
      onPush: () => () => {},
      request: (name: string) =>
        Promise.resolve(
          name === 'getRoom'
            ? { ok: true, value: { ...view('c', 300_000, 90_000), minutes: [], products: [], segments: [], pinnedProductId: null, commandsSupported: true, demand: null, markers: [], kpisMinuteAgo: { ts: 238_000, kpis: kpis(60_000) } } }
            : { ok: false, error: 'no' },
        ),
    } as unknown as Transport;
    await selectRoom(transport, 'c');
    expect(appStore.getState().kpisMinuteAgo?.gmvFen).toBe(60_000);
  });
});
