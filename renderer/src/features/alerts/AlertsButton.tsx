import { useAppShallow, useT } from '../../lib/hooks.ts';
import { ackAlerts } from './alert-actions.ts';
import { appStore } from '../../lib/store.ts';
import type { Transport } from '../../lib/transport.ts';
import { AlertList } from './AlertList.tsx';

/** Open alerts the top bar lists at most (the newest); the side panel and the report hold the rest. */
const TOPBAR_LIST = 50;

/**
 * The top bar's count of open (unacknowledged) alerts of every room — visible whatever is on
 * screen — and, on a click, the list of them with 全部确认 (acknowledge every room's).
 */
export function AlertsButton({ transport }: { transport: Transport }) {
  const t = useT();
  const { alerts, isOpen } = useAppShallow((s) => ({ alerts: s.alerts, isOpen: s.alertsOpen }));
  const open = alerts.filter((a) => a.acknowledgedAt === null);
  return (
    <div className="topbar-alerts">
      <button
        className={open.length ? 'lang alerts-count has-open' : 'lang alerts-count'}
        data-testid="topbar-alerts"
        data-open={open.length}
        title={t('alerts.topbarTitle')}
        aria-expanded={isOpen}
        onClick={() => appStore.setState({ alertsOpen: !isOpen })}
      >
        {t('alerts.topbar')} <b data-testid="topbar-alerts-count">{open.length}</b>
      </button>
      {isOpen ? (
        <div className="alerts-drawer panel alerts" data-testid="alerts-drawer">
          <h2>
            {t('alerts.open').replace('{n}', String(open.length))}
            {open.length ? (
              <button className="pin head-action" data-testid="alerts-ack-all" onClick={() => void ackAlerts(transport)}>
                {t('alerts.ackEverywhere')}
              </button>
            ) : null}
            <button className="pin head-action" data-testid="alerts-drawer-close" onClick={() => appStore.setState({ alertsOpen: false })}>
              {t('alerts.close')}
            </button>
          </h2>
          {open.length === 0 ? <p className="muted">{t('alerts.none')}</p> : null}
          <AlertList alerts={open.slice(0, TOPBAR_LIST)} transport={transport} testId="alerts-drawer-list" />
        </div>
      ) : null}
    </div>
  );
}
