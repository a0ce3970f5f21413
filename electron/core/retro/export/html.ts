/**
 * The retrospective as one self-contained HTML file (R8): inline CSS, inline SVG charts, no
 * script, no external resource — it opens offline in any browser, mails as an attachment, and
 * prints (the PDF is this page printed by Chromium). Chinese first; `locale: 'en'` for English.
 * Every piece of text that came from outside (titles, notes, reasons) is escaped.
 */
import { SETTLEMENT_TITLE, settlementLines, settlementNote } from '../../../../shared/imports/settlement-view.ts';
import type { RetroReport } from '../retrospective.ts';
import { renderCharts, productColors } from './charts.ts';
import { KPI_BY_KEY, ROLE_LABELS, SOURCE_LABELS, formatChange, formatValue } from '../../../../shared/retro/labels.ts';
import { adActionText } from '../../../../shared/retro/scorecard.ts';
import { TrafficSources } from '../../../../shared/protocol.ts';
import { RETRO_WORDS as W, gmvTargetText, previousLabel } from '../../../../shared/retro/words.ts';
import { DASH, formatCount, formatDate, formatDuration, formatMoneyFen, formatRate, formatYuan, type Locale } from '../../../../shared/format.ts';
import { alertText } from '../../../../shared/alerts/text.ts';
import { escapeHtml as esc } from '../../../../shared/html.ts';
import { minuteLabel, minuteRangeLabel } from '../../../../shared/minutes.ts';
import { whoText } from '../../../../shared/who.ts';



const CSS = `
*{box-sizing:border-box}body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","Source Han Sans SC",system-ui,sans-serif;color:#1f1f1f;margin:0;background:#f5f6f8;font-size:13px;line-height:1.5}
main{max-width:1060px;margin:0 auto;padding:24px}
header{background:#10239e;color:#fff;padding:20px 24px;border-radius:8px;margin-bottom:16px}
header h1{margin:0 0 6px;font-size:22px}header .meta{opacity:.9;font-size:12px}header .meta span{margin-right:18px}
section{background:#fff;border-radius:8px;padding:16px 20px;margin-bottom:14px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h2{font-size:16px;margin:0 0 10px;border-left:4px solid #2f54eb;padding-left:8px}h3{font-size:14px;margin:14px 0 6px}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{border-bottom:1px solid #f0f0f0;padding:4px 6px;text-align:right;white-space:nowrap}
th{background:#fafafa;font-weight:600;color:#595959}td.l,th.l{text-align:left;white-space:normal;min-width:11em}table.dense{font-size:11px}table.dense td,table.dense th{padding:3px 4px}
.good{color:#237804}.bad{color:#cf1322}.warn{color:#ad6800}.muted{color:#8c8c8c}.tag{display:inline-block;padding:0 6px;border-radius:3px;font-size:11px}
.tag.good{background:#f6ffed}.tag.bad{background:#fff1f0}.tag.warn{background:#fffbe6}
ul.points{margin:0;padding-left:20px}ul.points li{margin:3px 0;font-size:14px}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}.card{border:1px solid #f0f0f0;border-radius:6px;padding:10px}
.card h3{margin:0 0 6px;font-size:13px;color:#10239e}.card dl{margin:0;display:grid;grid-template-columns:auto auto;gap:2px 8px;font-size:12px}.card dt{color:#595959}.card dd{margin:0;text-align:right;font-weight:600}
.note{font-size:11px;color:#8c8c8c;margin:4px 0}
.funnel .step{display:flex;align-items:center;margin:4px 0}.funnel .bar{background:#2f54eb;color:#fff;padding:3px 8px;border-radius:3px;min-width:110px;white-space:nowrap}
.funnel .rate{margin-left:10px;color:#595959;font-size:12px}
.chart,.keep{break-inside:avoid}.chart svg{width:100%;height:auto;display:block}h2,h3{break-after:avoid}
.swatch{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:4px;vertical-align:middle}
.two{display:grid;grid-template-columns:1fr 1fr;gap:16px}
footer{font-size:11px;color:#8c8c8c;text-align:center;padding:8px}
@page{size:A4;margin:12mm}
@media print{body{background:#fff;font-size:11px}main{padding:0;max-width:none}section{box-shadow:none;border:1px solid #eee;break-inside:avoid-page}section.long{break-inside:auto}tr{break-inside:avoid}header{-webkit-print-color-adjust:exact;print-color-adjust:exact}.cards{grid-template-columns:repeat(2,1fr)}}
`;


function changeCell(c: number | null, better: 'higher' | 'lower' | null): string {
  if (c === null) return `<td class="muted">${DASH}</td>`;
  const good = better === null ? '' : (c > 0) === (better === 'higher') ? 'good' : c === 0 ? '' : 'bad';
  return `<td class="${good}">${esc(formatChange(c))}</td>`;
}

function clock(ts: number, startedAt: number): string {
  return formatDuration(Math.max(0, (ts - startedAt) / 1000));
}

export async function renderHtml(r: RetroReport, opts: { locale?: Locale; generatedAt?: number } = {}): Promise<string> {
  const locale: Locale = opts.locale ?? 'zh-CN';
  const zh = locale === 'zh-CN';
  const w = W[locale];
  const L = (o: { zh: string; en: string }) => (zh ? o.zh : o.en);
  const charts = await renderCharts(r, locale);
  const colors = productColors(r);
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  const s = r.session;
  const dateFmt = new Intl.DateTimeFormat(zh ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  const money = (f: number | null) => formatMoneyFen(f, locale);
  const yuan = (y: number | null) => formatYuan(y, locale);
  const count = (n: number | null) => formatCount(n, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  const parts: string[] = [];

  parts.push(`<header><h1>${esc(w.report)} · ${esc(s.title)}</h1><div class="meta">
<span>${esc(w.room)}: ${esc(s.roomId)}</span><span>${esc(w.platform)}: ${esc(s.platform)}</span>
<span>${esc(w.start)}: ${esc(formatDate(s.startedAt, dateFmt))}</span><span>${esc(w.duration)}: ${esc(formatDuration(r.kpis.durationSec))}</span>
<span>${esc(w.generated)}: ${esc(formatDate(opts.generatedAt ?? Date.now(), dateFmt))}</span></div></header>`);

  // What matters.
  parts.push(
    `<section><h2>${esc(w.keyPoints)}</h2>${r.keyPoints.length ? `<ul class="points">${r.keyPoints.map((p) => `<li class="${p.tone}">${esc(L(p))}</li>`).join('')}</ul>` : `<p class="muted">${esc(w.noPoints)}</p>`}</section>`,
  );

  // Headline table: on a room's first show, no comparison columns (never "前0场").
  const nPrev = r.headline.previousSessions.length;
  const rows = r.headline.items
    .map((it) => {
      const meta = KPI_BY_KEY.get(it.key)!;
      const st = it.targetStatus;
      const stCls = st === 'met' ? 'good' : st === 'near' ? 'warn' : st === 'below' ? 'bad' : '';
      const prev = nPrev
        ? `<td>${esc(formatValue(it.previous.mean, it.unit, locale))}</td>${changeCell(it.previous.changeVsMean, it.better)}<td>${it.previous.rank === null || it.previous.of < 2 ? DASH : `${it.previous.rank}/${it.previous.of}`}</td>`
        : '';
      return `<tr><td class="l">${esc(L(meta))}</td><td><b>${esc(formatValue(it.value, it.unit, locale))}</b></td><td>${esc(formatValue(it.target, it.unit, locale))}</td><td class="${stCls}">${it.vsTarget === null ? DASH : esc(formatChange(it.vsTarget))}</td>${prev}</tr>`;
    })
    .join('');
  const prevHead = nPrev ? `<th>${esc(previousLabel(w, nPrev))}</th><th>${esc(w.change)}</th><th>${esc(w.rank)}</th>` : '';
  parts.push(
    `<section class="long"><h2>${esc(w.headline)}</h2>${nPrev ? '' : `<p class="note">${esc(w.firstShow)}</p>`}<table><thead><tr><th class="l">${esc(w.kpi)}</th><th>${esc(w.value)}</th><th>${esc(w.target)}</th><th>${esc(w.vsTarget)}</th>${prevHead}</tr></thead><tbody>${rows}</tbody></table></section>`,
  );

  // R9: settled vs live, right under the figures it changed.
  if (r.settlement) {
    const lines = settlementLines(r.settlement, locale);
    const body = lines.length
      ? `<table><thead><tr><th class="l">${esc(w.kpi)}</th><th>${esc(zh ? '直播时' : 'Live')}</th><th>${esc(zh ? '结算后' : 'Settled')}</th><th>${esc(w.change)}</th><th>%</th></tr></thead><tbody>${lines.map((l) => `<tr><td class="l">${esc(l.label)}</td><td>${esc(l.live)}</td><td><b>${esc(l.settled)}</b></td><td>${esc(l.change)}</td><td>${esc(l.changePct)}</td></tr>`).join('')}</tbody></table>`
      : `<p class="muted">${esc(zh ? '结算数据与直播时一致' : 'The settled figures equal the live ones')}</p>`;
    parts.push(`<section class="settlement"><h2>${esc(L(SETTLEMENT_TITLE))}</h2><p class="note">${esc(settlementNote(r.settlement, locale))}</p>${body}</section>`);
  }

  // Review dimensions.
  const rv = r.review;
  const dl = (pairs: Array<[string, string]>) => `<dl>${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
  const kpiName = (k: Parameters<typeof KPI_BY_KEY.get>[0]) => L(KPI_BY_KEY.get(k)!);
  parts.push(`<section><h2>${esc(w.dims)}</h2><div class="cards">
<div class="card"><h3>${esc(w.sales)}</h3>${dl([
    [kpiName('gmvFen'), money(rv.sales.gmvFen)],
    [w.gmvTarget, gmvTargetText(w, rv.sales.gmvTargetFen, rv.sales.gmvTargetSource, money)],
    [w.attainment, formatRate(rv.sales.attainment, 1)],
    [w.vsPrev, nPrev ? formatChange(rv.sales.vsPrevious) : w.firstShowShort],
    [kpiName('orders'), count(rv.sales.orders)],
    [`${kpiName('ctr')} / ${w.target}`, `${pct(rv.sales.ctr.value)} / ${pct(rv.sales.ctr.target)}`],
    [`${kpiName('clickToOrder')} / ${w.target}`, `${pct(rv.sales.clickToOrder.value)} / ${pct(rv.sales.clickToOrder.target)}`],
  ])}</div>
<div class="card"><h3>${esc(w.reach)}</h3>${dl([
    [kpiName('pv'), count(rv.reach.pv)],
    [kpiName('uv'), count(rv.reach.uv)],
    [kpiName('peakOnline'), count(rv.reach.peakOnline)],
    [kpiName('avgWatchSec'), formatDuration(rv.reach.avgWatchSec)],
    [kpiName('shares'), count(rv.reach.shares)],
    [kpiName('comments'), count(rv.reach.comments)],
    [w.natural, formatRate(rv.reach.naturalShare, 1)],
  ])}</div>
<div class="card"><h3>${esc(w.audience)}</h3>${dl([
    [kpiName('newFollowers'), count(rv.audience.newFollowers)],
    [kpiName('followRate'), pct(rv.audience.followRate)],
    [kpiName('fansclubJoins'), count(rv.audience.fansclubJoins)],
    [kpiName('buyers'), count(rv.audience.buyers)],
    [w.returning, rv.audience.returningViewers === null ? w.notInFeed : count(rv.audience.returningViewers)],
  ])}</div>
<div class="card"><h3>${esc(w.roi)}</h3>${dl([
    [kpiName('adSpendFen'), money(rv.roi.adSpendFen)],
    [kpiName('roi'), rv.roi.roi === null ? DASH : rv.roi.roi.toFixed(2)],
    [kpiName('adRoi'), rv.roi.adRoi === null ? DASH : rv.roi.adRoi.toFixed(2)],
    [`${w.target} ROI`, rv.roi.roiTarget.toFixed(2)],
    [kpiName('breakEvenRoi'), rv.roi.breakEvenRoi === null ? DASH : rv.roi.breakEvenRoi.toFixed(2)],
    [w.margin, formatRate(rv.roi.margin, 1)],
    [w.profit, money(rv.roi.profitFen)],
  ])}<p class="note">${esc((zh ? rv.roi.assumptionsZh : rv.roi.assumptionsEn).join('；'))}</p></div>
</div></section>`);

  // Charts.
  parts.push(`<section class="long"><div class="keep"><h2>${esc(w.timeline)}</h2><p class="note">${esc(w.timelineNote)}</p><div class="chart">${charts.timeline}</div></div><h3>${esc(w.rates)}</h3><div class="chart">${charts.rates}</div></section>`);

  // Scorecard.
  const sc = r.scorecard;
  const rel = (c: number | null) => (c === null ? `<span class="muted">${DASH}</span>` : `<span class="${c >= 0 ? 'good' : 'bad'}">${esc(formatChange(c, 0))}</span>`);
  const segRows = sc.segments
    .map(
      (g) =>
        `<tr><td>${g.index + 1}</td><td class="l"><span class="swatch" style="background:${colors.get(g.productId) ?? '#ccc'}"></span>${esc(g.title)}${g.verdict !== 'normal' ? ` <span class="tag ${g.verdict === 'strong' ? 'good' : 'bad'}">${esc(g.verdict === 'strong' ? w.strong : w.weak)}</span>` : ''}</td><td>${esc(minuteLabel(g.startMinute, locale))}</td><td>${esc(formatDuration(g.durationSec))}</td><td>${esc(money(g.gmvFen))}</td><td>${esc(yuan(g.gmvPerMin))}</td><td>${esc(yuan(g.gpm))}</td><td>${esc(pct(g.ctr))}</td><td>${esc(pct(g.clickToOrder))}</td><td>${esc(count(g.onlineStart))}→${esc(count(g.onlineEnd))}</td><td>${rel(g.vsRoom.gmvPerMin)}</td><td>${g.vsProduct ? rel(g.vsProduct.gmvPerMin) : DASH}</td><td>${g.advice === 'followed' ? `<span class="good">${esc(w.followed)}</span>` : g.advice === 'against' ? `<span class="warn">${esc(w.against)}</span>` : ''}</td></tr>`,
    )
    .join('');
  const list = (xs: ReadonlyArray<{ zh: string; en: string }>) => (xs.length ? `<ul>${xs.map((x) => `<li>${esc(zh ? x.zh : x.en)}</li>`).join('')}</ul>` : `<p class="muted">${esc(w.none)}</p>`);
  parts.push(`<section class="long"><div class="keep"><h2>${esc(w.scorecard)}</h2><p class="note">${esc(w.scoreNote)} ${esc(w.perMin)}: ${esc(yuan(sc.baseline.gmvPerMin))} · GPM ${esc(yuan(sc.baseline.gpm))} · ${esc(w.ctr)} ${esc(pct(sc.baseline.ctr))} · ${esc(w.c2o)} ${esc(pct(sc.baseline.clickToOrder))}</p>
<div class="chart">${charts.segments}</div></div>
<table class="dense"><thead><tr><th>${esc(w.seg)}</th><th class="l">${esc(w.product)}</th><th>${esc(w.startMin)}</th><th>${esc(w.dur)}</th><th>${esc(w.gmv)}</th><th>${esc(w.perMin)}</th><th>${esc(w.gpm)}</th><th>${esc(w.ctr)}</th><th>${esc(w.c2o)}</th><th>${esc(w.online)}</th><th>${esc(w.vsRoom)}</th><th>${esc(w.vsProduct)}</th><th>${esc(w.advice)}</th></tr></thead><tbody>${segRows}</tbody></table>
<div class="two"><div><h3>${esc(w.deadAir)}</h3>${list(sc.deadAir)}</div><div><h3>${esc(w.drops)}</h3>${list(sc.drops)}<h3>${esc(w.gains)}</h3>${list(sc.gains)}</div></div></section>`);

  // Products.
  const prodRows = r.products
    .map(
      (p) =>
        `<tr><td class="l"><span class="swatch" style="background:${colors.get(p.productId) ?? '#ccc'}"></span>${esc(p.title)}</td><td>${esc(p.role ? L(ROLE_LABELS[p.role] ?? { zh: p.role, en: p.role }) : DASH)}</td><td>${esc(money(p.priceFen))}</td><td>${esc(count(p.exposures))}</td><td>${esc(count(p.clicks))}</td><td>${esc(pct(p.ctr))}</td><td>${esc(count(p.orders))}</td><td>${esc(pct(p.clickToOrder))}</td><td>${esc(money(p.gmvFen))}</td><td>${esc(formatDuration(p.pinnedSec))}</td><td>${esc(yuan(p.gmvPerPinnedMin))}</td></tr>`,
    )
    .join('');
  parts.push(
    `<section class="long"><h2>${esc(w.products)}</h2><table><thead><tr><th class="l">${esc(w.product)}</th><th>${esc(w.role)}</th><th>${esc(w.price)}</th><th>${esc(w.exposures)}</th><th>${esc(w.clicks)}</th><th>${esc(w.ctr)}</th><th>${esc(w.orders)}</th><th>${esc(w.c2o)}</th><th>${esc(w.gmv)}</th><th>${esc(w.pinned)}</th><th>${esc(w.perMin)}</th></tr></thead><tbody>${prodRows}</tbody></table></section>`,
  );

  // Funnel and traffic.
  const top = Math.max(1, ...r.funnel.steps.map((x) => x.value));
  const funnel = r.funnel.steps
    .map((st) => {
      const width = Math.max(8, Math.round(Math.sqrt(st.value / top) * 100));
      return `<div class="step"><div class="bar" style="width:${width}%">${esc(zh ? st.zh : st.en)} ${esc(count(st.value))}</div>${st.rate === null ? '' : `<span class="rate">${esc(zh ? st.rateZh : st.rateEn)} ${esc(pct(st.rate))}</span>`}</div>`;
    })
    .join('');
  const srcRows = TrafficSources.map((src) => `<tr><td class="l">${esc(L(SOURCE_LABELS[src]))}</td><td>${esc(count(r.traffic.totals[src]))}</td><td>${esc(formatRate(r.traffic.shares[src], 1))}</td></tr>`).join('');
  parts.push(`<section><div class="two"><div><h2>${esc(w.funnel)}</h2><div class="funnel">${funnel}</div><p class="note">${esc(w.overall)} ${esc(pct(r.funnel.overall))} · ${esc(w.people)}: UV ${esc(count(r.funnel.people.uv))} → ${esc(count(r.funnel.people.buyers))} (${esc(pct(r.funnel.people.viewToBuyer))})</p></div>
<div><h2>${esc(w.traffic)}</h2><table><thead><tr><th class="l">${esc(w.source)}</th><th>${esc(w.enters)}</th><th>${esc(w.share)}</th></tr></thead><tbody>${srcRows}</tbody></table></div></div>
<div class="chart">${charts.traffic}</div>
<h3>${esc(w.phases)}</h3><table><thead><tr><th class="l">${esc(w.phase)}</th><th>${esc(w.enters)}</th>${TrafficSources.map((src) => `<th>${esc(L(SOURCE_LABELS[src]))}</th>`).join('')}</tr></thead><tbody>${r.traffic.phases
    .map((p) => `<tr><td class="l">${esc(minuteRangeLabel(p.fromMinute, p.toMinute, locale))}</td><td>${esc(count(p.enters))}</td>${TrafficSources.map((src) => `<td>${esc(formatRate(p.shares[src], 0))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></section>`);

  // Demand.
  parts.push(`<section><h2>${esc(w.demand)}</h2><p class="note">${esc(w.demandShare)}: ${esc(formatRate(r.demand.demandShare, 1))} (${esc(count(r.demand.comments))})</p><div class="two">
<div><h3>${esc(w.words)}</h3><table><tbody>${r.demand.words.map((x) => `<tr><td class="l">${esc(x.word)}</td><td>${esc(count(x.count))}</td></tr>`).join('') || `<tr><td class="l muted">${esc(w.none)}</td></tr>`}</tbody></table></div>
<div><h3>${esc(w.asked)}</h3><table><tbody>${r.demand.products.map((x) => `<tr><td class="l">${esc(x.title)}</td><td>${esc(count(x.count))}</td></tr>`).join('') || `<tr><td class="l muted">${esc(w.none)}</td></tr>`}</tbody></table></div></div>
<div class="chart">${charts.demand}</div></section>`);

  // Suggestions and decisions.
  const sg = rv.suggestions;
  const kindName = w.kindNames;
  const grp = (name: string, g: typeof sg.followed) => `<tr><td class="l">${esc(name)}</td><td>${g.segments}</td><td>${esc(g.minutes.toFixed(1))}</td><td>${esc(money(g.gmvFen))}</td><td>${esc(yuan(g.gmvPerMin))}</td><td>${esc(pct(g.ctr))}</td><td>${esc(pct(g.clickToOrder))}</td></tr>`;
  const decided = r.actions.filter((a) => a.type === 'suggestion' && a.action !== 'shown');
  parts.push(`<section class="long"><h2>${esc(w.suggestions)}</h2><table><thead><tr><th class="l">${esc(w.kind)}</th><th>${esc(w.shown)}</th><th>${esc(w.accepted)}</th><th>${esc(w.dismissed)}</th><th>${esc(w.ignored)}</th></tr></thead><tbody>${Object.entries(sg.counts)
    .map(([k, c]) => `<tr><td class="l">${esc(kindName[k] ?? k)}</td><td>${c.shown}</td><td>${c.accepted}</td><td>${c.dismissed}</td><td>${c.ignored}</td></tr>`)
    .join('')}</tbody></table>
<h3>${esc(w.compareGroups)}</h3><table><thead><tr><th class="l">${esc(w.group)}</th><th>${esc(w.segments)}</th><th>${esc(w.minutes)}</th><th>${esc(w.gmv)}</th><th>${esc(w.perMin)}</th><th>${esc(w.ctr)}</th><th>${esc(w.c2o)}</th></tr></thead><tbody>${grp(w.followedGroup, sg.followed)}${grp(w.againstGroup, sg.against)}${grp(w.otherGroup, sg.other)}</tbody></table>
<p class="note">${esc(zh ? sg.noteZh : sg.noteEn)}${sg.difference === null ? '' : ` (${esc(formatChange(sg.difference))})`}</p>
${decided.length ? `<h3>${esc(w.decisions)}</h3><table><thead><tr><th>${esc(w.time)}</th><th class="l">${esc(w.kind)}</th><th class="l">${esc(w.product)}</th><th>${esc(w.action)}</th><th class="l">${esc(w.who)}</th><th class="l">${esc(w.reason)}</th></tr></thead><tbody>${decided
    .map((d) =>
      d.type === 'suggestion'
        ? `<tr><td>${esc(clock(d.ts, s.startedAt))}</td><td class="l">${esc(kindName[d.kind] ?? d.kind)}</td><td class="l">${esc(d.productId ? (titles.get(d.productId) ?? d.productId) : DASH)}</td><td class="${d.action === 'accepted' ? 'good' : 'muted'}">${esc(d.action === 'accepted' ? w.accepted : w.dismissed)}</td><td class="l">${esc(d.byName ?? DASH)}</td><td class="l">${esc(d.reason ?? '')}</td></tr>`
        : '',
    )
    .join('')}</tbody></table>` : ''}</section>`);

  // Ads, notes, alerts.
  const ads = r.timeline.adActions;
  parts.push(`<section><div class="two"><div><h2>${esc(w.ads)}</h2>${ads.length ? `<table><tbody>${ads.map((a) => `<tr><td>${esc(clock(a.ts, s.startedAt))}</td><td class="l">${esc(adActionText(a, locale))}</td><td class="l">${esc(a.byName ?? '')}</td><td class="l">${esc(a.reason ?? '')}</td></tr>`).join('')}</tbody></table>` : `<p class="muted">${esc(w.none)}</p>`}
<h2 style="margin-top:14px">${esc(w.alerts)}</h2>${r.alerts.length ? `<table><tbody>${r.alerts.map((a) => `<tr data-alert-minute="${a.minute}"><td>${esc(minuteLabel(a.minute, locale))}</td><td class="l">${esc(alertText(a, locale))}</td><td class="l muted">${a.acknowledgedAt === null ? '' : esc(whoText(a.acknowledgedBy, a.acknowledgedRole, locale))}</td></tr>`).join('')}</tbody></table>` : `<p class="muted">${esc(w.none)}</p>`}</div>
<div><h2>${esc(w.notes)}</h2>${r.notes.length ? `<table><tbody>${r.notes.map((n) => `<tr><td>${esc(n.minute === null ? w.wholeShow : minuteLabel(n.minute, locale))}</td><td class="l">${esc(n.text)}</td><td class="l muted">${esc(n.byName ?? '')}</td></tr>`).join('')}</tbody></table>` : `<p class="muted">${esc(w.none)}</p>`}</div></div></section>`);

  parts.push(`<footer>${esc(w.definitions)} · ${esc(r.session.sessionId)}</footer>`);
  return `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="generator" content="Live Control Room"><title>${esc(w.report)} · ${esc(s.title)}</title><style>${CSS}</style></head><body><main>${parts.join('\n')}</main></body></html>`;
}
