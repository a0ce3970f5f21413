import { useMemo, useState } from 'react';
import { useApp, useAppShallow, useT } from '../lib/hooks.ts';
import { formatCount, formatDuration, formatMoneyFen, formatRate } from '../../../shared/format.ts';
import type { ProductRow } from '../../../shared/metrics/types.ts';
import type { MessageKey } from '../../../shared/i18n/messages.ts';
import type { Transport } from '../lib/transport.ts';

type SortKey = 'gmvFen' | 'exposures' | 'clicks' | 'ctr' | 'orders' | 'clickToOrder' | 'stock' | 'pinnedSec' | 'priceFen';

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

/**
 * L3: every product with its live figures, sortable; the pinned one highlighted; a pin button
 * that sends the relay's `pin` command (the product changes in the room, and the board follows
 * when the relay's `pin` event comes back — the feed stays the single source of truth).
 */
export function ProductBoard({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { products, pinned, roomId, commands } = useAppShallow((s) => ({
    products: s.products,
    pinned: s.pinnedProductId,
    roomId: s.selectedRoomId,
    commands: s.commandsSupported,
  }));
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'gmvFen', desc: true });
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState<string | null>(null);

  const rows = useMemo(() => {
    const val = (p: ProductRow) => (p[sort.key] ?? -1) as number;
    return [...products].sort((a, b) => (sort.desc ? val(b) - val(a) : val(a) - val(b)));
  }, [products, sort]);

  const pin = async (productId: string) => {
    if (!roomId) return;
    setSending(productId);
    setError(null);
    const reply = await transport.request('sendCommand', { roomId, command: { type: 'pin', productId } });
    setSending(null);
    if (!reply.ok) setError(`${t('board.pinFailed')}: ${reply.error}`);
    else if (!reply.value.ok) setError(`${t('board.pinFailed')}: ${reply.value.error}`);
  };

  return (
    <section className="panel board" data-testid="product-board">
      <h2>
        {t('board.title')} <span className="muted">({products.length})</span>
        {error ? <span className="board-error" role="alert">{error}</span> : null}
      </h2>
      <div className="board-scroll">
        <table>
          <thead>
            <tr>
              <th className="left">{t('board.product')}</th>
              <th>{t('board.role')}</th>
              {COLUMNS.map((c) => (
                <th key={c.key}>
                  <button
                    className={sort.key === c.key ? 'sort active' : 'sort'}
                    onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : true }))}
                  >
                    {t(c.label)}
                    {sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
                  </button>
                </th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => {
              const isPinned = p.productId === pinned;
              return (
                <tr key={p.productId} className={isPinned ? 'pinned-row' : p.soldOut ? 'sold-out' : ''} data-testid={`product-${p.productId}`}>
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
                    ) : (
                      <button
                        className="pin"
                        data-testid={`pin-${p.productId}`}
                        disabled={!commands || p.soldOut || sending !== null}
                        title={commands ? '' : t('board.noCommands')}
                        onClick={() => void pin(p.productId)}
                      >
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
