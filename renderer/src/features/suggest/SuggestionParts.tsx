import { useStore } from 'zustand';
import { formatMoneyFen, type Locale } from '../../../../shared/format.ts';
import { fill } from '../../../../shared/suggest/reasons.ts';
import { certaintyOf } from '../../../../shared/suggest/certainty.ts';
import type { FlashOffer } from '../../../../shared/suggest/flash.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';
import type { ProductEstimate } from '../../../../shared/suggest/types.ts';
import type { Transport } from '../../lib/transport.ts';
import { cancelDismiss, confirmDismiss, setDismissReason, suggestUi } from './suggest-actions.ts';

type T = (k: MessageKey) => string;

/** "预计 ¥923/分钟 ±¥988": the expected GMV per minute if explained now, and one standard deviation. */
export function Value({ e, locale, t }: { e: ProductEstimate; locale: Locale; t: T }) {
  // Whole yuan: an estimate is not worth its fen, and "±¥39.89" reads as false precision.
  const yuan = (fen: number) => formatMoneyFen(Math.round(fen / 100) * 100, locale);
  return (
    <span className="sg-value" title={`${t('suggest.expected')} ${formatMoneyFen(e.valueFenPerMin, locale)}${t('suggest.perMin')}`}>
      {yuan(e.valueFenPerMin)}
      {t('suggest.perMin')} <span className="muted">±{yuan(e.sdFenPerMin)}</span>
    </span>
  );
}

/**
 * "把握大 85%": a chance and its word, from the one mapping (shared/suggest/certainty.ts); the
 * tooltip names the claim (more per minute than the product explained now, or than the runner-up).
 */
export function Chance({ chance, versus, t }: { chance: number; versus: { title: string; pinned: boolean } | null; t: T }) {
  const pct = Math.round(chance * 100);
  const level = certaintyOf(chance);
  const claim = versus ? fill(t(versus.pinned ? 'suggest.chance.pinned' : 'suggest.chance.runnerUp'), { title: versus.title, pct }) : '';
  return (
    <span className={`sg-conf ${level}`} data-testid="suggest-chance" data-chance={pct} data-certainty={level} title={claim}>
      {t(`certainty.${level}` as MessageKey)} {pct}%
    </span>
  );
}

/** "秒杀价 ¥31.9（原价 ¥39.9 打 8 折），限量 12 件": the offer with its basis. */
export function flashText(f: FlashOffer, locale: Locale, t: T): string {
  return fill(t('suggest.flashAt'), {
    price: formatMoneyFen(f.priceFen, locale),
    list: formatMoneyFen(f.listPriceFen, locale),
    zhe: String(Math.round(f.share * 100) / 10),
    pct: String(Math.round(f.share * 100)),
    stock: f.stock,
  });
}

/** The reason box D opens; on the card, or on its greyed copy once the card has gone. */
export function DismissBox({ transport, t }: { transport: Transport; t: T }) {
  const reason = useStore(suggestUi, (s) => s.dismissReason);
  return (
    <form
      className="sg-dismiss"
      onSubmit={(e) => {
        e.preventDefault();
        void confirmDismiss(transport);
      }}
    >
      <input
        autoFocus
        data-testid="suggest-dismiss-reason"
        placeholder={t('suggest.dismissReason')}
        maxLength={500}
        value={reason}
        onChange={(e) => setDismissReason(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            cancelDismiss();
          }
        }}
      />
      <button type="submit" className="primary" data-testid="suggest-dismiss-confirm">
        {t('suggest.dismissConfirm')}
      </button>
      <button type="button" onClick={() => cancelDismiss()}>
        {t('suggest.cancel')}
      </button>
    </form>
  );
}
