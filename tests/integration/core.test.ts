/**
 * The live data path end to end in one process: the simulator relay on loopback → feed client →
 * core → SQLite file → report. Figures read back from the store must equal those computed
 * independently from exactly what the relay sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { Simulator } from '../../electron/core/sim/simulator.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { buildReport } from '../../electron/core/retro/report.ts';
import { SessionAggregator } from '../../shared/metrics/aggregator.ts';
import type { KnownFeedEvent } from '../../shared/protocol.ts';
import { ScriptedRelay, room, ev, T0 } from '../helpers/scripted-relay.ts';
import { readStore } from '../helpers/engine.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function storedSeqs(dataDir: string, roomId: string): number[] {
  const db = readStore(dataDir);
  try {
    return (db.prepare('SELECT seq FROM events WHERE room_id = ? ORDER BY seq').all(roomId) as Array<{ seq: number }>).map((r) => r.seq);
  } finally {
    db.close();
  }
}

describe('core with the simulator relay and a real store', () => {
  it('stores every event the relay sent and reports the exact METRICS.md figures', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const sim = await Simulator.start({ scenarioFiles: [tiny], speed: 60, seed: 42, token: 'tok' });
    cleanups.push(() => sim.stop());
    const core = await Core.start({ dataDir: dir, feedUrl: sim.url, feedToken: 'tok' });
    cleanups.push(() => core.stop());
    await core.untilEnded();
    await core.stop();

    const sent = sim.relay.history('test-tiny');
    expect(sent.length).toBeGreaterThan(500);
    expect(storedSeqs(dir, 'test-tiny')).toEqual(sent.map((e) => e.seq));

    // An independent computation from what the relay sent.
    const start = sent[0]!;
    expect(start.type).toBe('session');
    const agg = new SessionAggregator((start as { startedAt: number }).startedAt);
    for (const e of sent) agg.ingest(e as KnownFeedEvent);
    const end = sent.at(-1)!;
    const expected = agg.snapshot(end.ts);

    const db = openDatabase(dir);
    cleanups.push(() => {
      db.close();
    });
    const reader = new StoreReader(db);
    const [session] = reader.listSessions();
    expect(session?.endedAt).toBe(end.ts);
    const fromRollups = buildReport(reader, session!.sessionId);
    const recomputed = buildReport(reader, session!.sessionId, { recompute: true });
    expect(fromRollups.kpis).toEqual(expected.kpis);
    expect(fromRollups.minutes).toEqual(expected.minutes);
    expect(fromRollups.products).toEqual(expected.products);
    expect(fromRollups.segments).toEqual(expected.segments);
    expect(recomputed.kpis).toEqual(fromRollups.kpis);
    expect(recomputed.minutes).toEqual(fromRollups.minutes);

    // And a few figures by hand straight from the events: GMV is each paid orderId once.
    const paid = new Map<string, number>();
    for (const e of sent) if (e.type === 'order' && e.status === 'paid' && !paid.has(e.orderId)) paid.set(e.orderId, e.amountFen);
    expect(fromRollups.kpis.gmvFen).toBe([...paid.values()].reduce((a, b) => a + b, 0));
    expect(fromRollups.kpis.orders).toBe(paid.size);
    expect(fromRollups.kpis.gmvFen).toBeGreaterThan(0);
    expect(fromRollups.minutes).toHaveLength(6);
    expect(fromRollups.segments.map((s) => s.productId)).toEqual(['bea-mask', 'bea-lip', 'bea-cleanser']);
  });

  it('resumes after the relay drops every connection mid-stream: no gap, no duplicate', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const sim = await Simulator.start({ scenarioFiles: [tiny], speed: 30, seed: 3 });
    cleanups.push(() => sim.stop());
    const core = await Core.start({ dataDir: dir, feedUrl: sim.url });
    cleanups.push(() => core.stop());
    await waitFor(() => core.diagnostics().store.eventsStored > 200, 'some events stored');
    sim.relay.dropConnections();
    await waitFor(() => core.connection.reconnects >= 1 && core.connection.status === 'live', 'reconnected');
    sim.relay.dropConnections();
    await core.untilEnded();
    await core.stop();
    const sent = sim.relay.history('test-tiny').map((e) => e.seq);
    expect(storedSeqs(dir, 'test-tiny')).toEqual(sent);
    expect(core.connection.reconnects).toBeGreaterThanOrEqual(2);
  });

  it('quarantines garbage in the store with its reason, and the report counts it', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    cleanups.push(() => relay.close());
    const core = await Core.start({ dataDir: dir, feedUrl: relay.url });
    cleanups.push(() => core.stop());
    await waitFor(() => relay.subscribes.length === 1, 'subscribed');
    relay.send('r1', [
      { seq: 1, ts: T0, type: 'session', status: 'live', startedAt: T0, title: '测试' },
      { seq: 2, ts: T0 + 1000, type: 'order', orderId: 'o1', productId: 'p1', qty: 1, amountFen: 9900, status: 'paid' },
      { seq: 3, ts: T0 + 2000, type: 'viewers', online: -1 },
      { seq: 4, ts: T0 + 3000, type: 'order', orderId: 'o1', productId: 'p1', qty: 1, amountFen: 9900, status: 'paid' },
      { seq: 5, ts: T0 + 4000, type: 'click', productId: 'p1' },
      ev(6),
    ]);
    await waitFor(() => core.diagnostics().store.eventsStored === 4, 'valid events stored');
    await core.flush();
    const db = openDatabase(dir);
    cleanups.push(() => {
      db.close();
    });
    const reader = new StoreReader(db);
    const rep = buildReport(reader, `r1@${T0}`);
    expect(rep.kpis.gmvFen).toBe(9900); // the repeated order counts once
    expect(rep.kpis.orders).toBe(1);
    expect(Object.values(rep.quarantined).reduce((a, b) => a + b, 0)).toBe(2);
    expect(Object.keys(rep.quarantined).join('|')).toMatch(/viewers: online/);
    const raw = db.prepare('SELECT seq, raw FROM quarantine ORDER BY seq').all() as Array<{ seq: number; raw: string }>;
    expect(raw.map((r) => r.seq)).toEqual([3, 5]);
    expect(JSON.parse(raw[0]!.raw)).toMatchObject({ type: 'viewers', online: -1 });
    expect(core.connection.status).toBe('live');
  });
});
