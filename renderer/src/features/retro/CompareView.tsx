import { useMemo } from 'react';
import { EChart } from './EChart.tsx';
import { useT } from '../../lib/hooks.ts';
import { useRetro } from './hooks.ts';
import { COMPARE_CURRENCY_MIX, retroStore, runCompare } from './retro-store.ts';
import type { Transport } from '../../lib/transport.ts';
import { compareChartOption, PALETTE, SCREEN, type CompareMetric } from '../../../../shared/retro/chart-options.ts';
import { formatChange } from '../../../../shared/retro/labels.ts';
import { formatCount, formatDateTime, formatDuration, formatMoneyFen, formatRate, formatYuan } from '../../../../shared/format.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';

const METRICS: Array<{ metric: CompareMetric; label: MessageKey }> = [
  { metric: 'onlineAvg', label: 'retro.onlineAvg' },
  { metric: 'cumGmvFen', label: 'retro.cumGmv' },
  { metric: 'gmvFen', label: 'retro.gmvPerMin' },
  { metric: 'gpm', label: 'metric.gpm' },
  { metric: 'ctr', label: 'metric.ctr' },
];

/** Two or more sessions side by side — their KPIs with the change against the first, and their curves overlaid. */
export function CompareView({ transport }: { transport: Transport }) {
  const t = useT();
  const { locale } = t;
  const c = useRetro((s) => s.comparison);
  const align = useRetro((s) => s.align);
  const error = useRetro((s) => s.compareError);
  const currencies = useRetro((s) => s.compareCurrencies);
  const xName = useMemo(() => (x: number) => (align === 'slot' ? t('retro.slot', { n: Math.round(x) + 1 }) : t('reportChart.minuteTick', { m: Math.round(x) })), [align, t]);
  const charts = useMemo(() => (c ? METRICS.map((m) => ({ ...m, spec: compareChartOption(c, m.metric, locale, SCREEN, { metric: t(m.label), x: xName }) })) : []), [c, locale, t, xName]);
  return (
    <div className="report" data-testid="compare" data-align={align}>
      <div className="report-head panel">
        <h1>{t('retro.compareTitle')}</h1>
        <div className="export-buttons">
          {(['minute', 'slot'] as const).map((a) => (
            <button key={a} className={align === a ? 'zoom active' : 'zoom'} data-testid={`align-${a}`} onClick={() => void runCompare(transport, a)}>
              {t(a === 'minute' ? 'retro.alignMinute' : 'retro.alignSlot')}
            </button>
          ))}
          <button className="zoom" data-testid="compare-back" onClick={() => retroStore.setState({ mode: 'report' })}>
            {t('retro.back')}
          </button>
        </div>
      </div>
      {error ? (
        <div className="panel bad" data-testid="compare-error">
          {error === COMPARE_CURRENCY_MIX ? t('retro.compareCurrencyMix', { codes: (currencies ?? []).join(' / ') }) : error}
        </div>
      ) : null}
      {c ? (
        <>
          <section className="panel">
            <table className="tbl" data-testid="compare-table">
              <thead>
                <tr>
                  <th className="l" />
                  <th>{t('metric.gmvFen')}</th>
                  <th>{t('metric.gpm')}</th>
                  <th>{t('metric.pv')}</th>
                  <th>{t('metric.peakOnline')}</th>
                  <th>{t('metric.ctr')}</th>
                  <th>{t('metric.clickToOrder')}</th>
                  <th>{t('metric.orders')}</th>
                  <th>{t('report.duration')}</th>
                </tr>
              </thead>
              <tbody>
                {c.series.map((s, i) => {
                  const d = c.deltas.find((x) => x.sessionId === s.sessionId);
                  const delta = (v: number | null | undefined) => (i === 0 || v === null || v === undefined ? null : <small className={v >= 0 ? 'good' : 'bad'}> {formatChange(v)}</small>);
                  return (
                    <tr key={s.sessionId} data-testid="compare-row">
                      <td className="l">
                        <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} />#{i + 1} {s.title} <span className="muted">{formatDateTime(s.startedAt, locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })}</span>
                      </td>
                      <td>
                        {formatMoneyFen(s.kpis.gmvFen, locale)}
                        {delta(d?.gmvFen)}
                      </td>
                      <td>
                        {formatYuan(s.kpis.gpm, locale)}
                        {delta(d?.gpm)}
                      </td>
                      <td>
                        {formatCount(s.kpis.pv, locale)}
                        {delta(d?.pv)}
                      </td>
                      <td>{formatCount(s.kpis.peakOnline, locale)}</td>
                      <td>
                        {formatRate(s.kpis.ctr, 2)}
                        {delta(d?.ctr)}
                      </td>
                      <td>
                        {formatRate(s.kpis.clickToOrder, 2)}
                        {delta(d?.clickToOrder)}
                      </td>
                      <td>{formatCount(s.kpis.orders, locale)}</td>
                      <td>{formatDuration(s.kpis.durationSec)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p className="note">{t('retro.vsFirst')}</p>
          </section>
          {charts.map((ch) => (
            <section className="panel" key={ch.metric}>
              <h2>{t(ch.label)}</h2>
              <EChart option={ch.spec.option} height={ch.spec.height} testId={`compare-chart-${ch.metric}`} />
            </section>
          ))}
        </>
      ) : (
        <div className="panel muted">{t('retro.compareHint')}</div>
      )}
    </div>
  );
}
