/**
 * UI state in two speeds. Slow state (rooms, connection, the selected room's KPIs — pushed a few
 * times a second at most) lives in a zustand store that components select from narrowly.
 * Minute series live outside React in MinuteSeries and go straight to ECharts, so a busy room
 * never re-renders React per event (ENGINEERING.md).
 */
import { createStore } from 'zustand/vanilla';
import { DEFAULT_TARGETS, type CoreNotice, type Alert, type ConnectionState, type DemandSummary, type Diagnostics, type RoomView, type Push, type RoomTargets, type SessionMarker } from '../../../shared/contract.ts';
import { announceAlert } from './notify.ts';
import type { Kpis } from '../../../shared/metrics/types.ts';
import { KpiHistory } from '../../../shared/metrics/kpi-history.ts';
import type { MinuteRow, ProductRow, SegmentRow } from '../../../shared/metrics/types.ts';
import { setDisplayCurrency, type Locale } from '../../../shared/format.ts';
import { agreeWithPin, type LiveSuggestions } from '../../../shared/suggest/live.ts';
import type { AdConsoleView } from '../../../shared/ads/console.ts';
import type { Transport, TransportState } from './transport.ts';
import { emptyMinuteRow, minuteIndex } from '../../../shared/metrics/window.ts';
import type { Me, PromptMessage, TeamView } from '../../../shared/team/contract.ts';

export interface AppState {
  /** Page clock of the core's last heartbeat (or of the channel opening, before the first), and core clock − page clock then (shared/live/staleness.ts). */
  heartbeatAt: number | null;
  coreOffsetMs: number;
  /** Page clock when the channel to the core last closed. */
  channelClosedAt: number | null;
  locale: Locale;
  transport: TransportState;
  connection: ConnectionState | null;
  source: Diagnostics['source'] | null;
  rooms: RoomView[];
  selectedRoomId: string | null;
  /** The selected room's latest view (KPIs) and product figures. */
  room: RoomView | null;
  pinnedProductId: string | null;
  products: ProductRow[];
  segments: SegmentRow[];
  /** The selected room's platform markers (秒杀, 福袋 …), drawn on the minute chart. */
  markers: SessionMarker[];
  commandsSupported: boolean;
  /** The selected room's KPIs about one source minute ago, for the "last minute" changes. */
  kpisMinuteAgo: Kpis | null;
  targets: RoomTargets;
  /** room: the live dashboard; grid: every room; retro: the post-show review (复盘). */
  view: 'room' | 'grid' | 'retro';
  /** Within a room: the operator's dashboard or the ad buyer's console (投放). */
  roomTab: 'live' | 'ads';
  bigScreen: boolean;
  helpOpen: boolean;
  settingsOpen: boolean;
  /** Chart window in minutes (0 = the whole show); shared so a shortcut can set it. */
  zoom: 0 | 10 | 30 | 60;
  /** Online-now samples per room (source time order) for the grid's sparklines. */
  sparks: Record<string, number[]>;
  /** Alerts of every room, newest first. */
  alerts: Alert[];
  /** The top bar's list of open alerts (every room) is open. */
  alertsOpen: boolean;
  /** A minute to mark and zoom on the minute chart (an alert opened where it happened); null: none. */
  focus: { roomId: string; sessionId: string; minute: number } | null;
  demand: DemandSummary | null;
  /** The selected room's rotation suggestions, stabilised by the core. */
  suggestions: LiveSuggestions | null;
  /** The selected room's ad console, pushed by the core at most once a second. */
  ads: AdConsoleView | null;
  error: string | null;
  /** Desktop app: the core's newest restart state (null: never restarted) and saved settings it set aside. */
  coreNotice: CoreNotice | null;
  coreWarnings: string[];
  /** Who this page is (team mode): its role decides what it shows; null until the core answered. */
  me: Me | null;
  /** The selected room's messages from the 场控 to the host, newest first. */
  prompts: PromptMessage[];
  /** 管理: the invites and who is connected, as last pushed. */
  team: TeamView | null;
}

export class MinuteSeries {
  private rows: MinuteRow[] = [];
  private readonly listeners = new Set<(rows: readonly MinuteRow[]) => void>();

  get current(): readonly MinuteRow[] {
    return this.rows;
  }

  /** Upserts rows by minute index; `reset` replaces the series (a new session or room). */
  apply(rows: readonly MinuteRow[], reset: boolean): void {
    if (reset) this.rows = [];
    for (const r of rows) this.rows[r.minute] = r;
    // Holes cannot stay: the aggregator sends every minute, but a reset may arrive mid-stream.
    for (let i = 0; i < this.rows.length; i++) if (!this.rows[i]) this.rows[i] = emptyMinute(i, this.rows);
    for (const l of this.listeners) l(this.rows);
  }

  subscribe(l: (rows: readonly MinuteRow[]) => void): () => void {
    this.listeners.add(l);
    l(this.rows);
    return () => this.listeners.delete(l);
  }
}

function emptyMinute(minute: number, rows: MinuteRow[]): MinuteRow {
  const first = rows.find(Boolean);
  return emptyMinuteRow(minute, first ? first.ts + (minute - first.minute) * 60_000 : 0);
}

function initialLocale(): Locale {
  // No localStorage when components are rendered outside a page (component tests).
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem('lcr.locale');
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

export const appStore = createStore<AppState>(() => ({
  locale: initialLocale(),
  transport: 'connecting',
  heartbeatAt: null,
  coreOffsetMs: 0,
  channelClosedAt: null,
  connection: null,
  source: null,
  rooms: [],
  selectedRoomId: null,
  room: null,
  pinnedProductId: null,
  products: [],
  segments: [],
  markers: [],
  commandsSupported: false,
  kpisMinuteAgo: null,
  targets: DEFAULT_TARGETS,
  view: 'room',
  roomTab: 'live',
  bigScreen: false,
  helpOpen: false,
  settingsOpen: false,
  zoom: 0,
  sparks: {},
  alerts: [],
  me: null,
  prompts: [],
  team: null,
  alertsOpen: false,
  focus: null,
  demand: null,
  suggestions: null,
  ads: null,
  error: null,
  coreNotice: null,
  coreWarnings: [],
}));

const SPARK_POINTS = 120;
/** Last source minute a sample was taken per room: one sample per minute of the show. */
const sparkMinute = new Map<string, number>();
function sparkSample(sparks: Record<string, number[]>, view: RoomView): Record<string, number[]> | null {
  const online = view.kpis?.onlineNow;
  if (online === null || online === undefined || !view.session || view.windowEnd === null) return null;
  const minute = minuteIndex(view.windowEnd, view.session.startedAt);
  const prev = sparkMinute.get(view.roomId);
  const list = sparks[view.roomId] ?? [];
  if (prev === minute && list.length) return { ...sparks, [view.roomId]: [...list.slice(0, -1), online] };
  sparkMinute.set(view.roomId, minute);
  return { ...sparks, [view.roomId]: [...list, online].slice(-SPARK_POINTS) };
}

/**
 * Every room's KPI history, fed by every room's pushes whichever room is shown: switching rooms
 * shows the changes over the last minute at once (they were blank for a show-minute, exactly when
 * an operator switches), and the core's minute-ago KPIs in every view fill what this screen has
 * not followed for a minute yet (a page opened moments ago).
 */
const kpiHistories = new Map<string, KpiHistory>();
function historyOf(roomId: string): KpiHistory {
  let h = kpiHistories.get(roomId);
  if (!h) kpiHistories.set(roomId, (h = new KpiHistory()));
  return h;
}
/** A room's view into its history: the core's minute-ago snapshot first (kept only when older than all held), then the view's own. */
function remember(view: RoomView): void {
  const history = historyOf(view.roomId);
  history.seed(view.kpisMinuteAgo);
  history.add(view.windowEnd, view.kpis);
}
function minuteAgo(roomId: string, view: Pick<RoomView, 'windowEnd'> | null | undefined): Kpis | null {
  return historyOf(roomId).ago(view?.windowEnd ?? null)?.kpis ?? null;
}

export const series = new MinuteSeries();

/**
 * The selected room's suggestions as the core pushed them; the store holds them as they agree with
 * the board's pin (shared/suggest/live.ts agreeWithPin), the two arriving in separate pushes.
 */
let pushedSuggestions: LiveSuggestions | null = null;

/** When each room's own figures were last pushed (any server process). */
const roomPushedAt = new Map<string, number>();
/** A room missing from a process's list is still served elsewhere if its figures came this recently (pushes come 4× a second). */
const ELSEWHERE_FRESH_MS = 5_000;
function shownSuggestions(pinned: string | null): LiveSuggestions | null {
  return pushedSuggestions && agreeWithPin(pushedSuggestions, pinned);
}
function setSuggestions(s: LiveSuggestions | null): void {
  pushedSuggestions = s;
  appStore.setState({ suggestions: shownSuggestions(appStore.getState().pinnedProductId) });
}

export function setLocale(locale: Locale): void {
  localStorage.setItem('lcr.locale', locale);
  document.documentElement.lang = locale;
  appStore.setState({ locale });
}

/** The room a host's prompt screen was set to (a tablet beside one camera comes back to it). */
export const PROMPT_ROOM_KEY = 'lcr.promptRoom';

/** The host's own pick on this browser (null: none, or not a host). */
function hostPick(): string | null {
  return appStore.getState().me?.role === 'host' && typeof localStorage !== 'undefined' ? localStorage.getItem(PROMPT_ROOM_KEY) : null;
}

/** The room to open when none is open yet: the host's own pick if it is among `known`, else `fallback`. */
function roomToOpen(known: readonly RoomView[], fallback: string | null): string | null {
  const picked = hostPick();
  return known.find((r) => r.roomId === picked)?.roomId ?? fallback;
}

/** Everything the screen shows, read from the core: at connect, and again when a restarted core is back. */
async function loadAll(transport: Transport): Promise<void> {
  // The role first: a host's page is the prompt screen and asks only what it may.
  const me = await transport.request('whoAmI', {});
  if (me.ok) appStore.setState({ me: me.value });
  const overview = await transport.request('getOverview', {});
  if (!overview.ok) {
    appStore.setState({ error: overview.error });
    return;
  }
  const { rooms, diagnostics } = overview.value;
  appStore.setState({ rooms, connection: diagnostics.connection, source: diagnostics.source, error: null });
  if (appStore.getState().me?.role !== 'host') {
    const alerts = await transport.request('getAlerts', {});
    if (alerts.ok) appStore.setState({ alerts: alerts.value });
  }
  const selected = appStore.getState().selectedRoomId ?? roomToOpen(rooms, rooms.find((r) => r.session)?.roomId ?? rooms[0]?.roomId ?? null);
  if (selected) await selectRoom(transport, selected);
}

/** Wires the transport to the stores: initial load, then pushes. */
export function connectStores(transport: Transport): () => void {
  const offState = transport.onState((s) => {
    // Opening the channel is the core's first sign of life: a core that hangs before its first
    // heartbeat is silent from then on, not live forever.
    appStore.setState(s === 'closed' ? { transport: s, channelClosedAt: Date.now() } : s === 'open' ? { transport: s, heartbeatAt: Date.now() } : { transport: s });
    if (s === 'open') void loadAll(transport);
  });
  const offPush = transport.onPush((p) => onPush(transport, p));
  return () => {
    offState();
    offPush();
  };
}

export async function selectRoom(transport: Transport, roomId: string): Promise<void> {
  const focus = appStore.getState().focus;
  // The new room's own figures at once (the rooms list holds each room's latest view); nothing of
  // the previous room stays on screen while its detail loads.
  const known = appStore.getState().rooms.find((r) => r.roomId === roomId) ?? null;
  if (appStore.getState().selectedRoomId !== roomId) {
    series.apply([], true);
    appStore.setState({ room: known, products: [], segments: [], markers: [], pinnedProductId: null, demand: null });
  }
  pushedSuggestions = null;
  appStore.setState({ selectedRoomId: roomId, kpisMinuteAgo: minuteAgo(roomId, known), suggestions: null, ads: null, prompts: [], ...(focus && focus.roomId !== roomId ? { focus: null } : {}) });
  void transport.request('getPrompts', { roomId }).then((r) => {
    if (r.ok && appStore.getState().selectedRoomId === roomId) appStore.setState({ prompts: r.value });
  });
  const host = appStore.getState().me?.role === 'host';
  if (!host) {
    void transport.request('getTargets', { roomId }).then((r) => {
      // A core without per-room targets yet keeps METRICS.md's defaults.
      if (appStore.getState().selectedRoomId === roomId) appStore.setState({ targets: r.ok ? r.value : DEFAULT_TARGETS });
    });
  }
  void transport.request('getSuggestions', { roomId }).then((r) => {
    // A push may have brought newer ones meanwhile; the reply only fills an empty panel.
    if (r.ok && appStore.getState().selectedRoomId === roomId && !pushedSuggestions) setSuggestions(r.value);
  });
  if (!host) {
    void transport.request('getAdConsole', { roomId }).then((r) => {
      if (r.ok && appStore.getState().selectedRoomId === roomId && !appStore.getState().ads) appStore.setState({ ads: r.value });
    });
  }
  const detail = await transport.request('getRoom', { roomId });
  if (!detail.ok) {
    appStore.setState({ error: detail.error });
    return;
  }
  if (appStore.getState().selectedRoomId !== roomId) return;
  const { minutes, products, segments, pinnedProductId, commandsSupported, demand, markers, ...view } = detail.value;
  series.apply(minutes, true);
  remember(view);
  appStore.setState({ room: view, kpisMinuteAgo: minuteAgo(roomId, view), products, segments, pinnedProductId, suggestions: shownSuggestions(pinnedProductId), commandsSupported, demand: demand ?? null, markers: markers ?? [] });
}

function onPush(transport: Transport, p: Push): void {
  const st = appStore.getState();
  switch (p.topic) {
    case 'heartbeat': {
      const now = Date.now();
      appStore.setState({ heartbeatAt: now, coreOffsetMs: p.payload.at - now });
      return;
    }
    case 'core':
      if (p.payload.state === 'warning') {
        const text = p.payload.text;
        if (!st.coreWarnings.includes(text)) appStore.setState({ coreWarnings: [...st.coreWarnings, text] });
      } else {
        appStore.setState({ coreNotice: p.payload });
        // Back after a restart: what the window shows is re-read from the new core.
        if (p.payload.state === 'running') void loadAll(transport);
      }
      return;
    case 'connection':
      appStore.setState({ connection: p.payload });
      return;
    case 'rooms': {
      for (const v of p.payload) remember(v);
      // Several server processes share the rooms (docs/server.md): each lists only its own, so a
      // room another process pushed figures for moments ago stays.
      const listed = new Set(p.payload.map((v) => v.roomId));
      const now = Date.now();
      const elsewhere = st.rooms.filter((r) => !listed.has(r.roomId) && now - (roomPushedAt.get(r.roomId) ?? -Infinity) < ELSEWHERE_FRESH_MS);
      appStore.setState({ rooms: elsewhere.length ? [...p.payload, ...elsewhere].sort((a, b) => a.roomId.localeCompare(b.roomId)) : p.payload });
      // Once the page knows who it is (a host may have picked a room of their own).
      const open = st.me && !st.selectedRoomId ? roomToOpen(p.payload, p.payload[0]?.roomId ?? null) : null;
      if (open) void selectRoom(transport, open);
      return;
    }
    case 'alert': {
      const a = p.payload;
      const known = st.alerts.some((x) => x.id === a.id);
      appStore.setState({ alerts: known ? st.alerts.map((x) => (x.id === a.id ? a : x)) : [a, ...st.alerts] });
      if (!known && a.acknowledgedAt === null) announceAlert(a, () => appStore.getState());
      return;
    }
    case 'demand':
      if (p.payload.roomId === st.selectedRoomId) appStore.setState({ demand: p.payload.demand });
      return;
    case 'suggestions':
      if (p.payload.roomId === st.selectedRoomId) setSuggestions(p.payload.suggestions);
      return;
    case 'ads':
      if (p.payload.roomId === st.selectedRoomId) appStore.setState({ ads: p.payload.ads });
      return;
    case 'prompt': {
      const m = p.payload;
      if (m.roomId !== st.selectedRoomId) return;
      const known = st.prompts.some((x) => x.id === m.id);
      appStore.setState({ prompts: known ? st.prompts.map((x) => (x.id === m.id ? m : x)) : [m, ...st.prompts] });
      return;
    }
    case 'team':
      appStore.setState({ team: p.payload });
      return;
    case 'room': {
      const { roomId, view } = p.payload;
      roomPushedAt.set(roomId, Date.now());
      const rooms = st.rooms.some((r) => r.roomId === roomId) ? st.rooms.map((r) => (r.roomId === roomId ? view : r)) : [...st.rooms, view];
      const patch: Partial<AppState> = { rooms };
      const sparks = sparkSample(st.sparks, view);
      if (sparks) patch.sparks = sparks;
      if (p.payload.reset) historyOf(roomId).reset();
      remember(view);
      if (!st.selectedRoomId) {
        // Once the page knows who it is. A host with a pick of their own waits for that room (the
        // full list at load decides if it is gone): another room's push must not take its place.
        const picked = hostPick();
        if (st.me && (!picked || picked === roomId)) void selectRoom(transport, roomId);
      } else if (st.selectedRoomId === roomId) {
        series.apply(p.payload.minutes, p.payload.reset);
        patch.kpisMinuteAgo = minuteAgo(roomId, view);
        patch.room = view;
        patch.pinnedProductId = p.payload.pinnedProductId;
        patch.suggestions = shownSuggestions(p.payload.pinnedProductId);
        if (p.payload.products) patch.products = p.payload.products;
        if (p.payload.segments) patch.segments = p.payload.segments;
        if (p.payload.markers) patch.markers = p.payload.markers;
      }
      appStore.setState(patch);
      return;
    }
  }
}

/**
 * Money is written in the currency of the show on screen (shared/format.ts): the open report's in
 * the review, else the selected room's. Set on every change, before React renders.
 */
let reportCurrency: string | undefined;

export function setReportCurrency(code: string | undefined): void {
  reportCurrency = code;
  syncDisplayCurrency();
}

function syncDisplayCurrency(): void {
  const s = appStore.getState();
  setDisplayCurrency(s.view === 'retro' ? reportCurrency : s.room?.session?.currency);
}
appStore.subscribe(syncDisplayCurrency);
