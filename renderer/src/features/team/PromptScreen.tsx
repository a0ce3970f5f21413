/**
 * The host's prompt screen (PRODUCT.md T2): big type, read at two metres beside the camera. What
 * is being explained and for how long, what comes next and why, what viewers ask, the countdown to
 * the run-of-show's next switch, the online trend, and the 场控's messages with a 收到 button.
 * Nothing here can change the room: the host's role may only read and acknowledge (the server
 * holds that rule, shared/team/roles.ts).
 */
import { useEffect, useState } from 'react';
import { useApp, useAppShallow, useT } from '../../lib/hooks.ts';
import { PROMPT_ROOM_KEY, selectRoom, series, setLocale } from '../../lib/store.ts';
import type { Transport } from '../../lib/transport.ts';
import { formatCount, formatDuration, type Locale } from '../../../../shared/format.ts';
import type { LiveSuggestions, RunOfShowLive } from '../../../../shared/suggest/live.ts';
import { renderReasons } from '../../../../shared/suggest/reasons.ts';
import { plannedStart } from '../../../../shared/suggest/plan.ts';
import type { MinuteRow } from '../../../../shared/metrics/types.ts';
import type { Localiser } from '../../../../shared/i18n/localiser.ts';
import type { PromptMessage } from '../../../../shared/team/contract.ts';

/** Minutes of online trend the screen draws. */
const TREND_MIN = 15;

export function PromptScreen({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { room, rooms, pinned, products, segments, suggestions, demand, prompts } = useAppShallow((s) => ({
    room: s.room,
    rooms: s.rooms,
    pinned: s.pinnedProductId,
    products: s.products,
    segments: s.segments,
    suggestions: s.suggestions,
    demand: s.demand,
    prompts: s.prompts,
  }));
  const titleOf = (id: string | null) => (id ? (products.find((p) => p.productId === id)?.title ?? id) : null);
  const live = room?.status === 'live';
  const showSec = room?.kpis?.durationSec ?? null;
  // How long the current product has been explained: its segment, as the board counts it.
  const segment = pinned ? segments.findLast((s) => s.productId === pinned) : undefined;
  const plan = suggestions?.runOfShow ?? null;
  const next = nextUp(suggestions, plan, titleOf, t, locale);
  const switchSec = plan && showSec !== null ? (plan.anchorMin + plannedStart(plan.items, plan.adherence.cursor + 1)) * 60 - showSec : null;
  const open = prompts.filter((p) => p.ackedAt === null);
  const words = (demand?.words ?? []).filter((w) => w.lastMinute > 0 || w.count > 0).slice(0, 4);

  return (
    <div className="prompt-screen" data-testid="prompt-screen" lang={locale}>
      <header className="prompt-top">
        {/* A control room follows several rooms: the host picks theirs once; this browser remembers it. */}
        {rooms.length > 1 ? (
          <select
            className="prompt-room prompt-room-pick"
            data-testid="prompt-room-pick"
            value={room?.roomId ?? ''}
            aria-label={t('prompt.room')}
            onChange={(e) => {
              localStorage.setItem(PROMPT_ROOM_KEY, e.target.value);
              void selectRoom(transport, e.target.value);
            }}
          >
            {rooms.map((r) => (
              <option key={r.roomId} value={r.roomId}>
                {r.title}
              </option>
            ))}
          </select>
        ) : (
          <span className="prompt-room" data-testid="prompt-room">
            {room?.title ?? ''}
          </span>
        )}
        <span className="prompt-clock">{live ? formatDuration(showSec) : t('prompt.noShow')}</span>
        <button className="lang" onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}>
          {t('lang.switch')}
        </button>
      </header>
      {open.length ? <Messages messages={open} transport={transport} /> : null}
      <section className="prompt-now" data-testid="prompt-now" data-product={pinned ?? ''}>
        <span className="prompt-label">{t('prompt.pinned')}</span>
        <strong className="prompt-product">{titleOf(pinned) ?? t('prompt.nothingPinned')}</strong>
        {segment ? <span className="prompt-sub">{t('prompt.for', { time: formatDuration(segment.durationSec) })}</span> : null}
      </section>
      <div className="prompt-row">
        <section className="prompt-next" data-testid="prompt-next" data-product={next?.productId ?? ''}>
          <span className="prompt-label">{t('prompt.next')}</span>
          <strong className="prompt-product">{next?.title ?? '—'}</strong>
          {next?.why ? <span className="prompt-sub">{next.why}</span> : null}
        </section>
        <section className="prompt-countdown" data-testid="prompt-countdown" data-sec={switchSec === null ? '' : String(Math.round(switchSec))}>
          <span className="prompt-label">{t('prompt.nextPlan')}</span>
          <strong className={switchSec !== null && switchSec <= 0 ? 'prompt-big bad' : switchSec !== null && switchSec < 60 ? 'prompt-big warn' : 'prompt-big'}>
            {switchSec === null ? '—' : switchSec > 0 ? formatDuration(Math.ceil(switchSec)) : t('prompt.switchNow')}
          </strong>
          {switchSec !== null && switchSec < 0 ? <span className="prompt-sub">{t('prompt.overBy', { time: formatDuration(Math.floor(-switchSec)) })}</span> : null}
        </section>
      </div>
      <div className="prompt-row">
        <section className="prompt-asking" data-testid="prompt-asking">
          <span className="prompt-label">{t('prompt.asking')}</span>
          {words.length ? (
            <ul>
              {words.map((w) => (
                <li key={w.word}>
                  {w.word} <span className="prompt-count">×{w.lastMinute || w.count}</span>
                </li>
              ))}
            </ul>
          ) : (
            <span className="prompt-sub">{t('prompt.noAsking')}</span>
          )}
        </section>
        <section className="prompt-online" data-testid="prompt-online">
          <span className="prompt-label">{t('prompt.online')}</span>
          <strong className="prompt-big">{formatCount(room?.kpis?.onlineNow ?? null, locale)}</strong>
          <Trend />
        </section>
      </div>
    </div>
  );
}

/** The 场控's open messages, largest on the screen, each acknowledged with one tap. */
function Messages({ messages, transport }: { messages: PromptMessage[]; transport: Transport }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="prompt-messages" data-testid="prompt-messages">
      {messages.slice(0, 2).map((m) => (
        <div key={m.id} className="prompt-message" data-testid="prompt-message" data-id={m.id}>
          <span className="prompt-label">{t('prompt.fromOperator')}{m.byName ? ` · ${m.byName}` : ''}</span>
          <strong>{m.text}</strong>
          <button
            className="primary"
            data-testid="prompt-ack"
            onClick={() =>
              void transport.request('ackPrompt', { id: m.id }).then((r) => setError(r.ok ? null : r.error))
            }
          >
            {t('prompt.ack')}
          </button>
        </div>
      ))}
      {error ? <p className="conn-error">{error}</p> : null}
    </section>
  );
}

/** What comes next and why: the engine's switch or top pick, else the run-of-show's next item. */
function nextUp(s: LiveSuggestions | null, plan: RunOfShowLive | null, titleOf: (id: string | null) => string | null, t: Localiser, locale: Locale): { productId: string; title: string; why: string } | null {
  if (s?.switchNow?.toProductId) return { productId: s.switchNow.toProductId, title: s.switchNow.toTitle ?? titleOf(s.switchNow.toProductId) ?? '', why: renderReasons(s.switchNow.reasons, locale, 2) };
  if (s?.top) return { productId: s.top.productId, title: s.top.title, why: renderReasons(s.top.estimate.reasons, locale, 2) };
  const planned = plan?.adherence.nextPlannedProductId ?? null;
  if (planned) return { productId: planned, title: titleOf(planned) ?? planned, why: t('prompt.nextPlan') };
  return null;
}

/** The last minutes' online, as a line: rising or falling is what the host needs, not the axis. */
function Trend() {
  const [rows, setRows] = useState<readonly MinuteRow[]>(series.current);
  useEffect(() => series.subscribe((r) => setRows([...r])), []);
  const points = rows.slice(-TREND_MIN).map((r) => r.onlineEnd ?? r.onlineMax ?? 0);
  if (points.length < 2) return <svg className="prompt-trend" data-testid="prompt-trend" data-points="0" />;
  const max = Math.max(...points, 1);
  const min = Math.min(...points);
  const span = Math.max(max - min, max * 0.05, 1);
  const d = points.map((v, i) => `${((i / (points.length - 1)) * 100).toFixed(1)},${(36 - ((v - min) / span) * 32).toFixed(1)}`).join(' ');
  return (
    <svg className="prompt-trend" data-testid="prompt-trend" data-points={points.length} viewBox="0 0 100 40" preserveAspectRatio="none">
      <polyline points={d} fill="none" strokeWidth="2" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
