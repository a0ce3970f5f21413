/**
 * Which source of a room each kind of figure comes from, and how fresh it is — the badge beside
 * every number. The roles are the rooms' (platforms/registry.ts): a viewer-side stream owns the
 * audience, 抖店 or TikTok Shop the orders, 千川 or GMV Max the ads (千川 the clicks too); a relay or
 * the simulator owns everything.
 */
import { FigureFamilies, type FigureFamily, type FigureOrigin } from '../../../shared/contract.ts';
import type { SourceConnector } from './connector.ts';
import { QianchuanSource } from '../platforms/qianchuan/source.ts';
import { DoudianOrderSource } from '../platforms/doudian/source.ts';
import { MerchantOrderFileSource } from './merchant-orders.ts';
import { TikTokShopOrderSource } from '../platforms/tiktok-shop/source.ts';
import { GmvMaxSource } from '../platforms/gmv-max/source.ts';

/** A relay or the simulator is the origin of everything its room shows. */
export function feedOrigins(source: 'simulator' | 'relay', lastAt: number | null): FigureOrigin[] {
  return FigureFamilies.map((family) => ({ family, source, lastAt, basis: 'stream', everySec: null, varies: false }));
}

/** The origins of one bridge room's figures, from its sources. */
export function bridgeOrigins(sources: readonly SourceConnector[]): FigureOrigin[] {
  const qc = sources.find((s): s is QianchuanSource => s instanceof QianchuanSource);
  const dd = sources.find((s): s is DoudianOrderSource => s instanceof DoudianOrderSource);
  const merchant = sources.find((s) => s instanceof MerchantOrderFileSource);
  const tts = sources.find((s): s is TikTokShopOrderSource => s instanceof TikTokShopOrderSource);
  const gmv = sources.find((s): s is GmvMaxSource => s instanceof GmvMaxSource);
  const viewer = sources.find((s) => s !== qc && s !== dd && s !== merchant && s !== tts && s !== gmv);
  const pick: Record<FigureFamily, SourceConnector | undefined> = {
    viewers: viewer ?? qc,
    orders: dd ?? tts ?? merchant ?? qc ?? viewer,
    clicks: qc ?? (viewer?.state.source === 'replay' ? viewer : undefined),
    ads: qc ?? gmv ?? (viewer?.state.source === 'replay' ? viewer : undefined),
    products: qc ?? viewer,
  };
  const out: FigureOrigin[] = [];
  for (const family of FigureFamilies) {
    const s = pick[family];
    if (!s) continue;
    const st = s.state;
    const origin: FigureOrigin = { family, source: st.source, lastAt: st.lastMessageAt, basis: 'stream', everySec: null, varies: false };
    if (s === qc) {
      origin.basis = 'polled';
      origin.everySec = Math.max(1, Math.round(qc.pollMs / 1000));
      origin.varies = true;
      if (family === 'ads') origin.unit = { ...qc.notes.unit };
      if (family === 'viewers' && qc.notes.flowCheck !== 'unchecked') origin.flowCheck = qc.notes.flowCheck;
    } else if (s === dd) {
      origin.basis = dd.pushes ? 'pushed' : 'polled';
      origin.everySec = Math.max(1, Math.round(dd.reconcileMs / 1000));
    } else if (s === tts) {
      origin.basis = tts.pushes ? 'pushed' : 'polled';
      origin.everySec = Math.max(1, Math.round(tts.reconcileMs / 1000));
      if (tts.currency) origin.currency = tts.currency;
      if (tts.rule) origin.rule = tts.rule;
    } else if (s === gmv) {
      origin.basis = 'polled';
      origin.everySec = Math.max(1, Math.round(gmv.pollMs / 1000));
      if (gmv.currency) origin.currency = gmv.currency;
    }
    out.push(origin);
  }
  return out;
}
