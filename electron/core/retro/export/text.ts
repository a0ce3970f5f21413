/**
 * `lcr report --session ID` without --json: the retrospective as plain text for a terminal — the
 * callouts, the headline figures against targets and earlier shows, the four review dimensions,
 * the segment scorecard, dead air, drops and gains, products, funnel, traffic, demand, decisions, notes.
 */
import type { RetroReport } from '../retrospective.ts';
import { formatChange, formatValue } from '../../../../shared/retro/labels.ts';
import { reviewView } from '../../../../shared/retro/review-view.ts';
import { adActionText } from '../../../../shared/retro/scorecard.ts';
import { TrafficSources } from '../../../../shared/protocol.ts';
import { settlementLines, settlementNote } from '../../../../shared/imports/settlement-view.ts';
import { DASH, formatCount, formatDateTime, formatDuration, formatMoneyFen, formatRate, formatYuan } from '../../../../shared/format.ts';
import { localiser, said, type Localiser } from '../../../../shared/i18n/localiser.ts';
import { minuteLabel, minuteRangeLabel } from '../../../../shared/minutes.ts';
import { whoText } from '../../../../shared/who.ts';
import { alertText } from '../../../../shared/alerts/text.ts';
import { gmvCheck, gmvCheckLines, gmvCheckTitle } from '../../../../shared/retro/gmv-check.ts';

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
function padEnd(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}
function padStart(s: string, n: number): string {
  return ' '.repeat(Math.max(0, n - width(s))) + s;
}
function clip(s: string, n: number): string {
  let out = '';
  for (const ch of s) {
    if (width(out + ch) > n - 1) return out + '…';
    out += ch;
  }
  return out;
}

function table(head: string[], rows: string[][], leftCols = 1): string {
  const w = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) => r.map((c, i) => (i < leftCols ? padEnd(c, w[i]!) : padStart(c, w[i]!))).join('  ');
  return [line(head), ...rows.map(line)].map((l) => '  ' + l.trimEnd()).join('\n');
}

/** Where the sections write: the lines so far, and a section's heading. */
interface Out {
  lines: string[];
  h: (title: string) => void;
}

function top(o: Out, r: RetroReport, i18n: Localiser): void {
  const s = r.session;
  o.lines.push(`${i18n('text.title')} · ${s.title}`);
  o.lines.push(`${s.sessionId} · ${s.platform} · ${formatDateTime(s.startedAt, i18n.locale)} · ${formatDuration(r.kpis.durationSec)}${s.endedAt === null ? i18n('text.live') : ''}`);
  o.h(i18n('report.keyPoints'));
  o.lines.push(r.keyPoints.length ? r.keyPoints.map((p) => `  • ${said(p, i18n)}`).join('\n') : `  ${i18n('report.noPoints')}`);
}

/** A room's first show has nothing to compare with: no comparison columns (never "前0场"). */
function headline(o: Out, r: RetroReport, i18n: Localiser): void {
  const { locale } = i18n;
  const nPrev = r.headline.previousSessions.length;
  o.h(nPrev ? i18n('text.headlineVs', { n: nPrev }) : i18n('text.headlineFirst'));
  const cols = [i18n('report.kpi'), i18n('report.value'), i18n('report.target'), i18n('report.vsTarget'), ...(nPrev ? [i18n('text.mean'), i18n('report.change'), i18n('report.rank')] : [])];
  const rows = r.headline.items.map((it) => {
    const status = it.targetStatus === 'met' ? '✓' : it.targetStatus === 'near' ? '~' : it.targetStatus === 'below' ? '✗' : '';
    const prev = nPrev ? [formatValue(it.previous.mean, it.unit, locale), formatChange(it.previous.changeVsMean), it.previous.rank === null || it.previous.of < 2 ? DASH : `${it.previous.rank}/${it.previous.of}`] : [];
    return [i18n(`kpi.${it.key}`), formatValue(it.value, it.unit, locale), formatValue(it.target, it.unit, locale), it.vsTarget === null ? DASH : `${formatChange(it.vsTarget)} ${status}`, ...prev];
  });
  o.lines.push(table(cols, rows));
}

/** The settled figures above replaced the live ones; what moved, from which file. */
function settlement(o: Out, r: RetroReport, i18n: Localiser): void {
  if (!r.settlement) return;
  o.h(i18n('report.settlement'));
  o.lines.push(`  ${settlementNote(r.settlement, i18n)}`);
  const lines = settlementLines(r.settlement, i18n);
  o.lines.push(
    lines.length
      ? table([i18n('report.kpi'), i18n('retro.liveFigure'), i18n('retro.settledFigure'), i18n('report.change'), '%'], lines.map((l) => [l.label, l.live, l.settled, l.change, l.changePct]))
      : `  ${i18n('retro.noChange')}`,
  );
}

/** The four dimensions from the one review view-model, a figure a line, the dimension's note under it. */
function review(o: Out, r: RetroReport, i18n: Localiser): void {
  const view = reviewView(r, i18n);
  o.h(view.title);
  const w = Math.max(...view.dims.flatMap((d) => d.rows.map((x) => width(x.label))));
  for (const d of view.dims) {
    o.lines.push(`  ${d.title}`, ...d.rows.map((x) => `    ${padEnd(x.label, w)}  ${x.text}`));
    if (d.note !== null) o.lines.push(`    (${d.note})`);
  }
}

function scorecard(o: Out, r: RetroReport, i18n: Localiser): void {
  const { locale } = i18n;
  const money = (f: number | null) => formatMoneyFen(f, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  const sc = r.scorecard;
  o.h(i18n('report.scorecard'));
  o.lines.push(`  ${i18n('text.baseline')}: ${formatYuan(sc.baseline.gmvPerMin, locale)}/${i18n('text.min')} · GPM ${formatYuan(sc.baseline.gpm, locale)} · ${i18n('report.ctr')} ${pct(sc.baseline.ctr)} · ${i18n('text.c2oLong')} ${pct(sc.baseline.clickToOrder)}`);
  const verdict = (g: (typeof sc.segments)[number]) =>
    [g.verdict === 'strong' ? i18n('report.strong') : g.verdict === 'weak' ? i18n('report.weak') : '', g.advice === 'followed' ? i18n('text.followed') : g.advice === 'against' ? i18n('report.against') : ''].filter(Boolean).join(' ');
  o.lines.push(
    table(
      ['#', i18n('report.product'), i18n('report.startMin'), i18n('report.dur'), i18n('text.gmv'), i18n('text.perMin'), 'GPM', i18n('report.ctr'), i18n('text.c2o'), i18n('text.online'), i18n('report.vsRoom'), i18n('text.vsItself'), ''],
      sc.segments.map((g) => [
        String(g.index + 1),
        clip(g.title, 18),
        minuteLabel(g.startMinute, locale),
        formatDuration(g.durationSec),
        money(g.gmvFen),
        formatYuan(g.gmvPerMin, locale),
        formatYuan(g.gpm, locale),
        pct(g.ctr),
        pct(g.clickToOrder),
        `${formatCount(g.onlineStart, locale)}→${formatCount(g.onlineEnd, locale)}`,
        formatChange(g.vsRoom.gmvPerMin, 0),
        g.vsProduct ? formatChange(g.vsProduct.gmvPerMin, 0) : DASH,
        verdict(g),
      ]),
      2,
    ),
  );
  const list = (title: string, xs: ReadonlyArray<{ zh: string; en: string }>) => o.lines.push(`  ${title}:`, ...(xs.length ? xs.map((x) => `    • ${said(x, i18n)}`) : [`    ${i18n('text.none')}`]));
  list(i18n('text.deadAir'), sc.deadAir);
  list(i18n('report.drops'), sc.drops);
  list(i18n('report.gains'), sc.gains);
}

function productsFunnelTraffic(o: Out, r: RetroReport, i18n: Localiser): void {
  const { locale } = i18n;
  const pct = (x: number | null) => formatRate(x, 2);
  o.h(i18n('text.products'));
  o.lines.push(
    table(
      [i18n('report.product'), i18n('text.exposures'), i18n('report.clicks'), i18n('report.ctr'), i18n('report.orders'), i18n('text.c2o'), i18n('text.gmv'), i18n('text.explained')],
      [...r.products].sort((a, b) => b.gmvFen - a.gmvFen).map((p) => [clip(p.title, 22), formatCount(p.exposures, locale), formatCount(p.clicks, locale), pct(p.ctr), formatCount(p.orders, locale), pct(p.clickToOrder), formatMoneyFen(p.gmvFen, locale), formatDuration(p.pinnedSec)]),
    ),
  );
  o.h(i18n('report.funnel'));
  o.lines.push(r.funnel.steps.map((st) => `  ${said(st, i18n)} ${formatCount(st.value, locale)}${st.rate === null ? '' : `  (${said({ zh: st.rateZh ?? '', en: st.rateEn ?? '' }, i18n)} ${pct(st.rate)})`}`).join('\n'));
  o.lines.push(`  ${i18n('report.overall')} ${pct(r.funnel.overall)}`);
  o.h(i18n('report.traffic'));
  o.lines.push('  ' + TrafficSources.map((src) => `${i18n(`traffic.${src}`)} ${formatCount(r.traffic.totals[src], locale)} (${formatRate(r.traffic.shares[src], 1)})`).join(' · '));
  o.lines.push(
    table(
      [i18n('report.minutes'), i18n('text.enters'), ...TrafficSources.map((src) => i18n(`traffic.${src}`))],
      r.traffic.phases.map((p) => [minuteRangeLabel(p.fromMinute, p.toMinute, locale), formatCount(p.enters, locale), ...TrafficSources.map((src) => formatRate(p.shares[src], 0))]),
    ),
  );
  o.h(i18n('report.demand'));
  o.lines.push(`  ${r.demand.words.slice(0, 12).map((w) => `${w.word} ${w.count}`).join(' · ') || i18n('text.none')}`);
  if (r.demand.products.length) o.lines.push(`  ${i18n('text.asked')}: ${r.demand.products.slice(0, 5).map((p) => `${clip(p.title, 14)} ${p.count}`).join(' · ')}`);
}

function suggestions(o: Out, r: RetroReport, i18n: Localiser): void {
  const { locale } = i18n;
  const sg = r.review.suggestions;
  const c = sg.counts;
  const n = (k: keyof typeof c) => `${c[k].shown}/${c[k].accepted}/${c[k].dismissed}`;
  o.h(i18n('text.suggestions'));
  o.lines.push(`  ${i18n('text.counts', { nextUp: n('next-up'), switchNow: n('switch-now'), play: n('play') })}`);
  const group = (g: typeof sg.followed) => `${g.segments} · ${formatYuan(g.gmvPerMin, locale)}`;
  o.lines.push(`  ${i18n('text.groups', { followed: group(sg.followed), against: group(sg.against), difference: sg.difference === null ? '' : formatChange(sg.difference) })}`);
  o.lines.push(`  ${said({ zh: sg.noteZh, en: sg.noteEn }, i18n)}`);
}

function adsAlertsNotes(o: Out, r: RetroReport, i18n: Localiser): void {
  const { locale } = i18n;
  if (r.timeline.adActions.length) {
    o.h(i18n('report.ads'));
    for (const a of r.timeline.adActions) o.lines.push(`  ${formatDuration((a.ts - r.session.startedAt) / 1000)}  ${adActionText(a, locale)}  ${a.byName ?? ''} ${a.reason ?? ''}`.trimEnd());
  }
  o.h(i18n('report.alerts'));
  o.lines.push(r.alerts.length ? r.alerts.map((a) => `  ${minuteLabel(a.minute, locale)}  ${alertText(a, locale)}${a.acknowledgedAt === null ? '' : `  — ${whoText(a.acknowledgedBy, a.acknowledgedRole, locale)}`}`).join('\n') : `  ${i18n('text.none')}`);
  o.h(i18n('report.notes'));
  o.lines.push(r.notes.length ? r.notes.map((n) => `  ${n.minute === null ? i18n('text.wholeShow') : minuteLabel(n.minute, locale)}  ${n.text}${n.byName ? `  — ${n.byName}` : ''}`).join('\n') : `  ${i18n('text.noNotes')}`);
  const check = gmvCheck(r.platformTotals);
  if (check) {
    o.h(gmvCheckTitle(check, i18n));
    const { rows, reasons } = gmvCheckLines(check, i18n);
    for (const row of rows) o.lines.push(`  ${row.label}  ${row.value}  ${row.note}`.trimEnd());
    for (const x of reasons) o.lines.push(`  · ${x}`);
  }
  for (const g of r.gaps ?? []) o.lines.push('', `${i18n('text.gap')}: seq ${g.fromSeq}–${g.toSeq} (${g.reason}, ${new Date(g.at).toISOString()})`);
  if (Object.keys(r.quarantined).length) o.lines.push('', `${i18n('text.quarantined')}: ${Object.entries(r.quarantined).map(([k, n]) => `${k} ×${n}`).join('; ')}`);
}

export function reportText(r: RetroReport, i18n: Localiser = localiser('zh-CN')): string {
  const lines: string[] = [];
  const o: Out = { lines, h: (title) => lines.push('', `■ ${title}`) };
  for (const section of [top, headline, settlement, review, scorecard, productsFunnelTraffic, suggestions, adsAlertsNotes]) section(o, r, i18n);
  lines.push('');
  return lines.join('\n') + '\n';
}
