import { useState } from 'react';
import { useStore } from 'zustand';
import { useApp, useCan, useT } from '../../lib/hooks.ts';
import { DASH, formatDateTime, formatMoneyFen, type Locale } from '../../../../shared/format.ts';
import type { AdConsoleView, AdPlanView, PlatformPlanView } from '../../../../shared/ads/console.ts';
import type { PlatformLogEntry } from '../../../../shared/contract.ts';
import { isGmvMaxKind, type PlanChangeField, type PlanChangePreview } from '../../../../shared/ads/plan-changes.ts';
import type { Transport } from '../../lib/transport.ts';
import { PlanFigures } from './PlanFigures.tsx';
import { applyChange, cancelPreview, parseChangeValue, planChangeUi, planState, previewChange, problemText, type PlanChangeState } from './plan-change-ui.ts';

/**
 * A plan that runs on the platform (千川): its settings as last read, its figures, and changes
 * made on the platform itself — previewed (limits, guard rails, how long a budget lasts),
 * confirmed, and answered plan by plan as the platform answered.
 */
export function PlatformPlanCard({ plan, view, transport }: { plan: AdPlanView & { platform: PlatformPlanView }; view: AdConsoleView; transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const p = plan.platform;
  const mayChange = useCan('adPlanApply');
  const money = (x: number | null) => formatMoneyFen(x, locale, { precise: true, currency: p.currency });
  const gmv = p.kind === 'gmvMax' || p.kind === 'gmvMaxSession';
  return (
    <section
      className={`panel ad-plan${p.status === 'paused' ? ' paused' : ''}`}
      data-testid={`ad-plan-${plan.planId}`}
      data-platform={gmv ? 'gmv-max' : 'qianchuan'}
      data-currency={p.currency ?? ''}
      data-status={p.status}
      data-daily-budget={p.dailyBudgetFen ?? ''}
      data-bid={p.bidFen ?? ''}
      data-roi-goal={p.roiGoal ?? ''}
    >
      <h2>
        <span className="ellipsis" title={plan.planId}>
          {p.name}
        </span>
        <span className={`plan-status ${p.status === 'delivering' ? 'onPlan' : 'behind'}`} data-testid="pc-status">
          {t(`pc.status.${p.status}`)}
        </span>
      </h2>
      <div className="muted small">
        {t(`pc.kind.${p.kind}`)} · {plan.planId}
      </div>
      <div className="pc-settings" data-testid="pc-settings">
        <span>
          {t('pc.dailyBudget')} <b data-testid="pc-daily-budget">{money(p.dailyBudgetFen)}</b>
        </span>
        {gmv ? null : (
          <span>
            {t('pc.bid')} <b>{money(p.bidFen)}</b>
          </span>
        )}
        {p.kind === 'gmvMaxSession' ? null : (
          <span>
            {gmv ? t('pc.field.roiGoal.gmvMax') : t('pc.roiGoal')} <b>{p.roiGoal === null ? DASH : p.roiGoal.toFixed(2)}</b>
          </span>
        )}
      </div>
      <PlanFigures plan={plan} view={view} />
      {mayChange ? <ChangeForm plan={plan} view={view} transport={transport} /> : null}
      <PreviewPanel planId={plan.planId} transport={transport} />
      <OutcomePanel planId={plan.planId} />
      {gmv ? null : <PlatformLog roomId={view.roomId} planId={plan.planId} transport={transport} />}
    </section>
  );
}

/** 千川's own operation log of the plan today: changes made anywhere (its console, another tool), by anyone. */
function PlatformLog({ roomId, planId, transport }: { roomId: string; planId: string; transport: Transport }) {
  const t = useT();
  const [log, setLog] = useState<PlatformLogEntry[] | null>(null);
  const [error, setError] = useState('');
  const load = async () => {
    const r = await transport.request('adPlanLog', { roomId, planId });
    if (r.ok) {
      setLog(r.value);
      setError('');
    } else setError(r.error);
  };
  return (
    <div className="pc-log">
      <button className="revert" data-testid="pc-log-btn" onClick={() => void load()}>
        {t('pc.platformLog')}
      </button>
      {error ? <p className="bad small">{error}</p> : null}
      {log ? (
        log.length ? (
          <ul className="points small" data-testid="pc-log">
            {log.map((e, i) => (
              <li key={i} data-testid="pc-log-entry">
                <span className="muted">{e.at}</span> {e.operator} · {e.title} {e.lines.join('；')}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small" data-testid="pc-log">
            {t('pc.platformLog.none')}
          </p>
        )
      ) : null}
    </div>
  );
}

function ChangeForm({ plan, view, transport }: { plan: AdPlanView & { platform: PlatformPlanView }; view: AdConsoleView; transport: Transport }) {
  const t = useT();
  const ui = planState(useStore(planChangeUi), plan.planId);
  const [field, setField] = useState<'dailyBudget' | 'bid' | 'roiGoal'>('dailyBudget');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [bad, setBad] = useState(false);
  const kind = plan.platform.kind;
  const currency = plan.platform.currency;
  // GMV Max has no bid; a LIVE session has only its budget (shared/ads/plan-changes.ts).
  const fields = kind === 'gmvMaxSession' ? (['dailyBudget'] as const) : kind === 'uni' || kind === 'gmvMax' ? (['dailyBudget', 'roiGoal'] as const) : (['dailyBudget', 'bid', 'roiGoal'] as const);
  const label = (f: 'dailyBudget' | 'bid' | 'roiGoal') =>
    kind === 'gmvMax' || kind === 'gmvMaxSession' ? (f === 'dailyBudget' ? t('pc.field.dailyBudget.currency', { currency: currency ?? 'CNY' }) : f === 'roiGoal' ? t('pc.field.roiGoal.gmvMax') : t(`pc.field.${f}`)) : t(`pc.field.${f}`);
  const ask = (f: PlanChangeField, v?: number) =>
    void previewChange(transport, plan.planId, { roomId: view.roomId, planIds: [plan.planId], field: f, ...(v !== undefined ? { value: v } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) });
  const submit = () => {
    const v = parseChangeValue(value, field, currency);
    setBad(v === null);
    if (v !== null) ask(field, v);
  };
  const busy = ui.busy || view.ended;
  return (
    <div className="ad-controls" data-testid="pc-form">
      <div className="ad-row">
        <select data-testid="pc-field" value={field} onChange={(e) => setField(e.target.value as typeof field)} aria-label={t('pc.value')}>
          {fields.map((f) => (
            <option key={f} value={f}>
              {label(f)}
            </option>
          ))}
        </select>
        <input
          data-testid="pc-value"
          inputMode="decimal"
          placeholder={t('pc.value')}
          aria-label={t('pc.value')}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') submit();
          }}
        />
        <button data-testid="pc-preview-btn" disabled={busy} onClick={submit}>
          {t('pc.preview')}
        </button>
      </div>
      <div className="ad-row">
        {kind === 'gmvMaxSession' ? null : plan.platform.status === 'paused' ? (
          <button data-testid="pc-resume" disabled={busy} onClick={() => ask('resume')}>
            {t('pc.field.resume')}
          </button>
        ) : (
          <button data-testid="pc-pause" disabled={busy} onClick={() => ask('pause')}>
            {t('pc.field.pause')}
          </button>
        )}
        <input className="ad-reason" data-testid="pc-reason" placeholder={t('ads.reason')} aria-label={t('ads.reason')} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </div>
      {bad ? <p className="bad small">{t('pc.badValue')}</p> : null}
      {ui.error ? (
        <p className="bad small" role="alert" data-testid="pc-error">
          {ui.error}
        </p>
      ) : null}
    </div>
  );
}

function valueText(field: PlanChangeField, v: number | null, locale: 'zh-CN' | 'en', currency?: string): string {
  if (v === null) return DASH;
  return field === 'roiGoal' ? v.toFixed(2) : formatMoneyFen(v, locale, { precise: true, currency });
}

function PreviewPanel({ planId, transport }: { planId: string; transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const ui = planState(useStore(planChangeUi), planId);
  const pv: PlanChangePreview | null = ui.preview;
  if (!pv) return null;
  const secondsLeft = Math.max(0, Math.round((pv.expiresAt - Date.now()) / 1000));
  return (
    <div className="pc-preview" data-testid="pc-preview" data-blocked={pv.blocked ? '1' : '0'} data-field={pv.field}>
      <h3>{t(pv.items.some((i) => isGmvMaxKind(i.kind)) ? 'pc.previewTitle.gmvMax' : 'pc.previewTitle')}</h3>
      <table>
        <thead>
          <tr>
            <th className="left">{t('ads.plan')}</th>
            <th>{t('pc.before')}</th>
            <th>{t('pc.after')}</th>
            <th>{t('pc.step')}</th>
          </tr>
        </thead>
        <tbody>
          {pv.items.map((i) => (
            <tr key={i.planId} data-testid="pc-preview-item" data-after={i.after ?? ''}>
              <td className="left ellipsis">{i.name}</td>
              <td>{pv.field === 'pause' || pv.field === 'resume' ? DASH : valueText(pv.field, i.before, locale, i.currency)}</td>
              <td>{pv.field === 'pause' || pv.field === 'resume' ? t(`pc.field.${pv.field}`) : valueText(pv.field, i.after, locale, i.currency)}</td>
              <td>{i.stepPct === null ? DASH : `${i.stepPct > 0 ? '+' : ''}${i.stepPct.toFixed(0)}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pv.items.map((i) => (
        <div key={i.planId}>
          {pv.field === 'dailyBudget' ? <p className="small" data-testid="pc-lasts">{i.lastsUntil !== null ? t('pc.lastsUntil', { time: formatDateTime(i.lastsUntil, locale, { timeStyle: 'short' }) }) : t('pc.lastsDay')}</p> : null}
          {i.problems.map((p) => (
            <p key={p.code} className="bad small" data-testid="pc-problem" data-code={p.code}>
              {problemText(p, t, locale, i.currency)}
            </p>
          ))}
          {i.warnings.map((w) => (
            <p key={w.code} className="warn small" data-testid="pc-warning" data-code={w.code}>
              {problemText(w, t, locale, i.currency)}
            </p>
          ))}
        </div>
      ))}
      <p className="muted small">
        {t('pc.calls', { n: pv.calls })} · {t('pc.expires', { s: secondsLeft })}
      </p>
      {pv.blocked ? <p className="bad small">{t('pc.blocked')}</p> : null}
      <div className="ad-row">
        <button className="primary" data-testid="pc-confirm" disabled={pv.blocked || ui.busy} onClick={() => void applyChange(transport, planId, pv)}>
          {ui.busy ? t('pc.sending') : t('pc.confirm')}
        </button>
        <button data-testid="pc-cancel" disabled={ui.busy} onClick={() => cancelPreview(planId)}>
          {t('pc.cancel')}
        </button>
      </div>
    </div>
  );
}

function OutcomePanel({ planId }: { planId: string }) {
  const t = useT();
  const ui = planState(useStore(planChangeUi), planId);
  if (!ui.outcome) return null;
  return (
    <div className="pc-outcome" data-testid="pc-outcome">
      {ui.outcome.results.map((r) => (
        <p key={r.planId} className={`small ${r.outcome === 'confirmed' ? 'good' : 'bad'}`} data-testid="pc-result" data-outcome={r.outcome}>
          <b>{t(`pc.outcome.${r.outcome}`)}</b>
          {r.platformMessage ? ` · ${r.platformMessage}` : ''}
          {r.readBack !== null ? ` · ${t('pc.readBack')} ${readBackText(r.readBack, ui.outcomeOf, t.locale)}` : ''}
          {r.requestId ? <span className="muted"> · request_id {r.requestId}</span> : null}
        </p>
      ))}
    </div>
  );
}

/** A read-back in its unit: a budget or bid as money in the plan's currency, a ROI goal as a ratio, a status as the platform's word. */
function readBackText(v: number | string, of: PlanChangeState['outcomeOf'], locale: Locale): string {
  if (typeof v === 'number' && (of?.field === 'dailyBudget' || of?.field === 'bid')) return formatMoneyFen(v, locale, { precise: true, currency: of.currency ?? 'CNY' });
  return String(v);
}
