import { useAppShallow, useT } from '../../lib/hooks.ts';
import { formatCount, formatDuration, formatMoneyFen, formatRate, formatYuan, type Locale } from '../../../../shared/format.ts';
import type { Kpis } from '../../../../shared/metrics/types.ts';
import type { FigureFamily, FigureOrigin, RoomTargets } from '../../../../shared/contract.ts';
import { useNow } from '../../lib/liveness.ts';
import { originLines, originOf, originShort, originStale } from './origins.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';

type Kind = 'count' | 'money' | 'yuan' | 'rate' | 'duration';

interface Tile {
  key: keyof Kpis;
  /** The kinds of figure it is made of, the first the one its badge names (for where it comes from). */
  from: FigureFamily[];
  label: MessageKey;
  kind: Kind;
  big?: boolean;
  /** The target this tile is judged against (METRICS.md targets, set per room). */
  target?: keyof Pick<RoomTargets, 'ctr' | 'clickToOrder'>;
  digits?: number;
}

const TILES: Tile[] = [
  { key: 'onlineNow', from: ['viewers'], label: 'metric.onlineNow', kind: 'count', big: true },
  { key: 'gmvFen', from: ['orders'], label: 'metric.gmvFen', kind: 'money', big: true },
  { key: 'gpm', from: ['orders', 'viewers'], label: 'metric.gpm', kind: 'yuan', big: true },
  { key: 'peakOnline', from: ['viewers'], label: 'metric.peakOnline', kind: 'count' },
  { key: 'uv', from: ['viewers'], label: 'metric.uv', kind: 'count' },
  { key: 'pv', from: ['viewers'], label: 'metric.pv', kind: 'count' },
  { key: 'orders', from: ['orders'], label: 'metric.orders', kind: 'count' },
  { key: 'ctr', from: ['clicks'], label: 'metric.ctr', kind: 'rate', target: 'ctr' },
  { key: 'clickToOrder', from: ['clicks', 'orders'], label: 'metric.clickToOrder', kind: 'rate', target: 'clickToOrder' },
  { key: 'viewToOrder', from: ['orders', 'viewers'], label: 'metric.viewToOrder', kind: 'rate', digits: 2 },
  { key: 'uvValue', from: ['orders', 'viewers'], label: 'metric.uvValue', kind: 'yuan' },
  { key: 'avgWatchSec', from: ['viewers'], label: 'metric.avgWatchSec', kind: 'duration' },
  { key: 'newFollowers', from: ['viewers'], label: 'metric.newFollowers', kind: 'count' },
  { key: 'fansclubJoins', from: ['viewers'], label: 'metric.fansclubJoins', kind: 'count' },
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
  const { kpis, ago, locale, targets, noOrders, origins } = useAppShallow((s) => ({ kpis: s.room?.kpis ?? null, ago: s.kpisMinuteAgo, locale: s.locale, targets: s.targets, noOrders: s.room?.noOrders === true, origins: s.room?.origins }));
  const now = useNow();
  // Each kind of figure's tooltip lines once per render (five kinds), not once per tile and kind.
  const lines = new Map((origins ?? []).map((o) => [o.family, originLines(o, t, now)]));
  return (
    <>
    <section className="kpis" aria-label="KPI">
      {TILES.map((tile) => {
        // A viewer-side source has no orders: its zero would read as "sold nothing".
        const unknown = noOrders && ORDER_FIGURES.has(tile.key);
        const raw = kpis && !unknown ? (kpis[tile.key] as number | null) : null;
        const before = ago ? (ago[tile.key] as number | null) : null;
        const delta = raw !== null && before !== null ? raw - before : null;
        const state = tile.target ? targetState(raw, targets[tile.target], targets.tolerance) : '';
        const main = originOf(origins, tile.from[0]!);
        const tip = tile.from.flatMap((f) => lines.get(f) ?? []);
        return (
          <div key={tile.key} className={`kpi ${tile.big ? 'big' : ''} ${state}`} data-testid={`kpi-${tile.key}`} data-value={raw ?? ''} data-state={state} data-origin={main?.source ?? ''} title={tip.join('\n')}>
            <div className="kpi-label">
              <span>{t(tile.label)}</span>
              {main ? <span className={`origin-chip${originStale(main, now) ? ' stale' : ''}`}>{originShort(main, t)}</span> : null}
            </div>
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
    <OriginsLine origins={origins} lines={lines} now={now} />
    </>
  );
}

/** Under the strip: each kind of figure, its source and how fresh it is (hover for the details). */
function OriginsLine({ origins, lines, now }: { origins: readonly FigureOrigin[] | undefined; lines: ReadonlyMap<FigureFamily, string[]>; now: number }) {
  const t = useT();
  if (!origins?.length) return null;
  return (
    <div className="origins small muted" data-testid="origins">
      {origins.map((o) => {
        const stale = originStale(o, now);
        const ago = o.lastAt === null ? t('origin.never') : t(stale ? 'origin.stale' : 'origin.ago', { s: Math.max(0, Math.round((now - o.lastAt) / 1000)) });
        return (
          <span key={o.family} className={`origin${stale ? ' stale' : ''}`} data-testid={`origin-${o.family}`} data-source={o.source} data-basis={o.basis} title={(lines.get(o.family) ?? []).join('\n')}>
            {t(`origin.family.${o.family}`)} · {originShort(o, t)}
            {o.basis === 'polled' ? '·' + t('origin.short.polled') : ''} · {ago}
          </span>
        );
      })}
    </div>
  );
}
