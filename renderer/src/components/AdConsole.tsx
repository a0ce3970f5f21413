import { minuteLabel } from '../../../shared/minutes.ts';
import { useState } from 'react';
import { useStore } from 'zustand';
import { useApp, useT } from '../lib/hooks.ts';
import { adUi, parseBudgetYuan, sendAdAction } from '../lib/ad-actions.ts';
import { adChange, adWho } from '../lib/ad-marks.ts';
import { AdChart } from './AdChart.tsx';
import { DASH, formatCount, formatMoneyFen, formatRate, isDateTs, type Locale } from '../../../shared/format.ts';
import { fill } from '../../../shared/suggest/reasons.ts';
import { renderAdReasons } from '../../../shared/ads/reasons.ts';
import type { MessageKey } from '../../../shared/i18n/messages.ts';
import type { AdConsoleView, AdPlanView, RoomAdFigures } from '../../../shared/ads/console.ts';
import type { RoomEconomics } from '../../../shared/ads/economics.ts';
import type { Transport } from '../lib/transport.ts';

/**
 * The ad buyer's console (投放, PRODUCT.md A1–A4) for the selected room: the room's figures for
 * the show and the last few minutes against break-even and target; the chart with the action
 * marks; per plan the advisor's raise/hold/cut with one-click apply and the manual controls; the
 * action log; and the economics behind break-even. Everything comes from the core's `ads` push.
 */
export function AdConsole({ transport }: { transport: Transport }) {
  const t = useT();
  const view = useApp((s) => s.ads);
  const status = useApp((s) => s.room?.status ?? null);
  if (!view) {
    return (
      <section className="panel" data-testid="ad-console" data-state="empty">
        <h2>{t('ads.title')}</h2>
        <p className="muted">{status === 'live' || status === 'ended' ? t('ads.noPlans') : t('ads.noShow')}</p>
      </section>
    );
  }
  return (
    <div className="ad-console" data-testid="ad-console" data-state="live">
      {view.ended ? <p className="muted small">{t('ads.ended')}</p> : null}
      <AdSummary view={view} />
      <div className="workspace">
        <div className="main-col">
          <AdChart view={view} />
          <ActionLog view={view} />
        </div>
        <aside className="side-col">
          {view.plans.length === 0 ? <p className="panel muted">{t('ads.noPlans')}</p> : null}
          {view.plans.map((p) => (
            <PlanCard key={p.planId} plan={p} view={view} transport={transport} />
          ))}
          <EconomicsPanel key={view.roomId} view={view} transport={transport} />
        </aside>
      </div>
    </div>
  );
}

function roi2(x: number | null): string {
  return x === null ? '—' : x.toFixed(2);
}

/** Where an ROI stands: below break-even (losing money), profitable but under target, or on target. */
export function roiState(roi: number | null, target: number, breakEven: number | null): 'bad' | 'warn' | 'good' | '' {
  if (roi === null) return '';
  if (breakEven !== null && roi < breakEven) return 'bad';
  return roi < target ? 'warn' : 'good';
}

interface Tile {
  id: string;
  label: MessageKey;
  value: string;
  sub: string;
  state?: string;
  raw?: number | null;
}

/** A1/A2: the room's figures for the show, each with the last few minutes beneath. */
export function AdSummary({ view }: { view: AdConsoleView }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { show, recent } = view;
  const be = view.economics.breakEvenRoi;
  const recentLabel = fill(t('ads.recent'), { n: view.recentMinutes });
  const money = (x: number | null) => formatMoneyFen(x, locale);
  const trend = view.paidShareTrend;
  const beText = be !== null ? be.toFixed(2) : view.economics.noMargin ? t('ads.breakEven.noMargin') : t('ads.breakEven.none');
  const tiles: Tile[] = [
    { id: 'spend', label: 'ads.spend', value: money(show.spendFen), sub: `${recentLabel} ${money(recent.spendPerMinFen)}${t('ads.perMin')}`, raw: show.spendFen },
    { id: 'adGmv', label: 'ads.adGmv', value: money(show.adGmvFen), sub: `${t('ads.gmv')} ${money(show.gmvFen)}`, raw: show.adGmvFen },
    { id: 'roi', label: 'ads.roi', value: roi2(show.roi), sub: `${recentLabel} ${roi2(recent.roi)}`, state: roiState(recent.roi ?? show.roi, view.targetRoi, be), raw: show.roi },
    { id: 'adRoi', label: 'ads.adRoi', value: roi2(show.adRoi), sub: `${recentLabel} ${roi2(recent.adRoi)}`, raw: show.adRoi },
    { id: 'breakEven', label: 'ads.breakEven', value: beText, sub: `${t('ads.target')} ${view.targetRoi.toFixed(2)}`, raw: be },
    { id: 'profit', label: 'ads.profit', value: money(show.profitFen), sub: `${recentLabel} ${money(recent.profitPerMinFen)}${t('ads.perMin')}`, state: show.profitFen === null ? '' : show.profitFen < 0 ? 'bad' : 'good', raw: show.profitFen },
    { id: 'cpm', label: 'ads.cpm', value: money(show.cpmFen), sub: `${recentLabel} ${money(recent.cpmFen)}`, raw: show.cpmFen },
    { id: 'costPerEntry', label: 'ads.costPerEntry', value: formatMoneyFen(show.costPerEntryFen, locale, { precise: true }), sub: `${recentLabel} ${formatMoneyFen(recent.costPerEntryFen, locale, { precise: true })}`, raw: show.costPerEntryFen },
    {
      id: 'paidShare',
      label: 'ads.paidShare',
      value: formatRate(show.paidShare),
      sub: `${recentLabel} ${formatRate(recent.paidShare)}${trend === null ? '' : ` ${trend >= 0 ? '↑' : '↓'}${Math.abs(trend * 100).toFixed(1)}${t('ads.pts')}`}`,
      raw: show.paidShare,
    },
    { id: 'enters', label: 'ads.paidEnters', value: formatCount(show.paidEnters, locale), sub: `${t('ads.organicEnters')} ${formatCount(show.organicEnters, locale)}`, raw: show.paidEnters },
  ];
  return (
    <section className="kpis ad-kpis" aria-label={t('ads.room')} data-testid="ad-summary">
      {tiles.map((tile) => (
        <div key={tile.id} className={`kpi ${tile.state ?? ''}`} data-testid={`ad-kpi-${tile.id}`} data-value={tile.raw ?? ''} data-state={tile.state ?? ''}>
          <div className="kpi-label">{t(tile.label)}</div>
          <div className="kpi-value">{tile.value}</div>
          <div className="kpi-sub">
            <span>{tile.sub}</span>
          </div>
        </div>
      ))}
      <RoiVerdict figures={recent.minutes > 0 ? recent : show} view={view} />
    </section>
  );
}

/** One line: where the last minutes' ROI stands against break-even and target. */
function RoiVerdict({ figures, view }: { figures: RoomAdFigures; view: AdConsoleView }) {
  const t = useT();
  const state = roiState(figures.roi, view.targetRoi, view.economics.breakEvenRoi);
  if (!state) return null;
  const key: MessageKey = state === 'bad' ? 'ads.vsBreakEven.below' : state === 'warn' ? 'ads.vsBreakEven.belowTarget' : 'ads.vsBreakEven.ok';
  const be = view.economics.breakEvenRoi;
  const span = figures.minutes > 0 && figures !== view.show ? fill(t('ads.recent'), { n: figures.minutes }) : t('ads.show');
  return (
    <div className={`ad-verdict ${state}`} data-testid="ad-verdict" data-state={state}>
      {span} {t('ads.roi')} <b>{roi2(figures.roi)}</b> · {t(key)} · {t('ads.target')} {view.targetRoi.toFixed(2)}
      {be !== null ? ` · ${t('ads.breakEven')} ${be.toFixed(2)}` : ''}
    </div>
  );
}

/** A1/A3/A4 per plan: its figures, the advisor's card with one-click apply, and the manual controls. */
export function PlanCard({ plan, view, transport }: { plan: AdPlanView; view: AdConsoleView; transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const ui = useStore(adUi);
  const [budget, setBudget] = useState('');
  const [reason, setReason] = useState('');
  const [bad, setBad] = useState(false);
  const busy = ui.sendingPlan !== null;
  const canSend = view.commandsSupported && !view.ended;
  const money = (x: number | null) => formatMoneyFen(x, locale);
  const a = plan.advice;
  const actionable = a !== null && a.action !== 'hold' && a.suggestedBudgetFenPerMin !== null && a.suggestedBudgetFenPerMin !== a.budgetFenPerMin;
  const send = async (args: Parameters<typeof sendAdAction>[1]) => {
    if (await sendAdAction(transport, { ...args, reason })) {
      setReason('');
      setBudget('');
    }
  };
  const submitBudget = () => {
    const fen = parseBudgetYuan(budget);
    setBad(fen === null);
    if (fen !== null) void send({ planId: plan.planId, type: 'adBudget', budgetFenPerMin: fen });
  };
  return (
    <section
      className={`panel ad-plan${plan.paused ? ' paused' : ''}`}
      data-testid={`ad-plan-${plan.planId}`}
      data-budget={plan.budgetFenPerMin ?? ''}
      // The budget the relay's own `ad` events last reported: proof a change reached the platform.
      data-reported-budget={plan.series.budgetFenPerMin.at(-1) ?? ''}
      data-paused={plan.paused ? '1' : '0'}
    >
      <h2>
        <span className="ellipsis">
          {t('ads.plan')} {plan.planId}
        </span>
        <span className={`plan-status ${plan.paused ? 'behind' : 'onPlan'}`}>{t(plan.paused ? 'ads.paused' : 'ads.running')}</span>
      </h2>
      <div className="ad-plan-budget">
        {t('ads.budget')} <b data-testid="ad-plan-budget">{money(plan.budgetFenPerMin)}</b>
        {t('ads.perMin')}
      </div>
      <table className="ad-figs">
        <thead>
          <tr>
            <th />
            <th>{fill(t('ads.recent'), { n: plan.recent.minutes })}</th>
            <th>{t('ads.show')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{t('ads.spendPerMin')}</td>
            <td>{money(plan.recent.spendPerMinFen)}</td>
            <td>{money(plan.show.spendPerMinFen)}</td>
          </tr>
          <tr>
            <td>{t('ads.spend')}</td>
            <td>{money(plan.recent.spendFen)}</td>
            <td>{money(plan.show.spendFen)}</td>
          </tr>
          <tr>
            <td>{t('ads.cpm')}</td>
            <td>{money(plan.recent.cpmFen)}</td>
            <td>{money(plan.show.cpmFen)}</td>
          </tr>
          <tr>
            <td>{t('ads.costPerEntry')}</td>
            <td>{formatMoneyFen(plan.recent.costPerEntryFen, locale, { precise: true })}</td>
            <td>{formatMoneyFen(plan.show.costPerEntryFen, locale, { precise: true })}</td>
          </tr>
          <tr>
            <td>{t('ads.paidEnters')}</td>
            <td>{formatCount(plan.recent.paidEnters, locale)}</td>
            <td>{formatCount(plan.show.paidEnters, locale)}</td>
          </tr>
          <tr>
            <td>{t('ads.adGmv')}</td>
            <td>{money(plan.recent.adGmvFen)}</td>
            <td>{money(plan.show.adGmvFen)}</td>
          </tr>
          <tr>
            <td>{t('ads.adRoi')}</td>
            <td className={roiState(plan.recent.adRoi, view.targetRoi, view.economics.breakEvenRoi)}>{roi2(plan.recent.adRoi)}</td>
            <td className={roiState(plan.show.adRoi, view.targetRoi, view.economics.breakEvenRoi)}>{roi2(plan.show.adRoi)}</td>
          </tr>
        </tbody>
      </table>

      <div className={`ad-advice ${a?.action ?? 'hold'}`} data-testid="ad-advice" data-action={a?.action ?? ''} data-suggested={a?.suggestedBudgetFenPerMin ?? ''}>
        <div className="sg-head">
          <span className="sg-kind">{a ? t(`ads.advice.${a.action}`) : t('ads.advice')}</span>
          {a?.marginalRoi !== null && a?.marginalRoi !== undefined ? (
            <span className="sg-value">
              {t('ads.advice.marginal')} {a.marginalRoi.toFixed(2)}
            </span>
          ) : null}
        </div>
        {a?.pending ? (
          <div className="sg-pending muted small" data-testid="ad-advice-pending">
            {fill(t('ads.advice.pending'), { action: t(`ads.advice.${a.pending.action}`), n: a.pending.minutes, needed: a.pending.needed })}
          </div>
        ) : null}
        {a && actionable ? (
          <div className="sg-main">{fill(t('ads.advice.budget'), { from: money(a.budgetFenPerMin), to: money(a.suggestedBudgetFenPerMin) })}</div>
        ) : null}
        <div className="sg-reasons" data-testid="ad-advice-reasons">
          {a ? renderAdReasons(a.reasons, locale) : t('ads.advice.none')}
        </div>
        {a && actionable && a.expectedGmvDeltaFenPerMin !== null ? (
          <div className="sg-reasons">{fill(t('ads.advice.effect'), { gmv: signedMoney(a.expectedGmvDeltaFenPerMin, locale), profit: a.expectedProfitDeltaFenPerMin === null ? '—' : signedMoney(a.expectedProfitDeltaFenPerMin, locale) })}</div>
        ) : null}
        {a && actionable ? (
          <div className="sg-actions">
            <button className="primary" data-testid="ad-apply" disabled={!canSend || busy} title={view.commandsSupported ? '' : t('ads.noCommands')} onClick={() => void send({ planId: plan.planId, type: 'adBudget', budgetFenPerMin: a.suggestedBudgetFenPerMin!, followedAdvice: true })}>
              {t('ads.apply')}
            </button>
          </div>
        ) : null}
      </div>

      <div className="ad-controls">
        <div className="ad-row">
          <input
            data-testid="ad-budget-input"
            inputMode="decimal"
            placeholder={t('ads.budgetYuan')}
            aria-label={t('ads.budgetYuan')}
            value={budget}
            onChange={(e) => setBudget(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') submitBudget();
            }}
          />
          <button data-testid="ad-set-budget" disabled={!canSend || busy} onClick={submitBudget}>
            {t('ads.setBudget')}
          </button>
          {plan.paused ? (
            <button data-testid="ad-resume" disabled={!canSend || busy} onClick={() => void send({ planId: plan.planId, type: 'adResume' })}>
              {t('ads.resume')}
            </button>
          ) : (
            <button data-testid="ad-pause" disabled={!canSend || busy} onClick={() => void send({ planId: plan.planId, type: 'adPause' })}>
              {t('ads.pause')}
            </button>
          )}
        </div>
        <input className="ad-reason" data-testid="ad-reason-input" placeholder={t('ads.reason')} aria-label={t('ads.reason')} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        {!view.commandsSupported ? <p className="muted small">{t('ads.noCommands')}</p> : null}
        {bad ? <p className="bad small">{t('ads.badBudget')}</p> : null}
        {ui.error[plan.planId] ? (
          <p className="bad small" role="alert">
            {t('ads.failed')}: {ui.error[plan.planId]}
          </p>
        ) : null}
        {ui.sentId[plan.planId] && plan.advice?.reasons.some((r) => r.code === 'settling') ? <p className="good small">{t('ads.sent')}</p> : null}
      </div>
    </section>
  );
}

function signedMoney(fen: number, locale: Locale): string {
  return (fen > 0 ? '+' : fen < 0 ? '−' : '±') + formatMoneyFen(Math.abs(fen), locale);
}

function clock(at: number): string {
  if (!isDateTs(at)) return DASH;
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** A4: every budget change, pause and resume of the show, newest first: when, who, what, why. */
export function ActionLog({ view }: { view: AdConsoleView }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const rows = [...view.actions].reverse();
  return (
    <section className="panel ad-log" data-testid="ad-log" data-count={view.actions.length}>
      <h2>{t('ads.log')}</h2>
      {rows.length === 0 ? (
        <p className="muted small">{t('ads.log.none')}</p>
      ) : (
        <div className="board-scroll">
          <table>
            <thead>
              <tr>
                <th className="left">{t('ads.log.time')}</th>
                <th className="left">{t('ads.plan')}</th>
                <th className="left">{t('ads.log.change')}</th>
                <th className="left">{t('ads.log.who')}</th>
                <th className="left">{t('ads.log.why')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id} data-testid="ad-log-row" data-type={a.type} data-after={a.after ?? ''}>
                  <td className="left">
                    {minuteLabel(Math.max(0, Math.floor((a.ts - view.startedAt) / 60_000)), locale)} <span className="muted small">{clock(a.at)}</span>
                  </td>
                  <td className="left ellipsis">{a.planId}</td>
                  <td className="left">
                    <b>{t(`ads.action.${a.type}`)}</b> {a.type === 'adBudget' ? adChange(a, locale) : ''}
                  </td>
                  <td className="left">{adWho(a, locale)}</td>
                  <td className="left ad-why">
                    <span className={`tag ${a.source === 'advice' ? 'now' : 'skipped'}`}>{t(`ads.source.${a.source}`)}</span> {a.reason ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function pct(x: number): string {
  return String(Math.round(x * 10_000) / 100);
}

/** A2: the team's economics — fee, refunds (or learned), cost per product — and what they make of break-even. */
export function EconomicsPanel({ view, transport }: { view: AdConsoleView; transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const e = view.economics;
  const [fee, setFee] = useState(pct(e.settings.feeRate));
  const [refund, setRefund] = useState(e.settings.refundRate === null ? '' : pct(e.settings.refundRate));
  const [costs, setCosts] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(e.settings.costOverrides).map(([k, v]) => [k, String(v / 100)])));
  const [state, setState] = useState<'idle' | 'saved' | string>('idle');
  const save = async () => {
    const feeRate = Number(fee) / 100;
    const refundRate = refund.trim() === '' ? null : Number(refund) / 100;
    const costOverrides: Record<string, number> = {};
    for (const [id, v] of Object.entries(costs)) {
      if (v.trim() === '') continue;
      const fen = parseBudgetYuan(v);
      if (fen === null) return setState(`${id}: ${v}`);
      costOverrides[id] = fen;
    }
    if (!Number.isFinite(feeRate) || fee.trim() === '' || (refundRate !== null && !Number.isFinite(refundRate))) return setState(`${fee} / ${refund}`);
    const economics: RoomEconomics = { feeRate, refundRate, costOverrides };
    const r = await transport.request('setEconomics', { roomId: view.roomId, economics });
    setState(r.ok ? 'saved' : r.error);
  };
  const refundNote =
    e.refundSource === 'learned' && e.learned
      ? fill(t('ads.econ.refund.learned'), { n: e.learned.sessions, refunded: formatMoneyFen(e.learned.refundedFen, locale), paid: formatMoneyFen(e.learned.paidFen, locale) })
      : t(`ads.econ.refund.${e.refundSource}`);
  return (
    <section className="panel ad-econ" data-testid="ad-economics" data-break-even={e.breakEvenRoi ?? ''} data-refund-source={e.refundSource}>
      <h2>{t('ads.econ.title')}</h2>
      <div className="ad-econ-head">
        <div>
          {t('ads.breakEven')} <b data-testid="ad-econ-break-even">{e.breakEvenRoi !== null ? e.breakEvenRoi.toFixed(2) : e.noMargin ? t('ads.breakEven.noMargin') : t('ads.breakEven.none')}</b>
        </div>
        <div>
          {t('ads.econ.margin')} <b>{formatRate(e.margin)}</b> <span className="muted small">{e.marginBasis ? t(`ads.econ.basis.${e.marginBasis}`) : ''}</span>
        </div>
        <div className="muted small">
          {t('ads.econ.refundShown')} {formatRate(e.refundRate)} · {refundNote}
        </div>
        {e.missingCosts > 0 ? <div className="warn small">{fill(t('ads.econ.missing'), { n: e.missingCosts })}</div> : null}
        {e.noMargin ? <div className="bad small">{t('ads.econ.noMargin')}</div> : null}
        <div className="muted small">{t('ads.econ.formula')}</div>
      </div>
      <div className="form-grid">
        <label>
          {t('ads.econ.fee')}
          <input type="number" min={0} max={90} step={0.1} data-testid="ad-econ-fee" value={fee} onChange={(ev) => setFee(ev.target.value)} />
        </label>
        <label>
          {t('ads.econ.refund')}
          <input type="number" min={0} max={95} step={0.1} data-testid="ad-econ-refund" placeholder={t('ads.econ.refundHint')} value={refund} onChange={(ev) => setRefund(ev.target.value)} />
        </label>
      </div>
      <div className="ad-econ-products">
        <table>
          <thead>
            <tr>
              <th className="left">{t('ads.econ.product')}</th>
              <th>{t('ads.econ.price')}</th>
              <th>{t('ads.econ.cost')}</th>
              <th>{t('ads.econ.productMargin')}</th>
            </tr>
          </thead>
          <tbody>
            {e.products.map((p) => (
              <tr key={p.productId}>
                <td className="left ellipsis" title={p.title}>
                  {p.title}
                </td>
                <td>{formatMoneyFen(p.priceFen, locale)}</td>
                <td>
                  <input
                    className="ad-cost"
                    inputMode="decimal"
                    data-testid={`ad-econ-cost-${p.productId}`}
                    placeholder={p.catalogCostFen === null ? '—' : String(p.catalogCostFen / 100)}
                    value={costs[p.productId] ?? ''}
                    onChange={(ev) => setCosts({ ...costs, [p.productId]: ev.target.value })}
                  />
                </td>
                <td className={p.margin !== null && p.margin <= 0 ? 'bad' : ''}>{formatRate(p.margin)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="sg-actions">
        <button className="primary" data-testid="ad-econ-save" onClick={() => void save()}>
          {t('ads.econ.save')}
        </button>
        {state === 'saved' ? <span className="good small">{t('ads.econ.saved')}</span> : state !== 'idle' ? <span className="bad small">{state}</span> : null}
      </div>
    </section>
  );
}
