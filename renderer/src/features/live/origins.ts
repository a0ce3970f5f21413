/**
 * Where a figure comes from, in words: the badge's short name and the tooltip's lines (source,
 * last update, streamed or polled, "varies until tomorrow", a checked unit). One home for the
 * words, used by the KPI strip and the origins line under it.
 */
import type { FigureFamily, FigureOrigin } from '../../../../shared/contract.ts';
import type { Localiser } from '../../../../shared/i18n/localiser.ts';
import { formatDateTime } from '../../../../shared/format.ts';

type Kind = 'qianchuan' | 'doudian' | 'tiktokShop' | 'gmvMax' | 'viewer' | 'merchant' | 'simulator' | 'relay' | 'replay';

function kindOf(source: string): Kind {
  if (source === 'qianchuan' || source === 'doudian' || source === 'simulator' || source === 'relay' || source === 'replay') return source;
  if (source === 'tiktok-shop') return 'tiktokShop';
  if (source === 'gmv-max') return 'gmvMax';
  if (source === 'merchant-orders') return 'merchant';
  return 'viewer';
}

export function originShort(o: FigureOrigin, t: Localiser): string {
  return t(`origin.short.${kindOf(o.source)}`);
}

/** A polled figure is stale after three missed polls; a stream after a minute of silence. */
export function originStale(o: FigureOrigin, now: number): boolean {
  if (o.lastAt === null) return true;
  const limit = o.everySec ? o.everySec * 3 * 1000 : 60_000;
  return now - o.lastAt > limit;
}

export function originLines(o: FigureOrigin, t: Localiser, now: number): string[] {
  const k = kindOf(o.source);
  const name = k === 'viewer' ? `${t('origin.viewer')} (${o.source})` : k === 'merchant' ? t('origin.merchant') : t(`origin.${k}`);
  const lines = [`${t(`origin.family.${o.family}`)} · ${t('origin.title')}: ${name}`];
  if (o.lastAt === null) lines.push(t('origin.never'));
  else {
    const s = Math.max(0, Math.round((now - o.lastAt) / 1000));
    lines.push(`${t('origin.updated', { time: formatDateTime(o.lastAt, t.locale, { timeStyle: 'medium' }) })} (${t(originStale(o, now) ? 'origin.stale' : 'origin.ago', { s })})`);
  }
  if (o.basis === 'polled' && o.everySec) lines.push(t('origin.polled', { s: o.everySec }));
  if (o.basis === 'pushed' && o.everySec) lines.push(t('origin.pushed', { s: o.everySec }));
  if (o.varies) lines.push(t('origin.varies'));
  if (o.unit) lines.push(t(`origin.unit.${o.unit.basis}`, { unit: t(`origin.unit.${o.unit.unit === 'yuan' ? 'yuan' : 'e5'}`) }));
  if (o.flowCheck) lines.push(t(`origin.flow.${o.flowCheck}`));
  if (o.currency) lines.push(t('origin.currency', { code: o.currency }));
  if (o.rule === 'window+products' || o.rule === 'window') lines.push(t(`origin.rule.${o.rule}`));
  return lines;
}

export function originOf(origins: readonly FigureOrigin[] | undefined, family: FigureFamily): FigureOrigin | null {
  return origins?.find((o) => o.family === family) ?? null;
}
