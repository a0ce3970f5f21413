import type { RetroReportView, HeadlineItem, KpiKey } from '../../../../shared/retro/types.ts';
import { KPI_BY_KEY, formatChange, formatValue } from '../../../../shared/retro/labels.ts';
import type { ReactNode } from 'react';
import { fillWords, gmvTargetText, type RetroWords as Words } from '../../../../shared/retro/words.ts';
import { DASH, formatCount, formatDuration, formatMoneyFen, formatRate, type Locale } from '../../../../shared/format.ts';

// ---- R2: headline ----------------------------------------------------------------------------------

/** 本场要点: the report's key points, worst first (shared/retro/key-points.ts, as every export prints them). */
export function KeyPoints({ r, w, locale }: { r: RetroReportView; w: Words; locale: Locale }) {
  const zh = locale === 'zh-CN';
  return (
    <section className="panel" data-testid="report-callouts">
      <h2>{w.keyPoints}</h2>
      {r.keyPoints.length ? (
        <ul className="points">
          {r.keyPoints.map((p, i) => (
            <li key={i} className={p.tone} data-testid="key-point" data-kind={p.kind}>
              {zh ? p.zh : p.en}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{w.noPoints}</p>
      )}
    </section>
  );
}

function Change({ c, better }: { c: number | null; better: 'higher' | 'lower' | null }) {
  if (c === null) return <span className="muted">{DASH}</span>;
  const cls = better === null || c === 0 ? '' : (c > 0) === (better === 'higher') ? 'good' : 'bad';
  return <span className={cls}>{formatChange(c)}</span>;
}

/** R2: every KPI as a tile — this show, against its target and against the room's previous shows. */
export function Headline({ r, w, locale }: { r: RetroReportView; w: Words; locale: Locale }) {
  const zh = locale === 'zh-CN';
  const n = r.headline.previousSessions.length;
  const called = new Set(r.headline.callouts.map((c) => c.key));
  return (
    <section className="panel" data-testid="report-headline">
      <h2>
        {w.headline}
        <span className="muted h2-note" data-testid="headline-previous">{n ? fillWords(w.prevMean, { n }) : w.firstShow}</span>
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

function Card({ title, pairs, note, testId, children }: { title: string; pairs: Array<[string, string]>; note?: string; testId: string; children?: ReactNode }) {
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
      {children}
    </div>
  );
}

/** R6's four cards; `salesExtra` goes under the sales card (the screen's GMV target editor). */
export function ReviewCards({ r, w, locale, salesExtra }: { r: RetroReportView; w: Words; locale: Locale; salesExtra?: ReactNode }) {
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
            [w.gmvTarget, gmvTargetText(w, rv.sales.gmvTargetFen, rv.sales.gmvTargetSource, money)],
            [w.attainment, formatRate(rv.sales.attainment, 1)],
            [w.vsPrev, r.headline.previousSessions.length ? formatChange(rv.sales.vsPrevious) : w.firstShowShort],
            [name('orders'), count(rv.sales.orders)],
            [`${name('ctr')} / ${w.target}`, `${pct(rv.sales.ctr.value)} / ${pct(rv.sales.ctr.target)}`],
            [`${name('clickToOrder')} / ${w.target}`, `${pct(rv.sales.clickToOrder.value)} / ${pct(rv.sales.clickToOrder.target)}`],
          ]}
        >
          {salesExtra}
        </Card>
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
          note={rv.audience.returningViewers === null ? w.returningNote : undefined}
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
