/**
 * The report's charts as inline SVG, drawn by ECharts' server-side renderer (no DOM, no canvas),
 * so the HTML and the PDF made from it carry their charts and open anywhere offline. The charts
 * themselves are defined once in shared/retro/chart-options.ts, which the app draws too.
 * ECharts is loaded on the first export only: the core and `lcr` start without it.
 */
import type { RetroReport } from '../retrospective.ts';
import { PAPER, reportChartOptions, type ChartName } from '../../../../shared/retro/chart-options.ts';
import type { Localiser } from '../../../../shared/i18n/localiser.ts';
import type * as EChartsModule from 'echarts';

export { productColors } from '../../../../shared/retro/chart-options.ts';

type ECharts = typeof EChartsModule;

let echartsLib: Promise<ECharts> | null = null;
function echarts(): Promise<ECharts> {
  echartsLib ??= import('echarts');
  return echartsLib;
}

export type ReportCharts = Record<ChartName, string>;

async function render(width: number, height: number, option: Record<string, unknown>): Promise<string> {
  const ec = await echarts();
  const chart = ec.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export async function renderCharts(r: RetroReport, i18n: Localiser, width = 1000): Promise<ReportCharts> {
  const specs = reportChartOptions(r, i18n, width, PAPER);
  const out = {} as ReportCharts;
  for (const name of Object.keys(specs) as ChartName[]) out[name] = await render(width, specs[name].height, specs[name].option);
  return out;
}
