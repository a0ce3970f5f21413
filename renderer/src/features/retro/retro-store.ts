/**
 * The retrospective screens' state: the session list and its filters, the open report,
 * the sessions ticked for comparison, and the exports made from here. Everything comes from the
 * core on request — a report is read once when opened, not pushed — so this store is slow state
 * only and the screens select from it narrowly.
 */
import { createStore } from 'zustand/vanilla';
import type { Comparison, RetroReportView, SessionListItem } from '../../../../shared/retro/types.ts';
import type { Locale } from '../../../../shared/format.ts';
import type { Transport } from '../../lib/transport.ts';
import type { ImportResult } from '../../../../shared/imports/types.ts';
import { fileToBase64, fileTooBig } from '../../lib/files.ts';
import { MAX_IMPORT_FILE_BYTES } from '../../../../shared/contract.ts';
import { appStore, setReportCurrency } from '../../lib/store.ts';
import { withOpenReport } from '../../../../shared/retro/session-list.ts';

export type ExportFormat = 'html' | 'pdf' | 'xlsx' | 'csv';

export interface RetroFilters {
  search: string;
  roomId: string;
  platform: string;
  /** yyyy-mm-dd in local time, '' = open */
  since: string;
  until: string;
}

export interface ExportJob {
  format: ExportFormat;
  status: 'running' | 'done' | 'failed';
  path: string | null;
  files: string[];
  error: string | null;
}

export interface RetroState {
  filters: RetroFilters;
  sessions: SessionListItem[] | null;
  /** Every room and platform seen in the store, for the filter menus (from an unfiltered read). */
  roomsSeen: Array<{ roomId: string; title: string }>;
  platformsSeen: string[];
  listError: string | null;
  selectedId: string | null;
  report: RetroReportView | null;
  reportLoading: boolean;
  reportError: string | null;
  /** Sessions ticked for comparing shows, in the order they were ticked (the first is the reference). */
  picked: string[];
  mode: 'report' | 'compare';
  align: 'minute' | 'slot';
  comparison: Comparison | null;
  compareError: string | null;
  /** With `compareError` = COMPARE_CURRENCY_MIX: the currencies of the shows picked. */
  compareCurrencies?: string[];
  exports: ExportJob[];
  /** The minute a new note is about, set by clicking the chart (null: the whole show). */
  noteMinute: number | null;
  noteError: string | null;
  /** The last table imported from this screen, or why it was refused (line, column, reason). */
  importing: boolean;
  lastImport: ImportResult | null;
  importError: string | null;
}

export const EMPTY_FILTERS: RetroFilters = { search: '', roomId: '', platform: '', since: '', until: '' };

export const retroStore = createStore<RetroState>(() => ({
  filters: EMPTY_FILTERS,
  sessions: null,
  roomsSeen: [],
  platformsSeen: [],
  listError: null,
  selectedId: null,
  report: null,
  reportLoading: false,
  reportError: null,
  picked: [],
  mode: 'report',
  align: 'minute',
  comparison: null,
  compareError: null,
  exports: [],
  noteMinute: null,
  noteError: null,
  importing: false,
  lastImport: null,
  importError: null,
}));

/** Local-date strings to the epoch bounds listSessions takes (the whole "until" day included). */
export function filterArgs(f: RetroFilters): { search?: string; roomId?: string; platform?: string; since?: number; until?: number } {
  const args: { search?: string; roomId?: string; platform?: string; since?: number; until?: number } = {};
  if (f.search.trim()) args.search = f.search.trim();
  if (f.roomId) args.roomId = f.roomId;
  if (f.platform) args.platform = f.platform;
  const day = (s: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime() : null;
  };
  const since = day(f.since);
  const until = day(f.until);
  if (since !== null) args.since = since;
  if (until !== null) args.until = until + 24 * 3600_000;
  return args;
}

let listSeq = 0;

export async function loadSessions(transport: Transport): Promise<void> {
  const seq = ++listSeq;
  const { filters, roomsSeen } = retroStore.getState();
  const args = filterArgs(filters);
  const filtered = Object.keys(args).length > 0;
  // The menus' rooms and platforms come from an unfiltered list: read it only when there is none
  // yet (a filtered view keeps the menus of the last unfiltered one, not a second read per keystroke).
  const [list, all] = await Promise.all([
    transport.request('listSessions', { ...args, limit: 500 }),
    filtered && roomsSeen.length === 0 ? transport.request('listSessions', { limit: 5000 }) : null,
  ]);
  // A newer filter was typed meanwhile: its answer wins.
  if (seq !== listSeq) return;
  if (!list.ok) {
    retroStore.setState({ listError: list.error });
    return;
  }
  const universe = all && all.ok ? all.value : filtered ? null : list.value;
  // The open report's row shows the report's own figures (a live show's rollup lags the report).
  retroStore.setState((s) => ({ sessions: withOpenReport(list.value, s.report), listError: null }));
  if (universe) {
    const rooms = new Map<string, string>();
    for (const s of universe) if (!rooms.has(s.roomId)) rooms.set(s.roomId, s.title);
    retroStore.setState({ roomsSeen: [...rooms].map(([roomId, title]) => ({ roomId, title })), platformsSeen: [...new Set(universe.map((s) => s.platform))].sort() });
  }
  // Nothing open yet: the newest show is what the team sits down with.
  const st = retroStore.getState();
  if (!st.selectedId && st.mode === 'report' && list.value[0]) void openSession(transport, list.value[0].sessionId);
}

let reportSeq = 0;

export async function openSession(transport: Transport, sessionId: string): Promise<void> {
  const seq = ++reportSeq;
  retroStore.setState({ selectedId: sessionId, mode: 'report', reportLoading: true, reportError: null, exports: [], noteMinute: null, noteError: null, lastImport: null, importError: null });
  const r = await transport.request('getReport', { sessionId });
  if (seq !== reportSeq) return;
  if (r.ok) showReport(r.value);
  else retroStore.setState({ report: null, reportLoading: false, reportError: r.error });
}

/** A report read: on screen, and its figures on its row of the list (one source for both). */
function showReport(report: RetroReportView): void {
  retroStore.setState((s) => ({ report, reportLoading: false, sessions: s.sessions && withOpenReport(s.sessions, report) }));
}

/**
 * A live show's open report read again in place (no loading state, the page's notes form and
 * exports kept), so it and its list row follow the show.
 */
export async function refreshOpenReport(transport: Transport): Promise<void> {
  const { selectedId, report, mode } = retroStore.getState();
  if (!selectedId || mode !== 'report' || !report || report.session.sessionId !== selectedId) return;
  // An open of another (or the same) show meanwhile wins: its answer is the newer one.
  const seq = reportSeq;
  const r = await transport.request('getReport', { sessionId: selectedId });
  if (seq !== reportSeq || !r.ok || retroStore.getState().selectedId !== selectedId) return;
  showReport(r.value);
}

export function togglePick(sessionId: string): void {
  const { picked } = retroStore.getState();
  retroStore.setState({ picked: picked.includes(sessionId) ? picked.filter((x) => x !== sessionId) : [...picked, sessionId].slice(-8) });
}

/** The picked shows' money is in different currencies: the screen says so in the reader's words. */
export const COMPARE_CURRENCY_MIX = 'currencyMix';

export async function runCompare(transport: Transport, align?: 'minute' | 'slot'): Promise<void> {
  const st = retroStore.getState();
  const a = align ?? st.align;
  retroStore.setState({ mode: 'compare', align: a, compareError: null });
  if (st.picked.length < 2) return;
  // Said before asking, in the reader's words: the core refuses the same (shared/retro/compare.ts).
  const currencies = new Set(st.picked.map((id) => st.sessions?.find((s) => s.sessionId === id)?.currency ?? 'CNY'));
  if (currencies.size > 1) {
    retroStore.setState({ comparison: null, compareError: COMPARE_CURRENCY_MIX, compareCurrencies: [...currencies] });
    return;
  }
  const r = await transport.request('compareSessions', { sessionIds: st.picked, align: a });
  if (r.ok) retroStore.setState({ comparison: r.value });
  else retroStore.setState({ comparison: null, compareError: r.error });
}

export async function exportAs(transport: Transport, format: ExportFormat, locale: Locale): Promise<void> {
  const { selectedId } = retroStore.getState();
  if (!selectedId) return;
  const job: ExportJob = { format, status: 'running', path: null, files: [], error: null };
  const put = (j: ExportJob) => retroStore.setState((s) => ({ exports: [j, ...s.exports.filter((x) => x.format !== format)] }));
  put(job);
  const r = await transport.request('exportReport', { sessionId: selectedId, format, locale });
  if (retroStore.getState().selectedId !== selectedId) return;
  put(r.ok ? { ...job, status: 'done', path: r.value.path, files: r.value.files } : { ...job, status: 'failed', error: r.error });
}

/**
 * The open show's own GMV target (fen; null: none, the room's applies). The report is read
 * again, so attainment, the headline and 本场要点 judge against it at once.
 */
export async function setShowTarget(transport: Transport, gmvFen: number | null): Promise<string | null> {
  const { selectedId } = retroStore.getState();
  if (!selectedId) return null;
  const r = await transport.request('setSessionTarget', { sessionId: selectedId, gmvFen });
  if (!r.ok) return r.error;
  if (retroStore.getState().selectedId === selectedId) await openSession(transport, selectedId);
  return null;
}

export async function addNote(transport: Transport, text: string, minute: number | null): Promise<boolean> {
  const { selectedId } = retroStore.getState();
  if (!selectedId) return false;
  const r = await transport.request('addNote', { sessionId: selectedId, minute, text });
  if (!r.ok) {
    retroStore.setState({ noteError: r.error });
    return false;
  }
  retroStore.setState((s) => ({
    noteError: null,
    noteMinute: null,
    report: s.report && s.report.session.sessionId === selectedId ? { ...s.report, notes: [...s.report.notes, r.value].sort(byMinute) } : s.report,
    sessions: s.sessions?.map((x) => (x.sessionId === selectedId ? { ...x, notes: x.notes + 1 } : x)) ?? null,
  }));
  return true;
}

export async function deleteNote(transport: Transport, id: string): Promise<void> {
  const r = await transport.request('deleteNote', { id });
  if (!r.ok) {
    retroStore.setState({ noteError: r.error });
    return;
  }
  retroStore.setState((s) => {
    const sessionId = s.report?.notes.find((n) => n.id === id)?.sessionId;
    return {
      noteError: null,
      report: s.report ? { ...s.report, notes: s.report.notes.filter((n) => n.id !== id) } : null,
      sessions: s.sessions?.map((x) => (x.sessionId === sessionId ? { ...x, notes: Math.max(0, x.notes - 1) } : x)) ?? null,
    };
  });
}

function byMinute(a: { minute: number | null; createdAt: number }, b: { minute: number | null; createdAt: number }): number {
  return (a.minute ?? -1) - (b.minute ?? -1) || a.createdAt - b.createdAt;
}

/**
 * A Compass minute or product table. With `sessionId` it is that show's settled figures
 * (the live ones stay stored); without, the core matches it to a recorded show by room and time or
 * makes a new session for a show that was not recorded. The session it landed in opens.
 */
export async function importTable(transport: Transport, file: File, target: { sessionId?: string; roomId?: string }): Promise<void> {
  const tooBig = fileTooBig(file, MAX_IMPORT_FILE_BYTES, appStore.getState().locale);
  if (tooBig) {
    retroStore.setState({ importing: false, importError: tooBig, lastImport: null });
    return;
  }
  retroStore.setState({ importing: true, importError: null, lastImport: null });
  const r = await transport.request('importTables', { fileName: file.name, dataBase64: await fileToBase64(file), ...(target.sessionId ? { sessionId: target.sessionId, kind: 'settled' as const } : {}), ...(target.roomId ? { roomId: target.roomId } : {}) });
  if (!r.ok) {
    retroStore.setState({ importing: false, importError: r.error });
    return;
  }
  retroStore.setState({ importing: false, lastImport: r.value });
  await loadSessions(transport);
  await openSession(transport, r.value.sessionId);
  // openSession clears per-report state; the import's message belongs to the report it opened.
  retroStore.setState({ lastImport: r.value });
}



// The review's money is in the open report's currency (lib/store.ts writes it).
retroStore.subscribe((s, before) => {
  if (s.report === before.report && s.comparison === before.comparison && s.mode === before.mode) return;
  setReportCurrency(s.mode === 'compare' && s.comparison ? s.comparison.currency : s.report?.session.currency);
});
