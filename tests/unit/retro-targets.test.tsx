/**
 * The four review dimensions on the screens (react-dom/server): the room's GMV target with the other targets in the
 * settings, and the show's own on its report's sales card, with whose target it is.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { appStore } from '../../renderer/src/lib/store.ts';
import { SettingsDialog } from '../../renderer/src/features/settings/SettingsDialog.tsx';
import { TargetEditor } from '../../renderer/src/features/retro/TargetEditor.tsx';
import { ReviewCards } from '../../renderer/src/features/retro/ReportSummary.tsx';
import { localiser } from '../../shared/i18n/localiser.ts';
import { DEFAULT_TARGETS } from '../../shared/contract.ts';
import type { Transport } from '../../renderer/src/lib/transport.ts';
import type { RetroReportView } from '../../shared/retro/types.ts';

const initial = appStore.getState();
appStore.getInitialState = () => appStore.getState();
beforeEach(() => appStore.setState(initial, true));
const noTransport = { request: () => new Promise(() => undefined) } as unknown as Transport;

function report(gmvTargetFen: number | null, gmvTargetSource: 'show' | 'room' | null): RetroReportView {
  const sales = { gmvFen: 6_000_000, gmvTargetFen, gmvTargetSource, attainment: gmvTargetFen ? 6_000_000 / gmvTargetFen : null, vsPrevious: null, orders: 10, ctr: { value: 0.05, target: 0.04, status: 'met' }, clickToOrder: { value: 0.04, target: 0.035, status: 'met' } };
  return {
    session: { sessionId: 's1', roomId: 'r', platform: 'sim', title: 't', startedAt: 0, endedAt: 1 },
    headline: { items: [], callouts: [], previousSessions: [] },
    review: {
      sales,
      reach: { pv: 0, uv: null, peakOnline: null, avgOnline: null, avgWatchSec: null, shares: 0, likes: 0, comments: 0, naturalShare: null },
      audience: { newFollowers: 0, followRate: null, fansclubJoins: 0, fansclubRate: null, buyers: null, returningViewers: null, returningNote: '' },
      roi: { adSpendFen: 0, adGmvFen: 0, roi: null, adRoi: null, roiTarget: 3, breakEvenRoi: null, margin: null, profitFen: null, assumptionsZh: [], assumptionsEn: [] },
    },
  } as unknown as RetroReportView;
}

describe('GMV targets on the screens', () => {
  it('sets the room’s GMV target in the settings, with the other targets, in yuan', () => {
    appStore.setState({ settingsOpen: true, selectedRoomId: 'r', targets: { ...DEFAULT_TARGETS, gmvFen: 8_000_000 } });
    const html = renderToStaticMarkup(<SettingsDialog transport={noTransport} />);
    expect(html).toContain('成交目标（元/场，空 = 不设）');
    expect(html).toMatch(/<input[^>]*data-testid="target-gmvFen"[^>]*value="80000"/);
  });

  it('shows whose target the show is judged against, and its attainment', () => {
    const html = renderToStaticMarkup(<ReviewCards r={report(8_000_000, 'room')} i18n={localiser('zh-CN')} />);
    expect(html).toContain('<dt>成交目标</dt><dd>¥8万（直播间目标）</dd>');
    expect(html).toContain('<dt>达成率</dt><dd>75.0%</dd>');
    const en = renderToStaticMarkup(<ReviewCards r={report(10_000_000, 'show')} i18n={localiser('en')} />);
    expect(en).toContain("<dt>GMV target</dt><dd>¥100K (this show&#x27;s)</dd>");
    expect(en).toContain('<dt>Attainment</dt><dd>60.0%</dd>');
    const none = renderToStaticMarkup(<ReviewCards r={report(null, null)} i18n={localiser('zh-CN')} />);
    expect(none).toContain('<dt>达成率</dt><dd>—</dd>');
    // The audience card's note is in the reader's language too (it was English on the Chinese screen).
    expect(none).toContain('数据源不提供哪些观众是回访的');
    expect(none).not.toContain('the feed does not say');
  });

  it('edits the show’s own target on the report; clearing it is offered only when it has one', () => {
    const own = renderToStaticMarkup(<TargetEditor r={report(10_000_000, 'show')} transport={noTransport} />);
    expect(own).toMatch(/data-testid="show-target-input"[^>]*value="100000"/);
    expect(own).toContain('data-testid="show-target-clear"');
    const room = renderToStaticMarkup(<TargetEditor r={report(8_000_000, 'room')} transport={noTransport} />);
    expect(room).toMatch(/data-testid="show-target-input"[^>]*value=""/);
    expect(room).not.toContain('show-target-clear');
  });
});
