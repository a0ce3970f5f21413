/**
 * One verdict per horizon on the ad console (issue 15: "never two verdicts at once"). The team saw
 * a green "近5分钟 整体支付ROI 9.93 · 高于目标" over plans whose own ROI was below break-even: the
 * overall ROI counts organic sales as if the ads bought them. Whether the ads pay for themselves
 * is judged on 广告支付ROI (METRICS.md `adRoi`: the plans' attributed GMV ÷ spend) — the figure
 * the plans and their advice are judged on too — once for the whole show and once for the last
 * minutes, each naming its horizon. Every ROI on the console is coloured by `roiState` of the
 * figure it sits beside, never of another horizon's.
 */
import type { AdConsoleView } from './console.ts';

export type RoiState = 'bad' | 'warn' | 'good' | '';
export type Horizon = 'show' | 'recent';

/** Where an ROI stands: below break-even (losing money), paying but under target, or on target. */
export function roiState(roi: number | null, target: number, breakEven: number | null): RoiState {
  if (roi === null) return '';
  if (breakEven !== null && roi < breakEven) return 'bad';
  return roi < target ? 'warn' : 'good';
}

export interface AdVerdict {
  horizon: Horizon;
  /** minutes the horizon covers */
  minutes: number;
  /** what is judged: the ads' own ROI */
  adRoi: number | null;
  /** the overall ROI of the same minutes, as context (it includes organic sales) */
  roi: number | null;
  state: RoiState;
}

/** The whole show, then the last complete minutes when there are any; a horizon without spend has no verdict. */
export function adVerdicts(view: AdConsoleView): AdVerdict[] {
  const be = view.economics.breakEvenRoi;
  const out: AdVerdict[] = [];
  const add = (horizon: Horizon, f: AdConsoleView['show']) => {
    const state = roiState(f.adRoi, view.targetRoi, be);
    if (state) out.push({ horizon, minutes: f.minutes, adRoi: f.adRoi, roi: f.roi, state });
  };
  add('show', view.show);
  if (view.recentMinutes > 0) add('recent', view.recent);
  return out;
}
