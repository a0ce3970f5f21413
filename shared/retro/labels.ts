/**
 * METRICS.md's KPIs as the retrospective prints them: the platforms' Chinese names (罗盘/Compass),
 * English, the unit and which way is good. One table for the headline, the exports and `lcr report`.
 */
import type { KpiKey, Unit } from './types.ts';
import type { TrafficSource } from '../protocol.ts';
import { DASH, formatCount, formatDuration, formatMoneyFen, formatRate, formatYuan, type Locale } from '../format.ts';

export interface KpiMeta {
  key: KpiKey;
  zh: string;
  en: string;
  unit: Unit;
  better: 'higher' | 'lower' | null;
}

export const KPI_META: readonly KpiMeta[] = [
  { key: 'gmvFen', zh: '成交金额', en: 'GMV', unit: 'fen', better: 'higher' },
  { key: 'orders', zh: '成交订单数', en: 'Orders', unit: 'count', better: 'higher' },
  { key: 'items', zh: '成交件数', en: 'Items sold', unit: 'count', better: 'higher' },
  { key: 'buyers', zh: '成交人数', en: 'Buyers', unit: 'count', better: 'higher' },
  { key: 'gpm', zh: '千次观看成交金额', en: 'GPM', unit: 'yuan', better: 'higher' },
  { key: 'uvValue', zh: 'UV价值', en: 'UV value', unit: 'yuan', better: 'higher' },
  { key: 'orderValue', zh: '客单价', en: 'Order value', unit: 'yuan', better: 'higher' },
  { key: 'itemPrice', zh: '成交件单价', en: 'Item price', unit: 'yuan', better: null },
  { key: 'refundFen', zh: '退款金额', en: 'Refunds', unit: 'fen', better: 'lower' },
  { key: 'peakOnline', zh: '最高在线人数', en: 'Peak online', unit: 'count', better: 'higher' },
  { key: 'avgOnline', zh: '平均在线人数', en: 'Average online', unit: 'count', better: 'higher' },
  { key: 'uv', zh: '累计观看人数', en: 'Viewers (UV)', unit: 'count', better: 'higher' },
  { key: 'pv', zh: '观看次数', en: 'Views (PV)', unit: 'count', better: 'higher' },
  { key: 'avgWatchSec', zh: '人均观看时长', en: 'Avg watch time', unit: 'sec', better: 'higher' },
  { key: 'exposures', zh: '商品曝光次数', en: 'Product exposures', unit: 'count', better: 'higher' },
  { key: 'clicks', zh: '商品点击次数', en: 'Product clicks', unit: 'count', better: 'higher' },
  { key: 'ctr', zh: '商品点击率', en: 'Click-through', unit: 'rate', better: 'higher' },
  { key: 'clickToOrder', zh: '点击成交转化率', en: 'Click→order', unit: 'rate', better: 'higher' },
  { key: 'viewToOrder', zh: '看播成交转化率(次数)', en: 'View→order', unit: 'rate', better: 'higher' },
  { key: 'viewToBuyer', zh: '看播成交转化率(人数)', en: 'Viewer→buyer', unit: 'rate', better: 'higher' },
  { key: 'newFollowers', zh: '新增粉丝', en: 'New followers', unit: 'count', better: 'higher' },
  { key: 'followRate', zh: '转粉率', en: 'Follow rate', unit: 'rate', better: 'higher' },
  { key: 'fansclubJoins', zh: '新加团人数', en: 'Fans-club joins', unit: 'count', better: 'higher' },
  { key: 'comments', zh: '评论次数', en: 'Comments', unit: 'count', better: 'higher' },
  { key: 'likes', zh: '点赞次数', en: 'Likes', unit: 'count', better: 'higher' },
  { key: 'shares', zh: '分享次数', en: 'Shares', unit: 'count', better: 'higher' },
  { key: 'giftFen', zh: '礼物价值', en: 'Gifts', unit: 'fen', better: 'higher' },
  { key: 'adSpendFen', zh: '消耗', en: 'Ad spend', unit: 'fen', better: null },
  { key: 'adGmvFen', zh: '广告成交金额', en: 'Ad GMV', unit: 'fen', better: 'higher' },
  { key: 'roi', zh: '整体支付ROI', en: 'ROI', unit: 'ratio', better: 'higher' },
  { key: 'adRoi', zh: '广告支付ROI', en: 'Ad ROI', unit: 'ratio', better: 'higher' },
  { key: 'breakEvenRoi', zh: '保本ROI', en: 'Break-even ROI', unit: 'ratio', better: null },
  { key: 'durationSec', zh: '直播时长', en: 'Duration', unit: 'sec', better: null },
];

export const KPI_BY_KEY: ReadonlyMap<KpiKey, KpiMeta> = new Map(KPI_META.map((m) => [m.key, m]));

export const SOURCE_LABELS: Record<TrafficSource, { zh: string; en: string }> = {
  recommend: { zh: '推荐feed', en: 'Recommended' },
  paid: { zh: '付费流量', en: 'Paid' },
  follow: { zh: '关注', en: 'Following' },
  search: { zh: '搜索', en: 'Search' },
  shortVideo: { zh: '短视频引流', en: 'Short video' },
  other: { zh: '其他', en: 'Other' },
};

export const ROLE_LABELS: Record<string, { zh: string; en: string }> = {
  traffic: { zh: '引流款', en: 'Traffic' },
  hero: { zh: '转化款', en: 'Hero' },
  profit: { zh: '利润款', en: 'Profit' },
  new: { zh: '机会款', en: 'New' },
};

/** A KPI's value for people: ¥ for money, % for rates, 1:02:03 for durations, 3.2 for ratios. */
export function formatValue(value: number | null | undefined, unit: Unit, locale: Locale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  switch (unit) {
    case 'fen':
      return formatMoneyFen(value, locale);
    case 'yuan':
      return formatYuan(value, locale);
    case 'rate':
      return formatRate(value, value < 0.1 ? 2 : 1);
    case 'count':
      return formatCount(value, locale);
    case 'sec':
      return formatDuration(value);
    case 'ratio':
      return value.toFixed(2);
  }
}

/** A change as "+12.3%" / "−4.0%" (a true minus sign). */
export function formatChange(change: number | null | undefined, digits = 1): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return DASH;
  const s = (Math.abs(change) * 100).toFixed(digits) + '%';
  return change > 0 ? `+${s}` : change < 0 ? `−${s}` : s;
}
