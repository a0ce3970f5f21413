/**
 * The retrospective as one self-contained HTML file: inline CSS, inline SVG charts, no
 * script, no external resource — it opens offline in any browser, mails as an attachment, and
 * prints (the PDF is this page printed by Chromium). In the localiser's language, Chinese by default.
 * Every piece of text that came from outside (titles, notes, reasons) is escaped.
 */
import { settlementLines, settlementNote } from '../../../../shared/imports/settlement-view.ts';
import type { RetroReport } from '../retrospective.ts';
import { renderCharts, productColors, type ReportCharts } from './charts.ts';
import { formatChange, formatValue, previousLabel, roleName } from '../../../../shared/retro/labels.ts';
import { reviewView } from '../../../../shared/retro/review-view.ts';
import { adActionText } from '../../../../shared/retro/scorecard.ts';
import { TrafficSources } from '../../../../shared/protocol.ts';
import { DASH, formatCount, formatDateTime, formatDuration, formatMoneyFen, formatRate, formatYuan } from '../../../../shared/format.ts';
import { alertText } from '../../../../shared/alerts/text.ts';
import { escapeHtml as esc } from '../../../../shared/html.ts';
import { minuteLabel, minuteRangeLabel } from '../../../../shared/minutes.ts';
import { whoText } from '../../../../shared/who.ts';
import { isMessageKey, localiser, said, type Localiser } from '../../../../shared/i18n/localiser.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';

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

/** What every section reads: the report, its words and figures in the reader's language, its charts. */
interface Page {
  r: RetroReport;
  i18n: Localiser;
  charts: ReportCharts;
  colors: Map<string, string>;
  titles: Map<string, string>;
  money: (fen: number | null) => string;
  yuan: (y: number | null) => string;
  count: (n: number | null) => string;
  pct: (x: number | null) => string;
}

/** A header row: the columns at `left` (text, not figures) align left. */
function head(cols: string[], left: number[] = [0]): string {
  return `<thead><tr>${cols.map((c, i) => `<th${left.includes(i) ? ' class="l"' : ''}>${esc(c)}</th>`).join('')}</tr></thead>`;
}

function words(i18n: Localiser, keys: MessageKey[]): string[] {
  return keys.map((k) => i18n(k));
}

/** Prose the core wrote in both languages, as a list; "none" without any. */
function list(p: Page, xs: ReadonlyArray<{ zh: string; en: string }>): string {
  return xs.length ? `<ul>${xs.map((x) => `<li>${esc(said(x, p.i18n))}</li>`).join('')}</ul>` : `<p class="muted">${esc(p.i18n('report.none'))}</p>`;
}

function top(p: Page, generatedAt: number): string {
  const { r, i18n } = p;
  const s = r.session;
  const date = (ts: number) => formatDateTime(ts, i18n.locale, { dateStyle: 'medium', timeStyle: 'short' });
  return `<header><h1>${esc(i18n('report.report'))} · ${esc(s.title)}</h1><div class="meta">
<span>${esc(i18n('report.room'))}: ${esc(s.roomId)}</span><span>${esc(i18n('report.platform'))}: ${esc(s.platform)}</span>
<span>${esc(i18n('report.start'))}: ${esc(date(s.startedAt))}</span><span>${esc(i18n('report.duration'))}: ${esc(formatDuration(r.kpis.durationSec))}</span>
<span>${esc(i18n('report.generated'))}: ${esc(date(generatedAt))}</span></div></header>`;
}

function keyPoints(p: Page): string {
  const { r, i18n } = p;
  return `<section><h2>${esc(i18n('report.keyPoints'))}</h2>${r.keyPoints.length ? `<ul class="points">${r.keyPoints.map((k) => `<li class="${k.tone}">${esc(said(k, i18n))}</li>`).join('')}</ul>` : `<p class="muted">${esc(i18n('report.noPoints'))}</p>`}</section>`;
}

/** The headline table: on a room's first show, no comparison columns (never "前0场"). */
function headline(p: Page): string {
  const { r, i18n } = p;
  const { locale } = i18n;
  const nPrev = r.headline.previousSessions.length;
  const rows = r.headline.items
    .map((it) => {
      const st = it.targetStatus;
      const stCls = st === 'met' ? 'good' : st === 'near' ? 'warn' : st === 'below' ? 'bad' : '';
      const prev = nPrev
        ? `<td>${esc(formatValue(it.previous.mean, it.unit, locale))}</td>${changeCell(it.previous.changeVsMean, it.better)}<td>${it.previous.rank === null || it.previous.of < 2 ? DASH : `${it.previous.rank}/${it.previous.of}`}</td>`
        : '';
      return `<tr><td class="l">${esc(i18n(`kpi.${it.key}`))}</td><td><b>${esc(formatValue(it.value, it.unit, locale))}</b></td><td>${esc(formatValue(it.target, it.unit, locale))}</td><td class="${stCls}">${it.vsTarget === null ? DASH : esc(formatChange(it.vsTarget))}</td>${prev}</tr>`;
    })
    .join('');
  const prevHead = nPrev ? `<th>${esc(previousLabel(nPrev, i18n))}</th><th>${esc(i18n('report.change'))}</th><th>${esc(i18n('report.rank'))}</th>` : '';
  return `<section class="long"><h2>${esc(i18n('report.headline'))}</h2>${nPrev ? '' : `<p class="note">${esc(i18n('report.firstShow'))}</p>`}<table><thead><tr><th class="l">${esc(i18n('report.kpi'))}</th><th>${esc(i18n('report.value'))}</th><th>${esc(i18n('report.target'))}</th><th>${esc(i18n('report.vsTarget'))}</th>${prevHead}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Settled vs live, right under the figures it changed. */
function settlement(p: Page): string {
  const { r, i18n } = p;
  if (!r.settlement) return '';
  const lines = settlementLines(r.settlement, i18n);
  const body = lines.length
    ? `<table>${head([...words(i18n, ['report.kpi', 'retro.liveFigure', 'retro.settledFigure', 'report.change']), '%'])}<tbody>${lines.map((l) => `<tr><td class="l">${esc(l.label)}</td><td>${esc(l.live)}</td><td><b>${esc(l.settled)}</b></td><td>${esc(l.change)}</td><td>${esc(l.changePct)}</td></tr>`).join('')}</tbody></table>`
    : `<p class="muted">${esc(i18n('retro.noChange'))}</p>`;
  return `<section class="settlement"><h2>${esc(i18n('report.settlement'))}</h2><p class="note">${esc(settlementNote(r.settlement, i18n))}</p>${body}</section>`;
}

/** The four dimensions as cards, from the one review view-model. */
function review(p: Page): string {
  const view = reviewView(p.r, p.i18n);
  const cards = view.dims.map(
    (d) => `<div class="card"><h3>${esc(d.title)}</h3><dl>${d.rows.map((x) => `<dt>${esc(x.label)}</dt><dd>${esc(x.text)}</dd>`).join('')}</dl>${d.note === null ? '' : `<p class="note">${esc(d.note)}</p>`}</div>`,
  );
  return `<section><h2>${esc(view.title)}</h2><div class="cards">\n${cards.join('\n')}\n</div></section>`;
}

function timeline(p: Page): string {
  const { i18n, charts } = p;
  return `<section class="long"><div class="keep"><h2>${esc(i18n('report.timeline'))}</h2><p class="note">${esc(i18n('report.timelineNote'))}</p><div class="chart">${charts.timeline}</div></div><h3>${esc(i18n('report.rates'))}</h3><div class="chart">${charts.rates}</div></section>`;
}

function scorecard(p: Page): string {
  const { r, i18n, colors, money, yuan, count, pct } = p;
  const sc = r.scorecard;
  const rel = (c: number | null) => (c === null ? `<span class="muted">${DASH}</span>` : `<span class="${c >= 0 ? 'good' : 'bad'}">${esc(formatChange(c, 0))}</span>`);
  const advice = (a: 'followed' | 'against' | null) => (a === 'followed' ? `<span class="good">${esc(i18n('report.followed'))}</span>` : a === 'against' ? `<span class="warn">${esc(i18n('report.against'))}</span>` : '');
  const segRows = sc.segments
    .map(
      (g) =>
        `<tr><td>${g.index + 1}</td><td class="l"><span class="swatch" style="background:${colors.get(g.productId) ?? '#ccc'}"></span>${esc(g.title)}${g.verdict !== 'normal' ? ` <span class="tag ${g.verdict === 'strong' ? 'good' : 'bad'}">${esc(i18n(g.verdict === 'strong' ? 'report.strong' : 'report.weak'))}</span>` : ''}</td><td>${esc(minuteLabel(g.startMinute, i18n.locale))}</td><td>${esc(formatDuration(g.durationSec))}</td><td>${esc(money(g.gmvFen))}</td><td>${esc(yuan(g.gmvPerMin))}</td><td>${esc(yuan(g.gpm))}</td><td>${esc(pct(g.ctr))}</td><td>${esc(pct(g.clickToOrder))}</td><td>${esc(count(g.onlineStart))}→${esc(count(g.onlineEnd))}</td><td>${rel(g.vsRoom.gmvPerMin)}</td><td>${g.vsProduct ? rel(g.vsProduct.gmvPerMin) : DASH}</td><td>${advice(g.advice)}</td></tr>`,
    )
    .join('');
  return `<section class="long"><div class="keep"><h2>${esc(i18n('report.scorecard'))}</h2><p class="note">${esc(i18n('report.scoreNote'))} ${esc(i18n('report.perMin'))}: ${esc(yuan(sc.baseline.gmvPerMin))} · GPM ${esc(yuan(sc.baseline.gpm))} · ${esc(i18n('report.ctr'))} ${esc(pct(sc.baseline.ctr))} · ${esc(i18n('report.c2o'))} ${esc(pct(sc.baseline.clickToOrder))}</p>
<div class="chart">${p.charts.segments}</div></div>
<table class="dense">${head(words(i18n, ['report.seg', 'report.product', 'report.startMin', 'report.dur', 'report.gmv', 'report.perMin', 'report.gpm', 'report.ctr', 'report.c2o', 'report.online', 'report.vsRoom', 'report.vsProduct', 'report.advice']), [1])}<tbody>${segRows}</tbody></table>
<div class="two"><div><h3>${esc(i18n('report.deadAir'))}</h3>${list(p, sc.deadAir)}</div><div><h3>${esc(i18n('report.drops'))}</h3>${list(p, sc.drops)}<h3>${esc(i18n('report.gains'))}</h3>${list(p, sc.gains)}</div></div></section>`;
}

function products(p: Page): string {
  const { r, i18n, colors, money, yuan, count, pct } = p;
  const rows = r.products
    .map(
      (x) =>
        `<tr><td class="l"><span class="swatch" style="background:${colors.get(x.productId) ?? '#ccc'}"></span>${esc(x.title)}</td><td>${esc(x.role ? roleName(x.role, i18n) : DASH)}</td><td>${esc(money(x.priceFen))}</td><td>${esc(count(x.exposures))}</td><td>${esc(count(x.clicks))}</td><td>${esc(pct(x.ctr))}</td><td>${esc(count(x.orders))}</td><td>${esc(pct(x.clickToOrder))}</td><td>${esc(money(x.gmvFen))}</td><td>${esc(formatDuration(x.pinnedSec))}</td><td>${esc(yuan(x.gmvPerPinnedMin))}</td></tr>`,
    )
    .join('');
  return `<section class="long"><h2>${esc(i18n('report.products'))}</h2><table>${head(words(i18n, ['report.product', 'report.role', 'report.price', 'report.exposures', 'report.clicks', 'report.ctr', 'report.orders', 'report.c2o', 'report.gmv', 'report.pinned', 'report.perMin']))}<tbody>${rows}</tbody></table></section>`;
}

function funnelTraffic(p: Page): string {
  const { r, i18n, count, pct } = p;
  const most = Math.max(1, ...r.funnel.steps.map((x) => x.value));
  const funnel = r.funnel.steps
    .map((st) => {
      const width = Math.max(8, Math.round(Math.sqrt(st.value / most) * 100));
      const rate = st.rate === null ? '' : `<span class="rate">${esc(said({ zh: st.rateZh ?? '', en: st.rateEn ?? '' }, i18n))} ${esc(pct(st.rate))}</span>`;
      return `<div class="step"><div class="bar" style="width:${width}%">${esc(said(st, i18n))} ${esc(count(st.value))}</div>${rate}</div>`;
    })
    .join('');
  const source = (src: (typeof TrafficSources)[number]) => esc(i18n(`traffic.${src}`));
  const srcRows = TrafficSources.map((src) => `<tr><td class="l">${source(src)}</td><td>${esc(count(r.traffic.totals[src]))}</td><td>${esc(formatRate(r.traffic.shares[src], 1))}</td></tr>`).join('');
  return `<section><div class="two"><div><h2>${esc(i18n('report.funnel'))}</h2><div class="funnel">${funnel}</div><p class="note">${esc(i18n('report.overall'))} ${esc(pct(r.funnel.overall))} · ${esc(i18n('report.people'))}: UV ${esc(count(r.funnel.people.uv))} → ${esc(count(r.funnel.people.buyers))} (${esc(pct(r.funnel.people.viewToBuyer))})</p></div>
<div><h2>${esc(i18n('report.traffic'))}</h2><table>${head(words(i18n, ['report.source', 'report.enters', 'report.share']))}<tbody>${srcRows}</tbody></table></div></div>
<div class="chart">${p.charts.traffic}</div>
<h3>${esc(i18n('report.phases'))}</h3><table><thead><tr><th class="l">${esc(i18n('report.phase'))}</th><th>${esc(i18n('report.enters'))}</th>${TrafficSources.map((src) => `<th>${source(src)}</th>`).join('')}</tr></thead><tbody>${r.traffic.phases
    .map((ph) => `<tr><td class="l">${esc(minuteRangeLabel(ph.fromMinute, ph.toMinute, i18n.locale))}</td><td>${esc(count(ph.enters))}</td>${TrafficSources.map((src) => `<td>${esc(formatRate(ph.shares[src], 0))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></section>`;
}

function demand(p: Page): string {
  const { r, i18n, count } = p;
  const none = `<tr><td class="l muted">${esc(i18n('report.none'))}</td></tr>`;
  return `<section><h2>${esc(i18n('report.demand'))}</h2><p class="note">${esc(i18n('report.demandShare'))}: ${esc(formatRate(r.demand.demandShare, 1))} (${esc(count(r.demand.comments))})</p><div class="two">
<div><h3>${esc(i18n('report.words'))}</h3><table><tbody>${r.demand.words.map((x) => `<tr><td class="l">${esc(x.word)}</td><td>${esc(count(x.count))}</td></tr>`).join('') || none}</tbody></table></div>
<div><h3>${esc(i18n('report.asked'))}</h3><table><tbody>${r.demand.products.map((x) => `<tr><td class="l">${esc(x.title)}</td><td>${esc(count(x.count))}</td></tr>`).join('') || none}</tbody></table></div></div>
<div class="chart">${p.charts.demand}</div></section>`;
}

/** The suggestions' outcomes, the observational comparison and who decided what. */
function suggestions(p: Page): string {
  const { r, i18n, money, yuan, pct, titles } = p;
  const sg = r.review.suggestions;
  const kindName = (k: string) => {
    const key = `report.kind.${k}`;
    return isMessageKey(key) ? i18n(key) : k;
  };
  const grp = (name: string, g: typeof sg.followed) => `<tr><td class="l">${esc(name)}</td><td>${g.segments}</td><td>${esc(g.minutes.toFixed(1))}</td><td>${esc(money(g.gmvFen))}</td><td>${esc(yuan(g.gmvPerMin))}</td><td>${esc(pct(g.ctr))}</td><td>${esc(pct(g.clickToOrder))}</td></tr>`;
  const decided = r.actions.filter((a) => a.type === 'suggestion' && a.action !== 'shown');
  const decisions = decided
    .map((d) =>
      d.type === 'suggestion'
        ? `<tr><td>${esc(clock(d.ts, r.session.startedAt))}</td><td class="l">${esc(kindName(d.kind))}</td><td class="l">${esc(d.productId ? (titles.get(d.productId) ?? d.productId) : DASH)}</td><td class="${d.action === 'accepted' ? 'good' : 'muted'}">${esc(i18n(d.action === 'accepted' ? 'report.accepted' : 'report.dismissed'))}</td><td class="l">${esc(d.byName ?? DASH)}</td><td class="l">${esc(d.reason ?? '')}</td></tr>`
        : '',
    )
    .join('');
  return `<section class="long"><h2>${esc(i18n('report.suggestions'))}</h2><table>${head(words(i18n, ['report.kind', 'report.shown', 'report.accepted', 'report.dismissed', 'report.ignored']))}<tbody>${Object.entries(sg.counts)
    .map(([k, c]) => `<tr><td class="l">${esc(kindName(k))}</td><td>${c.shown}</td><td>${c.accepted}</td><td>${c.dismissed}</td><td>${c.ignored}</td></tr>`)
    .join('')}</tbody></table>
<h3>${esc(i18n('report.compareGroups'))}</h3><table>${head(words(i18n, ['report.group', 'report.segments', 'report.minutes', 'report.gmv', 'report.perMin', 'report.ctr', 'report.c2o']))}<tbody>${grp(i18n('report.followedGroup'), sg.followed)}${grp(i18n('report.againstGroup'), sg.against)}${grp(i18n('report.otherGroup'), sg.other)}</tbody></table>
<p class="note">${esc(said({ zh: sg.noteZh, en: sg.noteEn }, i18n))}${sg.difference === null ? '' : ` (${esc(formatChange(sg.difference))})`}</p>
${decided.length ? `<h3>${esc(i18n('report.decisions'))}</h3><table>${head(words(i18n, ['report.time', 'report.kind', 'report.product', 'report.action', 'report.who', 'report.reason']), [1, 2, 4, 5])}<tbody>${decisions}</tbody></table>` : ''}</section>`;
}

function adsAlertsNotes(p: Page): string {
  const { r, i18n } = p;
  const { locale } = i18n;
  const none = `<p class="muted">${esc(i18n('report.none'))}</p>`;
  const ads = r.timeline.adActions;
  return `<section><div class="two"><div><h2>${esc(i18n('report.ads'))}</h2>${ads.length ? `<table><tbody>${ads.map((a) => `<tr><td>${esc(clock(a.ts, r.session.startedAt))}</td><td class="l">${esc(adActionText(a, locale))}</td><td class="l">${esc(a.byName ?? '')}</td><td class="l">${esc(a.reason ?? '')}</td></tr>`).join('')}</tbody></table>` : none}
<h2 style="margin-top:14px">${esc(i18n('report.alerts'))}</h2>${r.alerts.length ? `<table><tbody>${r.alerts.map((a) => `<tr data-alert-minute="${a.minute}"><td>${esc(minuteLabel(a.minute, locale))}</td><td class="l">${esc(alertText(a, locale))}</td><td class="l muted">${a.acknowledgedAt === null ? '' : esc(whoText(a.acknowledgedBy, a.acknowledgedRole, locale))}</td></tr>`).join('')}</tbody></table>` : none}</div>
<div><h2>${esc(i18n('report.notes'))}</h2>${r.notes.length ? `<table><tbody>${r.notes.map((n) => `<tr><td>${esc(n.minute === null ? i18n('report.wholeShow') : minuteLabel(n.minute, locale))}</td><td class="l">${esc(n.text)}</td><td class="l muted">${esc(n.byName ?? '')}</td></tr>`).join('')}</tbody></table>` : none}</div></div></section>`;
}

export async function renderHtml(r: RetroReport, i18n: Localiser = localiser('zh-CN'), opts: { generatedAt?: number } = {}): Promise<string> {
  const { locale } = i18n;
  const p: Page = {
    r,
    i18n,
    charts: await renderCharts(r, i18n),
    colors: productColors(r),
    titles: new Map(r.products.map((x) => [x.productId, x.title])),
    money: (f) => formatMoneyFen(f, locale),
    yuan: (y) => formatYuan(y, locale),
    count: (n) => formatCount(n, locale),
    pct: (x) => formatRate(x, 2),
  };
  const sections = [top(p, opts.generatedAt ?? Date.now()), keyPoints(p), headline(p), settlement(p), review(p), timeline(p), scorecard(p), products(p), funnelTraffic(p), demand(p), suggestions(p), adsAlertsNotes(p)].filter(Boolean);
  sections.push(`<footer>${esc(i18n('report.definitions'))} · ${esc(r.session.sessionId)}</footer>`);
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="generator" content="Live Control Room"><title>${esc(i18n('report.report'))} · ${esc(r.session.title)}</title><style>${CSS}</style></head><body><main>${sections.join('\n')}</main></body></html>`;
}
