import { useApp, useAppShallow, useT } from '../../lib/hooks.ts';
import { appStore, selectRoom } from '../../lib/store.ts';
import { useLiveness, useNow } from '../../lib/liveness.ts';
import { formatCount, formatDuration, formatMoneyFen, formatRoi, type Locale } from '../../../../shared/format.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';
import type { RoomView } from '../../../../shared/contract.ts';
import type { Transport } from '../../lib/transport.ts';
import { minuteIndex } from '../../../../shared/metrics/window.ts';

const W = 300;
const H = 64;

/** Online over the show, scaled to the room's own peak with the peak and the show's span written on it. */
function OnlineCurve({ points, minutes, t, locale }: { points: Array<number | null>; minutes: number; t: (k: MessageKey) => string; locale: Locale }) {
  const values = points.filter((v): v is number => v !== null);
  if (values.length < 2) return <div className="wall-curve empty muted">{t('wall.noCurve')}</div>;
  // The line is drawn in a fixed box stretched to the tile (non-scaling strokes keep it thin).
  const max = Math.max(...values, 1);
  const step = W / (points.length - 1);
  let d = '';
  points.forEach((v, i) => {
    if (v === null) return;
    d += `${d ? ' L' : 'M'}${(i * step).toFixed(1)},${(H - 2 - (v / max) * (H - 6)).toFixed(1)}`;
  });
  return (
    <div className="wall-curve" data-testid="wall-curve" data-peak={max}>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden>
        <line x1="0" y1={H - 2} x2={W} y2={H - 2} className="axis" />
        <path d={d} fill="none" className="line" />
      </svg>
      <span className="wall-curve-peak muted">
        {t('wall.peak')} {formatCount(max, locale)}
      </span>
      <span className="wall-curve-span muted">
        0′ – {minutes}′
      </span>
    </div>
  );
}

/** ROI against break-even, coloured by that comparison (the figure the tile shows is the one judged). */
function RoiFigure({ r }: { r: RoomView }) {
  const t = useT();
  const roi = r.kpis?.roi ?? null;
  const be = r.breakEvenRoi ?? r.kpis?.breakEvenRoi ?? null;
  const state = roi === null || be === null ? 'unknown' : roi >= be ? 'good' : 'bad';
  return (
    <div className={`wall-fig roi ${state}`} data-testid="wall-roi" data-state={state}>
      <div className="muted">{t('wall.roi')}</div>
      <b>{formatRoi(roi)}</b>
      <div className="muted small">{be === null ? t('wall.noBreakEven') : `${t('wall.breakEven')} ${formatRoi(be)}`}</div>
    </div>
  );
}

function WallTile({ r, index, openAlerts, onOpen }: { r: RoomView; index: number; openAlerts: number; onOpen: () => void }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const live = useLiveness(r);
  useNow();
  const minutes = r.session && r.windowEnd !== null ? minuteIndex(r.windowEnd, r.session.startedAt) : 0;
  const clock = r.session && r.windowEnd !== null ? formatDuration((r.windowEnd - r.session.startedAt) / 1000) : '—';
  return (
    <button className={live.stale ? 'room-card stale' : 'room-card'} data-testid={`room-card-${r.roomId}`} data-stale={live.stale ? (live.reason ?? '') : ''} onClick={onOpen}>
      <div className="room-card-head">
        <span className={`dot ${r.status}`} />
        <span className="room-card-title">{r.title}</span>
        {openAlerts ? (
          <span className="wall-alerts" data-testid="wall-alerts" title={t('wall.openAlerts')}>
            ⚠ {openAlerts}
          </span>
        ) : null}
        <span className="muted">{index + 1}</span>
      </div>
      <div className="room-card-status muted">
        {t(`room.status.${r.status}` as MessageKey)} · <span data-testid="wall-clock">{clock}</span> · {r.platform}
        {live.stale && live.reason ? <span className="stale-tag"> · {t(`stale.short.${live.reason}` as MessageKey)}</span> : null}
      </div>
      <div className="wall-pinned" data-testid="wall-pinned">
        <span className="muted">{t('wall.pinned')}</span> {r.pinned ? <b>{r.pinned.title}</b> : <span className="muted">{t('room.none')}</span>}
      </div>
      <div className="room-card-figures">
        <div className="wall-fig">
          <div className="muted">{t('metric.gmvFen')}</div>
          <b data-testid="wall-gmv">{r.noOrders ? t('kpi.noOrders') : formatMoneyFen(r.kpis?.gmvFen ?? null, locale, { currency: r.session?.currency })}</b>
        </div>
        <div className="wall-fig">
          <div className="muted">{t('metric.onlineNow')}</div>
          <b>{formatCount(r.kpis?.onlineNow ?? null, locale)}</b>
        </div>
        <RoiFigure r={r} />
      </div>
      <OnlineCurve points={r.onlineCurve ?? []} minutes={minutes} t={t} locale={locale} />
    </button>
  );
}

function wallColumns(n: number): number {
  return n <= 1 ? 1 : n <= 4 ? 2 : n <= 9 ? 3 : 4;
}

/**
 * Several rooms at once, the wall: every followed room at a glance — the product being explained, the show clock,
 * GMV, ROI against break-even, open alerts, and online over the whole show scaled to the room's
 * own peak; a room whose numbers stopped is greyed and says why. Click (or 1…9) to drill in.
 */
export function RoomGrid({ transport }: { transport: Transport }) {
  const { rooms, alerts } = useAppShallow((s) => ({ rooms: s.rooms, alerts: s.alerts }));
  const open = (roomId: string) => {
    appStore.setState({ view: 'room' });
    void selectRoom(transport, roomId);
  };
  return (
    // Fills the screen: a wall TV shows two by two, three by three … rather than a strip of cards.
    <section className="room-grid wall" data-testid="room-grid" style={{ gridTemplateColumns: `repeat(${wallColumns(rooms.length)}, minmax(0, 1fr))` }}>
      {rooms.map((r, i) => (
        <WallTile key={r.roomId} r={r} index={i} openAlerts={alerts.filter((a) => a.roomId === r.roomId && a.acknowledgedAt === null).length} onOpen={() => open(r.roomId)} />
      ))}
    </section>
  );
}
