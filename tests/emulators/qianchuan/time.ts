/**
 * The platform's clock face: Asia/Shanghai (UTC+8, no daylight saving), `yyyy-mm-dd hh:mm:ss`
 * for times and `yyyy-mm-dd` for dates. Fixed arithmetic rather than Intl keeps it exact and fast.
 */
const OFFSET_MS = 8 * 3600_000;
export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function fmtDate(ms: number): string {
  const d = new Date(ms + OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function fmtDateTime(ms: number): string {
  const d = new Date(ms + OFFSET_MS);
  return `${fmtDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `yyyy-mm-dd` → the Shanghai midnight starting that day, or null when it is not a real date. */
export function parseDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return utc - OFFSET_MS;
}

/** `yyyy-mm-dd hh:mm:ss` (Shanghai) → epoch ms, or null. */
export function parseDateTime(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const day = parseDate(m[1]!);
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (day === null || h > 23 || mi > 59 || s > 59) return null;
  return day + h * HOUR_MS + mi * 60_000 + s * 1000;
}

export function dayStart(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

export function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}
