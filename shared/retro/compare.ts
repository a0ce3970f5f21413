/**
 * Two or more sessions side by side, as series to overlay.
 * - align 'minute': x = minute since the start of each show.
 * - align 'slot': x = the n-th 讲解 segment of each show (slot 0 = the first product explained),
 *   so "the third product of the night" lines up whatever time it came on; a slot's figures are
 *   the segment's (GMV, CTR, GPM per entry, entries) and online at its start.
 * Pure.
 */
import type { Kpis, MinuteRow, SegmentRow } from '../metrics/types.ts';
import type { CompareSeries, Comparison } from './types.ts';
import { minuteNumber } from '../minutes.ts';

export interface CompareInput {
  sessionId: string;
  roomId: string;
  title: string;
  startedAt: number;
  kpis: Kpis;
  minutes: readonly MinuteRow[];
  segments: readonly SegmentRow[];
  titles: ReadonlyMap<string, string>;
  /** The show's currency (absent: CNY). */
  currency?: string;
}

/**
 * Shows whose money is in different currencies (a Douyin show in ¥ and a TikTok Shop show in $)
 * are not set side by side: nothing converts them, and a GMV delta between them would be a number
 * that means nothing.
 */
export class CompareCurrencyError extends Error {}

function rel(v: number | null, base: number | null): number | null {
  return v === null || base === null || !(base > 0) ? null : v / base - 1;
}

export function compareSessions(inputs: readonly CompareInput[], align: 'minute' | 'slot'): Comparison {
  const currencies = [...new Set(inputs.map((s) => s.currency ?? 'CNY'))];
  if (currencies.length > 1) throw new CompareCurrencyError(`these shows' money is in different currencies (${currencies.join(', ')}) and is never converted: compare shows of one currency`);
  const series: CompareSeries[] = inputs.map((s) => {
    let cum = 0;
    const points: CompareSeries['points'] =
      align === 'minute'
        ? s.minutes.map((m) => {
            cum += m.gmvFen;
            return { x: m.minute, label: String(minuteNumber(m.minute)), productId: m.pinnedProductId, onlineAvg: m.onlineAvg, gmvFen: m.gmvFen, cumGmvFen: cum, ctr: m.ctr, gpm: m.gpm, enters: m.enters };
          })
        : s.segments.map((g, i) => {
            cum += g.gmvFen;
            return { x: i, label: s.titles.get(g.productId) ?? g.productId, productId: g.productId, onlineAvg: g.onlineStart, gmvFen: g.gmvFen, cumGmvFen: cum, ctr: g.ctr, gpm: g.gpm, enters: g.enters };
          });
    const k = s.kpis;
    return {
      sessionId: s.sessionId,
      roomId: s.roomId,
      title: s.title,
      startedAt: s.startedAt,
      kpis: { gmvFen: k.gmvFen, gpm: k.gpm, pv: k.pv, peakOnline: k.peakOnline, ctr: k.ctr, clickToOrder: k.clickToOrder, orders: k.orders, durationSec: k.durationSec },
      points,
    };
  });
  const first = series[0]?.kpis;
  return {
    align,
    currency: currencies[0] ?? 'CNY',
    series,
    deltas: series.map((s) => ({
      sessionId: s.sessionId,
      gmvFen: first ? rel(s.kpis.gmvFen, first.gmvFen) : null,
      gpm: first ? rel(s.kpis.gpm, first.gpm) : null,
      pv: first ? rel(s.kpis.pv, first.pv) : null,
      ctr: first ? rel(s.kpis.ctr, first.ctr) : null,
      clickToOrder: first ? rel(s.kpis.clickToOrder, first.clickToOrder) : null,
    })),
  };
}
