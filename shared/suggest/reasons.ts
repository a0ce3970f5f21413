/**
 * The engine's structured reasons in plain words (the next-up ranking: "点击率高于场均 40%，已休息 18 分钟，库存充足").
 * Structured in the engine and the decision log, worded only here, so the log reads the same in
 * either language and a retrospective can count reasons.
 */
import { formatMoneyFen, formatRate, type Locale } from '../format.ts';
import { translate, type MessageKey } from '../i18n/messages.ts';
import type { Reason } from './types.ts';

export function renderReason(r: Reason, locale: Locale): string {
  const t = (key: MessageKey, vars: Record<string, string | number> = {}) => fill(translate(locale, key), vars);
  switch (r.code) {
    case 'ctrVsRoom':
      return t(r.pct >= 0 ? 'reason.ctrVsRoom.up' : 'reason.ctrVsRoom.down', { pct: Math.abs(r.pct) });
    case 'cvrVsRoom':
      return t(r.pct >= 0 ? 'reason.cvrVsRoom.up' : 'reason.cvrVsRoom.down', { pct: Math.abs(r.pct) });
    case 'rested':
      return t('reason.rested', { min: r.min });
    case 'stillTired':
      return t('reason.stillTired', { pct: r.freshnessPct });
    case 'untested':
      return t('reason.untested');
    case 'fewData':
      return t('reason.fewData', { clicks: r.clicks });
    case 'exploring':
      return t('reason.exploring', { value: formatMoneyFen(r.valueFenPerMin, locale), upper: formatMoneyFen(r.scoreFenPerMin, locale) });
    case 'stockOk':
      return t('reason.stockOk', { left: r.left });
    case 'stockLow':
      return t('reason.stockLow', { left: r.left });
    case 'soldOut':
      return t('reason.soldOut');
    case 'highTicket':
      return t('reason.highTicket', { aov: formatMoneyFen(r.aovFen, locale) });
    case 'learned':
      return t('reason.learned', { n: r.sessions });
    case 'fading':
      return t('reason.fading', { pct: r.pct });
    case 'explainedMin':
      return t('reason.explainedMin', { min: r.min });
    case 'overRun':
      return t('reason.overRun', { min: r.min });
    case 'betterNext':
      return t('reason.betterNext', { title: r.title, gain: formatMoneyFen(r.gainFenPerMin, locale) });
    case 'onlineFalling':
      return t('reason.onlineFalling', { pct: Math.abs(r.pct) });
    case 'onlineSurging':
      return t('reason.onlineSurging', { pct: r.pct });
    case 'holdsViewers':
      return t('reason.holdsViewers', { pct: signed(r.pct) });
    case 'bestConverter':
      // The board's rate through the board's formatter: the same "6.8%" as its 点击成交转化率 column.
      return r.rate !== undefined && r.orders !== undefined ? t('reason.bestConverter.board', { cvr: formatRate(r.rate), orders: r.orders }) : t('reason.bestConverter', { cvr: r.cvrPct });
    case 'heldTop':
      return t('reason.heldTop', { title: r.title, value: formatMoneyFen(Math.round(r.valueFenPerMin / 100) * 100, locale) });
    case 'triedFirst':
      return t('reason.triedFirst', { title: r.title, value: formatMoneyFen(Math.round(r.valueFenPerMin / 100) * 100, locale), upper: formatMoneyFen(Math.round(r.upperFenPerMin / 100) * 100, locale) });
    default:
      return assertUnknown(r);
  }
}

/** Reasons as one line: "点击率高于场均 40%，已休息 18 分钟，库存充足" / "CTR 40% above …, rested 18 min, stock OK". */
export function renderReasons(reasons: readonly Reason[], locale: Locale, max = reasons.length): string {
  return reasons
    .slice(0, max)
    .map((r) => renderReason(r, locale))
    .join(locale === 'zh-CN' ? '，' : ', ');
}

/** Replaces `{name}` with its value; an unknown placeholder stays visible rather than vanishing. */
export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0';
}

/** A reason code from a newer engine (or an old log row) is shown by its code, never a crash. */
function assertUnknown(r: never): string {
  return String((r as { code?: unknown }).code ?? '');
}
