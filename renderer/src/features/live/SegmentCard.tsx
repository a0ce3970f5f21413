import { useStore } from 'zustand';
import { useApp, useAppShallow, useT } from '../../lib/hooks.ts';
import { pinUi } from './pin-actions.ts';
import { fill } from '../../../../shared/suggest/reasons.ts';
import { formatDuration, formatMoneyFen, formatRate, formatYuan } from '../../../../shared/format.ts';
import { rate, gpm } from '../../../../shared/metrics/formulas.ts';
import type { SegmentRow } from '../../../../shared/metrics/types.ts';

interface Figures {
  durationSec: number | null;
  ctr: number | null;
  clickToOrder: number | null;
  gmvFen: number | null;
  gpm: number | null;
}

function sumSegments(segs: SegmentRow[]): Figures | null {
  if (!segs.length) return null;
  const s = segs.reduce(
    (a, x) => ({ d: a.d + x.durationSec, e: a.e + x.exposures, c: a.c + x.clicks, o: a.o + x.orders, g: a.g + x.gmvFen, n: a.n + x.enters }),
    { d: 0, e: 0, c: 0, o: 0, g: 0, n: 0 },
  );
  return { durationSec: s.d / segs.length, ctr: rate(s.c, s.e), clickToOrder: rate(s.o, s.c), gmvFen: s.g / segs.length, gpm: gpm(s.g, s.n) };
}

/**
 * How the product being explained is doing in this segment, against its own earlier
 * segments (averaged per segment) and the whole room — the comparison a 场控 makes before
 * deciding to switch. It follows the feed's pin, as the board's 讲解中 does: a pin sent from here
 * and not yet confirmed is a note above the figures, never a card that says nothing is explained.
 */
export function SegmentCard() {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { pinned, segments, products, kpis } = useAppShallow((s) => ({
    pinned: s.pinnedProductId,
    segments: s.segments,
    products: s.products,
    kpis: s.room?.kpis ?? null,
  }));
  const pending = useStore(pinUi, (s) => s.pending);
  const titleOf = (id: string) => products.find((p) => p.productId === id)?.title ?? id;
  const current = pinned ? segments.findLast((s) => s.productId === pinned) : undefined;
  const note =
    pending && pending.productId !== pinned && pending.productId !== null ? (
      <p className="muted small" data-testid="segment-pending">
        {fill(t('segment.pending'), { title: titleOf(pending.productId), current: pinned ? titleOf(pinned) : t('segment.none') })}
      </p>
    ) : null;
  if (!pinned || !current) {
    return (
      <section className="panel segment-card" data-testid="segment-card" data-product={pinned ?? ''}>
        <h2>
          {t('segment.title')}
          {pinned ? (
            <>
              {' '}
              · <span className="gold">{titleOf(pinned)}</span>
            </>
          ) : null}
        </h2>
        {note}
        <p className="muted">{pinned ? t('segment.justStarted') : t('segment.none')}</p>
      </section>
    );
  }
  const title = titleOf(pinned);
  const now: Figures = current;
  const earlier = sumSegments(segments.filter((s) => s.productId === pinned && s !== current));
  const room: Figures | null = kpis ? { durationSec: null, ctr: kpis.ctr, clickToOrder: kpis.clickToOrder, gmvFen: null, gpm: kpis.gpm } : null;
  const cols: Array<[string, Figures | null]> = [
    [t('segment.now'), now],
    [t('segment.earlier'), earlier],
    [t('segment.room'), room],
  ];
  const cmp = (v: number | null, base: number | null | undefined) => (v === null || base === null || base === undefined ? '' : v >= base ? 'good' : 'bad');
  return (
    <section className="panel segment-card" data-testid="segment-card" data-product={pinned}>
      <h2>
        {t('segment.title')} · <span className="gold">{title}</span>
      </h2>
      {note}
      <table>
        <thead>
          <tr>
            <th />
            {cols.map(([label]) => (
              <th key={label}>{label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{t('segment.duration')}</td>
            {cols.map(([label, f]) => (
              <td key={label}>{formatDuration(f?.durationSec ?? null)}</td>
            ))}
          </tr>
          <tr>
            <td>{t('board.ctr')}</td>
            {cols.map(([label, f], i) => (
              <td key={label} className={i === 0 ? cmp(now.ctr, earlier?.ctr ?? room?.ctr) : ''}>
                {formatRate(f?.ctr ?? null)}
              </td>
            ))}
          </tr>
          <tr>
            <td>{t('board.clickToOrder')}</td>
            {cols.map(([label, f], i) => (
              <td key={label} className={i === 0 ? cmp(now.clickToOrder, earlier?.clickToOrder ?? room?.clickToOrder) : ''}>
                {formatRate(f?.clickToOrder ?? null)}
              </td>
            ))}
          </tr>
          <tr>
            <td>{t('segment.gpm')}</td>
            {cols.map(([label, f], i) => (
              <td key={label} className={i === 0 ? cmp(now.gpm, room?.gpm) : ''}>
                {formatYuan(f?.gpm ?? null, locale)}
              </td>
            ))}
          </tr>
          <tr>
            <td>{t('board.gmv')}</td>
            {cols.map(([label, f]) => (
              <td key={label}>{formatMoneyFen(f?.gmvFen ?? null, locale)}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </section>
  );
}
