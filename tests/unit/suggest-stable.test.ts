/**
 * The stabiliser (issue 4, point 9): what the panel shows changes when the evidence changes
 * enough, never with every wobble of the engine's ranking. And the reasons in plain words.
 */
import { describe, expect, it } from 'vitest';
import { SuggestionStabiliser } from '../../shared/suggest/stable.ts';
import { renderReason, renderReasons } from '../../shared/suggest/reasons.ts';
import { outcomeCounts, suggestionOutcomes } from '../../shared/suggest/decisions.ts';
import type { Play, ProductEstimate, Reason, Suggestions, SwitchSignal } from '../../shared/suggest/types.ts';
import type { Decision } from '../../shared/suggest/live.ts';

function est(id: string, score: number, over: Partial<ProductEstimate> = {}): ProductEstimate {
  return {
    productId: id, title: `商品${id}`, role: null, priceFen: 9900, valueFenPerMin: score, sdFenPerMin: 0, scoreFenPerMin: score, ctr: 0.05, cvr: 0.05,
    freshness: 1, halfLifeMin: 8, pinnedExposures: 0, pinnedClicks: 0, pinnedOrders: 0, explainedMin: 0, restedMin: null, stock: 100, soldOut: false, reasons: [], ...over,
  };
}

let clock = 0;
function sugg(scores: Record<string, number>, opts: { pinned?: string | null; switchNow?: SwitchSignal | null; plays?: Play[] } = {}): Suggestions {
  clock += 10_000;
  const nextUp = Object.entries(scores)
    .map(([id, s]) => est(id, s))
    .sort((a, b) => b.scoreFenPerMin - a.scoreFenPerMin);
  const pinned = opts.pinned === undefined ? 'P' : opts.pinned;
  return { ts: clock, pinnedProductId: pinned, nextUp, pinned: pinned ? est(pinned, 500) : null, switchNow: opts.switchNow ?? null, plays: opts.plays ?? [], exposuresPerMin: 1000 };
}

const sw = (confidence: number, reasons: Reason[] = [{ code: 'explainedMin', min: 8 }]): SwitchSignal => ({ productId: 'P', toProductId: 'A', confidence, reasons });

describe('SuggestionStabiliser: next up', () => {
  it('keeps the shown top pick while a challenger is only a little better', () => {
    const st = new SuggestionStabiliser();
    const first = st.update(sugg({ A: 1000, B: 900 }));
    expect(first.top?.productId).toBe('A');
    // B edges ahead by 5 %, then falls back, then edges ahead again: the screen does not move.
    for (const b of [1050, 990, 1060, 1080, 1000]) {
      const v = st.update(sugg({ A: 1000, B: b }));
      expect(v.top?.productId).toBe('A');
      expect(v.top?.id).toBe(first.top?.id);
      expect(v.nextUp[0]?.productId).toBe('A');
    }
  });

  it('switches to a challenger that beats the margin in consecutive updates, not after one', () => {
    const st = new SuggestionStabiliser({ topMargin: 0.1, confirmUpdates: 2 });
    const first = st.update(sugg({ A: 1000, B: 900 }));
    expect(st.update(sugg({ A: 1000, B: 1200 })).top?.productId).toBe('A'); // once: not yet
    expect(st.update(sugg({ A: 1000, B: 950 })).top?.productId).toBe('A'); // the streak broke
    expect(st.update(sugg({ A: 1000, B: 1200 })).top?.productId).toBe('A');
    const v = st.update(sugg({ A: 1000, B: 1200 }));
    expect(v.top?.productId).toBe('B');
    expect(v.top?.id).not.toBe(first.top?.id);
    expect(v.nextUp.map((e) => e.productId)).toEqual(['B', 'A']);
  });

  it('replaces the pick at once when it is pinned, sold out or gone', () => {
    const st = new SuggestionStabiliser();
    st.update(sugg({ A: 1000, B: 990 }));
    // A got pinned (the engine leaves the pinned product out of next up).
    expect(st.update(sugg({ B: 990, C: 100 }, { pinned: 'A' })).top?.productId).toBe('B');
    const s = sugg({ B: 990, C: 100 }, { pinned: 'A' });
    s.nextUp[0] = { ...s.nextUp[0]!, soldOut: true };
    expect(st.update(s).top?.productId).toBe('C');
  });

  it('keeps a dismissed pick away for the quiet period, then offers it again', () => {
    const st = new SuggestionStabiliser({ quietMs: 60_000 });
    const v = st.update(sugg({ A: 1000, B: 500 }));
    st.dismiss(v.top!.id);
    expect(st.update(sugg({ A: 1000, B: 500 })).top?.productId).toBe('B');
    expect(st.update(sugg({ A: 1000, B: 500 })).nextUp.map((e) => e.productId)).toEqual(['B']);
    for (let i = 0; i < 3; i++) st.update(sugg({ A: 1000, B: 500 }));
    // 60 s later A is back in the list; B stays on top until A beats it by the margin twice.
    expect(st.update(sugg({ A: 1000, B: 500 })).nextUp.map((e) => e.productId)).toEqual(['B', 'A']);
    expect(st.update(sugg({ A: 1000, B: 500 })).top?.productId).toBe('A');
  });
});

describe('SuggestionStabiliser: switch now', () => {
  it('shows the signal only after it held for consecutive updates, and keeps it until clearly gone', () => {
    const st = new SuggestionStabiliser({ switchOnUpdates: 2, switchOffUpdates: 3 });
    st.update(sugg({ A: 1000 }));
    expect(st.update(sugg({ A: 1000 }, { switchNow: sw(0.7) })).switchNow).toBeNull();
    expect(st.update(sugg({ A: 1000 })).switchNow).toBeNull(); // a one-off blip never shows
    expect(st.update(sugg({ A: 1000 }, { switchNow: sw(0.7) })).switchNow).toBeNull();
    const v = st.update(sugg({ A: 1000 }, { switchNow: sw(0.75) }));
    const shown = v.switchNow;
    // Its certainty is the top card's chance for the same pick (certainty.ts), not a figure of its own.
    expect(shown?.confidence).toBe(v.topChance?.chance);
    // The engine goes quiet for two updates: the signal stays (same id); the third clears it.
    expect(st.update(sugg({ A: 1000 })).switchNow?.id).toBe(shown!.id);
    expect(st.update(sugg({ A: 1000 }, { switchNow: sw(0.6) })).switchNow?.id).toBe(shown!.id);
    expect(st.update(sugg({ A: 1000 })).switchNow?.id).toBe(shown!.id);
    expect(st.update(sugg({ A: 1000 })).switchNow?.id).toBe(shown!.id);
    expect(st.update(sugg({ A: 1000 })).switchNow).toBeNull();
  });

  it('shows a sold-out signal at once and drops it when the pinned product changes', () => {
    const st = new SuggestionStabiliser();
    st.update(sugg({ A: 1000 }));
    const v = st.update(sugg({ A: 1000 }, { switchNow: sw(1, [{ code: 'soldOut' }]) }));
    expect(v.switchNow?.reasons[0]).toEqual({ code: 'soldOut' });
    expect(st.update(sugg({ B: 1000 }, { pinned: 'A' })).switchNow).toBeNull();
  });

  it('names the shown top pick as the target, so the two cards agree', () => {
    const st = new SuggestionStabiliser({ switchOnUpdates: 1 });
    st.update(sugg({ A: 1000, B: 950 }));
    const s = sugg({ A: 1000, B: 1050 }, { switchNow: { productId: 'P', toProductId: 'B', confidence: 0.8, reasons: [{ code: 'betterNext', productId: 'B', title: '商品B', gainFenPerMin: 550 }] } });
    const v = st.update(s);
    expect(v.top?.productId).toBe('A');
    expect(v.switchNow?.toProductId).toBe('A');
    expect(v.switchNow?.reasons).toEqual([{ code: 'betterNext', productId: 'A', title: '商品A', gainFenPerMin: 500 }]);
  });

  it('a dismissed signal returns only when the chance it shows is clearly higher', () => {
    const st = new SuggestionStabiliser({ switchOnUpdates: 1, switchComebackConfidence: 0.15 });
    // A at ¥10/min against the pinned P at ¥5/min; A's spread sets the chance: ≈ 60 %, 70 %, 80 %.
    const withSpread = (sd: number) => {
      const s = sugg({ A: 1000 }, { switchNow: sw(0.9) });
      return { ...s, nextUp: [est('A', 1000, { sdFenPerMin: sd })] };
    };
    st.update(sugg({ A: 1000 }));
    const v = st.update(withSpread(1974));
    expect(v.switchNow?.confidence).toBeCloseTo(0.6, 2);
    st.dismiss(v.switchNow!.id);
    expect(st.update(withSpread(953)).switchNow).toBeNull(); // 70 %: not clearly surer
    expect(st.update(withSpread(594)).switchNow?.confidence).toBeCloseTo(0.8, 2);
  });
});

describe('SuggestionStabiliser: traffic plays', () => {
  const retain = (productId: string): Play => ({ kind: 'retain', productId, action: 'flash', reasons: [{ code: 'onlineFalling', pct: -20 }] });

  it('shows a play after consecutive updates, keeps its product while it stays, and lets it go slowly', () => {
    const st = new SuggestionStabiliser({ playOnUpdates: 2, playOffUpdates: 2 });
    expect(st.update(sugg({ A: 1 }, { plays: [retain('X')] })).plays).toEqual([]);
    const v = st.update(sugg({ A: 1 }, { plays: [retain('X')] }));
    expect(v.plays.map((p) => p.play.productId)).toEqual(['X']);
    // The engine now prefers Y for the same play: the card keeps X (no flicker), with today's traffic figure.
    const w = st.update(sugg({ A: 1 }, { plays: [{ ...retain('Y'), reasons: [{ code: 'onlineFalling', pct: -30 }] }] }));
    expect(w.plays[0]?.id).toBe(v.plays[0]?.id);
    expect(w.plays[0]?.play.productId).toBe('X');
    expect(w.plays[0]?.play.reasons).toEqual([{ code: 'onlineFalling', pct: -30 }]);
    expect(st.update(sugg({ A: 1 })).plays).toHaveLength(1);
    expect(st.update(sugg({ A: 1 })).plays).toHaveLength(0);
  });

  it('an accepted play is not offered again at once', () => {
    const st = new SuggestionStabiliser({ playOnUpdates: 1 });
    const v = st.update(sugg({ A: 1 }, { plays: [retain('X')] }));
    st.accepted(v.plays[0]!.id);
    expect(st.update(sugg({ A: 1 }, { plays: [retain('X')] })).plays).toEqual([]);
  });
});

describe('reasons in plain words', () => {
  it('reads like an operator talks, in Chinese and English', () => {
    const r: Reason[] = [{ code: 'ctrVsRoom', pct: 40 }, { code: 'rested', min: 18 }, { code: 'stockOk', left: 320 }];
    expect(renderReasons(r, 'zh-CN')).toBe('点击率高于场均 40%，已休息 18 分钟，库存充足（320 件）');
    expect(renderReasons(r, 'en')).toBe('CTR 40% above the room average, rested 18 min, stock OK (320)');
  });

  it('words each code, with signs and money as the screen writes them', () => {
    expect(renderReason({ code: 'cvrVsRoom', pct: -25 }, 'zh-CN')).toBe('转化率低于场均 25%');
    expect(renderReason({ code: 'betterNext', productId: 'b', title: '唇釉', gainFenPerMin: 123_456_00 }, 'zh-CN')).toBe('换成「唇釉」预计每分钟多卖 ¥12.35万');
    expect(renderReason({ code: 'highTicket', aovFen: 43_890 }, 'en')).toBe('high ticket (¥439)');
    expect(renderReason({ code: 'holdsViewers', pct: -3 }, 'zh-CN')).toBe('讲解时在线人数变化 −3%');
    expect(renderReason({ code: 'onlineFalling', pct: -22 }, 'zh-CN')).toBe('在线人数 3 分钟内下降 22%');
    expect(renderReason({ code: 'learned', sessions: 2 }, 'zh-CN')).toBe('参考了前 2 场的表现');
    expect(renderReasons([{ code: 'soldOut' }, { code: 'untested' }, { code: 'fewData', clicks: 3 }], 'zh-CN', 2)).toBe('已售罄，本场还没讲过，值得一试');
  });
});

describe('decision log read back', () => {
  const d = (id: string, action: Decision['action'], ts: number, reason: string | null = null): Decision => ({
    suggestionId: id, sessionId: 's', roomId: 'r', ts, at: ts, kind: id.startsWith('sw') ? 'switch-now' : 'next-up', productId: 'p', action,
    figures: {}, reasons: [], byName: '小王', byRole: 'controller', reason, command: null,
  });

  it('pairs each suggestion with what became of it; the first answer stands', () => {
    const out = suggestionOutcomes([d('n1', 'shown', 10), d('sw1', 'shown', 20), d('n1', 'accepted', 30), d('n2', 'shown', 40), d('sw1', 'dismissed', 50, '主播在讲福利'), d('sw1', 'accepted', 60)]);
    expect(out.map((o) => [o.suggestionId, o.outcome, o.decidedTs, o.reason])).toEqual([
      ['n1', 'accepted', 30, null],
      ['sw1', 'dismissed', 50, '主播在讲福利'],
      ['n2', 'ignored', null, null],
    ]);
    expect(outcomeCounts(out)['next-up']).toEqual({ shown: 2, accepted: 1, dismissed: 0, ignored: 1 });
    expect(outcomeCounts(out)['switch-now']).toEqual({ shown: 1, accepted: 0, dismissed: 1, ignored: 0 });
  });
});
