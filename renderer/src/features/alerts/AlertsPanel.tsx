import { useAppShallow, useT } from '../../lib/hooks.ts';
import { ackAlerts } from './alert-actions.ts';
import type { Transport } from '../../lib/transport.ts';
import { AlertList } from './AlertList.tsx';

/** Alerts beside the chart: alerts of every room, newest first; acknowledged ones stay, dimmed, with who. */
export function AlertsPanel({ transport }: { transport: Transport }) {
  const t = useT();
  const { alerts, selected } = useAppShallow((s) => ({ alerts: s.alerts, selected: s.selectedRoomId }));
  const open = alerts.filter((a) => a.acknowledgedAt === null).length;
  const openHere = alerts.some((a) => a.acknowledgedAt === null && a.roomId === selected);
  return (
    <section className="panel alerts" data-testid="alerts">
      <h2>
        {t('alerts.title')} {open ? <span className="badge" data-testid="alerts-open">{open}</span> : null}
        {openHere && selected ? (
          <button className="pin head-action" data-testid="alerts-ack-room" onClick={() => void ackAlerts(transport, selected)}>
            {t('alerts.ackRoom')}
          </button>
        ) : null}
      </h2>
      {alerts.length === 0 ? <p className="muted">{t('alerts.none')}</p> : null}
      <AlertList alerts={alerts.slice(0, 30)} transport={transport} />
    </section>
  );
}
