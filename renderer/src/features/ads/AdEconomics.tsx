import { useState } from 'react';
import { useApp, useT } from '../../lib/hooks.ts';
import { parseBudgetYuan } from './ad-actions.ts';
import { formatMoneyFen, formatRate } from '../../../../shared/format.ts';
import { fill } from '../../../../shared/suggest/reasons.ts';
import type { AdConsoleView } from '../../../../shared/ads/console.ts';
import type { EconomicsProduct, RoomEconomics } from '../../../../shared/ads/economics.ts';
import type { Transport } from '../../lib/transport.ts';

function pct(x: number): string {
  return String(Math.round(x * 10_000) / 100);
}

/** The cost a product's field shows until edited: the one in use (the team's, or the catalog's), as yuan. */
function costText(p: EconomicsProduct): string {
  return p.costFen === null ? '' : String(p.costFen / 100);
}

/**
 * The costs to save from what the fields say: a field left at the catalog's cost, or emptied,
 * stores no override (the catalog's cost applies); anything else is the team's own figure.
 * Returns the id of the first field that is not an amount.
 */
export function costOverridesFrom(products: readonly EconomicsProduct[], edited: Readonly<Record<string, string>>): Record<string, number> | { bad: string } {
  const out: Record<string, number> = {};
  for (const p of products) {
    const text = (edited[p.productId] ?? costText(p)).trim();
    if (text === '') continue;
    const fen = parseBudgetYuan(text);
    if (fen === null) return { bad: p.productId };
    if (fen !== p.catalogCostFen) out[p.productId] = fen;
  }
  return out;
}

/**
 * The team's economics — fee, refunds (or learned), cost per product — and what they make of
 * break-even. Two margins, each named for what it is: 毛利率 as finance defines it (price − cost)
 * ÷ price, and what a yuan of GMV leaves after the fee and refunds, which break-even needs. A cost
 * field holds the cost in use as a real value, tagged with where it comes from; an empty field
 * says 未录入 in words, never a number that only looks like one.
 */
export function EconomicsPanel({ view, transport }: { view: AdConsoleView; transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const e = view.economics;
  const [fee, setFee] = useState(pct(e.settings.feeRate));
  const [refund, setRefund] = useState(e.settings.refundRate === null ? '' : pct(e.settings.refundRate));
  const [costs, setCosts] = useState<Record<string, string>>({});
  const [state, setState] = useState<'idle' | 'saved' | string>('idle');
  const save = async () => {
    const feeRate = Number(fee) / 100;
    const refundRate = refund.trim() === '' ? null : Number(refund) / 100;
    const costOverrides = costOverridesFrom(e.products, costs);
    if ('bad' in costOverrides) return setState(`${costOverrides.bad}: ${costs[costOverrides.bad as string] ?? ''}`);
    if (!Number.isFinite(feeRate) || fee.trim() === '' || (refundRate !== null && !Number.isFinite(refundRate))) return setState(`${fee} / ${refund}`);
    const economics: RoomEconomics = { feeRate, refundRate, costOverrides: costOverrides as Record<string, number> };
    const r = await transport.request('setEconomics', { roomId: view.roomId, economics });
    if (r.ok) setCosts({});
    setState(r.ok ? 'saved' : r.error);
  };
  const refundNote =
    e.refundSource === 'learned' && e.learned
      ? fill(t('ads.econ.refund.learned'), { n: e.learned.sessions, refunded: formatMoneyFen(e.learned.refundedFen, locale), paid: formatMoneyFen(e.learned.paidFen, locale) })
      : t(`ads.econ.refund.${e.refundSource}`);
  const basis = e.marginBasis ? <span className="muted small">{t(`ads.econ.basis.${e.marginBasis}`)}</span> : null;
  return (
    <section className="panel ad-econ" data-testid="ad-economics" data-break-even={e.breakEvenRoi ?? ''} data-refund-source={e.refundSource}>
      <h2>{t('ads.econ.title')}</h2>
      <div className="ad-econ-head">
        <div>
          {t('ads.breakEven')} <b data-testid="ad-econ-break-even">{e.breakEvenRoi !== null ? e.breakEvenRoi.toFixed(2) : e.noMargin ? t('ads.breakEven.noMargin') : t('ads.breakEven.none')}</b>
        </div>
        <div title={t('ads.econ.margin.hint')}>
          {t('ads.econ.margin')} <b data-testid="ad-econ-gross-margin">{formatRate(e.grossMargin)}</b> · {t('ads.econ.netMargin')} <b data-testid="ad-econ-net-margin" title={t('ads.econ.netMargin.hint')}>{formatRate(e.margin)}</b> {basis}
        </div>
        <div className="muted small">
          {t('ads.econ.refundShown')} {formatRate(e.refundRate)} · {refundNote}
        </div>
        {e.missingCosts > 0 ? <div className="warn small">{fill(t('ads.econ.missing'), { n: e.missingCosts })}</div> : null}
        {e.noMargin ? <div className="bad small">{t('ads.econ.noMargin')}</div> : null}
        <div className="muted small">{t('ads.econ.formula')}</div>
      </div>
      <div className="form-grid">
        <label>
          {t('ads.econ.fee')}
          <input type="number" min={0} max={90} step={0.1} data-testid="ad-econ-fee" value={fee} onChange={(ev) => setFee(ev.target.value)} />
        </label>
        <label>
          {t('ads.econ.refund')}
          <input type="number" min={0} max={95} step={0.1} data-testid="ad-econ-refund" placeholder={t('ads.econ.refundHint')} value={refund} onChange={(ev) => setRefund(ev.target.value)} />
        </label>
      </div>
      <div className="ad-econ-products">
        <table>
          <thead>
            <tr>
              <th className="left">{t('ads.econ.product')}</th>
              <th>{t('ads.econ.price')}</th>
              <th>{t('ads.econ.cost')}</th>
              <th className="ad-margin-head">
                <span title={t('ads.econ.margin.hint')}>{t('ads.econ.productMargin')}</span>
                <br />
                <span className="muted small" title={t('ads.econ.netMargin.hint')}>
                  {t('ads.econ.productNet')}
                </span>
              </th>
            </tr>
          </thead>
          <tbody>
            {e.products.map((p) => (
              <tr key={p.productId} data-testid={`ad-econ-row-${p.productId}`} data-gross={p.grossMargin ?? ''} data-net={p.margin ?? ''}>
                <td className="left ellipsis" title={p.title}>
                  {p.title}
                </td>
                <td>{formatMoneyFen(p.priceFen, locale)}</td>
                <td className="ad-cost-cell">
                  <input
                    className="ad-cost"
                    inputMode="decimal"
                    data-testid={`ad-econ-cost-${p.productId}`}
                    placeholder={t('ads.econ.cost.none')}
                    value={costs[p.productId] ?? costText(p)}
                    onChange={(ev) => setCosts({ ...costs, [p.productId]: ev.target.value })}
                  />
                  <span className={`tag ${p.costSource ?? 'none'}`} data-testid={`ad-econ-cost-source-${p.productId}`}>
                    {t(p.costSource === 'override' ? 'ads.econ.cost.override' : p.costSource === 'catalog' ? 'ads.econ.cost.catalog' : 'ads.econ.cost.none')}
                  </span>
                </td>
                <td>
                  <span className={p.grossMargin !== null && p.grossMargin <= 0 ? 'bad' : ''}>{formatRate(p.grossMargin)}</span>
                  <br />
                  <span className={p.margin !== null && p.margin <= 0 ? 'bad small' : 'muted small'}>{formatRate(p.margin)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="sg-actions">
        <button className="primary" data-testid="ad-econ-save" onClick={() => void save()}>
          {t('ads.econ.save')}
        </button>
        {state === 'saved' ? <span className="good small">{t('ads.econ.saved')}</span> : state !== 'idle' ? <span className="bad small">{state}</span> : null}
      </div>
    </section>
  );
}
