import { useMemo, useState } from 'react';
import { EChart } from './EChart.tsx';
import { useT } from '../../lib/hooks.ts';
import { useRetro } from './hooks.ts';
import { retroStore, addNote, deleteNote } from './retro-store.ts';
import type { Transport } from '../../lib/transport.ts';
import { reportChartOptions, SCREEN } from '../../../../shared/retro/chart-options.ts';
import { formatDateTime, formatDuration } from '../../../../shared/format.ts';
import type { Localiser } from '../../../../shared/i18n/localiser.ts';
import type { RetroReportView } from '../../../../shared/retro/types.ts';
import { ImportButton, SettlementSection } from './ImportControls.tsx';
import { minuteFromNumber, minuteLabel, minuteNumber } from '../../../../shared/minutes.ts';
import { ExportBar } from './ExportBar.tsx';
import { TargetEditor } from './TargetEditor.tsx';
import { Headline, KeyPoints, ReviewCards } from './ReportSummary.tsx';
import { AdsAlerts, Demand, FunnelTraffic, Products, Scorecard, Suggestions } from './ReportTables.tsx';
import { gmvCheck, gmvCheckLines, gmvCheckTitle } from '../../../../shared/retro/gmv-check.ts';

/** The retrospective for one session: what the team reads the morning after, with notes and exports. */
export function ReportView({ transport }: { transport: Transport }) {
  const t = useT();
  const report = useRetro((s) => s.report);
  const loading = useRetro((s) => s.reportLoading);
  const error = useRetro((s) => s.reportError);
  if (error) return <div className="panel bad" data-testid="report-error">{error}</div>;
  if (!report) return <div className="panel muted">{loading ? t('retro.loading') : t('retro.pick')}</div>;
  return <Report r={report} i18n={t} transport={transport} loading={loading} />;
}

function Report({ r, i18n, transport, loading }: { r: RetroReportView; i18n: Localiser; transport: Transport; loading: boolean }) {
  const t = i18n;
  const { locale } = i18n;
  const charts = useMemo(() => reportChartOptions(r, i18n, 1100, SCREEN), [r, i18n]);
  const s = r.session;
  const live = s.recording === true;
  const interrupted = s.endReason === 'interrupted' || (s.endedAt === null && !live);
  return (
    <div className={loading ? 'report loading' : 'report'} data-testid="report" data-session={s.sessionId}>
      <div className="report-head panel">
        <div>
          <h1 data-testid="report-title">{s.title}</h1>
          <div className="muted report-meta">
            <span>{t('report.room')}: {s.roomId}</span>
            <span>{t('report.platform')}: {s.platform}</span>
            <span>{t('report.start')}: {formatDateTime(s.startedAt, locale, { dateStyle: 'medium', timeStyle: 'short' })}</span>
            <span>{t('report.duration')}: {formatDuration(r.kpis.durationSec)}</span>
            {live ? <span className="status live" data-testid="report-live">{t('retro.live')} · {t('retro.asOf', { d: formatDuration(r.kpis.durationSec) })}</span> : null}
            {interrupted ? (
              <span className="tag warn" data-testid="report-interrupted" title={t('retro.interrupted.why')}>
                {t('retro.interrupted')}
              </span>
            ) : null}
            <span>{t('retro.source', { src: t(r.retro.metrics === 'rollups' ? 'retro.src.rollups' : 'retro.src.recomputed') })}</span>
          </div>
        </div>
        <div className="report-actions">
          <ExportBar transport={transport} locale={locale} />
          <div className="export-buttons">
            <ImportButton transport={transport} sessionId={s.sessionId} testId="import-settled-file" />
          </div>
        </div>
      </div>
      <SettlementSection r={r} />

      <KeyPoints r={r} i18n={i18n} />

      <Headline r={r} i18n={i18n} />
      <ReviewCards r={r} i18n={i18n} salesExtra={<TargetEditor r={r} transport={transport} />} />

      <section className="panel">
        <h2>{t('report.timeline')}</h2>
        <p className="note">{t('report.timelineNote')} {t('retro.noteHint')}</p>
        <EChart
          option={charts.timeline.option}
          height={charts.timeline.height}
          testId="report-timeline"
          onClickX={(x) => retroStore.setState({ noteMinute: Math.max(0, Math.min(r.minutes.length - 1, Math.floor(x))) })}
        />
        <h3>{t('report.rates')}</h3>
        <EChart option={charts.rates.option} height={charts.rates.height} testId="report-rates" />
      </section>

      <Notes r={r} i18n={i18n} transport={transport} />
      <Scorecard r={r} i18n={i18n} chart={<EChart option={charts.segments.option} height={charts.segments.height} testId="report-segments" />} />
      <Products r={r} i18n={i18n} />
      <FunnelTraffic r={r} i18n={i18n} chart={<EChart option={charts.traffic.option} height={charts.traffic.height} testId="report-traffic" />} />
      <Demand r={r} i18n={i18n} chart={<EChart option={charts.demand.option} height={charts.demand.height} testId="report-demand" />} />
      <Suggestions r={r} i18n={i18n} />
      <AdsAlerts r={r} i18n={i18n} />
      <GmvCheckPanel r={r} i18n={i18n} />
      <Integrity r={r} i18n={i18n} />
      <p className="note">{t('report.definitions')}</p>
    </div>
  );
}

/** 抖店's GMV against 千川's (a TikTok room: its orders against its LIVE analytics), and why they differ (shared/retro/gmv-check.ts). */
function GmvCheckPanel({ r, i18n: t }: { r: RetroReportView; i18n: Localiser }) {
  const check = gmvCheck(r.platformTotals);
  if (!check) return null;
  const { rows, reasons } = gmvCheckLines(check, t);
  return (
    <section className="panel" data-testid="report-gmv-check" data-gap={check.gapFen ?? ''}>
      <h2>{gmvCheckTitle(check, t)}</h2>
      <table className="kv">
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <td className="left">{row.label}</td>
              <td>
                <b>{row.value}</b>
              </td>
              <td className="left muted small">{row.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="points">
        {reasons.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
    </section>
  );
}

/** What the log is missing or refused: holes given up for good and quarantined events, so no figure is trusted blindly. */
function Integrity({ r, i18n: t }: { r: RetroReportView; i18n: Localiser }) {
  const gaps = r.gaps ?? [];
  const quarantined = Object.values(r.quarantined).reduce((a, n) => a + n, 0);
  if (!gaps.length && !quarantined) return null;
  const at = (ts: number) => formatDateTime(ts, t.locale, { timeStyle: 'medium' });
  return (
    <section className="panel" data-testid="report-integrity">
      <h2>{t('retro.integrity')}</h2>
      <ul className="points">
        {gaps.map((g) => (
          <li key={`${g.epoch}-${g.fromSeq}`} className="warn">
            {t('retro.integrity.gap', { from: g.fromSeq, to: g.toSeq, why: t(g.reason === 'relay-no-longer-holds' ? 'retro.integrity.gap.gone' : 'retro.integrity.gap.stall'), at: at(g.at) })}
          </li>
        ))}
        {quarantined ? <li className="muted">{t('retro.integrity.quarantined', { n: quarantined })}</li> : null}
      </ul>
    </section>
  );
}

// ---- notes ---------------------------------------------------------------------------------------

function Notes({ r, i18n: t, transport }: { r: RetroReportView; i18n: Localiser; transport: Transport }) {
  const { locale } = t;
  const minute = useRetro((s) => s.noteMinute);
  const error = useRetro((s) => s.noteError);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (!text.trim()) return;
    setBusy(true);
    const ok = await addNote(transport, text, minute);
    setBusy(false);
    if (ok) setText('');
  };
  return (
    <section className="panel" data-testid="report-notes">
      <h2>{t('report.notes')}</h2>
      {r.notes.length ? (
        <table className="tbl">
          <tbody>
            {r.notes.map((n) => (
              <tr key={n.id} data-testid="note-row">
                <td className="nowrap">{n.minute === null ? t('report.wholeShow') : minuteLabel(n.minute, locale)}</td>
                <td className="l">{n.text}</td>
                <td className="muted">{n.byName ?? ''}</td>
                <td>
                  <button className="zoom" onClick={() => void deleteNote(transport, n.id)}>
                    {t('retro.noteDelete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('report.none')}</p>
      )}
      <form
        className="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="muted">
          {t('retro.noteMinute')}
          <input
            type="number"
            min={1}
            max={Math.max(1, r.minutes.length)}
            value={minute === null ? '' : minuteNumber(minute)}
            data-testid="note-minute"
            onChange={(e) => retroStore.setState({ noteMinute: e.target.value === '' ? null : Math.max(0, minuteFromNumber(Math.floor(Number(e.target.value)))) })}
          />
        </label>
        <input className="note-text" value={text} maxLength={2000} placeholder={t('retro.notePlaceholder')} data-testid="note-text" onChange={(e) => setText(e.target.value)} />
        <button className="zoom active" type="submit" disabled={busy || !text.trim()} data-testid="note-save">
          {t('retro.noteSave')}
        </button>
      </form>
      {error ? <p className="bad">{t('retro.noteFailed', { error })}</p> : null}
    </section>
  );
}
