import { useApp, useT } from '../../lib/hooks.ts';
import { formatCount, formatMoneyFen, formatRate } from '../../../../shared/format.ts';
import { fill } from '../../../../shared/suggest/reasons.ts';
import { adVerdicts, roiState, type AdVerdict } from '../../../../shared/ads/verdict.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';
import type { AdConsoleView } from '../../../../shared/ads/console.ts';

export function roi2(x: number | null): string {
  return x === null ? '—' : x.toFixed(2);
}

/** A figure with the state it is coloured by: its own, never another horizon's. */
interface Fig {
  text: string;
  state?: string;
}

interface Tile {
  id: string;
  label: MessageKey;
  /** the whole show */
  show: Fig;
  /** the last complete minutes (null: the tile's second line is not a horizon, `note` says what it is) */
  recent: Fig | null;
  note?: string;
  /** what the figure covers, on hover */
  hint?: MessageKey;
  raw: number | null;
}

function profitState(fen: number | null): string {
  return fen === null ? '' : fen < 0 ? 'bad' : 'good';
}

/**
 * The room's figures, each tile the whole show (全场) with the last few minutes beneath,
 * both horizons named and each coloured by its own figure; then one verdict per horizon.
 */
export function AdSummary({ view }: { view: AdConsoleView }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { show, recent } = view;
  const be = view.economics.breakEvenRoi;
  const money = (x: number | null) => formatMoneyFen(x, locale);
  const perMin = (x: number | null) => `${money(x)}${t('ads.perMin')}`;
  const roiFig = (x: number | null): Fig => ({ text: roi2(x), state: roiState(x, view.targetRoi, be) });
  const trend = view.paidShareTrend;
  const beText = be !== null ? be.toFixed(2) : view.economics.noMargin ? t('ads.breakEven.noMargin') : t('ads.breakEven.none');
  const tiles: Tile[] = [
    { id: 'spend', label: 'ads.spend', show: { text: money(show.spendFen) }, recent: { text: perMin(recent.spendPerMinFen) }, raw: show.spendFen },
    { id: 'adGmv', label: 'ads.adGmv', show: { text: money(show.adGmvFen) }, recent: { text: money(recent.adGmvFen) }, raw: show.adGmvFen },
    { id: 'adRoi', label: 'ads.adRoi', show: roiFig(show.adRoi), recent: roiFig(recent.adRoi), raw: show.adRoi },
    { id: 'roi', label: 'ads.roi', show: roiFig(show.roi), recent: roiFig(recent.roi), raw: show.roi },
    { id: 'breakEven', label: 'ads.breakEven', show: { text: beText }, recent: null, note: `${t('ads.target')} ${view.targetRoi.toFixed(2)}`, raw: be },
    { id: 'profit', label: 'ads.profit', show: { text: money(show.profitFen), state: profitState(show.profitFen) }, recent: { text: perMin(recent.profitPerMinFen), state: profitState(recent.profitPerMinFen) }, hint: 'ads.profit.hint', raw: show.profitFen },
    { id: 'cpm', label: 'ads.cpm', show: { text: money(show.cpmFen) }, recent: { text: money(recent.cpmFen) }, raw: show.cpmFen },
    { id: 'costPerEntry', label: 'ads.costPerEntry', show: { text: formatMoneyFen(show.costPerEntryFen, locale, { precise: true }) }, recent: { text: formatMoneyFen(recent.costPerEntryFen, locale, { precise: true }) }, raw: show.costPerEntryFen },
    {
      id: 'paidShare',
      label: 'ads.paidShare',
      show: { text: formatRate(show.paidShare) },
      recent: { text: `${formatRate(recent.paidShare)}${trend === null ? '' : ` ${trend >= 0 ? '↑' : '↓'}${Math.abs(trend * 100).toFixed(1)}${t('ads.pts')}`}` },
      raw: show.paidShare,
    },
    { id: 'enters', label: 'ads.paidEnters', show: { text: formatCount(show.paidEnters, locale) }, recent: { text: formatCount(recent.paidEnters, locale) }, raw: show.paidEnters },
  ];
  const recentLabel = fill(t('ads.recent'), { n: view.recentMinutes });
  return (
    <>
      <section className="kpis ad-kpis" aria-label={t('ads.room')} data-testid="ad-summary">
        {tiles.map((tile) => (
          <div key={tile.id} className={`kpi ${tile.show.state ?? ''}`} data-testid={`ad-kpi-${tile.id}`} data-value={tile.raw ?? ''} data-state={tile.show.state ?? ''} data-recent-state={tile.recent?.state ?? ''}>
            <div className="kpi-label" title={tile.hint ? t(tile.hint) : undefined}>
              {t(tile.label)}
              {tile.recent ? <span className="horizon">{t('ads.show')}</span> : null}
            </div>
            <div className="kpi-value">{tile.show.text}</div>
            <div className="kpi-sub">
              {tile.recent ? (
                <span>
                  {recentLabel} <span className={tile.recent.state ?? ''}>{tile.recent.text}</span>
                </span>
              ) : (
                <span>{tile.note}</span>
              )}
            </div>
          </div>
        ))}
      </section>
      <div className="ad-verdicts" data-testid="ad-verdicts">
        {adVerdicts(view).map((v) => (
          <Verdict key={v.horizon} v={v} view={view} />
        ))}
      </div>
    </>
  );
}

/** "近5分钟 广告支付ROI 1.44 · 低于保本：投放在亏钱 · 目标ROI 3.00 · 保本ROI 1.83 · 整体支付ROI 9.93（含自然成交，不作判断）" */
function Verdict({ v, view }: { v: AdVerdict; view: AdConsoleView }) {
  const t = useT();
  const key: MessageKey = v.state === 'bad' ? 'ads.vsBreakEven.below' : v.state === 'warn' ? 'ads.vsBreakEven.belowTarget' : 'ads.vsBreakEven.ok';
  const be = view.economics.breakEvenRoi;
  const span = v.horizon === 'recent' ? fill(t('ads.recent'), { n: v.minutes }) : t('ads.show');
  return (
    <div className={`ad-verdict ${v.state}`} data-testid={`ad-verdict-${v.horizon}`} data-state={v.state} data-ad-roi={v.adRoi ?? ''}>
      <b>{span}</b> {t('ads.adRoi')} <b>{roi2(v.adRoi)}</b> · {t(key)} · {t('ads.target')} {view.targetRoi.toFixed(2)}
      {be !== null ? ` · ${t('ads.breakEven')} ${be.toFixed(2)}` : ''}
      <span className="muted"> · {fill(t('ads.verdict.overall'), { roi: roi2(v.roi) })}</span>
    </div>
  );
}
