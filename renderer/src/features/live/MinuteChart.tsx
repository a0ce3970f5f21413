import { useEffect, useRef, useState, type RefObject } from 'react';
import { appStore, series, type AppState } from '../../lib/store.ts';
import { useApp, useT } from '../../lib/hooks.ts';
import { MinuteChartController } from './chart/minute-chart.ts';
import { SERIES, type ShowMarks } from './chart/minute-chart-model.ts';

const ZOOMS = [10, 30, 60, 0] as const; // 0 = the whole show

/** What the chart marks of the selected room's show, from the store. */
function showMarksOf(st: AppState): ShowMarks {
  const session = st.room?.session;
  const f = st.focus;
  return {
    startedAt: session?.startedAt ?? null,
    segments: st.segments,
    products: st.products,
    alerts: st.alerts.filter((a) => a.roomId === st.selectedRoomId && a.sessionId === session?.sessionId),
    markers: st.markers,
    // The minute opened from an alert of this room's show, if any.
    focus: f && f.roomId === st.selectedRoomId && f.sessionId === session?.sessionId ? f.minute : null,
  };
}

/** While the show runs, its last minute is still being counted. */
function isLive(st: AppState): boolean {
  const session = st.room?.session;
  return !!session && session.endedAt === null;
}

/**
 * Makes the chart on the rendered layers, one per room and language (the axes' labels are the
 * language's), and forwards the minute series, the store's changes and the zoom to it until it
 * goes. `chart` is null while there is none (before mount, between rooms).
 */
function useChartController(hidden: RefObject<ReadonlySet<string>>) {
  const locale = useApp((s) => s.locale);
  const roomId = useApp((s) => s.selectedRoomId);
  const zoom = useApp((s) => s.zoom);
  const chart = useRef<MinuteChartController | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const marks = useRef<HTMLCanvasElement>(null);
  const axes = useRef<HTMLDivElement>(null);
  const seriesCanvas = useRef<HTMLCanvasElement>(null);
  const pointer = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const [b, m, a, s, p, t] = [box.current, marks.current, axes.current, seriesCanvas.current, pointer.current, tip.current];
    if (!b || !m || !a || !s || !p || !t) return;
    const c = new MinuteChartController({ box: b, marks: m, axes: a, series: s, pointer: p, tip: t }, { locale, hidden: hidden.current });
    chart.current = c;
    const forward = () => {
      const st = appStore.getState();
      c.setLive(isLive(st));
      c.setMarkers(showMarksOf(st));
    };
    forward();
    c.setZoom(appStore.getState().zoom);
    const offSeries = series.subscribe((rows) => c.setRows(rows));
    const offStore = appStore.subscribe(forward);
    const resize = new ResizeObserver((entries) => {
      const r = entries.at(-1)?.contentRect;
      if (r) c.resize(r.width, r.height);
    });
    resize.observe(b);
    return () => {
      chart.current = null;
      offSeries();
      offStore();
      resize.disconnect();
      c.dispose();
    };
  }, [locale, roomId]);
  useEffect(() => {
    chart.current?.setZoom(zoom);
  }, [zoom, roomId, locale]);
  return { chart, refs: { box, marks, axes, series: seriesCanvas, pointer, tip } };
}

/**
 * The whole show minute by minute. The chart itself is MinuteChartController
 * (chart/minute-chart.ts: the layers, the zoom window, the hover); this component renders its box,
 * the zoom buttons and the legend, makes a controller per room and language, and forwards the
 * minute series and the store's changes to it — imperatively, so React renders this component
 * once per room/locale/zoom, never per data update.
 *
 * The legend: buttons (keyboard-reachable) that switch a series off and on.
 */
export function MinuteChart() {
  const t = useT();
  const zoom = useApp((s) => s.zoom);
  /** Series switched off in the legend: kept across the chart's rebuilds (a language switch). */
  const hiddenRef = useRef<ReadonlySet<string>>(new Set());
  const [hiddenIds, setHiddenIds] = useState<readonly string[]>([]);
  const { chart, refs } = useChartController(hiddenRef);
  // Also applied directly: after a mouse-wheel zoom the active button's zoom is unchanged, and a click must still restore it.
  const setZoom = (z: (typeof ZOOMS)[number]) => {
    // A zoom button leaves the minute opened from an alert.
    appStore.setState({ zoom: z, focus: null });
    chart.current?.setZoom(z);
  };
  const toggleSeries = (id: string) => {
    const next = new Set(hiddenRef.current);
    if (!next.delete(id)) next.add(id);
    hiddenRef.current = next;
    setHiddenIds([...next]);
    chart.current?.setHidden(next);
  };
  const names = [t('chart.onlineAvg'), t('chart.onlineMax'), t('chart.enters'), t('chart.gmvPerMin'), t('chart.gpm'), t('chart.ctr')];

  const layer = { position: 'absolute', inset: 0 } as const;
  return (
    <section className="panel chart-panel">
      <h2 className="chart-head">
        {t('chart.title')}
        <span className="zooms">
          {ZOOMS.map((z) => (
            <button key={z} className={z === zoom ? 'zoom active' : 'zoom'} data-testid={`zoom-${z || 'all'}`} onClick={() => setZoom(z)}>
              {z ? `${z}${t('chart.zoom.min')}` : t('chart.zoom.all')}
            </button>
          ))}
        </span>
      </h2>
      <div ref={refs.box} className="chart" data-testid="minute-chart" data-points="0" style={{ position: 'relative' }}>
        <canvas ref={refs.marks} data-testid="chart-marks" style={{ ...layer, width: '100%', height: '100%' }} />
        <div ref={refs.axes} style={layer} />
        {/* Over the axes layer, but the mouse goes through to it (zoom). */}
        <canvas ref={refs.series} data-testid="chart-series" style={{ ...layer, width: '100%', height: '100%', pointerEvents: 'none' }} />
        <div ref={refs.pointer} className="chart-pointer" style={{ display: 'none' }} />
        <div ref={refs.tip} className="chart-tip" data-testid="chart-tip" style={{ display: 'none' }} />
        <div className="chart-legend">
          {SERIES.map((sr, i) => {
            const off = hiddenIds.includes(sr.id);
            const swatch = sr.kind === 'bar' ? 'bar' : sr.dash ? 'line dashed' : 'line';
            return (
              <button key={sr.id} type="button" className={off ? 'legend-item off' : 'legend-item'} data-testid={`legend-${sr.id}`} aria-pressed={!off} onClick={() => toggleSeries(sr.id)}>
                <i className={`swatch ${swatch}`} style={{ color: sr.color }} />
                {names[i]}
              </button>
            );
          })}
        </div>
      </div>
    </section>
  );
}
