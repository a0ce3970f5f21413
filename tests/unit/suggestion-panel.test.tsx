/**
 * The suggestion panel rendered from a given store state (react-dom/server, as components.test.tsx):
 * what the operator reads on each card, and the shortcut help listing the keys to act on them.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { appStore, connectStores } from '../../renderer/src/lib/store.ts';
import { acceptSuggestion, confirmDismiss, setDismissReason, suggestUi, focusNext, focusedCard, resetSuggestUi, startDismiss } from '../../renderer/src/features/suggest/suggest-actions.ts';
import { SuggestionPanel } from '../../renderer/src/features/suggest/SuggestionPanel.tsx';
import { ShortcutHelp } from '../../renderer/src/app/Shortcuts.tsx';
import type { Transport } from '../../renderer/src/lib/transport.ts';
import type { LiveSuggestions } from '../../shared/suggest/live.ts';
import type { Push, RoomView } from '../../shared/contract.ts';
import type { ProductEstimate } from '../../shared/suggest/types.ts';

const initial = appStore.getState();
appStore.getInitialState = () => appStore.getState();
suggestUi.getInitialState = () => suggestUi.getState();
beforeEach(() => {
  appStore.setState(initial, true);
  resetSuggestUi();
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
    top: { id: 'r@0|next-up:lip:1', kind: 'next-up', productId: 'lip', title: lip.title, estimate: lip, chance: { chance: 0.78, versus: { productId: 'mask', title: '补水面膜', pinned: true } } },
    nextUp: [lip, est('cushion', '气垫粉底', 80_000, 12_000, { reasons: [{ code: 'untested' }] })],
    switchNow: { id: 'r@0|switch-now:mask:2', kind: 'switch-now', productId: 'mask', title: '补水面膜', toProductId: 'lip', toTitle: '丝绒哑光唇釉', confidence: 0.78, reasons: [{ code: 'fading', pct: 35 }, { code: 'explainedMin', min: 9 }] },
    plays: [{ id: 'r@0|play:retain:mask:3', kind: 'play', productId: 'mask', title: '补水面膜', play: { kind: 'retain', productId: 'mask', action: 'flash', reasons: [{ code: 'onlineFalling', pct: -22 }] }, flash: { priceFen: 3190, stock: 50, listPriceFen: 3990, share: 0.8 } }],
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
    expect(html).toContain('有一定把握 78%');
    expect(html).toContain('点击率比本段开头下降 35%，已讲解 9 分钟');
    expect(html).toContain('流量应对 · 留人');
    expect(html).toContain('秒杀价 ¥31.9（原价 ¥39.9 打 8 折），限量 50 件');
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

  it('gives the switch card and the next-up card for the same pick the same chance, in the same words', () => {
    appStore.setState({ suggestions: live(), commandsSupported: true });
    const html = renderToStaticMarkup(<SuggestionPanel transport={noTransport} />);
    const chances = [...html.matchAll(/data-testid="suggest-chance" data-chance="(\d+)" data-certainty="(\w+)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2], m[3]]);
    expect(chances).toEqual([
      ['78', 'medium', '有一定把握 78%'],
      ['78', 'medium', '有一定把握 78%'],
    ]);
    // The claim behind the figure, on hover.
    expect(html).toContain('title="换到它比继续讲解「补水面膜」每分钟卖得多的可能：78%"');
    // No reason says 把握不大 beside it: the exploring reason no longer words a certainty.
    expect(html).not.toContain('把握不大');
  });

  it('states the 秒杀 with its basis in English too', () => {
    appStore.setState({ suggestions: live(), commandsSupported: true, locale: 'en' });
    expect(renderToStaticMarkup(<SuggestionPanel transport={noTransport} />)).toContain('flash price ¥31.9 (80% of ¥39.9), 50 units');
  });
});

describe('the keyboard focus stays where the operator put it', () => {
  const requests: string[] = [];
  const spy = { request: async (name: string) => (requests.push(name), { ok: true, value: { command: null } }) } as unknown as Transport;
  beforeEach(() => (requests.length = 0));

  it('is not taken by a card that appears above the focused one', () => {
    const first = live({ switchNow: null, plays: [] });
    appStore.setState({ suggestions: first, selectedRoomId: 'r', commandsSupported: true });
    expect(suggestUi.getState().focusId).toBe(first.top!.id);
    appStore.setState({ suggestions: live() }); // a switch card and a play appear above it
    expect(suggestUi.getState().focusId).toBe(first.top!.id);
    expect(renderToStaticMarkup(<SuggestionPanel transport={noTransport} />)).toMatch(/class="sg-card next-up focused"/);
  });

  it('stays on a dismissed card: shown greyed, and A and D do nothing and say so, until N', async () => {
    appStore.setState({ suggestions: live(), selectedRoomId: 'r', commandsSupported: true });
    const switchId = live().switchNow!.id;
    expect(suggestUi.getState().focusId).toBe(switchId);
    suggestUi.setState({ dismissedId: switchId });
    // The core took the dismissed card away; the next-up card is now first on the panel.
    appStore.setState({ suggestions: live({ switchNow: null }) });
    await acceptSuggestion(spy);
    startDismiss();
    expect(requests).toEqual([]);
    expect(suggestUi.getState().dismissingId).toBeNull();
    const html = renderToStaticMarkup(<SuggestionPanel transport={noTransport} />);
    expect(html).toContain('data-testid="suggest-ghost"');
    expect(html).toContain('<b>已忽略</b> · 焦点仍在这条建议上：按 N 选下一条');
    expect(html).toContain('这条建议已不在，按键未执行任何操作。按 N 选下一条。');
    expect(html).not.toMatch(/class="sg-card (play|next-up) focused"/);
    expect(html.match(/<kbd>A<\/kbd>/g)).toBeNull();
    // N: the first card on the panel, which the operator now sees highlighted; A acts on it.
    focusNext();
    expect(suggestUi.getState().focusId).toBe(live().plays[0]!.id);
    await acceptSuggestion(spy);
    expect(requests).toEqual(['acceptSuggestion']);
  });

  it('keeps the reason box and what was typed when the core takes the card back mid-sentence, and the dismissal is sent', async () => {
    const sent: Array<{ name: string; args: unknown }> = [];
    const transport = { request: async (name: string, args: unknown) => (sent.push({ name, args }), { ok: true, value: {} }) } as unknown as Transport;
    appStore.setState({ suggestions: live(), selectedRoomId: 'r', commandsSupported: true });
    const switchId = live().switchNow!.id;
    startDismiss();
    setDismissReason('刚讲过');
    // The switch card is withdrawn while the operator types.
    appStore.setState({ suggestions: live({ switchNow: null }) });
    const html = renderToStaticMarkup(<SuggestionPanel transport={noTransport} />);
    expect(html).toMatch(/data-testid="suggest-ghost"[^>]*data-suggestion-id="r@0\|switch-now:mask:2"[\s\S]*data-testid="suggest-dismiss-reason"[^>]*value="刚讲过"|data-testid="suggest-ghost"[\s\S]*value="刚讲过"[^>]*data-testid="suggest-dismiss-reason"/);
    expect(html.match(/suggest-dismiss-reason/g)).toHaveLength(1);
    await confirmDismiss(transport);
    expect(sent).toEqual([{ name: 'dismissSuggestion', args: { roomId: 'r', suggestionId: switchId, reason: '刚讲过' } }]);
    expect(suggestUi.getState()).toMatchObject({ dismissingId: null, dismissReason: '', dismissedId: switchId });
    expect(renderToStaticMarkup(<SuggestionPanel transport={noTransport} />)).toContain('<b>已忽略</b>');
  });

  it('never shows "switch away" from a product the board does not show as being explained, whichever push comes first', () => {
    let push: (p: Push) => void = () => {};
    connectStores({ onState: () => () => {}, onPush: (l: (p: Push) => void) => ((push = l), () => {}), request: () => new Promise(() => {}) } as unknown as Transport);
    const view = { roomId: 'r', platform: 'sim', title: 'r', status: 'live', session: null, kpis: null, windowEnd: 600_000 } as RoomView;
    const room = (pinned: string) => push({ topic: 'room', payload: { roomId: 'r', view, minutes: [], reset: false, pinnedProductId: pinned } });
    appStore.setState({ selectedRoomId: 'r', rooms: [view], commandsSupported: true });
    room('mask');
    push({ topic: 'suggestions', payload: { roomId: 'r', suggestions: live() } });
    expect(appStore.getState().suggestions?.switchNow?.productId).toBe('mask');
    // The board's pin moves to the lipstick first: the card to leave 补水面膜 goes, and its line.
    room('lip');
    let html = renderToStaticMarkup(<SuggestionPanel transport={noTransport} />);
    expect(html).not.toContain('data-testid="suggest-switch-now"');
    expect(html).not.toContain('正在讲解');
    expect(appStore.getState().suggestions?.top?.productId).toBe('lip');
    // The suggestions for the new pin arrive: they are shown whole.
    const lip = live().nextUp[0]!;
    push({ topic: 'suggestions', payload: { roomId: 'r', suggestions: live({ pinnedProductId: 'lip', pinned: lip, switchNow: { ...live().switchNow!, id: 'r@0|switch-now:lip:4', productId: 'lip', title: lip.title, toProductId: 'cushion', toTitle: '气垫粉底' } }) } });
    html = renderToStaticMarkup(<SuggestionPanel transport={noTransport} />);
    expect(html).toContain('data-testid="suggest-switch-now"');
    expect(html).toContain('正在讲解');
    // Suggestions ahead of the board (its push not in yet) wait for it the same way.
    push({ topic: 'suggestions', payload: { roomId: 'r', suggestions: live({ pinnedProductId: 'cushion', pinned: live().nextUp[1]! }) } });
    expect(appStore.getState().suggestions?.switchNow).toBeNull();
    room('cushion');
    expect(appStore.getState().suggestions?.switchNow).not.toBeNull();
  });

  it('starts afresh in another room', () => {
    appStore.setState({ suggestions: live(), selectedRoomId: 'r' });
    appStore.setState({ selectedRoomId: 'other', suggestions: null });
    expect(suggestUi.getState().focusId).toBeNull();
  });
});

describe('shortcut help', () => {
  it('lists A, D and N in the shortcut help', () => {
    appStore.setState({ helpOpen: true });
    const html = renderToStaticMarkup(<ShortcutHelp />);
    expect(html).toContain('采纳当前建议（发送讲解/秒杀指令）');
    expect(html).toContain('<kbd>D</kbd>');
    expect(html).toContain('<kbd>N</kbd>');
  });
});
