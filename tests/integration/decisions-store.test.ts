/** The decision log and the suggestion priors (migration 3) on a real SQLite file, through the writer thread. */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { WriteQueue } from '../../electron/core/store/write-queue.ts';
import type { Decision } from '../../shared/suggest/live.ts';
import type { LearnedPriors } from '../../shared/suggest/types.ts';
import { tempDir } from '../helpers/util.ts';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function decision(id: string, action: Decision['action'], ts: number, over: Partial<Decision> = {}): Decision {
  return {
    suggestionId: id, sessionId: 's1', roomId: 'r', ts, at: 5, kind: 'next-up', productId: 'p1', action, figures: { valueFenPerMin: 92_300, sdFenPerMin: 9800 },
    reasons: [{ code: 'rested', min: 18 }], byName: '小王', byRole: 'controller', reason: null, command: null, ...over,
  };
}

const priors = (sessions: number): LearnedPriors => ({ sessions, halfLifeMin: 6, ctr: 0.08, cvr: 0.05, products: { p1: { ctr: 0.1, cvr: 0.06, halfLifeMin: 5, clicks: 200, orders: 12 } }, roles: {} });

describe('decision log and priors in the store', () => {
  it('keeps one row per suggestion and action, in show-time order, with figures, reasons and the command', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const q = await WriteQueue.open(dir);
    cleanups.push(async () => {
      await q.close();
    });
    q.add({ decisions: [decision('n1', 'shown', 100), decision('n1', 'shown', 100)] });
    q.add({ decisions: [decision('n1', 'accepted', 120, { command: { type: 'pin', productId: 'p1' } }), decision('sw1', 'dismissed', 110, { kind: 'switch-now', reason: '主播在讲福利' })] });
    // Written by a restarted app once more: still one row.
    q.add({ decisions: [decision('n1', 'shown', 100)] });
    await q.flush();
    const db = openDatabase(dir);
    cleanups.push(() => {
      db.close();
    });
    const r = new StoreReader(db);
    const rows = r.decisions({ sessionId: 's1' });
    expect(rows.map((d) => [d.suggestionId, d.action, d.ts])).toEqual([
      ['n1', 'shown', 100],
      ['sw1', 'dismissed', 110],
      ['n1', 'accepted', 120],
    ]);
    expect(rows[2]).toEqual(decision('n1', 'accepted', 120, { command: { type: 'pin', productId: 'p1' } }));
    expect(r.decisions({ sessionId: 's1', action: 'dismissed' })[0]?.reason).toBe('主播在讲福利');
    expect(r.decisions({ sessionId: 'other' })).toEqual([]);
  });

  it('gives a show the newest priors of an earlier show of its room, never its own', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const q = await WriteQueue.open(dir);
    cleanups.push(async () => {
      await q.close();
    });
    q.add({ priors: [{ roomId: 'r', sessionId: 'r@1000', startedAt: 1000, priors: priors(1), updatedAt: 1 }] });
    q.add({ priors: [{ roomId: 'r', sessionId: 'r@2000', startedAt: 2000, priors: priors(1), updatedAt: 2 }] });
    // The same show saved again at its end: replaced, not added.
    q.add({ priors: [{ roomId: 'r', sessionId: 'r@2000', startedAt: 2000, priors: priors(2), updatedAt: 3 }] });
    q.add({ priors: [{ roomId: 'other', sessionId: 'other@500', startedAt: 500, priors: priors(7), updatedAt: 1 }] });
    await q.flush();
    const db = openDatabase(dir);
    cleanups.push(() => {
      db.close();
    });
    const r = new StoreReader(db);
    expect(r.suggestPriors('r', 3000)).toMatchObject({ sessionId: 'r@2000', priors: { sessions: 2 } });
    // A show resumed after a restart (started at 2000) learns from the one before it, not from itself.
    expect(r.suggestPriors('r', 2000)).toMatchObject({ sessionId: 'r@1000', priors: { sessions: 1 } });
    expect(r.suggestPriors('r', 1000)).toBeUndefined();
    expect(r.suggestPriors('nobody', 9999)).toBeUndefined();
  });
});
