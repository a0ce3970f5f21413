import { useAppShallow, useT } from '../lib/hooks.ts';
import { formatCount, formatDuration, formatMoneyFen, formatRate, formatYuan, type Locale } from '../../../shared/format.ts';
import type { Kpis } from '../../../shared/metrics/types.ts';
import type { MessageKey } from '../../../shared/i18n/messages.ts';

interface Tile {
  key: keyof Kpis;
  label: MessageKey;
  format: (v: number | null, locale: Locale) => string;
  big?: boolean;
}

const count = (v: number | null, l: Locale) => formatCount(v, l);
const money = (v: number | null, l: Locale) => formatMoneyFen(v, l);
const yuan = (v: number | null, l: Locale) => formatYuan(v, l);
const rate = (v: number | null) => formatRate(v);

const TILES: Tile[] = [
  { key: 'onlineNow', label: 'metric.onlineNow', format: count, big: true },
  { key: 'gmvFen', label: 'metric.gmvFen', format: money, big: true },
  { key: 'gpm', label: 'metric.gpm', format: yuan, big: true },
  { key: 'peakOnline', label: 'metric.peakOnline', format: count },
  { key: 'uv', label: 'metric.uv', format: count },
  { key: 'pv', label: 'metric.pv', format: count },
  { key: 'orders', label: 'metric.orders', format: count },
  { key: 'ctr', label: 'metric.ctr', format: rate },
  { key: 'clickToOrder', label: 'metric.clickToOrder', format: rate },
  { key: 'viewToOrder', label: 'metric.viewToOrder', format: (v) => formatRate(v, 2) },
  { key: 'uvValue', label: 'metric.uvValue', format: yuan },
  { key: 'avgWatchSec', label: 'metric.avgWatchSec', format: (v) => formatDuration(v) },
  { key: 'newFollowers', label: 'metric.newFollowers', format: count },
  { key: 'fansclubJoins', label: 'metric.fansclubJoins', format: count },
];

/** The headline figures of the selected room (METRICS.md keys, the platforms' Chinese labels). */
export function KpiStrip() {
  const t = useT();
  const { kpis, locale } = useAppShallow((s) => ({ kpis: s.room?.kpis ?? null, locale: s.locale }));
  return (
    <section className="kpis" aria-label="KPI">
      {TILES.map((tile) => {
        const raw = kpis ? (kpis[tile.key] as number | null) : null;
        return (
          <div key={tile.key} className={tile.big ? 'kpi big' : 'kpi'} data-testid={`kpi-${tile.key}`} data-value={raw ?? ''}>
            <div className="kpi-label">{t(tile.label)}</div>
            <div className="kpi-value">{tile.format(raw, locale)}</div>
          </div>
        );
      })}
    </section>
  );
}
