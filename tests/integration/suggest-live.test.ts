/**
 * Suggestions live in the core, with a real SQLite file: the per-room engine fed by the feed,
 * pushed at most once a second, accepted (the relay's pin command; the simulator obeys) and
 * dismissed into the decision log that `lcr report` reads; and learning across shows:
 * the next show of a room starts from what the last one taught — within one run and after a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { Simulator } from '../../electron/core/sim/simulator.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { buildReport } from '../../electron/core/retro/report.ts';
import { suggestionOutcomes } from '../../shared/suggest/decisions.ts';
import type { LiveSuggestions } from '../../shared/suggest/live.ts';
import type { Push } from '../../shared/contract.ts';
import { ScriptedRelay, room, T0 } from '../helpers/scripted-relay.ts';
import { readStore } from '../helpers/engine.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Every suggestions push of the core, in order, with the wall time it arrived. */
function recordPushes(core: Core): Array<{ at: number; roomId: string; s: LiveSuggestions | null }> {
  const list: Array<{ at: number; roomId: string; s: LiveSuggestions | null }> = [];
  core.onPush((p: Push) => {
    if (p.topic === 'suggestions') list.push({ at: Date.now(), roomId: p.payload.roomId, s: p.payload.suggestions });
  });
  return list;
}

function shownIds(s: LiveSuggestions | null): string[] {
  return s ? [...(s.top ? [s.top.id] : []), ...(s.switchNow ? [s.switchNow.id] : []), ...s.plays.map((p) => p.id)] : [];
}

describe('suggestions in the core', () => {
  it('accepting pins the product in the simulator; shown once per suggestion, accepted and dismissed with who and why', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ operatorName: '小王', operatorRole: 'controller' }));
    const sim = await Simulator.start({ scenarioFiles: [tiny], speed: 20, seed: 7, token: 'tok' });
    cleanups.push(() => sim.stop());
    const core = await Core.start({ dataDir: dir, feedUrl: sim.url, feedToken: 'tok' });
    cleanups.push(() => core.stop());
    const pushes = recordPushes(core);

    // A next-up pick that is not the pinned product.
    const first = await waitFor(() => pushes.map((p) => p.s).find((s) => s?.top && s.top.productId !== s.pinnedProductId), 'a next-up suggestion', 30_000);
    const accepted = await core.request('acceptSuggestion', { roomId: 'test-tiny', suggestionId: first.top!.id });
    expect(accepted).toMatchObject({ ok: true, value: { action: 'accepted', productId: first.top!.productId, command: { type: 'pin', productId: first.top!.productId }, byName: '小王', byRole: 'controller' } });
    // The simulator obeyed: its pin event for that product comes back through the feed.
    await waitFor(() => sim.relay.history('test-tiny').some((e) => e.type === 'pin' && e.productId === first.top!.productId && e.ts >= first.ts), 'the pin event from the simulator');
    // Accepting twice sends nothing more and returns the first decision.
    const again = await core.request('acceptSuggestion', { roomId: 'test-tiny', suggestionId: first.top!.id });
    expect(again).toEqual(accepted);

    // The next pick after the pin: dismissed, with a reason.
    const second = await waitFor(() => pushes.map((p) => p.s).find((s) => s?.top && s.top.id !== first.top!.id && s.pinnedProductId === first.top!.productId), 'a new next-up pick', 30_000);
    const dismissed = await core.request('dismissSuggestion', { roomId: 'test-tiny', suggestionId: second.top!.id, reason: '主播刚讲过' });
    expect(dismissed).toMatchObject({ ok: true, value: { action: 'dismissed', reason: '主播刚讲过', command: null } });
    const unknown = await core.request('acceptSuggestion', { roomId: 'test-tiny', suggestionId: 'nope' });
    expect(unknown).toEqual({ ok: false, error: 'this suggestion is no longer shown' });

    await core.untilEnded();
    await core.stop();

    // At most about one push a second per room, and none after the show ended but the final null.
    const tiny_ = pushes.filter((p) => p.roomId === 'test-tiny');
    // Accepting, dismissing and the show's end each push at once on top of the once-a-second
    // cadence, so a second may hold a regular push and up to two forced ones — never more (pushing
    // per event would put dozens in a second).
    for (let i = 3; i < tiny_.length; i++) expect(tiny_[i]!.at - tiny_[i - 3]!.at).toBeGreaterThanOrEqual(900);
    expect(tiny_.at(-1)?.s).toBeNull();

    const db = openDatabase(dir);
    cleanups.push(() => {
      db.close();
    });
    const reader = new StoreReader(db);
    const decisions = reader.decisions({ sessionId: first.sessionId });
    const shown = decisions.filter((d) => d.action === 'shown');
    // Every suggestion that was on screen is logged as shown exactly once, not once per push.
    const distinct = new Set(pushes.flatMap((p) => shownIds(p.s)));
    expect(shown.map((d) => d.suggestionId).sort()).toEqual([...distinct].sort());
    expect(tiny_.length).toBeGreaterThan(shown.length);
    expect(shown.every((d) => d.byName === '小王')).toBe(true);
    expect(decisions.filter((d) => d.action === 'accepted')).toHaveLength(1);
    const outcomes = suggestionOutcomes(decisions);
    expect(outcomes.find((o) => o.suggestionId === first.top!.id)).toMatchObject({ outcome: 'accepted', kind: 'next-up', productId: first.top!.productId });
    expect(outcomes.find((o) => o.suggestionId === second.top!.id)).toMatchObject({ outcome: 'dismissed', reason: '主播刚讲过' });
    // The accepted row keeps the figures and reasons the operator saw.
    const acc = decisions.find((d) => d.action === 'accepted')!;
    expect(acc.figures.valueFenPerMin).toEqual(expect.any(Number));
    expect(Array.isArray(acc.reasons)).toBe(true);

    // lcr report's actions are the decision log.
    const report = buildReport(reader, first.sessionId);
    expect(report.actions.length).toBe(decisions.length);
    expect(report.actions.find((a) => a.type === 'suggestion' && a.action === 'accepted')).toMatchObject({ type: 'suggestion', kind: 'next-up', productId: first.top!.productId });
  });

  it('a second show of the room starts from what the first taught, after a restart', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const sim1 = await Simulator.start({ scenarioFiles: [tiny], speed: 60, seed: 1, token: 'tok', startedAt: Date.now() - 3_600_000 });
    cleanups.push(() => sim1.stop());
    const core1 = await Core.start({ dataDir: dir, feedUrl: sim1.url, feedToken: 'tok' });
    cleanups.push(() => core1.stop());
    const p1 = recordPushes(core1);
    await core1.untilEnded();
    await core1.stop();
    await sim1.stop();
    // The first show had no earlier one to learn from.
    expect(p1.some((p) => p.s && p.s.learnedSessions === 0)).toBe(true);
    expect(p1.some((p) => p.s?.nextUp.some((e) => e.reasons.some((r) => r.code === 'learned')))).toBe(false);
    const raw = readStore(dir);
    const rows = raw.prepare('SELECT room_id, priors FROM suggest_priors').all() as Array<{ room_id: string; priors: string }>;
    raw.close();
    expect(rows.map((r) => r.room_id)).toEqual(['test-tiny']);
    expect((JSON.parse(rows[0]!.priors) as { sessions: number }).sessions).toBe(1);

    const sim2 = await Simulator.start({ scenarioFiles: [tiny], speed: 60, seed: 2, token: 'tok' });
    cleanups.push(() => sim2.stop());
    const core2 = await Core.start({ dataDir: dir, feedUrl: sim2.url, feedToken: 'tok' });
    cleanups.push(() => core2.stop());
    const p2 = recordPushes(core2);
    const s = await waitFor(() => p2.map((p) => p.s).find((x) => x && x.nextUp.length > 0), 'suggestions of the second show', 30_000);
    expect(s.learnedSessions).toBe(1);
    // A product the first show explained long enough starts from what it showed (the engine's 'learned' reason).
    const learned = (x: LiveSuggestions | null) => [...(x?.nextUp ?? []), ...(x?.pinned ? [x.pinned] : [])].some((e) => e.reasons.some((r) => r.code === 'learned' && r.sessions === 1));
    await waitFor(() => p2.some((p) => learned(p.s)), "an estimate with the 'learned' reason", 30_000);
  });

  it('within one run, a new show of the room takes the priors of the one that just ended', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const relay = new ScriptedRelay();
    relay.rooms = [room('r1')];
    await relay.listen();
    cleanups.push(() => relay.close());
    const T1 = T0 + 3_600_000;
    const catalog = { type: 'catalog', products: [{ id: 'a', title: '面膜', priceFen: 2990, stock: 500, role: 'traffic' }, { id: 'b', title: '唇釉', priceFen: 8900, stock: 300, role: 'hero' }] };
    const show1: Array<Record<string, unknown>> = [
      { type: 'session', status: 'live', startedAt: T0, title: '第一场' },
      catalog,
      { type: 'pin', productId: 'a' },
      ...Array.from({ length: 20 }, (_, i) => [
        { type: 'exposure', productId: 'a', n: 100 },
        { type: 'click', productId: 'a', n: 9 },
        { type: 'order', orderId: `o${i}`, productId: 'a', qty: 1, amountFen: 2990, status: 'paid' },
      ]).flat(),
      { type: 'session', status: 'ended' },
    ];
    const show2: Array<Record<string, unknown>> = [{ type: 'session', status: 'live', startedAt: T1, title: '第二场' }, catalog, { type: 'viewers', online: 300 }];
    let seq = 0;
    const stamp = (list: Array<Record<string, unknown>>, start: number) => list.map((e, i) => ({ seq: ++seq, ts: start + i * 3000, ...e }));
    relay.onSubscribe = (call) => setImmediate(() => call.socket.emit('events', { roomId: 'r1', events: [...stamp(show1, T0), ...stamp(show2, T1)] }));
    const core = await Core.start({ dataDir: dir, feedUrl: relay.url });
    cleanups.push(() => core.stop());
    core.onPush(() => undefined);
    const s = await waitFor(async () => {
      const r = await core.request('getSuggestions', { roomId: 'r1' });
      const v = r.ok ? (r.value as LiveSuggestions | null) : null;
      return v && v.sessionId === `r1@${T1}` ? v : null;
    }, 'suggestions of the second show');
    expect(s.learnedSessions).toBe(1);
    const a = [...s.nextUp, ...(s.pinned ? [s.pinned] : [])].find((e) => e.productId === 'a');
    expect(a?.reasons).toContainEqual({ code: 'learned', sessions: 1 });
  });
});
