import { minuteLabel } from '../../../../shared/minutes.ts';
import { minuteIndex } from '../../../../shared/metrics/window.ts';
import { useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useApp, useCan, useT } from '../../lib/hooks.ts';
import { adUi, parseBudgetYuan, sendAdAction } from './ad-actions.ts';
import { adChange, adWho, economicsChangeText } from './ad-marks.ts';
import { AdChart } from './AdChart.tsx';
import { AdSummary } from './AdSummary.tsx';
import { EconomicsPanel } from './AdEconomics.tsx';
import { PlatformPlanCard } from './PlatformPlanCard.tsx';
import { PlanFigures } from './PlanFigures.tsx';
import { GuardRailsPanel } from './GuardRails.tsx';
import { previewRevert } from './plan-change-ui.ts';
import { DASH, MINUS, formatMoneyFen, isDateTs, type Locale } from '../../../../shared/format.ts';
import { fill } from '../../../../shared/suggest/reasons.ts';
import { renderAdReasons, renderSignalReasons } from '../../../../shared/ads/reasons.ts';
import type { AdConsoleView, AdPlanView } from '../../../../shared/ads/console.ts';
import type { Transport } from '../../lib/transport.ts';

/**
 * The ad buyer's console (投放) for the selected room: the room's figures for
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
          <ActionLog view={view} transport={transport} />
        </div>
        <aside className="side-col">
          {view.plans.length === 0 ? <p className="panel muted">{t('ads.noPlans')}</p> : null}
          {view.plans.map((p) =>
            p.platform ? <PlatformPlanCard key={p.planId} plan={{ ...p, platform: p.platform }} view={view} transport={transport} /> : <PlanCard key={p.planId} plan={p} view={view} transport={transport} />,
          )}
          {view.plans.some((p) => p.platform) ? <GuardRailsPanel key={`rails-${view.roomId}`} roomId={view.roomId} transport={transport} /> : null}
          <EconomicsPanel key={view.roomId} view={view} transport={transport} />
        </aside>
      </div>
    </div>
  );
}

/** The ad console per plan: its figures, the advisor's card with one-click apply, and the manual controls. */
export function PlanCard({ plan, view, transport }: { plan: AdPlanView; view: AdConsoleView; transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const ui = useStore(adUi);
  // The 投手's controls; another role reads the plan only.
  const mayChange = useCan('adAction');
  const [budget, setBudget] = useState('');
  const [reason, setReason] = useState('');
  const send = async (args: Parameters<typeof sendAdAction>[1]) => {
    if (await sendAdAction(transport, { ...args, reason })) {
      setReason('');
      setBudget('');
    }
  };
  const canSend = view.commandsSupported && !view.ended && ui.sendingPlan === null;
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
        {t('ads.budget')} <b data-testid="ad-plan-budget">{formatMoneyFen(plan.budgetFenPerMin, locale)}</b>
        {t('ads.perMin')}
      </div>
      <PlanFigures plan={plan} view={view} />
      <PlanAdvice plan={plan} view={view} canSend={canSend && mayChange} onApply={(fen) => void send({ planId: plan.planId, type: 'adBudget', budgetFenPerMin: fen, followedAdvice: true })} />
      {mayChange ? <PlanControls plan={plan} view={view} canSend={canSend} budget={budget} setBudget={setBudget} reason={reason} setReason={setReason} send={(args) => void send(args)} /> : null}
    </section>
  );
}

/** The advisor's verdict for the plan: what it would do, why, what it is waiting for, and one click to apply it. */
function PlanAdvice({ plan, view, canSend, onApply }: { plan: AdPlanView; view: AdConsoleView; canSend: boolean; onApply: (budgetFenPerMin: number) => void }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const money = (x: number | null) => formatMoneyFen(x, locale);
  const a = plan.advice;
  const actionable = a !== null && a.action !== 'hold' && a.suggestedBudgetFenPerMin !== null && a.suggestedBudgetFenPerMin !== a.budgetFenPerMin;
  return (
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
        <div className="sg-pending muted small" data-testid="ad-advice-pending" data-action={a.pending.action}>
          {fill(t('ads.advice.pending'), { action: t(`ads.advice.${a.pending.action}`), n: a.pending.minutes, needed: a.pending.needed })}
          {a.pending.reasons?.length ? ` · ${t('ads.advice.pendingWhy')}：${renderSignalReasons(a.pending.reasons, locale)}` : ''}
        </div>
      ) : null}
      {a && actionable ? <div className="sg-main">{fill(t('ads.advice.budget'), { from: money(a.budgetFenPerMin), to: money(a.suggestedBudgetFenPerMin) })}</div> : null}
      <div className="sg-reasons" data-testid="ad-advice-reasons">
        {a ? renderAdReasons(a.reasons, locale) : t('ads.advice.none')}
      </div>
      {a && actionable && a.expectedGmvDeltaFenPerMin !== null ? (
        <div className="sg-reasons">{fill(t('ads.advice.effect'), { gmv: signedMoney(a.expectedGmvDeltaFenPerMin, locale), profit: a.expectedProfitDeltaFenPerMin === null ? '—' : signedMoney(a.expectedProfitDeltaFenPerMin, locale) })}</div>
      ) : null}
      {a && actionable ? (
        <div className="sg-actions">
          <button className="primary" data-testid="ad-apply" disabled={!canSend} title={view.commandsSupported ? '' : t('ads.noCommands')} onClick={() => onApply(a.suggestedBudgetFenPerMin!)}>
            {t('ads.apply')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

interface ControlProps {
  plan: AdPlanView;
  view: AdConsoleView;
  canSend: boolean;
  budget: string;
  setBudget: (v: string) => void;
  reason: string;
  setReason: (v: string) => void;
  send: (args: Parameters<typeof sendAdAction>[1]) => void;
}

/** The buyer's own hand on the plan: a budget in yuan per minute, pause or resume, and why. */
function PlanControls({ plan, view, canSend, budget, setBudget, reason, setReason, send }: ControlProps) {
  const t = useT();
  const ui = useStore(adUi);
  const [bad, setBad] = useState(false);
  const submitBudget = () => {
    const fen = parseBudgetYuan(budget);
    setBad(fen === null);
    if (fen !== null) send({ planId: plan.planId, type: 'adBudget', budgetFenPerMin: fen });
  };
  return (
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
        <button data-testid="ad-set-budget" disabled={!canSend} onClick={submitBudget}>
          {t('ads.setBudget')}
        </button>
        {plan.paused ? (
          <button data-testid="ad-resume" disabled={!canSend} onClick={() => send({ planId: plan.planId, type: 'adResume' })}>
            {t('ads.resume')}
          </button>
        ) : (
          <button data-testid="ad-pause" disabled={!canSend} onClick={() => send({ planId: plan.planId, type: 'adPause' })}>
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
  );
}

function signedMoney(fen: number, locale: Locale): string {
  return (fen > 0 ? '+' : fen < 0 ? MINUS : '±') + formatMoneyFen(Math.abs(fen), locale);
}

function clock(at: number): string {
  if (!isDateTs(at)) return DASH;
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Every budget change, pause and resume of the show, and every change of the economics, newest first: when, who, what, why. */
export function ActionLog({ view, transport }: { view: AdConsoleView; transport?: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const changes = view.economicsChanges ?? [];
  const titles = new Map(view.economics.products.map((p) => [p.productId, p.title]));
  type Row = { at: number; ts: number; node: ReactNode };
  const minute = (ts: number) => minuteLabel(minuteIndex(ts, view.startedAt), locale);
  const rows: Row[] = [
    ...view.actions.map((a) => ({
      at: a.at,
      ts: a.ts,
      node: (
        <tr key={a.id} data-testid="ad-log-row" data-type={a.type} data-after={a.after ?? ''}>
          <td className="left">
            {minute(a.ts)} <span className="muted small">{clock(a.at)}</span>
          </td>
          <td className="left ellipsis">{a.planId}</td>
          <td className="left">
            <b>{t(`ads.action.${a.type}`)}</b> {a.type === 'adBudget' || a.type === 'adDailyBudget' || a.type === 'adBid' || a.type === 'adRoiGoal' ? adChange(a, locale) : ''}
            {a.result === 'confirmed' || a.result === 'refused' || a.result === 'unconfirmed' ? (
              <span className={`tag ${a.result === 'confirmed' ? 'now' : 'behind'}`} data-testid="ad-log-result" data-result={a.result} title={[a.answer, a.requestId ? `request_id ${a.requestId}` : ''].filter(Boolean).join(' · ')}>
                {t(`pc.outcome.${a.result}`)}
              </span>
            ) : null}
          </td>
          <td className="left">{adWho(a, locale)}</td>
          <td className="left ad-why">
            <span className={`tag ${a.source === 'advice' ? 'now' : 'skipped'}`}>{t(`ads.source.${a.source}`)}</span> {a.reason ?? ''}
            {(a.result === 'confirmed' || a.result === 'unconfirmed') && !view.ended && transport ? (
              <button className="revert" data-testid="ad-log-revert" onClick={() => void previewRevert(transport, a.planId, { roomId: view.roomId, actionId: a.id })}>
                {t('pc.revert')}
              </button>
            ) : null}
          </td>
        </tr>
      ),
    })),
    ...changes.map((c) => ({
      at: c.at,
      ts: c.ts ?? view.startedAt,
      node: (
        <tr key={c.id} data-testid="ad-log-row" data-type="economics">
          <td className="left">
            {minute(c.ts ?? view.startedAt)} <span className="muted small">{clock(c.at)}</span>
          </td>
          <td className="left muted">—</td>
          <td className="left">
            <b>{t('ads.action.economics')}</b> {economicsChangeText(c, titles, locale)}
          </td>
          <td className="left">{adWho(c, locale)}</td>
          <td className="left ad-why" />
        </tr>
      ),
    })),
  ].sort((a, b) => b.ts - a.ts || b.at - a.at);
  return (
    <section className="panel ad-log" data-testid="ad-log" data-count={rows.length}>
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
            <tbody>{rows.map((r) => r.node)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}
