/**
 * 抖店's GMV against 千川's for one show, and why they differ: the two platforms count different
 * things at different moments, and a buyer who sees two numbers deserves the reason, not a guess
 * at which is right. 抖店 is the order truth (each paid SKU order of this live room, in fen);
 * 千川's 整体成交 is the ad platform's own attribution, polled, and varies until the next day.
 *
 * A TikTok room is checked the same way with its own pair: the TikTok Shop orders the app took as
 * the LIVE's (by its rule: TikTok's orders name no room) in the place of 抖店, and the shop's LIVE
 * analytics for the session — the platform's own per-LIVE figure — in the place of 千川.
 * Pure: the report screen, the text report and the exports read the same lines.
 */
import type { PlatformTotals } from './types.ts';
import type { Localiser } from '../i18n/localiser.ts';
import { formatDateTime, formatMoneyFen, formatRate } from '../format.ts';

export interface GmvReason {
  code: 'gmv.why.attribution' | 'gmv.why.timing' | 'gmv.why.refunds' | 'gmv.why.varies' | 'gmv.why.rule' | 'gmv.match' | 'gmv.onlyQianchuan' | 'gmv.onlyDoudian' | 'gmv.onlyTiktokShop' | 'gmv.onlyTiktokLive';
  params: Record<string, number>;
}

export interface GmvCheck {
  /** douyin: 抖店 against 千川; tiktok: TikTok Shop orders taken by the rule against the LIVE analytics. */
  pair: 'douyin' | 'tiktok';
  /** The order truth: 抖店's, or the TikTok Shop orders taken as the LIVE's. */
  doudian: PlatformTotals | null;
  /** The platform's own figure for the room: 千川's, or the TikTok LIVE analytics'. */
  qianchuan: PlatformTotals | null;
  /** 千川 − 抖店, fen; null without both. */
  gapFen: number | null;
  /** The gap over 抖店's GMV; null without both or with 抖店 at 0. */
  gapRatio: number | null;
  reasons: GmvReason[];
}

/** Within this share the two agree as well as their different clocks allow. */
export const GMV_MATCH_RATIO = 0.01;

export function gmvCheck(totals: readonly PlatformTotals[] | undefined): GmvCheck | null {
  const find = (origin: string) => totals?.find((t) => t.origin === origin) ?? null;
  const tiktok = !find('doudian') && !find('qianchuan') && (find('tiktok-shop') !== null || find('tiktok-shop-live') !== null);
  const pair = tiktok ? 'tiktok' : 'douyin';
  const dd = tiktok ? find('tiktok-shop') : find('doudian');
  const qc = tiktok ? find('tiktok-shop-live') : find('qianchuan');
  if (!dd && !qc) return null;
  const reasons: GmvReason[] = [];
  if (!dd || !qc || dd.gmvFen === null || qc.gmvFen === null) {
    reasons.push({ code: tiktok ? (dd ? 'gmv.onlyTiktokShop' : 'gmv.onlyTiktokLive') : dd ? 'gmv.onlyDoudian' : 'gmv.onlyQianchuan', params: {} });
    return { pair, doudian: dd, qianchuan: qc, gapFen: null, gapRatio: null, reasons };
  }
  const gapFen = qc.gmvFen - dd.gmvFen;
  const gapRatio = dd.gmvFen > 0 ? gapFen / dd.gmvFen : null;
  if (gapFen === 0 || (gapRatio !== null && Math.abs(gapRatio) <= GMV_MATCH_RATIO)) reasons.push({ code: 'gmv.match', params: {} });
  // A TikTok gap's reason is the rule itself (said last, with the other pair's "varies").
  else if (!tiktok) reasons.push({ code: 'gmv.why.attribution', params: {} });
  const apart = Math.round(Math.abs(qc.asOf - dd.asOf) / 60_000);
  if (apart >= 1) reasons.push({ code: 'gmv.why.timing', params: { qcAt: qc.asOf, ddAt: dd.asOf, minutes: apart } });
  if ((dd.refundFen ?? 0) > 0) reasons.push({ code: 'gmv.why.refunds', params: { refundFen: dd.refundFen! } });
  reasons.push({ code: tiktok ? 'gmv.why.rule' : 'gmv.why.varies', params: {} });
  return { pair, doudian: dd, qianchuan: qc, gapFen, gapRatio, reasons };
}

/** The check's heading: 抖店 vs 千川, or TikTok Shop orders vs the LIVE analytics. */
export function gmvCheckTitle(c: GmvCheck, i18n: Localiser): string {
  return i18n(c.pair === 'tiktok' ? 'gmv.title.tiktok' : 'gmv.title');
}

/** The comparison as people read it, in the reader's language: figure rows, then the reasons. */
export function gmvCheckLines(c: GmvCheck, i18n: Localiser): { rows: Array<{ label: string; value: string; note: string }>; reasons: string[] } {
  const { locale } = i18n;
  const at = (ms: number) => formatDateTime(ms, locale, { timeStyle: 'short' });
  const rows: Array<{ label: string; value: string; note: string }> = [];
  const tiktok = c.pair === 'tiktok';
  const rule = (t: PlatformTotals) => (tiktok && (t.rule === 'window+products' || t.rule === 'window') ? ` · ${i18n(`origin.rule.${t.rule}`)}` : '');
  if (c.doudian) rows.push({ label: i18n(tiktok ? 'gmv.tiktokShop' : 'gmv.doudian'), value: formatMoneyFen(c.doudian.gmvFen, locale), note: i18n('gmv.asOf', { time: at(c.doudian.asOf) }) + rule(c.doudian) });
  if (c.qianchuan) rows.push({ label: i18n(tiktok ? 'gmv.tiktokLive' : 'gmv.qianchuan'), value: formatMoneyFen(c.qianchuan.gmvFen, locale), note: i18n('gmv.asOf', { time: at(c.qianchuan.asOf) }) });
  if (c.gapFen !== null) rows.push({ label: i18n(tiktok ? 'gmv.gap.tiktok' : 'gmv.gap'), value: `${c.gapFen > 0 ? '+' : ''}${formatMoneyFen(c.gapFen, locale)}`, note: c.gapRatio === null ? '' : formatRate(c.gapRatio) });
  const reasons = c.reasons.map((r) => i18n(r.code, r.code === 'gmv.why.refunds' ? { refund: formatMoneyFen(r.params.refundFen ?? 0, locale) } : r.params));
  return { rows, reasons };
}
