import { useMemo, useState, type ReactNode } from 'react';
import { EChart } from './EChart.tsx';
import { useApp, useT } from '../../lib/hooks.ts';
import { useRetro } from './hooks.ts';
import { retroStore, exportAs, addNote, deleteNote, type ExportFormat, type ExportJob } from '../../lib/retro.ts';
import type { Transport } from '../../lib/transport.ts';
import { RETRO_WORDS, fillWords } from '../../../../shared/retro/words.ts';
import { KPI_BY_KEY, ROLE_LABELS, SOURCE_LABELS, formatChange, formatValue } from '../../../../shared/retro/labels.ts';
import { reportChartOptions, productColors, SCREEN } from '../../../../shared/retro/chart-options.ts';
import { adActionText } from '../../../../shared/retro/scorecard.ts';
import { TrafficSources } from '../../../../shared/protocol.ts';
import { DASH, formatCount, formatDate, formatDuration, formatMoneyFen, formatRate, formatYuan, type Locale } from '../../../../shared/format.ts';
import type { RetroReportView, GroupFigures, HeadlineItem } from '../../../../shared/retro/types.ts';
import type { KpiKey } from '../../../../shared/retro/types.ts';
import { alertText } from '../../../../shared/alerts/text.ts';
import { ImportButton, SettlementSection } from './ImportControls.tsx';

type Words = (typeof RETRO_WORDS)['zh-CN'] | (typeof RETRO_WORDS)['en'];

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
            {live ? <span className="status live">{t('retro.live')}</span> : null}
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

      <section className="panel" data-testid="report-callouts">
        <h2>{w.keyPoints}</h2>
        {r.headline.callouts.length ? (
          <ul className="points">
            {r.headline.callouts.map((c) => (
              <li key={`${c.key}-${c.kind}`} className={c.kind === 'target-missed' || c.kind === 'worst' || c.kind === 'down' ? 'bad' : 'good'}>
                {zh ? c.zh : c.en}
              </li>
            ))}
          </ul>
        ) : r.scorecard.deadAir.length + r.scorecard.drops.length === 0 ? (
          <p className="muted">{w.noPoints}</p>
        ) : null}
        {[...r.scorecard.deadAir.slice(0, 2), ...r.scorecard.drops.slice(0, 2)].length ? (
          <ul className="points">
            {[...r.scorecard.deadAir.slice(0, 2), ...r.scorecard.drops.slice(0, 2)].map((d, i) => (
              <li key={i} className="warn">{zh ? d.zh : d.en}</li>
            ))}
          </ul>
        ) : null}
      </section>

      <Headline r={r} w={w} locale={locale} />
      <ReviewCards r={r} w={w} locale={locale} />

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

// ---- R8: exports ---------------------------------------------------------------------------------

const FORMATS: ExportFormat[] = ['html', 'pdf', 'xlsx', 'csv'];

function ExportBar({ transport, locale }: { transport: Transport; locale: Locale }) {
  const t = useT();
  const jobs = useRetro((s) => s.exports);
  return (
    <div className="export-bar">
      <div className="export-buttons">
        <span className="muted">{t('retro.export')}</span>
        {FORMATS.map((f) => (
          <button key={f} className="zoom" data-testid={`export-${f}`} disabled={jobs.some((j) => j.format === f && j.status === 'running')} onClick={() => void exportAs(transport, f, locale)}>
            {f.toUpperCase()}
          </button>
        ))}
      </div>
      {jobs.map((j) => (
        <ExportLine key={j.format} job={j} transport={transport} />
      ))}
    </div>
  );
}

function ExportLine({ job, transport }: { job: ExportJob; transport: Transport }) {
  const t = useT();
  const fmt = job.format.toUpperCase();
  if (job.status === 'running') return <div className="export-line muted" data-testid={`export-status-${job.format}`} data-status="running">{t('retro.exporting').replace('{fmt}', fmt)}</div>;
  if (job.status === 'failed') return <div className="export-line bad" data-testid={`export-status-${job.format}`} data-status="failed">{t('retro.exportFailed').replace('{error}', job.error ?? '')}</div>;
  const path = job.path ?? '';
  const url = transport.downloadUrl(path);
  return (
    <div className="export-line" data-testid={`export-status-${job.format}`} data-status="done" data-path={path}>
      <span className="good">✓ {t('retro.exported')} {fmt}</span>
      <code title={job.files.join('\n')}>{path}</code>
      {url ? (
        <a className="zoom" href={url} download data-testid={`export-download-${job.format}`}>
          {t('retro.download')}
        </a>
      ) : (
        <button className="zoom" onClick={() => void transport.request('revealExport', { path })}>
          {t('retro.reveal')}
        </button>
      )}
    </div>
  );
}

// ---- R3: notes ---------------------------------------------------------------------------------------

function Notes({ r, w, transport }: { r: RetroReportView; w: Words; transport: Transport }) {
  const t = useT();
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
                <td className="nowrap">{n.minute === null ? w.wholeShow : fillWords(w.minuteN, { m: n.minute + 1 })}</td>
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
            value={minute === null ? '' : minute + 1}
            data-testid="note-minute"
            onChange={(e) => retroStore.setState({ noteMinute: e.target.value === '' ? null : Math.max(0, Math.floor(Number(e.target.value)) - 1) })}
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

// ---- R2: headline ----------------------------------------------------------------------------------

/** A table's header row; the columns at `left` (text, not figures) align left. */
function Head({ cols, left = [0] }: { cols: string[]; left?: number[] }) {
  return (
    <thead>
      <tr>
        {cols.map((c, i) => (
          <th key={i} className={left.includes(i) ? 'l' : undefined}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function Change({ c, better }: { c: number | null; better: 'higher' | 'lower' | null }) {
  if (c === null) return <span className="muted">{DASH}</span>;
  const cls = better === null || c === 0 ? '' : (c > 0) === (better === 'higher') ? 'good' : 'bad';
  return <span className={cls}>{formatChange(c)}</span>;
}

/** R2: every KPI as a tile — this show, against its target and against the room's previous shows. */
function Headline({ r, w, locale }: { r: RetroReportView; w: Words; locale: Locale }) {
  const zh = locale === 'zh-CN';
  const n = r.headline.previousSessions.length;
  const called = new Set(r.headline.callouts.map((c) => c.key));
  return (
    <section className="panel" data-testid="report-headline">
      <h2>
        {w.headline}
        <span className="muted h2-note">{n ? fillWords(w.prevMean, { n }) : ''}</span>
      </h2>
      <div className="headline-grid">
        {r.headline.items.map((it: HeadlineItem) => {
          const meta = KPI_BY_KEY.get(it.key)!;
          const st = it.targetStatus;
          return (
            <div key={it.key} className={called.has(it.key) ? 'hl called' : 'hl'} data-testid={`headline-${it.key}`} data-value={it.value ?? ''} data-status={st ?? ''}>
              <div className="hl-label">{zh ? meta.zh : meta.en}</div>
              <div className={`hl-value ${st === 'met' ? 'good' : st === 'below' ? 'bad' : st === 'near' ? 'warn' : ''}`}>{formatValue(it.value, it.unit, locale)}</div>
              {it.target !== null ? (
                <div className="hl-line">
                  {w.target} {formatValue(it.target, it.unit, locale)} <span className={st === 'met' ? 'good' : st === 'near' ? 'warn' : 'bad'}>{it.vsTarget === null ? '' : formatChange(it.vsTarget)}</span>
                </div>
              ) : null}
              {it.previous.mean !== null ? (
                <div className="hl-line">
                  {w.vsPrevShort} <Change c={it.previous.changeVsMean} better={it.better} />
                  {it.previous.rank !== null && it.previous.of >= 2 ? <span className="muted" title={`${w.rank} ${it.previous.rank}/${it.previous.of}`}> · #{it.previous.rank}/{it.previous.of}</span> : null}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </section>
  );
}

// ---- R6: review dimensions ----------------------------------------------------------------------

function Card({ title, pairs, note, testId }: { title: string; pairs: Array<[string, string]>; note?: string; testId: string }) {
  return (
    <div className="retro-card" data-testid={testId}>
      <h3>{title}</h3>
      <dl>
        {pairs.map(([k, v]) => (
          <div key={k} className="pair">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {note ? <p className="note">{note}</p> : null}
    </div>
  );
}

function ReviewCards({ r, w, locale }: { r: RetroReportView; w: Words; locale: Locale }) {
  const zh = locale === 'zh-CN';
  const rv = r.review;
  const name = (k: KpiKey) => (zh ? KPI_BY_KEY.get(k)!.zh : KPI_BY_KEY.get(k)!.en);
  const money = (f: number | null) => formatMoneyFen(f, locale);
  const count = (x: number | null) => formatCount(x, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  const ratio = (x: number | null) => (x === null ? DASH : x.toFixed(2));
  return (
    <section className="panel">
      <h2>{w.dims}</h2>
      <div className="retro-cards">
        <Card
          testId="review-sales"
          title={w.sales}
          pairs={[
            [name('gmvFen'), money(rv.sales.gmvFen)],
            [w.gmvTarget, money(rv.sales.gmvTargetFen)],
            [w.attainment, formatRate(rv.sales.attainment, 1)],
            [w.vsPrev, formatChange(rv.sales.vsPrevious)],
            [name('orders'), count(rv.sales.orders)],
            [`${name('ctr')} / ${w.target}`, `${pct(rv.sales.ctr.value)} / ${pct(rv.sales.ctr.target)}`],
            [`${name('clickToOrder')} / ${w.target}`, `${pct(rv.sales.clickToOrder.value)} / ${pct(rv.sales.clickToOrder.target)}`],
          ]}
        />
        <Card
          testId="review-reach"
          title={w.reach}
          pairs={[
            [name('pv'), count(rv.reach.pv)],
            [name('uv'), count(rv.reach.uv)],
            [name('peakOnline'), count(rv.reach.peakOnline)],
            [name('avgWatchSec'), formatDuration(rv.reach.avgWatchSec)],
            [name('shares'), count(rv.reach.shares)],
            [name('comments'), count(rv.reach.comments)],
            [w.natural, formatRate(rv.reach.naturalShare, 1)],
          ]}
        />
        <Card
          testId="review-audience"
          title={w.audience}
          pairs={[
            [name('newFollowers'), count(rv.audience.newFollowers)],
            [name('followRate'), pct(rv.audience.followRate)],
            [name('fansclubJoins'), count(rv.audience.fansclubJoins)],
            [name('buyers'), count(rv.audience.buyers)],
            [w.returning, rv.audience.returningViewers === null ? w.notInFeed : count(rv.audience.returningViewers)],
          ]}
          note={rv.audience.returningViewers === null ? rv.audience.returningNote : undefined}
        />
        <Card
          testId="review-roi"
          title={w.roi}
          pairs={[
            [name('adSpendFen'), money(rv.roi.adSpendFen)],
            [name('roi'), ratio(rv.roi.roi)],
            [name('adRoi'), ratio(rv.roi.adRoi)],
            [`${w.target} ROI`, rv.roi.roiTarget.toFixed(2)],
            [name('breakEvenRoi'), ratio(rv.roi.breakEvenRoi)],
            [w.margin, formatRate(rv.roi.margin, 1)],
            [w.profit, money(rv.roi.profitFen)],
          ]}
          note={(zh ? rv.roi.assumptionsZh : rv.roi.assumptionsEn).join(zh ? '；' : '; ')}
        />
      </div>
    </section>
  );
}

// ---- R4: segment scorecard ------------------------------------------------------------------------

function Rel({ c }: { c: number | null }) {
  return c === null ? <span className="muted">{DASH}</span> : <span className={c >= 0 ? 'good' : 'bad'}>{formatChange(c, 0)}</span>;
}

function Scorecard({ r, w, locale, chart }: { r: RetroReportView; w: Words; locale: Locale; chart: ReactNode }) {
  const zh = locale === 'zh-CN';
  const sc = r.scorecard;
  const colors = useMemo(() => productColors(r), [r]);
  const yuan = (y: number | null) => formatYuan(y, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  const list = (xs: ReadonlyArray<{ zh: string; en: string }>, testId: string) =>
    xs.length ? (
      <ul data-testid={testId}>
        {xs.map((x, i) => (
          <li key={i}>{zh ? x.zh : x.en}</li>
        ))}
      </ul>
    ) : (
      <p className="muted" data-testid={testId}>{w.none}</p>
    );
  return (
    <section className="panel" data-testid="report-scorecard">
      <h2>{w.scorecard}</h2>
      <p className="note">
        {w.scoreNote} {w.perMin}: {yuan(sc.baseline.gmvPerMin)} · GPM {yuan(sc.baseline.gpm)} · {w.ctr} {pct(sc.baseline.ctr)} · {w.c2o} {pct(sc.baseline.clickToOrder)}
      </p>
      {chart}
      <div className="table-scroll">
        <table className="tbl dense">
          <Head cols={[w.seg, w.product, w.startMin, w.dur, w.gmv, w.perMin, w.gpm, w.ctr, w.c2o, w.online, w.vsRoom, w.vsProduct, w.advice]} left={[1]} />
          <tbody>
            {sc.segments.map((g) => (
              <tr key={g.index} data-testid="segment-row" data-verdict={g.verdict}>
                <td>{g.index + 1}</td>
                <td className="l">
                  <span className="swatch" style={{ background: colors.get(g.productId) ?? '#ccc' }} />
                  {g.title}
                  {g.verdict !== 'normal' ? <span className={`tag ${g.verdict === 'strong' ? 'good' : 'bad'}`}>{g.verdict === 'strong' ? w.strong : w.weak}</span> : null}
                </td>
                <td>{fillWords(w.minuteN, { m: g.startMinute + 1 })}</td>
                <td>{formatDuration(g.durationSec)}</td>
                <td>{formatMoneyFen(g.gmvFen, locale)}</td>
                <td>{yuan(g.gmvPerMin)}</td>
                <td>{yuan(g.gpm)}</td>
                <td>{pct(g.ctr)}</td>
                <td>{pct(g.clickToOrder)}</td>
                <td>
                  {formatCount(g.onlineStart, locale)}→{formatCount(g.onlineEnd, locale)}
                </td>
                <td>
                  <Rel c={g.vsRoom.gmvPerMin} />
                </td>
                <td>{g.vsProduct ? <Rel c={g.vsProduct.gmvPerMin} /> : DASH}</td>
                <td>{g.advice === 'followed' ? <span className="good">{w.followed}</span> : g.advice === 'against' ? <span className="warn">{w.against}</span> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="two">
        <div>
          <h3>{w.deadAir}</h3>
          {list(sc.deadAir, 'dead-air')}
        </div>
        <div>
          <h3>{w.drops}</h3>
          {list(sc.drops, 'drops')}
          <h3>{w.gains}</h3>
          {list(sc.gains, 'gains')}
        </div>
      </div>
    </section>
  );
}

// ---- R5: products, funnel, traffic, demand ----------------------------------------------------------

function Products({ r, w, locale }: { r: RetroReportView; w: Words; locale: Locale }) {
  const zh = locale === 'zh-CN';
  const colors = useMemo(() => productColors(r), [r]);
  const money = (f: number | null) => formatMoneyFen(f, locale);
  const count = (x: number | null) => formatCount(x, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  return (
    <section className="panel" data-testid="report-products">
      <h2>{w.products}</h2>
      <div className="table-scroll">
        <table className="tbl">
          <Head cols={[w.product, w.role, w.price, w.exposures, w.clicks, w.ctr, w.orders, w.c2o, w.gmv, w.pinned, w.perMin]} />
          <tbody>
            {r.products.map((p) => (
              <tr key={p.productId}>
                <td className="l">
                  <span className="swatch" style={{ background: colors.get(p.productId) ?? '#ccc' }} />
                  {p.title}
                </td>
                <td>{p.role ? (zh ? (ROLE_LABELS[p.role]?.zh ?? p.role) : (ROLE_LABELS[p.role]?.en ?? p.role)) : DASH}</td>
                <td>{money(p.priceFen)}</td>
                <td>{count(p.exposures)}</td>
                <td>{count(p.clicks)}</td>
                <td>{pct(p.ctr)}</td>
                <td>{count(p.orders)}</td>
                <td>{pct(p.clickToOrder)}</td>
                <td>{money(p.gmvFen)}</td>
                <td>{formatDuration(p.pinnedSec)}</td>
                <td>{formatYuan(p.gmvPerPinnedMin, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FunnelTraffic({ r, w, locale, chart }: { r: RetroReportView; w: Words; locale: Locale; chart: ReactNode }) {
  const zh = locale === 'zh-CN';
  const top = Math.max(1, ...r.funnel.steps.map((x) => x.value));
  const count = (x: number | null) => formatCount(x, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  return (
    <section className="panel" data-testid="report-funnel">
      <div className="two">
        <div>
          <h2>{w.funnel}</h2>
          <div className="funnel">
            {r.funnel.steps.map((st) => (
              <div className="step" key={st.key} data-testid={`funnel-${st.key}`} data-value={st.value}>
                <div className="bar" style={{ width: `${Math.max(8, Math.round(Math.sqrt(st.value / top) * 100))}%` }}>
                  {zh ? st.zh : st.en} {count(st.value)}
                </div>
                {st.rate === null ? null : (
                  <span className="rate">
                    {zh ? st.rateZh : st.rateEn} {pct(st.rate)}
                  </span>
                )}
              </div>
            ))}
          </div>
          <p className="note">
            {w.overall} {pct(r.funnel.overall)} · {w.people}: UV {count(r.funnel.people.uv)} → {count(r.funnel.people.buyers)} ({pct(r.funnel.people.viewToBuyer)})
          </p>
        </div>
        <div>
          <h2>{w.traffic}</h2>
          <table className="tbl">
            <Head cols={[w.source, w.enters, w.share]} />
            <tbody>
              {TrafficSources.map((src) => (
                <tr key={src}>
                  <td className="l">{zh ? SOURCE_LABELS[src].zh : SOURCE_LABELS[src].en}</td>
                  <td>{count(r.traffic.totals[src])}</td>
                  <td>{formatRate(r.traffic.shares[src], 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {chart}
      <h3>{w.phases}</h3>
      <div className="table-scroll">
        <table className="tbl">
          <thead>
            <tr>
              <th className="l">{w.phase}</th>
              <th>{w.enters}</th>
              {TrafficSources.map((src) => (
                <th key={src}>{zh ? SOURCE_LABELS[src].zh : SOURCE_LABELS[src].en}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {r.traffic.phases.map((p) => (
              <tr key={p.fromMinute}>
                <td className="l">
                  {p.fromMinute + 1}–{p.toMinute + 1}
                </td>
                <td>{count(p.enters)}</td>
                {TrafficSources.map((src) => (
                  <td key={src}>{formatRate(p.shares[src], 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Demand({ r, w, locale, chart }: { r: RetroReportView; w: Words; locale: Locale; chart: ReactNode }) {
  const count = (x: number | null) => formatCount(x, locale);
  return (
    <section className="panel" data-testid="report-demand-section">
      <h2>{w.demand}</h2>
      <p className="note">
        {w.demandShare}: {formatRate(r.demand.demandShare, 1)} ({count(r.demand.comments)})
      </p>
      <div className="two">
        <div>
          <h3>{w.words}</h3>
          <div className="chips">
            {r.demand.words.length ? r.demand.words.map((x) => <span key={x.word} className="chip">{x.word} <b>{count(x.count)}</b></span>) : <span className="muted">{w.none}</span>}
          </div>
        </div>
        <div>
          <h3>{w.asked}</h3>
          <table className="tbl">
            <tbody>
              {r.demand.products.length ? (
                r.demand.products.map((x) => (
                  <tr key={x.productId}>
                    <td className="l">{x.title}</td>
                    <td>{count(x.count)}</td>
                  </tr>
                ))
              ) : (
                <tr>
                  <td className="l muted">{w.none}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>
      {chart}
    </section>
  );
}

// ---- R6: suggestions and decisions ----------------------------------------------------------------------

function Suggestions({ r, w, locale }: { r: RetroReportView; w: Words; locale: Locale }) {
  const zh = locale === 'zh-CN';
  const sg = r.review.suggestions;
  const kindName = w.kindNames;
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  const grp = (name: string, g: GroupFigures) => (
    <tr key={name}>
      <td className="l">{name}</td>
      <td>{g.segments}</td>
      <td>{g.minutes.toFixed(1)}</td>
      <td>{formatMoneyFen(g.gmvFen, locale)}</td>
      <td>{formatYuan(g.gmvPerMin, locale)}</td>
      <td>{formatRate(g.ctr, 2)}</td>
      <td>{formatRate(g.clickToOrder, 2)}</td>
    </tr>
  );
  const decided = r.actions.filter((a) => a.type === 'suggestion' && a.action !== 'shown');
  return (
    <section className="panel" data-testid="report-suggestions">
      <h2>{w.suggestions}</h2>
      <table className="tbl">
        <Head cols={[w.kind, w.shown, w.accepted, w.dismissed, w.ignored]} />
        <tbody>
          {Object.entries(sg.counts).map(([k, c]) => (
            <tr key={k}>
              <td className="l">{kindName[k] ?? k}</td>
              <td>{c.shown}</td>
              <td>{c.accepted}</td>
              <td>{c.dismissed}</td>
              <td>{c.ignored}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{w.compareGroups}</h3>
      <table className="tbl">
        <Head cols={[w.group, w.segments, w.minutes, w.gmv, w.perMin, w.ctr, w.c2o]} />
        <tbody>
          {grp(w.followedGroup, sg.followed)}
          {grp(w.againstGroup, sg.against)}
          {grp(w.otherGroup, sg.other)}
        </tbody>
      </table>
      <p className="note">
        {zh ? sg.noteZh : sg.noteEn}
        {sg.difference === null ? '' : ` (${formatChange(sg.difference)})`}
      </p>
      {decided.length ? (
        <>
          <h3>{w.decisions}</h3>
          <table className="tbl">
            <Head cols={[w.time, w.kind, w.product, w.action, w.who, w.reason]} left={[1, 2, 4, 5]} />
            <tbody>
              {decided.map((d) =>
                d.type === 'suggestion' ? (
                  <tr key={`${d.suggestionId}-${d.action}-${d.at}`}>
                    <td>{formatDuration(Math.max(0, (d.ts - r.session.startedAt) / 1000))}</td>
                    <td className="l">{kindName[d.kind] ?? d.kind}</td>
                    <td className="l">{d.productId ? (titles.get(d.productId) ?? d.productId) : DASH}</td>
                    <td className={d.action === 'accepted' ? 'good' : 'muted'}>{d.action === 'accepted' ? w.accepted : w.dismissed}</td>
                    <td className="l">{d.byName ?? DASH}</td>
                    <td className="l">{d.reason ?? ''}</td>
                  </tr>
                ) : null,
              )}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function AdsAlerts({ r, w, locale }: { r: RetroReportView; w: Words; locale: Locale }) {
  const ads = r.timeline.adActions;
  const clock = (ts: number) => formatDuration(Math.max(0, (ts - r.session.startedAt) / 1000));
  return (
    <section className="panel two">
      <div>
        <h2>{w.ads}</h2>
        {ads.length ? (
          <table className="tbl">
            <tbody>
              {ads.map((a) => (
                <tr key={a.id}>
                  <td>{clock(a.ts)}</td>
                  <td className="l">{adActionText(a, locale)}</td>
                  <td className="l">{a.byName ?? ''}</td>
                  <td className="l">{a.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">{w.none}</p>
        )}
      </div>
      <div>
        <h2>{w.alerts}</h2>
        {r.alerts.length ? (
          <table className="tbl">
            <tbody>
              {r.alerts.map((a) => (
                <tr key={a.id}>
                  <td className="nowrap">{fillWords(w.minuteN, { m: a.minute + 1 })}</td>
                  <td className="l">{alertText(a, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">{w.none}</p>
        )}
      </div>
    </section>
  );
}
