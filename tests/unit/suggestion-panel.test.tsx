/**
 * The suggestion panel rendered from a given store state (react-dom/server, as components.test.tsx):
 * what the operator reads on each card, and the shortcut help listing the keys to act on them.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { appStore } from '../../renderer/src/lib/store.ts';
import { suggestUi, focusNext, focusedCard } from '../../renderer/src/lib/suggest-actions.ts';
import { SuggestionPanel } from '../../renderer/src/components/SuggestionPanel.tsx';
import { ShortcutHelp } from '../../renderer/src/components/Shortcuts.tsx';
import type { Transport } from '../../renderer/src/lib/transport.ts';
import type { LiveSuggestions } from '../../shared/suggest/live.ts';
import type { ProductEstimate } from '../../shared/suggest/types.ts';

const initial = appStore.getState();
appStore.getInitialState = () => appStore.getState();
suggestUi.getInitialState = () => suggestUi.getState();
beforeEach(() => {
  appStore.setState(initial, true);
  suggestUi.setState({ focusId: null, dismissingId: null, sendingId: null, sentId: null, sentProductId: null, error: null });
});

function est(id: string, title: string, value: number, sd: number, over: Partial<ProductEstimate> = {}): ProductEstimate {
  return {
    productId: id, title, role: 'hero', priceFen: 8900, valueFenPerMin: value, sdFenPerMin: sd, scoreFenPerMin: value + sd, ctr: 0.08, cvr: 0.05, freshness: 1,
    halfLifeMin: 8, pinnedExposures: 1000, pinnedClicks: 80, pinnedOrders: 4, explainedMin: 6, restedMin: 18, stock: 320, soldOut: false, reasons: [], ...over,
  };
}

function live(over: Partial<LiveSuggestions> = {}): LiveSuggestions {
  const lip = est('lip', '丝绒哑光唇釉', 92_300, 9_800, { reasons: [{ code: 'ctrVsRoom', pct: 40 }, { code: 'rested', min: 18 }, { code: 'stockOk', left: 320 }] });
  const mask = est('mask', '补水面膜', 21_300, 3_989, { reasons: [] });
  return {
    roomId: 'r', sessionId: 'r@0', ts: 600_000, pinnedProductId: 'mask', pinned: mask,
    top: { id: 'r@0|next-up:lip:1', kind: 'next-up', productId: 'lip', title: lip.title, estimate: lip },
    nextUp: [lip, est('cushion', '气垫粉底', 80_000, 12_000, { reasons: [{ code: 'untested' }] })],
    switchNow: { id: 'r@0|switch-now:mask:2', kind: 'switch-now', productId: 'mask', title: '补水面膜', toProductId: 'lip', toTitle: '丝绒哑光唇釉', confidence: 0.78, reasons: [{ code: 'fading', pct: 35 }, { code: 'explainedMin', min: 9 }] },
    plays: [{ id: 'r@0|play:retain:mask:3', kind: 'play', productId: 'mask', title: '补水面膜', play: { kind: 'retain', productId: 'mask', action: 'flash', reasons: [{ code: 'onlineFalling', pct: -22 }] }, flash: { priceFen: 2300, stock: 50 } }],
    exposuresPerMin: 1200, learnedSessions: 2, ...over,
  };
}

const noTransport = {} as Transport;

describe('SuggestionPanel', () => {
  it('shows switch now, the play and next up with ¥/分钟 ± and reasons in plain Chinese', () => {
    appStore.setState({ suggestions: live(), commandsSupported: true });
    const html = renderToStaticMarkup(<SuggestionPanel transport={noTransport} />);
    expect(html).toContain('已参考前 2 场');
    expect(html).toContain('建议换品');
    expect(html).toContain('把握 78%');
    expect(html).toContain('点击率比本段开头下降 35%，已讲解 9 分钟');
    expect(html).toContain('流量应对 · 留人');
    expect(html).toContain('秒杀价 ¥23，限量 50 件');
    expect(html).toContain('在线人数 3 分钟内下降 22%');
    expect(html).toContain('下一个讲解');
    expect(html).toContain('¥923/分钟 <span class="muted">±¥98</span>');
    expect(html).toContain('点击率高于场均 40%，已休息 18 分钟，库存充足（320 件）');
    // The other candidates below, and the pinned product's own estimate in whole yuan.
    expect(html).toContain('气垫粉底');
    expect(html).toContain('¥213/分钟 <span class="muted">±¥40</span>');
    // The first card (switch now) has the keyboard focus: its buttons show A and D.
    expect(html).toMatch(/class="sg-card switch-now focused"[^>]*data-product="lip"/);
    expect(html.match(/<kbd>A<\/kbd>/g)).toHaveLength(1);
  });

  it('moves the focus with N and words the cards in English', () => {
    appStore.setState({ suggestions: live(), commandsSupported: true, locale: 'en' });
    focusNext();
    expect(focusedCard(appStore.getState().suggestions, suggestUi.getState().focusId)?.kind).toBe('play');
    focusNext();
    const html = renderToStaticMarkup(<SuggestionPanel transport={noTransport} />);
    expect(html).toMatch(/class="sg-card next-up focused"/);
    expect(html).toContain('CTR 40% above the room average, rested 18 min, stock OK (320)');
    expect(html).toContain('Switch to <b>丝绒哑光唇釉</b>');
  });

  it('cannot accept without a feed that takes commands, and says why nothing shows', () => {
    appStore.setState({ suggestions: live(), commandsSupported: false });
    expect(renderToStaticMarkup(<SuggestionPanel transport={noTransport} />)).toMatch(/<button class="primary" data-testid="suggest-accept" disabled=""/);
    appStore.setState({ suggestions: null });
    expect(renderToStaticMarkup(<SuggestionPanel transport={noTransport} />)).toContain('数据积累中');
  });

  it('opens the optional reason box on the card being dismissed', () => {
    appStore.setState({ suggestions: live(), commandsSupported: true });
    suggestUi.setState({ dismissingId: 'r@0|next-up:lip:1' });
    const html = renderToStaticMarkup(<SuggestionPanel transport={noTransport} />);
    expect(html).toContain('data-testid="suggest-dismiss-reason"');
    expect(html).toContain('忽略原因（可选）');
  });

  it('lists A, D and N in the shortcut help', () => {
    appStore.setState({ helpOpen: true });
    const html = renderToStaticMarkup(<ShortcutHelp />);
    expect(html).toContain('采纳当前建议（发送讲解/秒杀指令）');
    expect(html).toContain('<kbd>D</kbd>');
    expect(html).toContain('<kbd>N</kbd>');
  });
});
