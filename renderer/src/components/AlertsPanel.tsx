import { useApp, useAppShallow, useT } from '../lib/hooks.ts';
import { alertText } from '../../../shared/alerts/text.ts';
import { appStore } from '../lib/store.ts';
import type { Transport } from '../lib/transport.ts';

/** L4: alerts of every room, newest first; acknowledged ones stay in the list, dimmed. */
export function AlertsPanel({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { alerts, rooms, selected } = useAppShallow((s) => ({ alerts: s.alerts, rooms: s.rooms, selected: s.selectedRoomId }));
  const open = alerts.filter((a) => a.acknowledgedAt === null).length;
  const ack = async (id: string) => {
    const r = await transport.request('ackAlert', { id });
    if (r.ok) appStore.setState({ alerts: appStore.getState().alerts.map((a) => (a.id === id ? r.value : a)) });
  };
  return (
    <section className="panel alerts" data-testid="alerts">
      <h2>
        {t('alerts.title')} {open ? <span className="badge" data-testid="alerts-open">{open}</span> : null}
      </h2>
      {alerts.length === 0 ? <p className="muted">{t('alerts.none')}</p> : null}
      <ul>
        {alerts.slice(0, 30).map((a) => {
          const room = rooms.find((r) => r.roomId === a.roomId);
          return (
            <li key={a.id} className={a.acknowledgedAt ? 'acked' : `open ${a.kind}`} data-testid={`alert-${a.kind}`}>
              <div className="alert-line">
                <span className="alert-minute">{a.minute}′</span>
                <span className="alert-text">{alertText(a, locale)}</span>
              </div>
              <div className="alert-meta">
                {a.roomId !== selected ? <span className="muted">{room?.title ?? a.roomId}</span> : <span />}
                {a.acknowledgedAt ? (
                  <span className="muted">{t('alerts.acked')}</span>
                ) : (
                  <button className="pin" onClick={() => void ack(a.id)}>
                    {t('alerts.ack')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
