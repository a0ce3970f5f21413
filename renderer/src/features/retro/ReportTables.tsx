import { useMemo, type ReactNode } from 'react';
import type { RetroReportView, GroupFigures } from '../../../../shared/retro/types.ts';
import { formatChange, roleName } from '../../../../shared/retro/labels.ts';
import { productColors } from '../../../../shared/retro/chart-options.ts';
import { adActionText } from '../../../../shared/retro/scorecard.ts';
import { isMessageKey, said, type Localiser } from '../../../../shared/i18n/localiser.ts';
import { TrafficSources } from '../../../../shared/protocol.ts';
import { DASH, formatCount, formatDuration, formatMoneyFen, formatRate, formatYuan } from '../../../../shared/format.ts';
import { alertText } from '../../../../shared/alerts/text.ts';
import { minuteLabel, minuteRangeLabel } from '../../../../shared/minutes.ts';
import { whoText } from '../../../../shared/who.ts';

// ---- the report's tables: segment scorecard, products, funnel, traffic, demand, suggestions, ad actions, alerts

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

// ---- the segment scorecard ------------------------------------------------------------------------

function Rel({ c }: { c: number | null }) {
  return c === null ? <span className="muted">{DASH}</span> : <span className={c >= 0 ? 'good' : 'bad'}>{formatChange(c, 0)}</span>;
}

export function Scorecard({ r, i18n, chart }: { r: RetroReportView; i18n: Localiser; chart: ReactNode }) {
  const { locale } = i18n;
  const sc = r.scorecard;
  const colors = useMemo(() => productColors(r), [r]);
  const yuan = (y: number | null) => formatYuan(y, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  const list = (xs: ReadonlyArray<{ zh: string; en: string }>, testId: string) =>
    xs.length ? (
      <ul data-testid={testId}>
        {xs.map((x, i) => (
          <li key={i}>{said(x, i18n)}</li>
        ))}
      </ul>
    ) : (
      <p className="muted" data-testid={testId}>{i18n('report.none')}</p>
    );
  return (
    <section className="panel" data-testid="report-scorecard">
      <h2>{i18n('report.scorecard')}</h2>
      <p className="note">
        {i18n('report.scoreNote')} {i18n('report.perMin')}: {yuan(sc.baseline.gmvPerMin)} · GPM {yuan(sc.baseline.gpm)} · {i18n('report.ctr')} {pct(sc.baseline.ctr)} · {i18n('report.c2o')} {pct(sc.baseline.clickToOrder)}
      </p>
      {chart}
      <div className="table-scroll">
        <table className="tbl dense">
          <Head cols={[i18n('report.seg'), i18n('report.product'), i18n('report.startMin'), i18n('report.dur'), i18n('report.gmv'), i18n('report.perMin'), i18n('report.gpm'), i18n('report.ctr'), i18n('report.c2o'), i18n('report.online'), i18n('report.vsRoom'), i18n('report.vsProduct'), i18n('report.advice')]} left={[1]} />
          <tbody>
            {sc.segments.map((g) => (
              <tr key={g.index} data-testid="segment-row" data-verdict={g.verdict}>
                <td>{g.index + 1}</td>
                <td className="l">
                  <span className="swatch" style={{ background: colors.get(g.productId) ?? '#ccc' }} />
                  {g.title}
                  {g.verdict !== 'normal' ? <span className={`tag ${g.verdict === 'strong' ? 'good' : 'bad'}`}>{g.verdict === 'strong' ? i18n('report.strong') : i18n('report.weak')}</span> : null}
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
                <td>{g.advice === 'followed' ? <span className="good">{i18n('report.followed')}</span> : g.advice === 'against' ? <span className="warn">{i18n('report.against')}</span> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="two">
        <div>
          <h3>{i18n('report.deadAir')}</h3>
          {list(sc.deadAir, 'dead-air')}
        </div>
        <div>
          <h3>{i18n('report.drops')}</h3>
          {list(sc.drops, 'drops')}
          <h3>{i18n('report.gains')}</h3>
          {list(sc.gains, 'gains')}
        </div>
      </div>
    </section>
  );
}

// ---- products, funnel, traffic, demand ----------------------------------------------------------

export function Products({ r, i18n }: { r: RetroReportView; i18n: Localiser }) {
  const { locale } = i18n;
  const colors = useMemo(() => productColors(r), [r]);
  const money = (f: number | null) => formatMoneyFen(f, locale);
  const count = (x: number | null) => formatCount(x, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  return (
    <section className="panel" data-testid="report-products">
      <h2>{i18n('report.products')}</h2>
      <div className="table-scroll">
        <table className="tbl">
          <Head cols={[i18n('report.product'), i18n('report.role'), i18n('report.price'), i18n('report.exposures'), i18n('report.clicks'), i18n('report.ctr'), i18n('report.orders'), i18n('report.c2o'), i18n('report.gmv'), i18n('report.pinned'), i18n('report.perMin')]} />
          <tbody>
            {r.products.map((p) => (
              <tr key={p.productId}>
                <td className="l">
                  <span className="swatch" style={{ background: colors.get(p.productId) ?? '#ccc' }} />
                  {p.title}
                </td>
                <td>{p.role ? roleName(p.role, i18n) : DASH}</td>
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

export function FunnelTraffic({ r, i18n, chart }: { r: RetroReportView; i18n: Localiser; chart: ReactNode }) {
  const { locale } = i18n;
  const top = Math.max(1, ...r.funnel.steps.map((x) => x.value));
  const count = (x: number | null) => formatCount(x, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  return (
    <section className="panel" data-testid="report-funnel">
      <div className="two">
        <div>
          <h2>{i18n('report.funnel')}</h2>
          <div className="funnel">
            {r.funnel.steps.map((st) => (
              <div className="step" key={st.key} data-testid={`funnel-${st.key}`} data-value={st.value}>
                <div className="bar" style={{ width: `${Math.max(8, Math.round(Math.sqrt(st.value / top) * 100))}%` }}>
                  {said(st, i18n)} {count(st.value)}
                </div>
                {st.rate === null ? null : (
                  <span className="rate">
                    {said({ zh: st.rateZh ?? '', en: st.rateEn ?? '' }, i18n)} {pct(st.rate)}
                  </span>
                )}
              </div>
            ))}
          </div>
          <p className="note">
            {i18n('report.overall')} {pct(r.funnel.overall)} · {i18n('report.people')}: UV {count(r.funnel.people.uv)} → {count(r.funnel.people.buyers)} ({pct(r.funnel.people.viewToBuyer)})
          </p>
        </div>
        <div>
          <h2>{i18n('report.traffic')}</h2>
          <table className="tbl">
            <Head cols={[i18n('report.source'), i18n('report.enters'), i18n('report.share')]} />
            <tbody>
              {TrafficSources.map((src) => (
                <tr key={src}>
                  <td className="l">{i18n(`traffic.${src}`)}</td>
                  <td>{count(r.traffic.totals[src])}</td>
                  <td>{formatRate(r.traffic.shares[src], 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {chart}
      <h3>{i18n('report.phases')}</h3>
      <div className="table-scroll">
        <table className="tbl">
          <thead>
            <tr>
              <th className="l">{i18n('report.phase')}</th>
              <th>{i18n('report.enters')}</th>
              {TrafficSources.map((src) => (
                <th key={src}>{i18n(`traffic.${src}`)}</th>
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

export function Demand({ r, i18n, chart }: { r: RetroReportView; i18n: Localiser; chart: ReactNode }) {
  const { locale } = i18n;
  const count = (x: number | null) => formatCount(x, locale);
  return (
    <section className="panel" data-testid="report-demand-section">
      <h2>{i18n('report.demand')}</h2>
      <p className="note">
        {i18n('report.demandShare')}: {formatRate(r.demand.demandShare, 1)} ({count(r.demand.comments)})
      </p>
      <div className="two">
        <div>
          <h3>{i18n('report.words')}</h3>
          <div className="chips">
            {r.demand.words.length ? r.demand.words.map((x) => <span key={x.word} className="chip">{x.word} <b>{count(x.count)}</b></span>) : <span className="muted">{i18n('report.none')}</span>}
          </div>
        </div>
        <div>
          <h3>{i18n('report.asked')}</h3>
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
                  <td className="l muted">{i18n('report.none')}</td>
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

// ---- suggestions and decisions ----------------------------------------------------------------------

export function Suggestions({ r, i18n }: { r: RetroReportView; i18n: Localiser }) {
  const { locale } = i18n;
  const sg = r.review.suggestions;
  const kindName = (k: string) => {
    const key = `report.kind.${k}`;
    return isMessageKey(key) ? i18n(key) : k;
  };
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
      <h2>{i18n('report.suggestions')}</h2>
      <table className="tbl">
        <Head cols={[i18n('report.kind'), i18n('report.shown'), i18n('report.accepted'), i18n('report.dismissed'), i18n('report.ignored')]} />
        <tbody>
          {Object.entries(sg.counts).map(([k, c]) => (
            <tr key={k}>
              <td className="l">{kindName(k)}</td>
              <td>{c.shown}</td>
              <td>{c.accepted}</td>
              <td>{c.dismissed}</td>
              <td>{c.ignored}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{i18n('report.compareGroups')}</h3>
      <table className="tbl">
        <Head cols={[i18n('report.group'), i18n('report.segments'), i18n('report.minutes'), i18n('report.gmv'), i18n('report.perMin'), i18n('report.ctr'), i18n('report.c2o')]} />
        <tbody>
          {grp(i18n('report.followedGroup'), sg.followed)}
          {grp(i18n('report.againstGroup'), sg.against)}
          {grp(i18n('report.otherGroup'), sg.other)}
        </tbody>
      </table>
      <p className="note">
        {said({ zh: sg.noteZh, en: sg.noteEn }, i18n)}
        {sg.difference === null ? '' : ` (${formatChange(sg.difference)})`}
      </p>
      {decided.length ? (
        <>
          <h3>{i18n('report.decisions')}</h3>
          <table className="tbl">
            <Head cols={[i18n('report.time'), i18n('report.kind'), i18n('report.product'), i18n('report.action'), i18n('report.who'), i18n('report.reason')]} left={[1, 2, 4, 5]} />
            <tbody>
              {decided.map((d) =>
                d.type === 'suggestion' ? (
                  <tr key={`${d.suggestionId}-${d.action}-${d.at}`}>
                    <td>{formatDuration(Math.max(0, (d.ts - r.session.startedAt) / 1000))}</td>
                    <td className="l">{kindName(d.kind)}</td>
                    <td className="l">{d.productId ? (titles.get(d.productId) ?? d.productId) : DASH}</td>
                    <td className={d.action === 'accepted' ? 'good' : 'muted'}>{d.action === 'accepted' ? i18n('report.accepted') : i18n('report.dismissed')}</td>
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

export function AdsAlerts({ r, i18n }: { r: RetroReportView; i18n: Localiser }) {
  const { locale } = i18n;
  const ads = r.timeline.adActions;
  const clock = (ts: number) => formatDuration(Math.max(0, (ts - r.session.startedAt) / 1000));
  return (
    <section className="panel two">
      <div>
        <h2>{i18n('report.ads')}</h2>
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
          <p className="muted">{i18n('report.none')}</p>
        )}
      </div>
      <div>
        <h2>{i18n('report.alerts')}</h2>
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
          <p className="muted">{i18n('report.none')}</p>
        )}
      </div>
    </section>
  );
}
