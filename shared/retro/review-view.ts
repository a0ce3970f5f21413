/**
 * The four review dimensions (销售指标达成, 传播价值, 人群资产沉淀, 投入产出比) laid out once, as rows
 * in the reader's language: the report screen's cards, the HTML/PDF cards, the workbook's 复盘维度
 * sheet and `lcr report` all render this, so a figure added or renamed here shows everywhere. Pure.
 */
import type { HeadlineItem, RetroSections } from './types.ts';
import { said, type Localiser } from '../i18n/localiser.ts';
import { formatChange } from './labels.ts';
import { DASH, formatCount, formatDuration, formatMoneyFen, formatRate } from '../format.ts';

export type ReviewDim = 'sales' | 'reach' | 'audience' | 'roi';

/** How a figure is measured: money in fen, rates and changes as fractions, durations in seconds. */
export type FigureKind = 'money' | 'rate' | 'change' | 'count' | 'ratio' | 'duration';

export interface ReviewRow {
  /** what the row is, the same in every language (gmvFen, gmvTarget, attainment …) */
  key: string;
  dim: ReviewDim;
  /** the figure's name */
  name: string;
  /** the name as the cards print it: with "/ 目标" when the row shows its target too */
  label: string;
  /** the figure in its kind's unit; null when unknown */
  value: number | null;
  kind: FigureKind;
  /** what the figure is judged against, when it is */
  target: number | null;
  /** the figure as people read it, with its target when it has one ("5.61% / 4.00%") */
  text: string;
  /** what a table should say beside the figure: whose target, why it is unknown, how it was estimated */
  note: string | null;
  status: HeadlineItem['targetStatus'];
}

export interface ReviewDimView {
  dim: ReviewDim;
  title: string;
  rows: ReviewRow[];
  /** said under the dimension's card */
  note: string | null;
}

export interface ReviewView {
  title: string;
  dims: ReviewDimView[];
}

export type ReviewReport = Pick<RetroSections, 'review' | 'headline'>;

type RowIn = Omit<ReviewRow, 'dim' | 'label' | 'target' | 'note' | 'status'> & Partial<Pick<ReviewRow, 'label' | 'target' | 'note' | 'status'>>;

function rows(dim: ReviewDim, xs: RowIn[]): ReviewRow[] {
  return xs.map((x) => ({ dim, label: x.name, target: null, note: null, status: null, ...x }));
}

export function reviewView(r: ReviewReport, i18n: Localiser): ReviewView {
  const rv = r.review;
  const { locale } = i18n;
  const money = (fen: number | null) => formatMoneyFen(fen, locale);
  const count = (n: number | null) => formatCount(n, locale);
  const pct = (x: number | null) => formatRate(x, 2);
  const ratio = (x: number | null) => (x === null ? DASH : x.toFixed(2));
  const firstShow = r.headline.previousSessions.length === 0;
  const source = rv.sales.gmvTargetSource;
  const withTarget = (name: string) => `${name} / ${i18n('report.target')}`;
  const sep = i18n('report.listSep');
  const assumptions = said({ zh: rv.roi.assumptionsZh.join(sep), en: rv.roi.assumptionsEn.join(sep) }, i18n);
  const returning = rv.audience.returningViewers;
  const sales = rows('sales', [
    { key: 'gmvFen', name: i18n('kpi.gmvFen'), value: rv.sales.gmvFen, kind: 'money', text: money(rv.sales.gmvFen) },
    {
      key: 'gmvTarget',
      name: i18n('report.gmvTarget'),
      value: rv.sales.gmvTargetFen,
      kind: 'money',
      // "¥8万（本场目标）": whose target it is, beside it.
      text: rv.sales.gmvTargetFen === null ? money(null) : `${money(rv.sales.gmvTargetFen)}${source ? i18n(`report.targetSource.${source}`) : ''}`,
      note: (source ? i18n(`report.targetSource.${source}`) : i18n('report.notSet')).trim(),
    },
    { key: 'attainment', name: i18n('report.attainment'), value: rv.sales.attainment, kind: 'rate', text: formatRate(rv.sales.attainment, 1) },
    // A room's first show has nothing earlier to compare with: 首场, never "前0场".
    { key: 'vsPrevious', name: i18n('report.vsPrev'), value: firstShow ? null : rv.sales.vsPrevious, kind: 'change', text: firstShow ? i18n('report.firstShowShort') : formatChange(rv.sales.vsPrevious) },
    { key: 'orders', name: i18n('kpi.orders'), value: rv.sales.orders, kind: 'count', text: count(rv.sales.orders) },
    ...(['ctr', 'clickToOrder'] as const).map((k): RowIn => {
      const f = rv.sales[k];
      return { key: k, name: i18n(`kpi.${k}`), label: withTarget(i18n(`kpi.${k}`)), value: f.value, kind: 'rate', target: f.target, text: `${pct(f.value)} / ${pct(f.target)}`, status: f.status };
    }),
  ]);
  const reach = rows('reach', [
    ...(['pv', 'uv', 'peakOnline'] as const).map((k): RowIn => ({ key: k, name: i18n(`kpi.${k}`), value: rv.reach[k], kind: 'count', text: count(rv.reach[k]) })),
    { key: 'avgWatchSec', name: i18n('kpi.avgWatchSec'), value: rv.reach.avgWatchSec, kind: 'duration', text: formatDuration(rv.reach.avgWatchSec) },
    ...(['shares', 'comments'] as const).map((k): RowIn => ({ key: k, name: i18n(`kpi.${k}`), value: rv.reach[k], kind: 'count', text: count(rv.reach[k]) })),
    { key: 'naturalShare', name: i18n('report.natural'), value: rv.reach.naturalShare, kind: 'rate', text: formatRate(rv.reach.naturalShare, 1) },
  ]);
  const audience = rows('audience', [
    { key: 'newFollowers', name: i18n('kpi.newFollowers'), value: rv.audience.newFollowers, kind: 'count', text: count(rv.audience.newFollowers) },
    { key: 'followRate', name: i18n('kpi.followRate'), value: rv.audience.followRate, kind: 'rate', text: pct(rv.audience.followRate) },
    { key: 'fansclubJoins', name: i18n('kpi.fansclubJoins'), value: rv.audience.fansclubJoins, kind: 'count', text: count(rv.audience.fansclubJoins) },
    { key: 'buyers', name: i18n('kpi.buyers'), value: rv.audience.buyers, kind: 'count', text: count(rv.audience.buyers) },
    // The feeds do not say who came back: said so, never guessed.
    { key: 'returningViewers', name: i18n('report.returning'), value: returning, kind: 'count', text: returning === null ? i18n('report.notInFeed') : count(returning), note: returning === null ? i18n('report.returningNote') : null },
  ]);
  const roi = rows('roi', [
    { key: 'adSpendFen', name: i18n('kpi.adSpendFen'), value: rv.roi.adSpendFen, kind: 'money', text: money(rv.roi.adSpendFen) },
    ...(['roi', 'adRoi'] as const).map((k): RowIn => ({ key: k, name: i18n(`kpi.${k}`), value: rv.roi[k], kind: 'ratio', text: ratio(rv.roi[k]) })),
    { key: 'roiTarget', name: i18n('report.targetRoi'), value: rv.roi.roiTarget, kind: 'ratio', text: rv.roi.roiTarget.toFixed(2) },
    { key: 'breakEvenRoi', name: i18n('kpi.breakEvenRoi'), value: rv.roi.breakEvenRoi, kind: 'ratio', text: ratio(rv.roi.breakEvenRoi) },
    { key: 'margin', name: i18n('report.margin'), value: rv.roi.margin, kind: 'rate', text: formatRate(rv.roi.margin, 1) },
    { key: 'profitFen', name: i18n('report.profit'), value: rv.roi.profitFen, kind: 'money', text: money(rv.roi.profitFen), note: assumptions || null },
  ]);
  return {
    title: i18n('report.dims'),
    dims: [
      { dim: 'sales', title: i18n('report.sales'), rows: sales, note: null },
      { dim: 'reach', title: i18n('report.reach'), rows: reach, note: null },
      { dim: 'audience', title: i18n('report.audience'), rows: audience, note: returning === null ? i18n('report.returningNote') : null },
      { dim: 'roi', title: i18n('report.roi'), rows: roi, note: assumptions || null },
    ],
  };
}
