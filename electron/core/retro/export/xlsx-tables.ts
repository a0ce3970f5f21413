/**
 * The workbook's tables of the show (xlsx.ts writes the summary sheets): its minutes, products,
 * segments, suggestion and ad logs, notes, demand words and alerts — a row each, headers in the
 * localiser's language. Every sheet names a minute as people count it (第几分钟 = index + 1,
 * shared/minutes.ts), so a row here, a note and an alert of the same minute carry the same number.
 */
import type ExcelJS from 'exceljs';
import type { RetroReport } from '../retrospective.ts';
import { roleName } from '../../../../shared/retro/labels.ts';
import { adActionText } from '../../../../shared/retro/scorecard.ts';
import { TrafficSources } from '../../../../shared/protocol.ts';
import { alertText } from '../../../../shared/alerts/text.ts';
import { minuteColumn, minuteNumber } from '../../../../shared/minutes.ts';
import { whoText } from '../../../../shared/who.ts';
import { isMessageKey, type Localiser } from '../../../../shared/i18n/localiser.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';
import type { DecisionAction } from '../../../../shared/suggest/live.ts';
import { sheet, type Col } from './xlsx-cells.ts';

/** METRICS.md's minute rows plus entries by source and demand comments. */
function minutesSheet(wb: ExcelJS.Workbook, r: RetroReport, i18n: Localiser): void {
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  const demand = r.demand.perMinute;
  const traffic = new Map(r.traffic.perMinute.map((t) => [t.minute, t.bySource]));
  sheet(
    wb,
    i18n('sheet.minutes'),
    [
      { header: minuteColumn(i18n.locale), key: 'minuteN', kind: 'int', width: 9 },
      { header: i18n('report.time'), key: 'ts', kind: 'time', width: 20 },
      { header: i18n('col.pinned'), key: 'pinned', kind: 'text', width: 24 },
      { header: i18n('col.onlineAvg'), key: 'onlineAvg', kind: 'int' },
      { header: i18n('col.onlineMax'), key: 'onlineMax', kind: 'int' },
      { header: i18n('col.onlineEndShort'), key: 'onlineEnd', kind: 'int' },
      { header: i18n('report.enters'), key: 'enters', kind: 'int' },
      ...TrafficSources.map((s): Col => ({ header: i18n('col.entersFrom', { source: i18n(`traffic.${s}`) }), key: `src_${s}`, kind: 'int' })),
      { header: i18n('kpi.exposures'), key: 'exposures', kind: 'int' },
      { header: i18n('kpi.clicks'), key: 'clicks', kind: 'int' },
      { header: i18n('kpi.ctr'), key: 'ctr', kind: 'pct' },
      { header: i18n('kpi.orders'), key: 'orders', kind: 'int' },
      { header: i18n('kpi.items'), key: 'items', kind: 'int' },
      { header: i18n('kpi.gmvFen'), key: 'gmvFen', kind: 'money', width: 14 },
      { header: i18n('kpi.gpm'), key: 'gpm', kind: 'yuan' },
      { header: i18n('kpi.refundFen'), key: 'refundFen', kind: 'money' },
      { header: i18n('kpi.adSpendFen'), key: 'adSpendFen', kind: 'money' },
      { header: i18n('col.likes'), key: 'likes', kind: 'int' },
      { header: i18n('col.comments'), key: 'comments', kind: 'int' },
      { header: i18n('col.demand'), key: 'demand', kind: 'int' },
      { header: i18n('kpi.newFollowers'), key: 'follows', kind: 'int' },
      { header: i18n('col.shares'), key: 'shares', kind: 'int' },
      { header: i18n('col.fansclub'), key: 'fansclub', kind: 'int' },
      { header: i18n('kpi.giftFen'), key: 'giftFen', kind: 'money' },
    ],
    r.minutes.map((m) => {
      const src = traffic.get(m.minute);
      return {
        ...m,
        minuteN: minuteNumber(m.minute),
        ts: m.ts,
        pinned: m.pinnedProductId ? (titles.get(m.pinnedProductId) ?? m.pinnedProductId) : null,
        demand: demand[m.minute] ?? 0,
        ...Object.fromEntries(TrafficSources.map((s) => [`src_${s}`, src?.[s] ?? 0])),
      };
    }),
  );
}

function productsSheet(wb: ExcelJS.Workbook, r: RetroReport, i18n: Localiser): void {
  sheet(
    wb,
    i18n('sheet.products'),
    [
      { header: i18n('col.productId'), key: 'productId', kind: 'text', width: 16 },
      { header: i18n('report.product'), key: 'title', kind: 'text', width: 30 },
      { header: i18n('report.role'), key: 'roleName', kind: 'text', width: 8 },
      { header: i18n('report.price'), key: 'priceFen', kind: 'money' },
      { header: i18n('kpi.exposures'), key: 'exposures', kind: 'int' },
      { header: i18n('kpi.clicks'), key: 'clicks', kind: 'int' },
      { header: i18n('kpi.ctr'), key: 'ctr', kind: 'pct' },
      { header: i18n('kpi.orders'), key: 'orders', kind: 'int' },
      { header: i18n('kpi.items'), key: 'items', kind: 'int' },
      { header: i18n('kpi.gmvFen'), key: 'gmvFen', kind: 'money', width: 14 },
      { header: i18n('kpi.clickToOrder'), key: 'clickToOrder', kind: 'pct' },
      { header: i18n('col.pins'), key: 'pins', kind: 'int' },
      { header: i18n('col.pinnedSec'), key: 'pinnedSec', kind: 'dur' },
      { header: i18n('col.perPinnedMin'), key: 'gmvPerPinnedMin', kind: 'yuan' },
      { header: i18n('col.productGpmShort'), key: 'productGpm', kind: 'yuan' },
      { header: i18n('col.stock'), key: 'stock', kind: 'int' },
      { header: i18n('col.soldOut'), key: 'soldOutText', kind: 'text', width: 6 },
    ],
    r.products.map((p) => ({ ...p, roleName: p.role ? roleName(p.role, i18n) : null, soldOutText: p.soldOut ? i18n('col.yes') : '' })),
  );
}

function segmentsSheet(wb: ExcelJS.Workbook, r: RetroReport, i18n: Localiser): void {
  sheet(
    wb,
    i18n('sheet.segments'),
    [
      { header: i18n('report.seg'), key: 'n', kind: 'int', width: 5 },
      { header: i18n('col.productId'), key: 'productId', kind: 'text', width: 16 },
      { header: i18n('report.product'), key: 'title', kind: 'text', width: 28 },
      { header: i18n('report.startMin'), key: 'startTs', kind: 'time', width: 20 },
      { header: i18n('col.startMinute', { minute: minuteColumn(i18n.locale) }), key: 'startMin', kind: 'int' },
      { header: i18n('report.duration'), key: 'durationSec', kind: 'dur' },
      { header: i18n('kpi.gmvFen'), key: 'gmvFen', kind: 'money', width: 14 },
      { header: i18n('col.perMin'), key: 'gmvPerMin', kind: 'yuan' },
      { header: i18n('report.gpm'), key: 'gpm', kind: 'yuan' },
      { header: i18n('kpi.ctr'), key: 'ctr', kind: 'pct' },
      { header: i18n('kpi.clickToOrder'), key: 'clickToOrder', kind: 'pct' },
      { header: i18n('kpi.orders'), key: 'orders', kind: 'int' },
      { header: i18n('report.enters'), key: 'enters', kind: 'int' },
      { header: i18n('col.segOnlineStart'), key: 'onlineStart', kind: 'int' },
      { header: i18n('col.segOnlineEnd'), key: 'onlineEnd', kind: 'int' },
      { header: i18n('col.onlineChange'), key: 'onlineChange', kind: 'pct' },
      { header: i18n('col.vsRoom'), key: 'vsRoom', kind: 'pct' },
      { header: i18n('col.vsProduct'), key: 'vsProduct', kind: 'pct' },
      { header: i18n('col.verdict'), key: 'verdictText', kind: 'text', width: 6 },
      { header: i18n('report.advice'), key: 'adviceText', kind: 'text', width: 8 },
    ],
    r.scorecard.segments.map((g) => ({
      ...g,
      n: g.index + 1,
      startMin: minuteNumber(g.startMinute),
      vsRoom: g.vsRoom.gmvPerMin,
      vsProduct: g.vsProduct?.gmvPerMin ?? null,
      verdictText: g.verdict === 'strong' ? i18n('report.strong') : g.verdict === 'weak' ? i18n('report.weak') : '',
      adviceText: g.advice === 'followed' ? i18n('report.followed') : g.advice === 'against' ? i18n('report.against') : '',
    })),
  );
}

/** A suggestion's kind as the report words it, or as the log has it (a hand pin has no word). */
function kindName(i18n: Localiser, kind: string): string {
  const key = `report.kind.${kind}`;
  return isMessageKey(key) ? i18n(key) : kind;
}

const ACTION_WORDS: Partial<Record<DecisionAction, MessageKey>> = { shown: 'report.shown', accepted: 'report.accepted', dismissed: 'report.dismissed' };

function decisionsSheet(wb: ExcelJS.Workbook, r: RetroReport, i18n: Localiser): void {
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  sheet(
    wb,
    i18n('sheet.decisions'),
    [
      { header: i18n('report.time'), key: 'time', kind: 'time', width: 20 },
      { header: i18n('col.since'), key: 'since', kind: 'dur' },
      { header: i18n('report.kind'), key: 'kindName', kind: 'text' },
      { header: i18n('report.product'), key: 'product', kind: 'text', width: 26 },
      { header: i18n('report.action'), key: 'actName', kind: 'text', width: 8 },
      { header: i18n('report.who'), key: 'byName', kind: 'text' },
      { header: i18n('report.role'), key: 'byRole', kind: 'text' },
      { header: i18n('report.reason'), key: 'reason', kind: 'text', width: 30 },
      { header: i18n('col.expected'), key: 'value', kind: 'money' },
    ],
    r.actions.flatMap((d) =>
      d.type === 'suggestion'
        ? [
            {
              time: d.at,
              since: Math.max(0, (d.ts - r.session.startedAt) / 1000),
              kindName: kindName(i18n, d.kind),
              product: d.productId ? (titles.get(d.productId) ?? d.productId) : null,
              actName: ACTION_WORDS[d.action] ? i18n(ACTION_WORDS[d.action]!) : d.action,
              byName: d.byName,
              byRole: d.byRole,
              reason: d.reason,
              value: typeof d.figures.valueFenPerMin === 'number' ? d.figures.valueFenPerMin : null,
            },
          ]
        : [],
    ),
  );
}

function adsSheet(wb: ExcelJS.Workbook, r: RetroReport, i18n: Localiser): void {
  sheet(
    wb,
    i18n('sheet.ads'),
    [
      { header: i18n('col.since'), key: 'since', kind: 'dur' },
      { header: i18n('col.plan'), key: 'planId', kind: 'text', width: 16 },
      { header: i18n('report.action'), key: 'text', kind: 'text', width: 36 },
      { header: i18n('col.before'), key: 'before', kind: 'money' },
      { header: i18n('col.after'), key: 'after', kind: 'money' },
      { header: i18n('report.source'), key: 'sourceName', kind: 'text' },
      { header: i18n('report.who'), key: 'byName', kind: 'text' },
      { header: i18n('report.reason'), key: 'reason', kind: 'text', width: 30 },
    ],
    r.timeline.adActions.map((a) => ({ ...a, since: Math.max(0, (a.ts - r.session.startedAt) / 1000), text: adActionText(a, i18n.locale), sourceName: i18n(a.source === 'advice' ? 'col.fromAdvice' : 'col.manual') })),
  );
}

function notesWordsAlerts(wb: ExcelJS.Workbook, r: RetroReport, i18n: Localiser): void {
  const { locale } = i18n;
  sheet(
    wb,
    i18n('sheet.notes'),
    [
      { header: minuteColumn(locale), key: 'minuteText', kind: 'text', width: 9 },
      { header: i18n('sheet.notes'), key: 'text', kind: 'text', width: 60 },
      { header: i18n('col.noteBy'), key: 'byName', kind: 'text' },
      { header: i18n('col.noteAt'), key: 'createdAt', kind: 'time', width: 20 },
    ],
    r.notes.map((n) => ({ ...n, minuteText: n.minute === null ? i18n('report.wholeShow') : String(minuteNumber(n.minute)) })),
  );
  sheet(
    wb,
    i18n('sheet.words'),
    [
      { header: i18n('report.words'), key: 'word', kind: 'text', width: 12 },
      { header: i18n('report.count'), key: 'count', kind: 'int' },
    ],
    r.demand.words,
  );
  sheet(
    wb,
    i18n('sheet.alerts'),
    [
      { header: minuteColumn(locale), key: 'm', kind: 'int', width: 9 },
      { header: i18n('report.kind'), key: 'kind', kind: 'text' },
      { header: i18n('col.alertText'), key: 'params', kind: 'text', width: 50 },
      { header: i18n('col.ackBy'), key: 'acknowledgedBy', kind: 'text', width: 16 },
      { header: i18n('col.ackAt'), key: 'acknowledgedAt', kind: 'time', width: 20 },
    ],
    // In words, as the dashboard raised it (the sheet is for people; the figures are in lcr report --json).
    r.alerts.map((a) => ({
      m: minuteNumber(a.minute),
      kind: a.kind,
      params: alertText(a, locale),
      acknowledgedBy: a.acknowledgedAt === null ? null : whoText(a.acknowledgedBy, a.acknowledgedRole, locale),
      acknowledgedAt: a.acknowledgedAt,
    })),
  );
}

/** The show's tables, in the order the workbook lists them after its summary sheets. */
export function tableSheets(wb: ExcelJS.Workbook, r: RetroReport, i18n: Localiser): void {
  for (const write of [minutesSheet, productsSheet, segmentsSheet, decisionsSheet, adsSheet, notesWordsAlerts]) write(wb, r, i18n);
}
