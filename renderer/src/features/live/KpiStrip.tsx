import { useAppShallow, useT } from '../../lib/hooks.ts';
import { formatCount, formatDuration, formatMoneyFen, formatRate, formatYuan, type Locale } from '../../../../shared/format.ts';
import type { Kpis } from '../../../../shared/metrics/types.ts';
import type { RoomTargets } from '../../../../shared/contract.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';

type Kind = 'count' | 'money' | 'yuan' | 'rate' | 'duration';

interface Tile {
  key: keyof Kpis;
  label: MessageKey;
  kind: Kind;
  big?: boolean;
  /** The target this tile is judged against (METRICS.md targets, set per room). */
  target?: keyof Pick<RoomTargets, 'ctr' | 'clickToOrder'>;
  digits?: number;
}

const TILES: Tile[] = [
  { key: 'onlineNow', label: 'metric.onlineNow', kind: 'count', big: true },
  { key: 'gmvFen', label: 'metric.gmvFen', kind: 'money', big: true },
  { key: 'gpm', label: 'metric.gpm', kind: 'yuan', big: true },
  { key: 'peakOnline', label: 'metric.peakOnline', kind: 'count' },
  { key: 'uv', label: 'metric.uv', kind: 'count' },
  { key: 'pv', label: 'metric.pv', kind: 'count' },
  { key: 'orders', label: 'metric.orders', kind: 'count' },
  { key: 'ctr', label: 'metric.ctr', kind: 'rate', target: 'ctr' },
  { key: 'clickToOrder', label: 'metric.clickToOrder', kind: 'rate', target: 'clickToOrder' },
  { key: 'viewToOrder', label: 'metric.viewToOrder', kind: 'rate', digits: 2 },
  { key: 'uvValue', label: 'metric.uvValue', kind: 'yuan' },
  { key: 'avgWatchSec', label: 'metric.avgWatchSec', kind: 'duration' },
  { key: 'newFollowers', label: 'metric.newFollowers', kind: 'count' },
  { key: 'fansclubJoins', label: 'metric.fansclubJoins', kind: 'count' },
];

function format(kind: Kind, v: number | null, locale: Locale, digits?: number): string {
  switch (kind) {
    case 'count':
      return formatCount(v, locale);
    case 'money':
      return formatMoneyFen(v, locale);
    case 'yuan':
      return formatYuan(v, locale);
    case 'rate':
      return formatRate(v, digits ?? 1);
    case 'duration':
      return formatDuration(v);
  }
}

/** The change over the last minute, worded for the tile: +¥1,234 · +0.4pt · −35. */
function formatDelta(kind: Kind, delta: number, locale: Locale): string {
  // Round first, so a change too small to show reads ±0 rather than −0.
  const d = kind === 'duration' || kind === 'count' ? Math.round(delta) : delta;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const a = Math.abs(d);
  if (kind === 'rate') return `${sign}${(a * 100).toFixed(2)}pt`;
  if (kind === 'duration') return `${sign}${Math.round(a)}s`;
  return sign + format(kind, a, locale);
}

/** Figures made of orders or product clicks, which a viewer-side source (TikTok-Chat-Reader, douyinLive …) does not carry. */
const ORDER_FIGURES = new Set<string>(['gmvFen', 'gpm', 'orders', 'ctr', 'clickToOrder', 'viewToOrder', 'uvValue']);

/** Good / warn / bad against a target: at or above it, within the tolerance band, or below. */
function targetState(v: number | null, target: number, tolerance: number): 'good' | 'warn' | 'bad' | '' {
  if (v === null) return '';
  if (v >= target) return 'good';
  return v >= target * (1 - tolerance) ? 'warn' : 'bad';
}

/** The headline figures of the selected room, each with its change over the last minute. */
export function KpiStrip() {
  const t = useT();
  const { kpis, ago, locale, targets, noOrders } = useAppShallow((s) => ({ kpis: s.room?.kpis ?? null, ago: s.kpisMinuteAgo, locale: s.locale, targets: s.targets, noOrders: s.room?.noOrders === true }));
  return (
    <section className="kpis" aria-label="KPI">
      {TILES.map((tile) => {
        // A viewer-side source has no orders: its zero would read as "sold nothing".
        const unknown = noOrders && ORDER_FIGURES.has(tile.key);
        const raw = kpis && !unknown ? (kpis[tile.key] as number | null) : null;
        const before = ago ? (ago[tile.key] as number | null) : null;
        const delta = raw !== null && before !== null ? raw - before : null;
        const state = tile.target ? targetState(raw, targets[tile.target], targets.tolerance) : '';
        return (
          <div key={tile.key} className={`kpi ${tile.big ? 'big' : ''} ${state}`} data-testid={`kpi-${tile.key}`} data-value={raw ?? ''} data-state={state}>
            <div className="kpi-label">{t(tile.label)}</div>
            <div className="kpi-value">{format(tile.kind, raw, locale, tile.digits)}</div>
            <div className="kpi-sub">
              {unknown ? (
                <span className="muted" data-testid={`kpi-noorders-${tile.key}`}>{t('kpi.noOrders')}</span>
              ) : delta !== null ? (
                <span className={delta > 0 ? 'up' : delta < 0 ? 'down' : ''} data-testid={`kpi-delta-${tile.key}`}>
                  {t('kpi.lastMin')} {formatDelta(tile.kind, delta, locale)}
                </span>
              ) : (
                <span className="muted">{t('kpi.lastMin')} —</span>
              )}
              {tile.target && !unknown ? (
                <span className="kpi-target">
                  {t('kpi.target')} ≥{formatRate(targets[tile.target])}
                </span>
              ) : null}
            </div>
          </div>
        );
      })}
    </section>
  );
}
