import { useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useApp, useAppShallow, useCan, useT } from '../../lib/hooks.ts';
import { pinProduct, pinUi, undoPin } from './pin-actions.ts';
import { formatCount, formatDuration, formatMoneyFen, formatRate } from '../../../../shared/format.ts';
import { fill } from '../../../../shared/suggest/reasons.ts';
import type { ProductRow } from '../../../../shared/metrics/types.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';
import type { Transport } from '../../lib/transport.ts';

type SortKey = 'gmvFen' | 'exposures' | 'clicks' | 'ctr' | 'orders' | 'clickToOrder' | 'stock' | 'pinnedSec' | 'priceFen';
type Sort = { key: SortKey; desc: boolean };

const COLUMNS: Array<{ key: SortKey; label: MessageKey }> = [
  { key: 'priceFen', label: 'board.price' },
  { key: 'stock', label: 'board.stock' },
  { key: 'exposures', label: 'board.exposures' },
  { key: 'clicks', label: 'board.clicks' },
  { key: 'ctr', label: 'board.ctr' },
  { key: 'orders', label: 'board.orders' },
  { key: 'gmvFen', label: 'board.gmv' },
  { key: 'clickToOrder', label: 'board.clickToOrder' },
  { key: 'pinnedSec', label: 'board.pinnedSec' },
];

/** The board's order: by the chosen column, ties by id (a stable order: equal rows never swap). */
export function sortRows(products: readonly ProductRow[], sort: Sort): ProductRow[] {
  const val = (p: ProductRow) => (p[sort.key] ?? -1) as number;
  return [...products].sort((a, b) => (sort.desc ? val(b) - val(a) : val(a) - val(b)) || a.productId.localeCompare(b.productId));
}

/**
 * The rows in a held order (ids as they stood when the pointer came onto the board), products
 * that appeared since at the end in the sorted order: figures update in place, rows never move
 * under the pointer (a row once jumped from 9th to 3rd as the operator reached for it).
 */
export function heldRows(sorted: readonly ProductRow[], held: readonly string[] | null): readonly ProductRow[] {
  if (!held) return sorted;
  const at = new Map(held.map((id, i) => [id, i]));
  return [...sorted].sort((a, b) => (at.get(a.productId) ?? Infinity) - (at.get(b.productId) ?? Infinity) || 0);
}

/**
 * Every product with its live figures, sortable; the pinned one highlighted; a pin button
 * that sends the relay's `pin` command (the product changes in the room, and the board follows
 * when the relay's `pin` event comes back — the feed stays the single source of truth). Until
 * then the row says it is waiting; once confirmed, the pin can be undone.
 */
export function ProductBoard({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { products, pinned, commands } = useAppShallow((s) => ({ products: s.products, pinned: s.pinnedProductId, commands: s.commandsSupported }));
  const pin = useStore(pinUi);
  const canPin = useCan('sendCommand');
  const [sort, setSort] = useState<Sort>({ key: 'gmvFen', desc: true });
  const [held, setHeld] = useState<string[] | null>(null);
  const sorted = useMemo(() => sortRows(products, sort), [products, sort]);
  const rows = useMemo(() => heldRows(sorted, held), [sorted, held]);
  const sortedRef = useRef(sorted);
  sortedRef.current = sorted;

  return (
    <section className="panel board" data-testid="product-board">
      <h2>
        {t('board.title')} <span className="muted">({products.length})</span>
        {held ? (
          <span className="muted small board-frozen" data-testid="board-frozen">
            {t('board.frozen')}
          </span>
        ) : null}
      </h2>
      <PinBar transport={transport} products={products} />
      <div className="board-scroll">
        <table data-frozen={held ? '1' : '0'}>
          <thead>
            <tr>
              <th className="left">{t('board.product')}</th>
              <th>{t('board.role')}</th>
              {COLUMNS.map((c) => (
                <th key={c.key}>
                  <button className={sort.key === c.key ? 'sort active' : 'sort'} data-testid={`sort-${c.key}`} onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : true }))}>
                    {t(c.label)}
                    {sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
                  </button>
                </th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody onMouseEnter={() => setHeld(sortedRef.current.map((p) => p.productId))} onMouseLeave={() => setHeld(null)}>
            {rows.map((p) => {
              const isPinned = p.productId === pinned;
              const isPending = pin.pending !== null && pin.pending.productId === p.productId && !isPinned;
              return (
                <tr key={p.productId} className={isPinned ? 'pinned-row' : p.soldOut ? 'sold-out' : ''} data-testid={`product-${p.productId}`} data-pin-state={isPinned ? 'pinned' : isPending ? 'pending' : ''} data-sort-value={p[sort.key] ?? ''} data-exposures={p.exposures} data-ctr={p.ctr ?? ''} data-click-to-order={p.clickToOrder ?? ''} data-stock={p.stock ?? ''} data-price={p.priceFen}>
                  <td className="left title" title={p.productId}>
                    {p.title}
                  </td>
                  <td>{p.role ? <span className={`role ${p.role}`}>{t(`role.${p.role}` as MessageKey)}</span> : '—'}</td>
                  <td>{formatMoneyFen(p.priceFen, locale)}</td>
                  <td className={p.soldOut ? 'bad' : ''}>{p.soldOut ? t('board.soldOut') : formatCount(p.stock, locale)}</td>
                  <td>{formatCount(p.exposures, locale)}</td>
                  <td>{formatCount(p.clicks, locale)}</td>
                  <td>{formatRate(p.ctr)}</td>
                  <td>{formatCount(p.orders, locale)}</td>
                  <td>{formatMoneyFen(p.gmvFen, locale)}</td>
                  <td>{formatRate(p.clickToOrder)}</td>
                  <td>{formatDuration(p.pinnedSec)}</td>
                  <td>
                    {isPinned ? (
                      <span className="pinned-tag">{t('board.pinned')}</span>
                    ) : isPending ? (
                      <span className="pending-tag" data-testid="pin-pending">
                        {t('board.pending')}
                      </span>
                    ) : !canPin ? null : (
                      <button className="pin" data-testid={`pin-${p.productId}`} disabled={!commands || p.soldOut || pin.pending !== null} title={commands ? '' : t('board.noCommands')} onClick={() => void pinProduct(transport, p.productId)}>
                        {t('board.pin')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One line above the board: a pin waiting for the room, a confirmed one with its undo, or why it failed. */
export function PinBar({ transport, products }: { transport: Transport; products: readonly ProductRow[] }) {
  const t = useT();
  const pin = useStore(pinUi);
  const title = (id: string | null) => (id === null ? null : (products.find((p) => p.productId === id)?.title ?? id));
  if (pin.pending) {
    const text = pin.pending.undo
      ? fill(t('board.undoing'), { title: title(pin.pending.productId) ?? '—' })
      : pin.pending.productId === null
        ? t('board.pendingNone')
        : fill(t('board.pendingNote'), { title: title(pin.pending.productId)! });
    return (
      <p className="pin-bar pending small" data-testid="pin-bar" data-state="pending">
        {text}
      </p>
    );
  }
  if (pin.undoable) {
    const back = pin.undoable.previousProductId;
    return (
      <p className="pin-bar small" data-testid="pin-bar" data-state="undoable">
        {fill(t('board.switched'), { title: title(pin.undoable.productId) ?? '—' })}{' '}
        <button className="undo" data-testid="pin-undo" onClick={() => void undoPin(transport)}>
          {back === null ? t('board.undoToNone') : fill(t('board.undoTo'), { title: title(back)! })}
        </button>
      </p>
    );
  }
  if (pin.error) {
    return (
      <p className="pin-bar bad small" role="alert" data-testid="pin-bar" data-state="error">
        {pin.error === 'unconfirmed' ? t('board.unconfirmed') : `${t('board.pinFailed')}: ${pin.error}`}
      </p>
    );
  }
  return null;
}
