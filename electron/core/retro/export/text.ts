/**
 * `lcr report --session ID` without --json: the retrospective as plain text for a terminal — the
 * callouts, the headline figures against targets and earlier shows, the four review dimensions,
 * the segment scorecard, dead air, drops and gains, products, funnel, traffic, demand, decisions, notes.
 */
import type { RetroReport } from '../retrospective.ts';
import { KPI_BY_KEY, SOURCE_LABELS, formatChange, formatValue } from '../../../../shared/retro/labels.ts';
import { adActionText } from '../../../../shared/retro/scorecard.ts';
import { TrafficSources } from '../../../../shared/protocol.ts';
import { RETRO_WORDS, gmvTargetText } from '../../../../shared/retro/words.ts';
import { SETTLEMENT_TITLE, settlementLines, settlementNote } from '../../../../shared/imports/settlement-view.ts';
import { DASH, formatCount, formatDateTime, formatDuration, formatMoneyFen, formatRate, formatYuan, type Locale } from '../../../../shared/format.ts';
import { minuteLabel, minuteRangeLabel } from '../../../../shared/minutes.ts';
import { whoText } from '../../../../shared/who.ts';
import { alertText } from '../../../../shared/alerts/text.ts';

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

export function reportText(r: RetroReport, locale: Locale = 'zh-CN'): string {
  const zh = locale === 'zh-CN';
  const t = (a: string, b: string) => (zh ? a : b);
  const money = (f: number | null) => formatMoneyFen(f, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  const out: string[] = [];
  const s = r.session;
  const h = (title: string) => out.push('', `■ ${title}`);
  out.push(`${t('直播复盘', 'Retrospective')} · ${s.title}`);
  out.push(`${s.sessionId} · ${s.platform} · ${formatDateTime(s.startedAt, locale)} · ${formatDuration(r.kpis.durationSec)}${s.endedAt === null ? t('（直播中）', ' (live)') : ''}`);

  h(t('本场要点', 'What matters'));
  out.push(r.keyPoints.length ? r.keyPoints.map((p) => `  • ${zh ? p.zh : p.en}`).join('\n') : t('  没有需要特别关注的指标', '  Nothing stands out'));

  // A room's first show has nothing to compare with: no comparison columns (never "前0场").
  const nPrev = r.headline.previousSessions.length;
  h(nPrev ? t(`核心指标（对比前 ${nPrev} 场）`, `Headline (vs the previous ${nPrev})`) : t('核心指标（首场，不做往场对比）', "Headline (the room's first show: nothing earlier to compare with)"));
  out.push(
    table(
      [t('指标', 'KPI'), t('本场', 'This show'), t('目标', 'Target'), t('达成', 'vs target'), ...(nPrev ? [t('均值', 'Mean'), t('变化', 'Change'), t('排名', 'Rank')] : [])],
      r.headline.items.map((it) => {
        const meta = KPI_BY_KEY.get(it.key)!;
        const status = it.targetStatus === 'met' ? '✓' : it.targetStatus === 'near' ? '~' : it.targetStatus === 'below' ? '✗' : '';
        const prev = nPrev ? [formatValue(it.previous.mean, it.unit, locale), formatChange(it.previous.changeVsMean), it.previous.rank === null || it.previous.of < 2 ? DASH : `${it.previous.rank}/${it.previous.of}`] : [];
        return [zh ? meta.zh : meta.en, formatValue(it.value, it.unit, locale), formatValue(it.target, it.unit, locale), it.vsTarget === null ? DASH : `${formatChange(it.vsTarget)} ${status}`, ...prev];
      }),
    ),
  );

  // R9: the settled figures above replaced the live ones; what moved, from which file.
  if (r.settlement) {
    h(`${t(SETTLEMENT_TITLE.zh, SETTLEMENT_TITLE.en)}`);
    out.push(`  ${settlementNote(r.settlement, locale)}`);
    const lines = settlementLines(r.settlement, locale);
    out.push(lines.length ? table([t('指标', 'KPI'), t('直播时', 'Live'), t('结算后', 'Settled'), t('变化', 'Change'), '%'], lines.map((l) => [l.label, l.live, l.settled, l.change, l.changePct])) : t('  结算数据与直播时一致', '  The settled figures equal the live ones'));
  }

  const rv = r.review;
  h(t('复盘四维', 'Review dimensions'));
  out.push(
    `  ${t('销售指标达成', 'Sales')}: ${money(rv.sales.gmvFen)}${rv.sales.gmvTargetFen !== null ? ` / ${t('目标', 'target')} ${gmvTargetText(RETRO_WORDS[locale], rv.sales.gmvTargetFen, rv.sales.gmvTargetSource, money)} (${t('达成率', 'attainment')} ${formatRate(rv.sales.attainment, 1)})` : ''}${rv.sales.vsPrevious !== null ? ` · ${t('较前几场', 'vs earlier')} ${formatChange(rv.sales.vsPrevious)}` : ''} · ${t('点击率', 'CTR')} ${pct(rv.sales.ctr.value)}/${pct(rv.sales.ctr.target)} · ${t('点击成交率', 'click→order')} ${pct(rv.sales.clickToOrder.value)}/${pct(rv.sales.clickToOrder.target)}`,
    `  ${t('传播价值', 'Reach')}: PV ${formatCount(rv.reach.pv, locale)} · UV ${formatCount(rv.reach.uv, locale)} · ${t('最高在线', 'peak')} ${formatCount(rv.reach.peakOnline, locale)} · ${t('人均时长', 'avg watch')} ${formatDuration(rv.reach.avgWatchSec)} · ${t('分享', 'shares')} ${formatCount(rv.reach.shares, locale)} · ${t('自然流量', 'natural')} ${formatRate(rv.reach.naturalShare, 1)}`,
    `  ${t('人群资产沉淀', 'Audience')}: ${t('新增粉丝', 'followers')} ${formatCount(rv.audience.newFollowers, locale)} (${pct(rv.audience.followRate)}) · ${t('加团', 'fans club')} ${formatCount(rv.audience.fansclubJoins, locale)} · ${t('成交人数', 'buyers')} ${formatCount(rv.audience.buyers, locale)} · ${t('回访观众：数据源未提供', 'returning viewers: not in the feed')}`,
    `  ${t('投入产出比', 'ROI')}: ${t('消耗', 'spend')} ${money(rv.roi.adSpendFen)} · ROI ${rv.roi.roi === null ? DASH : rv.roi.roi.toFixed(2)} (${t('目标', 'target')} ${rv.roi.roiTarget}) · ${t('广告ROI', 'ad ROI')} ${rv.roi.adRoi === null ? DASH : rv.roi.adRoi.toFixed(2)} · ${t('保本ROI', 'break-even')} ${rv.roi.breakEvenRoi === null ? DASH : rv.roi.breakEvenRoi.toFixed(2)} · ${t('估算利润', 'est. profit')} ${money(rv.roi.profitFen)}`,
    `    (${(zh ? rv.roi.assumptionsZh : rv.roi.assumptionsEn).join(zh ? '；' : '; ')})`,
  );

  const sc = r.scorecard;
  h(t('讲解段评分', 'Segment scorecard'));
  out.push(`  ${t('场均', 'baseline')}: ${formatYuan(sc.baseline.gmvPerMin, locale)}/${t('分钟', 'min')} · GPM ${formatYuan(sc.baseline.gpm, locale)} · ${t('点击率', 'CTR')} ${pct(sc.baseline.ctr)} · ${t('点击成交率', 'click→order')} ${pct(sc.baseline.clickToOrder)}`);
  out.push(
    table(
      ['#', t('商品', 'Product'), t('开始', 'Start'), t('时长', 'Length'), t('成交', 'GMV'), t('元/分', '¥/min'), 'GPM', t('点击率', 'CTR'), t('成交率', 'C→O'), t('在线', 'Online'), t('比场均', 'vs room'), t('比同品', 'vs itself'), ''],
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
        [g.verdict === 'strong' ? t('强', 'strong') : g.verdict === 'weak' ? t('弱', 'weak') : '', g.advice === 'followed' ? t('采纳建议', 'followed') : g.advice === 'against' ? t('未采纳', 'other pick') : ''].filter(Boolean).join(' '),
      ]),
      2,
    ),
  );
  const list = (title: string, xs: ReadonlyArray<{ zh: string; en: string }>) => out.push(`  ${title}:`, ...(xs.length ? xs.map((x) => `    • ${zh ? x.zh : x.en}`) : [`    ${t('无', 'none')}`]));
  list(t('冷场', 'Dead air'), sc.deadAir);
  list(t('最大的下滑', 'Biggest drops'), sc.drops);
  list(t('最大的提升', 'Biggest gains'), sc.gains);

  h(t('商品', 'Products'));
  out.push(
    table(
      [t('商品', 'Product'), t('曝光', 'Exp.'), t('点击', 'Clicks'), t('点击率', 'CTR'), t('订单', 'Orders'), t('成交率', 'C→O'), t('成交', 'GMV'), t('讲解', 'Explained')],
      [...r.products].sort((a, b) => b.gmvFen - a.gmvFen).map((p) => [clip(p.title, 22), formatCount(p.exposures, locale), formatCount(p.clicks, locale), pct(p.ctr), formatCount(p.orders, locale), pct(p.clickToOrder), money(p.gmvFen), formatDuration(p.pinnedSec)]),
    ),
  );

  h(t('转化漏斗', 'Funnel'));
  out.push(r.funnel.steps.map((st) => `  ${zh ? st.zh : st.en} ${formatCount(st.value, locale)}${st.rate === null ? '' : `  (${zh ? st.rateZh : st.rateEn} ${pct(st.rate)})`}`).join('\n'));
  out.push(`  ${t('看播成交转化率', 'View→order')} ${pct(r.funnel.overall)}`);

  h(t('流量来源', 'Traffic sources'));
  out.push('  ' + TrafficSources.map((src) => `${zh ? SOURCE_LABELS[src].zh : SOURCE_LABELS[src].en} ${formatCount(r.traffic.totals[src], locale)} (${formatRate(r.traffic.shares[src], 1)})`).join(' · '));
  out.push(
    table(
      [t('分钟', 'Minutes'), t('进入', 'Entries'), ...TrafficSources.map((src) => (zh ? SOURCE_LABELS[src].zh : SOURCE_LABELS[src].en))],
      r.traffic.phases.map((p) => [minuteRangeLabel(p.fromMinute, p.toMinute, locale), formatCount(p.enters, locale), ...TrafficSources.map((src) => formatRate(p.shares[src], 0))]),
    ),
  );

  h(t('评论需求', 'Comment demand'));
  out.push(`  ${r.demand.words.slice(0, 12).map((w) => `${w.word} ${w.count}`).join(' · ') || t('无', 'none')}`);
  if (r.demand.products.length) out.push(`  ${t('被问最多', 'Most asked')}: ${r.demand.products.slice(0, 5).map((p) => `${clip(p.title, 14)} ${p.count}`).join(' · ')}`);

  const sg = rv.suggestions;
  h(t('排品建议', 'Suggestions'));
  const c = sg.counts;
  out.push(`  ${t('下一个讲解', 'next up')} ${c['next-up'].shown}/${c['next-up'].accepted}/${c['next-up'].dismissed} · ${t('建议换品', 'switch now')} ${c['switch-now'].shown}/${c['switch-now'].accepted}/${c['switch-now'].dismissed} · ${t('流量应对', 'plays')} ${c.play.shown}/${c.play.accepted}/${c.play.dismissed}  (${t('出现/采纳/拒绝', 'shown/accepted/dismissed')})`);
  out.push(`  ${t('采纳建议的段', 'followed')}: ${sg.followed.segments} · ${formatYuan(sg.followed.gmvPerMin, locale)}/${t('分钟', 'min')}   ${t('选了别的', 'other pick')}: ${sg.against.segments} · ${formatYuan(sg.against.gmvPerMin, locale)}/${t('分钟', 'min')}   ${sg.difference === null ? '' : formatChange(sg.difference)}`);
  out.push(`  ${zh ? sg.noteZh : sg.noteEn}`);

  if (r.timeline.adActions.length) {
    h(t('投放操作', 'Ad actions'));
    for (const a of r.timeline.adActions) out.push(`  ${formatDuration((a.ts - s.startedAt) / 1000)}  ${adActionText(a, locale)}  ${a.byName ?? ''} ${a.reason ?? ''}`.trimEnd());
  }
  h(t('预警', 'Alerts'));
  out.push(r.alerts.length ? r.alerts.map((a) => `  ${minuteLabel(a.minute, locale)}  ${alertText(a, locale)}${a.acknowledgedAt === null ? '' : `  — ${whoText(a.acknowledgedBy, a.acknowledgedRole, locale)}`}`).join('\n') : t('  无', '  none'));
  h(t('团队备注', 'Team notes'));
  out.push(r.notes.length ? r.notes.map((n) => `  ${n.minute === null ? t('全场', 'whole show') : minuteLabel(n.minute, locale)}  ${n.text}${n.byName ? `  — ${n.byName}` : ''}`).join('\n') : t('  无（lcr note --session ID --minute M --text …）', '  none (lcr note --session ID --minute M --text …)'));
  for (const g of r.gaps ?? []) out.push('', `${t('数据缺口', 'Gap')}: seq ${g.fromSeq}–${g.toSeq} (${g.reason}, ${new Date(g.at).toISOString()})`);
  if (Object.keys(r.quarantined).length) out.push('', `${t('隔离事件', 'Quarantined events')}: ${Object.entries(r.quarantined).map(([k, n]) => `${k} ×${n}`).join('; ')}`);
  out.push('');
  return out.join('\n') + '\n';
}
