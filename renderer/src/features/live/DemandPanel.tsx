import { useApp, useT } from '../../lib/hooks.ts';
import { formatCount } from '../../../../shared/format.ts';

/** The comment ticker and what viewers are asking for (demand words, products asked about). */
export function DemandPanel() {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const demand = useApp((s) => s.demand);
  return (
    <section className="panel demand" data-testid="demand">
      <h2>{t('demand.title')}</h2>
      {!demand || demand.recent.length === 0 ? (
        <p className="muted">{t('demand.none')}</p>
      ) : (
        <>
          <div className="demand-cols">
            <div>
              <h3>{t('demand.words')}</h3>
              <ul className="demand-words">
                {demand.words.slice(0, 8).map((w) => (
                  <li key={w.word}>
                    <span>{w.word}</span>
                    <b>{formatCount(w.count, locale)}</b>
                    {w.lastMinute ? <span className="up">+{w.lastMinute}</span> : <span />}
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3>{t('demand.products')}</h3>
              <ul className="demand-words" data-testid="demand-products">
                {demand.products.slice(0, 6).map((p) => (
                  <li key={p.productId}>
                    <span className="ellipsis">{p.title}</span>
                    <b>{formatCount(p.count, locale)}</b>
                    {p.lastMinute ? <span className="up">+{p.lastMinute}</span> : <span />}
                  </li>
                ))}
              </ul>
            </div>
          </div>
          <h3>{t('demand.recent')}</h3>
          <ul className="ticker" data-testid="comment-ticker">
            {demand.recent
              .slice(-12)
              .reverse()
              .map((c, i) => (
                <li key={`${c.ts}-${i}`} className={c.demand ? 'demand-comment' : ''}>
                  <span className="muted">{c.nickname ?? '—'}：</span>
                  {c.text}
                </li>
              ))}
          </ul>
        </>
      )}
    </section>
  );
}
