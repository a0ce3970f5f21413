import { useEffect, useMemo, useState } from 'react';
import { useApp, useT } from '../../lib/hooks.ts';
import { useRetro } from './hooks.ts';
import { retroStore, loadSessions, openSession, refreshOpenReport, togglePick, runCompare, EMPTY_FILTERS, type RetroFilters } from './retro-store.ts';
import type { Transport } from '../../lib/transport.ts';
import { ReportView } from './ReportView.tsx';
import { CompareView } from './CompareView.tsx';
import { ImportButton, ImportStatus } from './ImportControls.tsx';
import { formatDate, formatDuration, formatMoneyFen, formatYuan, formatCount, intlLocale } from '../../../../shared/format.ts';

/** How often an open report of a live show is read again. */
const LIVE_REFRESH_MS = 10_000;

/**
 * 复盘: the sessions in the store on the left — search, filter, tick to compare — and
 * the open report or comparison on the right. The list reloads when a show ends, so the report
 * is there the moment the broadcast is over.
 */
export function RetroView({ transport }: { transport: Transport }) {
  const mode = useRetro((s) => s.mode);
  // A room's status changing (a show starting or ending) brings a new or finished session.
  const statuses = useApp((s) => s.rooms.map((r) => `${r.roomId}:${r.status}:${r.session?.sessionId ?? ''}`).join('|'));
  useEffect(() => {
    void loadSessions(transport);
  }, [transport, statuses]);
  // The open report of a show that just ended is re-read, so it holds the whole show.
  const selected = useRetro((s) => s.selectedId);
  const selectedOpen = useRetro((s) => s.report !== null && s.report.session.endedAt === null);
  useEffect(() => {
    if (selected && selectedOpen) void openSession(transport, selected);
  }, [statuses]);
  // A show this run records follows the show (and its list row with it: one source for both);
  // an interrupted one has nothing more coming.
  const selectedRecording = useRetro((s) => s.report?.session.recording === true);
  useEffect(() => {
    if (!selected || !selectedRecording) return;
    const timer = setInterval(() => void refreshOpenReport(transport), LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [transport, selected, selectedRecording]);
  return (
    <div className="retro" data-testid="retro">
      <SessionList transport={transport} />
      <div className="retro-main">
        <ImportStatus />
        {mode === 'compare' ? <CompareView transport={transport} /> : <ReportView transport={transport} />}
      </div>
    </div>
  );
}

function SessionList({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const sessions = useRetro((s) => s.sessions);
  const filters = useRetro((s) => s.filters);
  const roomsSeen = useRetro((s) => s.roomsSeen);
  const platforms = useRetro((s) => s.platformsSeen);
  const selectedId = useRetro((s) => s.selectedId);
  const picked = useRetro((s) => s.picked);
  const mode = useRetro((s) => s.mode);
  const error = useRetro((s) => s.listError);
  const [search, setSearch] = useState(filters.search);
  const dateFmt = useMemo(() => new Intl.DateTimeFormat(intlLocale(locale), { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }), [locale]);

  const setFilters = (patch: Partial<RetroFilters>) => {
    retroStore.setState((s) => ({ filters: { ...s.filters, ...patch } }));
    void loadSessions(transport);
  };
  // Typing searches after a pause, not per keystroke.
  useEffect(() => {
    if (search === retroStore.getState().filters.search) return;
    const timer = setTimeout(() => setFilters({ search }), 250);
    return () => clearTimeout(timer);
  }, [search]);

  return (
    <aside className="retro-list panel" data-testid="session-list">
      <div className="retro-list-head">
        <h2>{t('retro.sessions')}</h2>
        <ImportButton transport={transport} testId="import-table-file" />
      </div>
      <div className="retro-filters">
        <input type="search" placeholder={t('retro.search')} value={search} data-testid="session-search" onChange={(e) => setSearch(e.target.value)} />
        <select value={filters.roomId} data-testid="session-room" onChange={(e) => setFilters({ roomId: e.target.value })}>
          <option value="">{t('retro.allRooms')}</option>
          {roomsSeen.map((r) => (
            <option key={r.roomId} value={r.roomId}>
              {r.title}
            </option>
          ))}
        </select>
        <select value={filters.platform} data-testid="session-platform" onChange={(e) => setFilters({ platform: e.target.value })}>
          <option value="">{t('retro.allPlatforms')}</option>
          {platforms.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <label className="muted">
          {t('retro.since')} <input type="date" value={filters.since} data-testid="session-since" onChange={(e) => setFilters({ since: e.target.value })} />
        </label>
        <label className="muted">
          {t('retro.until')} <input type="date" value={filters.until} data-testid="session-until" onChange={(e) => setFilters({ until: e.target.value })} />
        </label>
        <button
          className="zoom"
          onClick={() => {
            setSearch('');
            setFilters(EMPTY_FILTERS);
          }}
        >
          {t('retro.clear')}
        </button>
      </div>
      {error ? <p className="bad">{error}</p> : null}
      {sessions === null ? <p className="muted">{t('retro.loading')}</p> : sessions.length === 0 ? <p className="muted" data-testid="session-none">{t('retro.none')}</p> : null}
      <ul className="sessions">
        {(sessions ?? []).map((s) => (
          <li key={s.sessionId} className={s.sessionId === selectedId && mode === 'report' ? 'session active' : 'session'} data-testid="session-item" data-session={s.sessionId} data-room={s.roomId}>
            <input type="checkbox" checked={picked.includes(s.sessionId)} aria-label="compare" data-testid="session-pick" onChange={() => togglePick(s.sessionId)} />
            <button className="session-open" onClick={() => void openSession(transport, s.sessionId)}>
              <span className="session-title">
                {s.recording ? <span className="dot live" /> : null}
                {s.title}
                {s.endReason === 'interrupted' || (s.endedAt === null && !s.recording) ? (
                  <span className="tag warn" data-testid="session-interrupted" title={t('retro.interrupted.why')}>
                    {t('retro.interrupted')}
                  </span>
                ) : null}
              </span>
              <span className="muted session-meta">
                {formatDate(s.startedAt, dateFmt)} · {formatDuration(s.durationSec)} · {s.platform}
                {s.notes ? ` · ✎${s.notes}` : ''}
              </span>
              <span className="session-figs">
                <b data-testid="session-gmv" data-value={s.gmvFen ?? ''}>{formatMoneyFen(s.gmvFen, locale)}</b>
                <span className="muted">GPM {formatYuan(s.gpm, locale)}</span>
                <span className="muted">{formatCount(s.peakOnline, locale)}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="retro-compare-bar">
        {picked.length >= 2 ? (
          <button className="zoom active" data-testid="compare-run" onClick={() => void runCompare(transport)}>
            {t('retro.compare').replace('{n}', String(picked.length))}
          </button>
        ) : (
          <span className="muted">{t('retro.compareHint')}</span>
        )}
      </div>
    </aside>
  );
}
