/**
 * The session list and a live show: the session list's row of the open report shows the report's own figures —
 * after the report opens, when the list is read again with a lagging rollup, and when the live
 * report is read again — so the two never disagree on screen (renderer/src/features/retro/retro-store.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { COMPARE_CURRENCY_MIX, retroStore, loadSessions, openSession, refreshOpenReport, runCompare } from '../../renderer/src/features/retro/retro-store.ts';
import { sessionListFigures, withOpenReport } from '../../shared/retro/session-list.ts';
import type { Transport } from '../../renderer/src/lib/transport.ts';
import type { RetroReportView, SessionListItem } from '../../shared/retro/types.ts';
import type { Kpis } from '../../shared/metrics/types.ts';

const initial = retroStore.getState();
beforeEach(() => retroStore.setState(initial, true));

function item(id: string, gmvFen: number): SessionListItem {
  return { sessionId: id, roomId: 'r', platform: 'sim', title: id, startedAt: 0, endedAt: id === 'live' ? null : 1, gmvFen, orders: 1, pv: 10, peakOnline: 5, gpm: 1, durationSec: 60, notes: 0 };
}

function report(id: string, gmvFen: number): RetroReportView {
  return { session: { sessionId: id, roomId: 'r', platform: 'sim', title: id, startedAt: 0, endedAt: null }, kpis: { gmvFen, orders: 7, pv: 70, peakOnline: 50, gpm: 9.5, durationSec: 600 } as Kpis } as RetroReportView;
}

/** A core whose list lags (a live show's rollup is written every few seconds) behind its reports. */
function fakeCore(state: { listGmv: number; reportGmv: number }): Transport {
  return {
    request: async (name: string) => {
      if (name === 'listSessions') return { ok: true, value: [item('live', state.listGmv), item('old', 5_000)] };
      if (name === 'getReport') return { ok: true, value: report('live', state.reportGmv) };
      return { ok: false, error: 'no' };
    },
  } as unknown as Transport;
}

const row = () => retroStore.getState().sessions!.find((s) => s.sessionId === 'live')!;

describe('the session list and an open report of a live show', () => {
  it('take a row’s figures from the report by the one rule the core lists with', () => {
    const k = { gmvFen: 1_621_000, orders: 7, pv: 70, peakOnline: 50, gpm: 9.5, durationSec: 600 } as Kpis;
    expect(sessionListFigures(k)).toEqual({ gmvFen: 1_621_000, orders: 7, pv: 70, peakOnline: 50, gpm: 9.5, durationSec: 600 });
    const list = withOpenReport([item('live', 1_504_000), item('old', 5_000)], report('live', 1_621_000));
    expect(list.map((s) => s.gmvFen)).toEqual([1_621_000, 5_000]);
  });

  it('show the same figures once the report is open, and after either is read again', async () => {
    const core = { listGmv: 1_504_000, reportGmv: 1_621_000 };
    const t = fakeCore(core);
    await loadSessions(t);
    // The newest show opens by itself; wait for its report.
    for (let i = 0; i < 20 && !retroStore.getState().report; i++) await Promise.resolve();
    await openSession(t, 'live');
    expect(row().gmvFen).toBe(1_621_000);
    expect(row()).toMatchObject({ orders: 7, pv: 70, peakOnline: 50, gpm: 9.5, durationSec: 600 });
    // The list read again from a rollup that still lags: the open report's row keeps its figures.
    core.listGmv = 1_550_000;
    await loadSessions(t);
    expect(row().gmvFen).toBe(1_621_000);
    expect(retroStore.getState().sessions!.find((s) => s.sessionId === 'old')!.gmvFen).toBe(5_000);
    // The live report read again: the row follows it.
    core.reportGmv = 1_700_000;
    await refreshOpenReport(t);
    expect(retroStore.getState().report!.kpis.gmvFen).toBe(1_700_000);
    expect(row().gmvFen).toBe(1_700_000);
  });
});

describe('comparing shows picked from the list', () => {
  it('says a ¥ show and a $ show cannot be compared, without asking the core; shows of one currency are asked for', async () => {
    const asked: string[] = [];
    const core = {
      request: async (name: string) => {
        asked.push(name);
        if (name === 'compareSessions') return { ok: true, value: { align: 'minute', currency: 'USD', series: [], deltas: [] } };
        return { ok: false, error: 'no' };
      },
    } as unknown as Transport;
    retroStore.setState({ sessions: [item('douyin', 100), { ...item('tiktok', 200), currency: 'USD' }, { ...item('tiktok2', 300), currency: 'USD' }], picked: ['douyin', 'tiktok'] });
    await runCompare(core);
    expect(retroStore.getState()).toMatchObject({ compareError: COMPARE_CURRENCY_MIX, compareCurrencies: ['CNY', 'USD'], comparison: null });
    expect(asked).toEqual([]);
    retroStore.setState({ picked: ['tiktok', 'tiktok2'] });
    await runCompare(core);
    expect(asked).toEqual(['compareSessions']);
    expect(retroStore.getState().compareError).toBeNull();
    expect(retroStore.getState().comparison?.currency).toBe('USD');
  });
});
