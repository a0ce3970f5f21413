import { useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useApp, useAppShallow, useT } from '../lib/hooks.ts';
import { acceptSuggestion, cancelDismiss, confirmDismiss, focusedCard, startDismiss, suggestUi } from '../lib/suggest-actions.ts';
import { formatMoneyFen, type Locale } from '../../../shared/format.ts';
import { fill, renderReasons } from '../../../shared/suggest/reasons.ts';
import type { MessageKey } from '../../../shared/i18n/messages.ts';
import type { ShownSuggestion } from '../../../shared/suggest/live.ts';
import type { ProductEstimate } from '../../../shared/suggest/types.ts';
import type { Transport } from '../lib/transport.ts';

/**
 * S1–S3 beside the product board: switch now on the pinned product, traffic plays, the next-up
 * pick with the best few after it — each with the expected ¥ per minute, its uncertainty and the
 * reasons in plain words. One key accepts (A: the relay's pin / flash command goes out and the
 * decision is logged), D dismisses with an optional reason, N moves the focus. What is shown is
 * already stabilised by the core (shared/suggest/stable.ts), so it never flickers.
 */
export function SuggestionPanel({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { s, commands, status } = useAppShallow((st) => ({ s: st.suggestions, commands: st.commandsSupported, status: st.room?.status ?? null }));
  const ui = useStore(suggestUi);
  const focused = focusedCard(s, ui.focusId);

  const card = (c: ShownSuggestion, body: ReactNode) => {
    const isFocused = focused?.id === c.id;
    const busy = ui.sendingId !== null;
    return (
      <div key={c.id} className={`sg-card ${c.kind}${isFocused ? ' focused' : ''}`} data-testid={`suggest-${c.kind}`} data-suggestion-id={c.id} data-product={c.kind === 'switch-now' ? (c.toProductId ?? '') : c.productId} onClick={() => suggestUi.setState({ focusId: c.id })}>
        {body}
        {ui.dismissingId === c.id ? (
          <DismissBox transport={transport} t={t} />
        ) : (
          <div className="sg-actions">
            <button className="primary" data-testid="suggest-accept" disabled={!commands || busy || (c.kind === 'switch-now' && !c.toProductId)} title={commands ? '' : t('suggest.noCommands')} onClick={() => void acceptSuggestion(transport, c.id)}>
              {t('suggest.accept')}
              {isFocused ? <kbd>A</kbd> : null}
            </button>
            <button data-testid="suggest-dismiss" disabled={busy} onClick={() => startDismiss(c.id)}>
              {t('suggest.dismiss')}
              {isFocused ? <kbd>D</kbd> : null}
            </button>
            {ui.sentId === c.id ? <span className="good small">{t('suggest.sent')}</span> : null}
          </div>
        )}
      </div>
    );
  };

  const others = s ? s.nextUp.filter((e) => e.productId !== s.top?.productId).slice(0, 4) : [];
  return (
    <section className="panel suggest" data-testid="suggestions" data-sent-product={ui.sentProductId ?? ''}>
      <h2>
        {t('suggest.title')}
        {s && s.learnedSessions > 0 ? <span className="muted small sg-learned">{fill(t('suggest.learned'), { n: s.learnedSessions })}</span> : null}
      </h2>
      {ui.error ? (
        <p className="bad small" role="alert">
          {t('suggest.failed')}: {ui.error}
        </p>
      ) : null}
      {!s ? (
        <p className="muted small" data-testid="suggest-empty">
          {status === 'ended' ? t('suggest.ended') : t('suggest.none')}
        </p>
      ) : (
        <>
          {s.switchNow
            ? card(
                s.switchNow,
                <>
                  <div className="sg-head">
                    <span className="sg-kind">{t('suggest.switchNow')}</span>
                    <span className="sg-conf">
                      {t('suggest.confidence')} {Math.round(s.switchNow.confidence * 100)}%
                    </span>
                  </div>
                  <div className="sg-main">
                    <span className="muted">{s.switchNow.title}</span>
                    {s.switchNow.toTitle ? (
                      <>
                        {' → '}
                        {t('suggest.switchTo')} <b>{s.switchNow.toTitle}</b>
                      </>
                    ) : null}
                  </div>
                  <div className="sg-reasons">{renderReasons(s.switchNow.reasons, locale)}</div>
                </>,
              )
            : null}
          {s.plays.map((p) =>
            card(
              p,
              <>
                <div className="sg-head">
                  <span className="sg-kind">
                    {t('suggest.plays')} · {t(`suggest.play.${p.play.kind}` as MessageKey)}
                  </span>
                  <span className="sg-conf">{t(`suggest.play.${p.flash ? 'flash' : 'pin'}` as MessageKey)}</span>
                </div>
                <div className="sg-main">
                  <b>{p.title}</b>
                  {p.flash ? <span className="muted small"> · {fill(t('suggest.flashAt'), { price: formatMoneyFen(p.flash.priceFen, locale), stock: p.flash.stock })}</span> : null}
                </div>
                <div className="sg-reasons">{renderReasons(p.play.reasons, locale)}</div>
              </>,
            ),
          )}
          {s.top ? (
            card(
              s.top,
              <>
                <div className="sg-head">
                  <span className="sg-kind">{t('suggest.nextUp')}</span>
                  <Value e={s.top.estimate} locale={locale} t={t} />
                </div>
                <div className="sg-main">
                  <b data-testid="suggest-top-title">{s.top.title}</b>
                </div>
                <div className="sg-reasons">{renderReasons(s.top.estimate.reasons, locale)}</div>
              </>,
            )
          ) : (
            <p className="muted small">{t('suggest.none')}</p>
          )}
          {others.length ? (
            <>
              <h3>{t('suggest.others')}</h3>
              <ol className="sg-list" data-testid="suggest-others">
                {others.map((e) => (
                  <li key={e.productId}>
                    <span className="ellipsis">{e.title}</span>
                    <Value e={e} locale={locale} t={t} />
                    <span className="sg-reasons small ellipsis">{renderReasons(e.reasons, locale, 2)}</span>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          {s.pinned ? (
            <p className="sg-pinned small">
              <span className="muted">{t('suggest.pinnedNow')}</span> {s.pinned.title} · <Value e={s.pinned} locale={locale} t={t} />
            </p>
          ) : null}
          <p className="muted small sg-keys">{t('suggest.focused')}</p>
        </>
      )}
    </section>
  );
}

/** "预计 ¥923/分钟 ±¥988": the expected GMV per minute if explained now, and one standard deviation. */
function Value({ e, locale, t }: { e: ProductEstimate; locale: Locale; t: (k: MessageKey) => string }) {
  // Whole yuan: an estimate is not worth its fen, and "±¥39.89" reads as false precision.
  const yuan = (fen: number) => formatMoneyFen(Math.round(fen / 100) * 100, locale);
  return (
    <span className="sg-value" title={`${t('suggest.expected')} ${formatMoneyFen(e.valueFenPerMin, locale)}${t('suggest.perMin')}`}>
      {yuan(e.valueFenPerMin)}
      {t('suggest.perMin')} <span className="muted">±{yuan(e.sdFenPerMin)}</span>
    </span>
  );
}

function DismissBox({ transport, t }: { transport: Transport; t: (k: MessageKey) => string }) {
  const [reason, setReason] = useState('');
  return (
    <form
      className="sg-dismiss"
      onSubmit={(e) => {
        e.preventDefault();
        void confirmDismiss(transport, reason);
      }}
    >
      <input
        autoFocus
        data-testid="suggest-dismiss-reason"
        placeholder={t('suggest.dismissReason')}
        maxLength={500}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
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
