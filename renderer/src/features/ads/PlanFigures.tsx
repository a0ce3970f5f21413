import { useApp, useT } from '../../lib/hooks.ts';
import { roi2 } from './AdSummary.tsx';
import { formatCount, formatMoneyFen } from '../../../../shared/format.ts';
import { fill } from '../../../../shared/suggest/reasons.ts';
import { roiState } from '../../../../shared/ads/verdict.ts';
import type { AdConsoleView, AdPlanView } from '../../../../shared/ads/console.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';

/** The plan's figures over the last minutes and the whole show; ROI coloured by its own figure against target and break-even. */
export function PlanFigures({ plan, view }: { plan: AdPlanView; view: AdConsoleView }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const money = (x: number | null) => formatMoneyFen(x, locale);
  const precise = (x: number | null) => formatMoneyFen(x, locale, { precise: true });
  const count = (x: number | null) => formatCount(x, locale);
  type Figures = AdPlanView['recent'];
  const rows: Array<[MessageKey, (f: Figures) => string]> = [
    ['ads.spendPerMin', (f) => money(f.spendPerMinFen)],
    ['ads.spend', (f) => money(f.spendFen)],
    ['ads.cpm', (f) => money(f.cpmFen)],
    ['ads.costPerEntry', (f) => precise(f.costPerEntryFen)],
    ['ads.paidEnters', (f) => count(f.paidEnters)],
    ['ads.adGmv', (f) => money(f.adGmvFen)],
  ];
  const roiCell = (f: Figures) => <td className={roiState(f.adRoi, view.targetRoi, view.economics.breakEvenRoi)}>{roi2(f.adRoi)}</td>;
  return (
    <table className="ad-figs">
      <thead>
        <tr>
          <th />
          <th>{fill(t('ads.recent'), { n: plan.recent.minutes })}</th>
          <th>{t('ads.show')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, cell]) => (
          <tr key={label}>
            <td>{t(label)}</td>
            <td>{cell(plan.recent)}</td>
            <td>{cell(plan.show)}</td>
          </tr>
        ))}
        <tr>
          <td>{t('ads.adRoi')}</td>
          {roiCell(plan.recent)}
          {roiCell(plan.show)}
        </tr>
      </tbody>
    </table>
  );
}

