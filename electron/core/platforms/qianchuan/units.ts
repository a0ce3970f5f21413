/**
 * Money on 巨量千川: every amount is a float and no standard endpoint states its unit. The app
 * takes 元 (yuan, 2 decimals) — what the SDK's `report/uni_promotion/get` text says and what the
 * advertiser UI shows — and turns it into integer fen here, the one place it happens.
 *
 * 全域推广's `uni_promotion/list` `stat_cost` is the documented conflict: the SDK says 元, a
 * community SDK and three peers read 1/100000 元. The operator can pin it
 * (`LCR_QIANCHUAN_UNI_COST_UNIT=yuan|1e-5`); by default the app decides from the figures
 * themselves — a 全域 plan of this room cannot have spent more than the room's total spend, and a
 * 1/100000-元 figure read as 元 is 100000 times too large — and shows the result beside the figure.
 */

export type UniCostUnit = 'yuan' | '1e-5';

/** 元 as the platform sends them → integer fen (half away from zero, after killing float noise). */
export function yuanToFen(v: unknown): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1e12) return undefined;
  return Math.round(Number((v * 100).toFixed(4)));
}

export function uniCostToFen(v: unknown, unit: UniCostUnit): number | undefined {
  if (unit === 'yuan') return yuanToFen(v);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1e17) return undefined;
  return Math.round(v / 1000);
}

export interface UnitCheck {
  unit: UniCostUnit;
  /** How the unit was decided: pinned by the operator, or read from the figures (and how sure). */
  basis: 'pinned' | 'consistent' | 'undecided';
}

/**
 * Decides the 全域 cost unit from one poll: the sum of this room's 全域 plans' `stat_cost` against
 * the room's own `stat_cost` (元). Read as 元 the plans must not exceed the room; 50× the room (slack
 * for the two endpoints' different refresh moments) can only be 1/100000 元.
 */
export function checkUniCostUnit(uniRawSum: number, roomCostYuan: number | undefined, pinned: UniCostUnit | undefined): UnitCheck {
  if (pinned) return { unit: pinned, basis: 'pinned' };
  if (roomCostYuan === undefined || roomCostYuan <= 0 || uniRawSum <= 0) {
    return { unit: 'yuan', basis: 'undecided' };
  }
  if (uniRawSum > roomCostYuan * 50) return { unit: '1e-5', basis: 'consistent' };
  return { unit: 'yuan', basis: 'consistent' };
}

/** 千川 times are "yyyy-mm-dd hh:mm:ss" in China time (UTC+8, no daylight saving). */
export function chinaTimeToMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(v.trim());
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! - 8, +m[5]!, +m[6]!);
  return Number.isFinite(ms) ? ms : undefined;
}

export function msToChinaTime(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function chinaDate(ms: number): string {
  return msToChinaTime(ms).slice(0, 10);
}
