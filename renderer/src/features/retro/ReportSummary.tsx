import type { RetroReportView, HeadlineItem } from '../../../../shared/retro/types.ts';
import { formatChange, formatValue } from '../../../../shared/retro/labels.ts';
import { reviewView, type ReviewRow } from '../../../../shared/retro/review-view.ts';
import type { ReactNode } from 'react';
import { DASH } from '../../../../shared/format.ts';
import { said, type Localiser } from '../../../../shared/i18n/localiser.ts';

// ---- headline KPIs ----------------------------------------------------------------------------------

/** 本场要点: the report's key points, worst first (shared/retro/key-points.ts, as every export prints them). */
export function KeyPoints({ r, i18n }: { r: RetroReportView; i18n: Localiser }) {
  return (
    <section className="panel" data-testid="report-callouts">
      <h2>{i18n('report.keyPoints')}</h2>
      {r.keyPoints.length ? (
        <ul className="points">
          {r.keyPoints.map((p, i) => (
            <li key={i} className={p.tone} data-testid="key-point" data-kind={p.kind}>
              {said(p, i18n)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{i18n('report.noPoints')}</p>
      )}
    </section>
  );
}

function Change({ c, better }: { c: number | null; better: 'higher' | 'lower' | null }) {
  if (c === null) return <span className="muted">{DASH}</span>;
  const cls = better === null || c === 0 ? '' : (c > 0) === (better === 'higher') ? 'good' : 'bad';
  return <span className={cls}>{formatChange(c)}</span>;
}

/** Every KPI as a tile — this show, against its target and against the room's previous shows. */
export function Headline({ r, i18n }: { r: RetroReportView; i18n: Localiser }) {
  const { locale } = i18n;
  const n = r.headline.previousSessions.length;
  const called = new Set(r.headline.callouts.map((c) => c.key));
  return (
    <section className="panel" data-testid="report-headline">
      <h2>
        {i18n('report.headline')}
        <span className="muted h2-note" data-testid="headline-previous">{n ? i18n('report.prevMean', { n }) : i18n('report.firstShow')}</span>
      </h2>
      <div className="headline-grid">
        {r.headline.items.map((it: HeadlineItem) => {
          const st = it.targetStatus;
          return (
            <div key={it.key} className={called.has(it.key) ? 'hl called' : 'hl'} data-testid={`headline-${it.key}`} data-value={it.value ?? ''} data-status={st ?? ''}>
              <div className="hl-label">{i18n(`kpi.${it.key}`)}</div>
              <div className={`hl-value ${st === 'met' ? 'good' : st === 'below' ? 'bad' : st === 'near' ? 'warn' : ''}`}>{formatValue(it.value, it.unit, locale)}</div>
              {it.target !== null ? (
                <div className="hl-line">
                  {i18n('report.target')} {formatValue(it.target, it.unit, locale)} <span className={st === 'met' ? 'good' : st === 'near' ? 'warn' : 'bad'}>{it.vsTarget === null ? '' : formatChange(it.vsTarget)}</span>
                </div>
              ) : null}
              {it.previous.mean !== null ? (
                <div className="hl-line">
                  {i18n('report.vsPrevShort')} <Change c={it.previous.changeVsMean} better={it.better} />
                  {it.previous.rank !== null && it.previous.of >= 2 ? <span className="muted" title={`${i18n('report.rank')} ${it.previous.rank}/${it.previous.of}`}> · #{it.previous.rank}/{it.previous.of}</span> : null}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </section>
  );
}

// ---- the four review dimensions ----------------------------------------------------------------------

function Card({ title, rows, note, testId, children }: { title: string; rows: ReviewRow[]; note: string | null; testId: string; children?: ReactNode }) {
  return (
    <div className="retro-card" data-testid={testId}>
      <h3>{title}</h3>
      <dl>
        {rows.map((x) => (
          <div key={x.key} className="pair" data-key={x.key} data-status={x.status ?? undefined}>
            <dt>{x.label}</dt>
            <dd>{x.text}</dd>
          </div>
        ))}
      </dl>
      {note ? <p className="note">{note}</p> : null}
      {children}
    </div>
  );
}

/** The four review dimensions as cards, from the review view-model every export renders too; `salesExtra` goes under the sales card (the screen's GMV target editor). */
export function ReviewCards({ r, i18n, salesExtra }: { r: RetroReportView; i18n: Localiser; salesExtra?: ReactNode }) {
  const view = reviewView(r, i18n);
  return (
    <section className="panel">
      <h2>{view.title}</h2>
      <div className="retro-cards">
        {view.dims.map((d) => (
          <Card key={d.dim} testId={`review-${d.dim}`} title={d.title} rows={d.rows} note={d.note}>
            {d.dim === 'sales' ? salesExtra : null}
          </Card>
        ))}
      </div>
    </section>
  );
}
