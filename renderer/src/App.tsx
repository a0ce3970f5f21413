import { lazy, Suspense, useEffect, useMemo } from 'react';
import { KpiStrip } from './features/live/KpiStrip.tsx';
import { MinuteChart } from './features/live/MinuteChart.tsx';
import { ProductBoard } from './features/live/ProductBoard.tsx';
import { SegmentCard } from './features/live/SegmentCard.tsx';
import { RoomGrid } from './features/live/RoomGrid.tsx';
import { AlertsPanel } from './features/alerts/AlertsPanel.tsx';
import { AlertsButton } from './features/alerts/AlertsButton.tsx';
import { DemandPanel } from './features/live/DemandPanel.tsx';
import { SuggestionPanel } from './features/suggest/SuggestionPanel.tsx';
import { RunOfShowPanel } from './features/suggest/RunOfShowPanel.tsx';
import { SettingsDialog } from './features/settings/SettingsDialog.tsx';
import { PromptScreen } from './features/team/PromptScreen.tsx';
import { PromptSender } from './features/team/PromptSender.tsx';
import { mayRequest } from '../../shared/team/roles.ts';
import { CoreNotices } from './app/CoreNotices.tsx';
import { ShortcutHelp, useShortcuts } from './app/Shortcuts.tsx';
import { StaleBanner } from './app/StaleBanner.tsx';
import { useLiveness } from './lib/liveness.ts';
import { createTransport } from './lib/transport.ts';
import { appStore, connectStores, selectRoom, setLocale } from './lib/store.ts';
import { useApp, useAppShallow, useT } from './lib/hooks.ts';
import { formatDuration } from '../../shared/format.ts';
import type { MessageKey } from '../../shared/i18n/messages.ts';
import type { ConnectionState } from '../../shared/contract.ts';

// The 复盘 screen and the ad console load when first opened: with their ECharts chart types they
// were a third of the bundle the dashboard evaluates on start (npm run bench:ui, "opening the page").
const RetroView = lazy(() => import('./features/retro/RetroView.tsx').then((m) => ({ default: m.RetroView })));
const AdConsole = lazy(() => import('./features/ads/AdConsole.tsx').then((m) => ({ default: m.AdConsole })));

function Loading() {
  const t = useT();
  return <p className="waiting">{t('retro.loading')}</p>;
}

export function App() {
  const transport = useMemo(() => createTransport(), []);
  useEffect(() => connectStores(transport), [transport]);
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { rooms, selectedRoomId, view, big } = useAppShallow((s) => ({ rooms: s.rooms, selectedRoomId: s.selectedRoomId, view: s.view, big: s.bigScreen }));
  const me = useApp((s) => s.me);
  const channel = useApp((s) => s.transport);
  useShortcuts(transport);
  // A teammate's link that was revoked or expired: nothing of the room stays on screen.
  if (me && me.inviteId !== null && channel === 'unauthorized') {
    return (
      <p className="waiting link-ended" data-testid="link-ended">
        {t('team.linkEnded')}
      </p>
    );
  }
  // The host's page is the prompt screen, nothing else (PRODUCT.md T2).
  if (me?.role === 'host') return <PromptScreen transport={transport} />;

  return (
    <div className={big ? 'app big-screen' : 'app'} data-testid="app" data-view={view} data-big={big ? '1' : '0'}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-title">{t('app.title')}</span>
          <span className="brand-sub">{t('app.subtitle')}</span>
        </div>
        <nav className="room-tabs" aria-label="rooms">
          {rooms.map((r) => (
            <button
              key={r.roomId}
              className={r.roomId === selectedRoomId && view === 'room' ? 'room-tab active' : 'room-tab'}
              data-testid={`room-tab-${r.roomId}`}
              onClick={() => {
                appStore.setState({ view: 'room' });
                void selectRoom(transport, r.roomId);
              }}
            >
              <span className={`dot ${r.status}`} />
              {r.title}
            </button>
          ))}
        </nav>
        <ConnectionBadge />
        {me && me.inviteId !== null ? (
          <span className="me-chip" data-testid="me" data-role={me.role}>
            {t(`team.role.${me.role}` as MessageKey)}
            {me.name ? ` · ${me.name}` : ''}
          </span>
        ) : null}
        <AlertsButton transport={transport} />
        <button className={view === 'grid' ? 'lang active' : 'lang'} data-testid="view-grid" onClick={() => appStore.setState({ view: view === 'grid' ? 'room' : 'grid' })}>
          {t('view.grid')}
        </button>
        <button className={view === 'retro' ? 'lang active' : 'lang'} data-testid="view-retro" onClick={() => appStore.setState({ view: view === 'retro' ? 'room' : 'retro' })}>
          {t('view.retro')}
        </button>
        <button className="lang" data-testid="view-big" onClick={() => appStore.setState({ bigScreen: true })}>
          {t('view.big')}
        </button>
        <button className="lang" onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}>
          {t('lang.switch')}
        </button>
        <button className="lang" data-testid="open-settings" onClick={() => appStore.setState({ settingsOpen: true })}>
          {t('settings.open')}
        </button>
        <button className="lang" aria-label={t('keys.title')} onClick={() => appStore.setState({ helpOpen: true })}>
          ?
        </button>
      </header>
      <CoreNotices />
      <ShortcutHelp />
      <SettingsDialog transport={transport} />
      {rooms.length === 0 && view !== 'retro' ? <p className="waiting">{t('rooms.waiting')}</p> : null}
      {view === 'grid' ? <RoomGrid transport={transport} /> : view === 'retro' && !big ? (
        <Suspense fallback={<Loading />}>
          <RetroView transport={transport} />
        </Suspense>
      ) : <RoomView transport={transport} />}
    </div>
  );
}

function RoomView({ transport }: { transport: ReturnType<typeof createTransport> }) {
  const { tab, big, room } = useAppShallow((s) => ({ tab: s.roomTab, big: s.bigScreen, room: s.room }));
  // Numbers that stopped say so and are greyed, whatever stopped them (shared/live/staleness.ts).
  const live = useLiveness(room);
  const body = live.stale ? 'room-body stale' : 'room-body';
  // The ad console is a desk view; the wall TV always shows the live dashboard.
  if (tab === 'ads' && !big) {
    return (
      <>
        <RoomHeader />
        <StaleBanner live={live} />
        <div className={body} data-testid="room-body" data-stale={live.stale ? live.reason ?? '' : ''}>
          <Suspense fallback={<Loading />}>
            <AdConsole transport={transport} />
          </Suspense>
        </div>
      </>
    );
  }
  return (
    <>
      <RoomHeader />
      <StaleBanner live={live} />
      <div className={body} data-testid="room-body" data-stale={live.stale ? live.reason ?? '' : ''}>
      <KpiStrip />
      <div className="workspace">
        <div className="main-col">
          <MinuteChart />
          <ProductBoard transport={transport} />
        </div>
        <aside className="side-col">
          {/* First in the side column: beside the chart and the board, visible without scrolling. */}
          <SuggestionPanel transport={transport} />
          <SenderIfAllowed transport={transport} />
          <RunOfShowPanel transport={transport} />
          <SegmentCard />
          <AlertsPanel transport={transport} />
          <DemandPanel />
        </aside>
      </div>
      </div>
    </>
  );
}

/** The line to the host's prompt screen, for the roles that may send on it. */
function SenderIfAllowed({ transport }: { transport: ReturnType<typeof createTransport> }) {
  const me = useApp((s) => s.me);
  return !me || mayRequest(me.role, 'sendPrompt') ? <PromptSender transport={transport} /> : null;
}

function RoomHeader() {
  const t = useT();
  const { room, pinned, products } = useAppShallow((s) => ({ room: s.room, pinned: s.pinnedProductId, products: s.products }));
  if (!room) return null;
  const title = pinned ? (products.find((p) => p.productId === pinned)?.title ?? pinned) : t('room.none');
  return (
    <div className="room-header">
      <h1 data-testid="room-title">{room.title}</h1>
      <span className={`status ${room.status}`} data-testid="room-status">
        {t(`room.status.${room.status}` as MessageKey)}
      </span>
      <span className="duration" data-testid="room-duration">
        {formatDuration(room.kpis?.durationSec ?? null)}
      </span>
      <RoomTabs />
      <span className="pinned" data-testid="pinned-product">
        {t('room.pinned')}
        <strong>{title}</strong>
      </span>
    </div>
  );
}

/** 直播看板 / 投放: the operator's dashboard or the ad buyer's console of the same room (key T). */
function RoomTabs() {
  const t = useT();
  const tab = useApp((s) => s.roomTab);
  return (
    <div className="room-view-tabs" role="tablist">
      {(['live', 'ads'] as const).map((k) => (
        <button key={k} role="tab" aria-selected={tab === k} className={tab === k ? 'zoom active' : 'zoom'} data-testid={`tab-${k}`} onClick={() => appStore.setState({ roomTab: k })}>
          {t(k === 'live' ? 'view.tab.live' : 'view.tab.ads')}
        </button>
      ))}
    </div>
  );
}

function ConnectionBadge() {
  const t = useT();
  const { conn, source, transport } = useAppShallow((s) => ({ conn: s.connection, source: s.source, transport: s.transport }));
  const page = useLiveness();
  const coreDown = page.reason === 'core-closed' || page.reason === 'core-silent';
  const status = transport === 'unauthorized' || coreDown ? 'failed' : (conn?.status ?? 'connecting');
  const lag = conn?.lagMs ?? null;
  return (
    <div className={`conn ${status}`} data-testid="connection" data-status={status} title={conn?.error ?? conn?.url ?? ''}>
      <span className="dot" />
      <span>{coreDown ? t('conn.down') : t(`conn.${status}` as MessageKey)}</span>
      {source ? <span className="muted">· {t(`conn.source.${source.kind}` as MessageKey)}{source.speed ? ` ${source.speed}×` : ''}</span> : null}
      {conn?.sources && conn.sources.length > 1 ? (
        <span className="muted source-dots" data-testid="source-states">
          {conn.sources.map((s, i) => (
            <span key={i} className={`dot ${s.status}`} title={`${t(`source.name.${s.source}` as MessageKey)} · ${s.target} · ${s.problem ? t(`source.problem.${s.problem}` as MessageKey) : t(`conn.${s.status}` as MessageKey)}${s.error ? ` · ${s.error}` : ''}`} />
          ))}
        </span>
      ) : null}
      {lag !== null && status === 'live' && !page.stale ? <span className="muted">· {t('conn.lag')} {(lag / 1000).toFixed(1)}s</span> : null}
      <span className="muted" data-testid="quarantined">
        · {t('conn.quarantined')} {conn?.quarantined ?? 0}
      </span>
      {conn?.holes?.length ? (
        <span className="muted" data-testid="feed-holes">
          · {t('conn.holes')} {conn.holes.map((h) => `${h.fromSeq}–${h.toSeq}`).join(', ')}
        </span>
      ) : null}
      {conn?.gapsAccepted ? (
        <span className="conn-warn" data-testid="feed-gaps" title={t('conn.gaps.title')}>
          · {t('conn.gaps')} {conn.gapsAccepted}
        </span>
      ) : null}
      {conn?.store && !conn.store.ok ? <StoreProblem store={conn.store} /> : null}
      {conn?.problem ? (
        <span className="conn-error" data-testid="source-problem" data-problem={conn.problem} title={conn.error ?? ''}>
          {t(`source.problem.${conn.problem}` as MessageKey)}
        </span>
      ) : conn?.error && status !== 'live' ? (
        <span className="conn-error">{conn.error}</span>
      ) : null}
    </div>
  );
}

/** The store cannot write: what is wrong, since when, and that nothing is lost. */
function StoreProblem({ store }: { store: NonNullable<ConnectionState['store']> }) {
  const t = useT();
  const family = store.code?.replace(/^(SQLITE_[A-Z]+).*$/, '$1') ?? '';
  const known = ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_CORRUPT', 'SQLITE_IOERR', 'WRITER_STOPPED'].includes(family);
  const since = store.since ? new Date(store.since).toLocaleTimeString() : '';
  return (
    <span className="conn-error" data-testid="store-problem" data-code={store.code ?? ''}>
      {t('store.failing')}
      {known ? ` · ${t(`store.${family}` as MessageKey)}` : ''}
      {since ? ` · ${since}` : ''} · {t(store.feedPaused ? 'store.paused' : 'store.keeping')}
    </span>
  );
}
