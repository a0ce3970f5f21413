import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { useApp, useAppShallow, useCan, useT } from '../../lib/hooks.ts';
import { acceptSuggestion, focusCard, focusGone, focusedCard, startDismiss, suggestUi, type SuggestUiState } from './suggest-actions.ts';
import type { Locale } from '../../../../shared/format.ts';
import { fill, renderReasons } from '../../../../shared/suggest/reasons.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';
import type { ShownSuggestion } from '../../../../shared/suggest/live.ts';
import type { Transport } from '../../lib/transport.ts';
import { Chance, DismissBox, Value, flashText } from './SuggestionParts.tsx';

type T = (k: MessageKey) => string;

/**
 * The suggestions beside the product board: switch now on the pinned product, traffic plays, the next-up
 * pick with the best few after it — each with the expected ¥ per minute, its uncertainty and the
 * reasons in plain words. One key accepts (A: the relay's pin / flash command goes out and the
 * decision is logged), D dismisses with an optional reason, N moves the focus. What is shown is
 * already stabilised by the core (shared/suggest/stable.ts), so it never flickers; the focus
 * stays where the operator put it, even on a card that has gone (suggest-actions.ts).
 */
export function SuggestionPanel({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { s, commands, status } = useAppShallow((st) => ({ s: st.suggestions, commands: st.commandsSupported, status: st.room?.status ?? null }));
  const ui = useStore(suggestUi);
  const focused = focusedCard(s, ui.focusId);
  const gone = focusGone(s, ui) && ui.focusCard !== null;

  const canDecide = useCan('acceptSuggestion');
  const card = (c: ShownSuggestion) => {
    const isFocused = focused?.id === c.id;
    const busy = ui.sendingId !== null;
    return (
      <div key={c.id} className={`sg-card ${c.kind}${isFocused ? ' focused' : ''}`} data-testid={`suggest-${c.kind}`} data-suggestion-id={c.id} data-product={targetOf(c)} data-from={c.kind === 'switch-now' ? c.productId : undefined} onClick={() => focusCard(c.id)}>
        <CardBody c={c} locale={locale} t={t} />
        {!canDecide ? null : ui.dismissingId === c.id ? (
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
    <section className="panel suggest" data-testid="suggestions" data-sent-product={ui.sentProductId ?? ''} data-focus={ui.focusId ?? ''} data-focus-gone={gone ? '1' : '0'}>
      <h2>
        {t('suggest.title')}
        {s && s.learnedSessions > 0 ? <span className="muted small sg-learned">{fill(t('suggest.learned'), { n: s.learnedSessions })}</span> : null}
      </h2>
      {ui.error ? (
        <p className="bad small" role="alert">
          {t('suggest.failed')}: {ui.error}
        </p>
      ) : null}
      {gone && ui.goneNotice ? (
        <p className="warn small" role="alert" data-testid="suggest-gone-notice">
          {t('suggest.gone.notice')}
        </p>
      ) : null}
      {gone && ui.focusCard ? <GhostCard c={ui.focusCard} ui={ui} transport={transport} locale={locale} t={t} /> : null}
      {!s ? (
        <p className="muted small" data-testid="suggest-empty">
          {status === 'ended' ? t('suggest.ended') : t('suggest.none')}
        </p>
      ) : (
        <>
          {s.switchNow ? card(s.switchNow) : null}
          {s.plays.map(card)}
          {s.top ? card(s.top) : <p className="muted small">{t('suggest.none')}</p>}
          {others.length ? (
            <>
              <h3>{t('suggest.others')}</h3>
              <ol className="sg-list" data-testid="suggest-others">
                {others.map((e) => (
                  <li key={e.productId} data-product={e.productId} data-value={Math.round(e.valueFenPerMin)}>
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

/** The product accepting the card would pin or flash. */
function targetOf(c: ShownSuggestion): string {
  return c.kind === 'switch-now' ? (c.toProductId ?? '') : c.productId;
}

/** What a card says, by kind: the same words on a live card and on a gone one. */
function CardBody({ c, locale, t }: { c: ShownSuggestion; locale: Locale; t: T }): ReactNode {
  switch (c.kind) {
    case 'switch-now':
      return (
        <>
          <div className="sg-head">
            <span className="sg-kind">{t('suggest.switchNow')}</span>
            <Chance chance={c.confidence} versus={{ title: c.title, pinned: true }} t={t} />
          </div>
          <div className="sg-main">
            <span className="muted">{c.title}</span>
            {c.toTitle ? (
              <>
                {' → '}
                {t('suggest.switchTo')} <b>{c.toTitle}</b>
              </>
            ) : null}
          </div>
          <div className="sg-reasons">{renderReasons(c.reasons, locale)}</div>
        </>
      );
    case 'play':
      return (
        <>
          <div className="sg-head">
            <span className="sg-kind">
              {t('suggest.plays')} · {t(`suggest.play.${c.play.kind}` as MessageKey)}
            </span>
            <span className="sg-conf">{t(`suggest.play.${c.flash ? 'flash' : 'pin'}` as MessageKey)}</span>
          </div>
          <div className="sg-main">
            <b>{c.title}</b>
            {c.flash ? (
              <span className="muted small" data-testid="suggest-flash">
                {' '}
                · {flashText(c.flash, locale, t)}
              </span>
            ) : null}
          </div>
          <div className="sg-reasons">{renderReasons(c.play.reasons, locale)}</div>
        </>
      );
    case 'next-up': {
      const e = c.estimate;
      return (
        <>
          <div className="sg-head">
            <span className="sg-kind">{t('suggest.nextUp')}</span>
            <Value e={e} locale={locale} t={t} />
          </div>
          <div className="sg-main">
            <b data-testid="suggest-top-title">{c.title}</b> {c.chance ? <Chance chance={c.chance.chance} versus={c.chance.versus} t={t} /> : null}
          </div>
          <div className="sg-reasons">{renderReasons(e.reasons, locale)}</div>
        </>
      );
    }
  }
}

/**
 * The focused card after it left the panel: greyed, with what became of it, and no buttons — but
 * a reason box the operator was typing in stays, so a dismissal is not lost to the card going.
 */
function GhostCard({ c, ui, transport, locale, t }: { c: ShownSuggestion; ui: SuggestUiState; transport: Transport; locale: Locale; t: T }) {
  const fate: MessageKey = ui.sentId === c.id ? 'suggest.gone.accepted' : ui.dismissedId === c.id ? 'suggest.gone.dismissed' : 'suggest.gone.withdrawn';
  return (
    <div className={`sg-card ${c.kind} focused ghost`} data-testid="suggest-ghost" data-suggestion-id={c.id} data-product={targetOf(c)}>
      <div className="sg-ghost-head">
        <b>{t(fate)}</b> · {t('suggest.gone.hint')}
      </div>
      <CardBody c={c} locale={locale} t={t} />
      {ui.dismissingId === c.id ? <DismissBox transport={transport} t={t} /> : null}
    </div>
  );
}
