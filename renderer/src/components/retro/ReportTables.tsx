import { useMemo, type ReactNode } from 'react';
import type { RetroReportView, GroupFigures } from '../../../../shared/retro/types.ts';
import { ROLE_LABELS, SOURCE_LABELS, formatChange } from '../../../../shared/retro/labels.ts';
import { productColors } from '../../../../shared/retro/chart-options.ts';
import { adActionText } from '../../../../shared/retro/scorecard.ts';
import type { RetroWords as Words } from '../../../../shared/retro/words.ts';
import { TrafficSources } from '../../../../shared/protocol.ts';
import { DASH, formatCount, formatDuration, formatMoneyFen, formatRate, formatYuan, type Locale } from '../../../../shared/format.ts';
import { alertText } from '../../../../shared/alerts/text.ts';
import { minuteLabel, minuteRangeLabel } from '../../../../shared/minutes.ts';
import { whoText } from '../../../../shared/who.ts';

// ---- the report's tables: R4 scorecard, R5 products, funnel, traffic, demand, R6 suggestions, A4 ads, L4 alerts

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

// ---- R4: segment scorecard ------------------------------------------------------------------------

function Rel({ c }: { c: number | null }) {
  return c === null ? <span className="muted">{DASH}</span> : <span className={c >= 0 ? 'good' : 'bad'}>{formatChange(c, 0)}</span>;
}

export function Scorecard({ r, w, locale, chart }: { r: RetroReportView; w: Words; locale: Locale; chart: ReactNode }) {
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
                <td>{minuteLabel(g.startMinute, locale)}</td>
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

export function Products({ r, w, locale }: { r: RetroReportView; w: Words; locale: Locale }) {
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

export function FunnelTraffic({ r, w, locale, chart }: { r: RetroReportView; w: Words; locale: Locale; chart: ReactNode }) {
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
                  {minuteRangeLabel(p.fromMinute, p.toMinute, locale)}
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

export function Demand({ r, w, locale, chart }: { r: RetroReportView; w: Words; locale: Locale; chart: ReactNode }) {
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

export function Suggestions({ r, w, locale }: { r: RetroReportView; w: Words; locale: Locale }) {
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

export function AdsAlerts({ r, w, locale }: { r: RetroReportView; w: Words; locale: Locale }) {
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
                <tr key={a.id} data-testid="retro-alert" data-minute={a.minute}>
                  <td className="nowrap">{minuteLabel(a.minute, locale)}</td>
                  <td className="l">{alertText(a, locale)}</td>
                  <td className="l muted">{a.acknowledgedAt === null ? '' : whoText(a.acknowledgedBy, a.acknowledgedRole, locale)}</td>
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
