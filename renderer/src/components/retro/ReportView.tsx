import { useMemo, useState } from 'react';
import { EChart } from './EChart.tsx';
import { useApp, useT } from '../../lib/hooks.ts';
import { useRetro } from './hooks.ts';
import { retroStore, addNote, deleteNote } from '../../lib/retro.ts';
import type { Transport } from '../../lib/transport.ts';
import { RETRO_WORDS, type RetroWords as Words } from '../../../../shared/retro/words.ts';
import { reportChartOptions, SCREEN } from '../../../../shared/retro/chart-options.ts';
import { formatDate, formatDuration, type Locale } from '../../../../shared/format.ts';
import type { RetroReportView } from '../../../../shared/retro/types.ts';
import { ImportButton, SettlementSection } from './ImportControls.tsx';
import { minuteFromNumber, minuteLabel, minuteNumber } from '../../../../shared/minutes.ts';
import { ExportBar } from './ExportBar.tsx';
import { TargetEditor } from './TargetEditor.tsx';
import { Headline, KeyPoints, ReviewCards } from './ReportSummary.tsx';
import { AdsAlerts, Demand, FunnelTraffic, Products, Scorecard, Suggestions } from './ReportTables.tsx';

/** R2–R6 and R8 for one session: what the team reads the morning after, with notes and exports. */
export function ReportView({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const report = useRetro((s) => s.report);
  const loading = useRetro((s) => s.reportLoading);
  const error = useRetro((s) => s.reportError);
  if (error) return <div className="panel bad" data-testid="report-error">{error}</div>;
  if (!report) return <div className="panel muted">{loading ? t('retro.loading') : t('retro.pick')}</div>;
  return <Report r={report} locale={locale} transport={transport} loading={loading} />;
}

function Report({ r, locale, transport, loading }: { r: RetroReportView; locale: Locale; transport: Transport; loading: boolean }) {
  const t = useT();
  const w = RETRO_WORDS[locale];
  const zh = locale === 'zh-CN';
  const charts = useMemo(() => reportChartOptions(r, locale, 1100, SCREEN), [r, locale]);
  const s = r.session;
  const dateFmt = new Intl.DateTimeFormat(zh ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  const live = s.recording === true;
  const interrupted = s.endReason === 'interrupted' || (s.endedAt === null && !live);
  return (
    <div className={loading ? 'report loading' : 'report'} data-testid="report" data-session={s.sessionId}>
      <div className="report-head panel">
        <div>
          <h1 data-testid="report-title">{s.title}</h1>
          <div className="muted report-meta">
            <span>{w.room}: {s.roomId}</span>
            <span>{w.platform}: {s.platform}</span>
            <span>{w.start}: {formatDate(s.startedAt, dateFmt)}</span>
            <span>{w.duration}: {formatDuration(r.kpis.durationSec)}</span>
            {live ? <span className="status live" data-testid="report-live">{t('retro.live')} · {t('retro.asOf').replace('{d}', formatDuration(r.kpis.durationSec))}</span> : null}
            {interrupted ? (
              <span className="tag warn" data-testid="report-interrupted" title={t('retro.interrupted.why')}>
                {t('retro.interrupted')}
              </span>
            ) : null}
            <span>{t('retro.source').replace('{src}', t(r.retro.metrics === 'rollups' ? 'retro.src.rollups' : 'retro.src.recomputed'))}</span>
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

      <KeyPoints r={r} w={w} locale={locale} />

      <Headline r={r} w={w} locale={locale} />
      <ReviewCards r={r} w={w} locale={locale} salesExtra={<TargetEditor r={r} transport={transport} />} />

      <section className="panel">
        <h2>{w.timeline}</h2>
        <p className="note">{w.timelineNote} {t('retro.noteHint')}</p>
        <EChart
          option={charts.timeline.option}
          height={charts.timeline.height}
          testId="report-timeline"
          onClickX={(x) => retroStore.setState({ noteMinute: Math.max(0, Math.min(r.minutes.length - 1, Math.floor(x))) })}
        />
        <h3>{w.rates}</h3>
        <EChart option={charts.rates.option} height={charts.rates.height} testId="report-rates" />
      </section>

      <Notes r={r} w={w} transport={transport} />
      <Scorecard r={r} w={w} locale={locale} chart={<EChart option={charts.segments.option} height={charts.segments.height} testId="report-segments" />} />
      <Products r={r} w={w} locale={locale} />
      <FunnelTraffic r={r} w={w} locale={locale} chart={<EChart option={charts.traffic.option} height={charts.traffic.height} testId="report-traffic" />} />
      <Demand r={r} w={w} locale={locale} chart={<EChart option={charts.demand.option} height={charts.demand.height} testId="report-demand" />} />
      <Suggestions r={r} w={w} locale={locale} />
      <AdsAlerts r={r} w={w} locale={locale} />
      <Integrity r={r} locale={locale} />
      <p className="note">{w.definitions}</p>
    </div>
  );
}

/** What the log is missing or refused: holes given up for good and quarantined events, so no figure is trusted blindly. */
function Integrity({ r, locale }: { r: RetroReportView; locale: Locale }) {
  const t = useT();
  const gaps = r.gaps ?? [];
  const quarantined = Object.values(r.quarantined).reduce((a, n) => a + n, 0);
  if (!gaps.length && !quarantined) return null;
  const fmt = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeStyle: 'medium' });
  return (
    <section className="panel" data-testid="report-integrity">
      <h2>{t('retro.integrity')}</h2>
      <ul className="points">
        {gaps.map((g) => (
          <li key={`${g.epoch}-${g.fromSeq}`} className="warn">
            {t('retro.integrity.gap')
              .replace('{from}', String(g.fromSeq))
              .replace('{to}', String(g.toSeq))
              .replace('{why}', t(g.reason === 'relay-no-longer-holds' ? 'retro.integrity.gap.gone' : 'retro.integrity.gap.stall'))
              .replace('{at}', fmt.format(new Date(g.at)))}
          </li>
        ))}
        {quarantined ? <li className="muted">{t('retro.integrity.quarantined').replace('{n}', String(quarantined))}</li> : null}
      </ul>
    </section>
  );
}

// ---- R3: notes ---------------------------------------------------------------------------------------

function Notes({ r, w, transport }: { r: RetroReportView; w: Words; transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
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
      <h2>{w.notes}</h2>
      {r.notes.length ? (
        <table className="tbl">
          <tbody>
            {r.notes.map((n) => (
              <tr key={n.id} data-testid="note-row">
                <td className="nowrap">{n.minute === null ? w.wholeShow : minuteLabel(n.minute, locale)}</td>
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
        <p className="muted">{w.none}</p>
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
      {error ? <p className="bad">{t('retro.noteFailed').replace('{error}', error)}</p> : null}
    </section>
  );
}
