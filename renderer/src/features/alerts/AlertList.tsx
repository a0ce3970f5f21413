import type { Alert } from '../../../../shared/contract.ts';
import { alertRoomName, alertText } from '../../../../shared/alerts/text.ts';
import { minuteLabel } from '../../../../shared/minutes.ts';
import { whoText } from '../../../../shared/who.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import { useApp, useAppShallow, useCan, useT } from '../../lib/hooks.ts';
import { ackAlert, canOpen, openAlert } from './alert-actions.ts';
import type { Transport } from '../../lib/transport.ts';

/**
 * Alerts as a list (the side panel, the top bar's list of every room): the minute as people count
 * it (第N分钟, shared/minutes.ts), the alert in words, the room unless it is the one on screen,
 * and who acknowledged it and when — or the button to. A click opens the alert where it happened.
 */
export function AlertList({ alerts, transport, testId }: { alerts: readonly Alert[]; transport: Transport; testId?: string }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { rooms, selected, view } = useAppShallow((s) => ({ rooms: s.rooms, selected: s.selectedRoomId, view: s.view }));
  const canAck = useCan('ackAlert');
  return (
    <ul data-testid={testId}>
      {alerts.map((a) => {
        const openable = canOpen(a, rooms);
        const showRoom = a.roomId !== selected || view !== 'room';
        return (
          <li
            key={a.id}
            className={a.acknowledgedAt ? 'acked' : `open ${a.kind}`}
            data-openable={openable ? '1' : undefined}
            data-testid={`alert-${a.kind}`}
            data-alert-id={a.id}
            data-room={a.roomId}
            data-minute={a.minute}
            title={openable ? t('alerts.show') : undefined}
            onClick={openable ? () => openAlert(transport, a) : undefined}
          >
            <div className="alert-line">
              <span className="alert-minute" data-testid="alert-minute">{minuteLabel(a.minute, locale)}</span>
              <span className="alert-text">{alertText(a, locale)}</span>
            </div>
            <div className="alert-meta">
              {showRoom ? <span className="muted" data-testid="alert-room">{alertRoomName(a, rooms, locale)}</span> : <span />}
              {a.acknowledgedAt ? (
                <span className="muted" data-testid="alert-acked-by">
                  {t('alerts.ackedBy')
                    .replace('{who}', whoText(a.acknowledgedBy, a.acknowledgedRole, locale))
                    .replace('{time}', formatDateTime(a.acknowledgedAt, locale, { hour: '2-digit', minute: '2-digit' }))}
                </span>
              ) : !canAck ? null : (
                <button
                  className="pin"
                  data-testid="alert-ack"
                  onClick={(e) => {
                    e.stopPropagation();
                    void ackAlert(transport, a.id);
                  }}
                >
                  {t('alerts.ack')}
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
