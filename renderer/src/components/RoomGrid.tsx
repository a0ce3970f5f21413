import { useApp, useAppShallow, useT } from '../lib/hooks.ts';
import { appStore, selectRoom } from '../lib/store.ts';
import { formatCount, formatMoneyFen, formatRate, formatYuan } from '../../../shared/format.ts';
import type { MessageKey } from '../../../shared/i18n/messages.ts';
import type { Transport } from '../lib/transport.ts';

function Sparkline({ points }: { points: number[] }) {
  if (points.length < 2) return <svg className="spark" viewBox="0 0 120 32" />;
  const max = Math.max(...points, 1);
  const step = 120 / (points.length - 1);
  const d = points.map((v, i) => `${(i * step).toFixed(1)},${(30 - (v / max) * 28).toFixed(1)}`).join(' ');
  return (
    <svg className="spark" viewBox="0 0 120 32" preserveAspectRatio="none" aria-hidden>
      <polyline points={d} fill="none" stroke="#4fc3f7" strokeWidth="1.5" />
    </svg>
  );
}

/** L6: every followed room at a glance — headline numbers and online over the show; click to drill in. */
export function RoomGrid({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { rooms, sparks } = useAppShallow((s) => ({ rooms: s.rooms, sparks: s.sparks }));
  const open = (roomId: string) => {
    appStore.setState({ view: 'room' });
    void selectRoom(transport, roomId);
  };
  return (
    <section className="room-grid" data-testid="room-grid">
      {rooms.map((r, i) => (
        <button key={r.roomId} className="room-card" data-testid={`room-card-${r.roomId}`} onClick={() => open(r.roomId)}>
          <div className="room-card-head">
            <span className={`dot ${r.status}`} />
            <span className="room-card-title">{r.title}</span>
            <span className="muted">{i + 1}</span>
          </div>
          <div className="room-card-status muted">
            {t(`room.status.${r.status}` as MessageKey)} · {r.platform}
          </div>
          <div className="room-card-figures">
            <div>
              <div className="muted">{t('metric.onlineNow')}</div>
              <b>{formatCount(r.kpis?.onlineNow ?? null, locale)}</b>
            </div>
            <div>
              <div className="muted">{t('metric.gmvFen')}</div>
              <b>{formatMoneyFen(r.kpis?.gmvFen ?? null, locale)}</b>
            </div>
            <div>
              <div className="muted">{t('metric.gpm')}</div>
              <b>{formatYuan(r.kpis?.gpm ?? null, locale)}</b>
            </div>
            <div>
              <div className="muted">{t('metric.ctr')}</div>
              <b>{formatRate(r.kpis?.ctr ?? null)}</b>
            </div>
          </div>
          <Sparkline points={sparks[r.roomId] ?? []} />
        </button>
      ))}
    </section>
  );
}
