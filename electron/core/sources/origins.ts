/**
 * Which source of a room each kind of figure comes from, and how fresh it is — the badge beside
 * every number. The roles are the rooms' (platforms/registry.ts): a viewer-side stream owns the
 * audience, 抖店 the orders, 千川 the clicks and the ads; a relay or the simulator owns everything.
 */
import { FigureFamilies, type FigureFamily, type FigureOrigin } from '../../../shared/contract.ts';
import type { SourceConnector } from './connector.ts';
import { QianchuanSource } from '../platforms/qianchuan/source.ts';
import { DoudianOrderSource } from '../platforms/doudian/source.ts';
import { MerchantOrderFileSource } from './merchant-orders.ts';

/** A relay or the simulator is the origin of everything its room shows. */
export function feedOrigins(source: 'simulator' | 'relay', lastAt: number | null): FigureOrigin[] {
  return FigureFamilies.map((family) => ({ family, source, lastAt, basis: 'stream', everySec: null, varies: false }));
}

/** The origins of one bridge room's figures, from its sources. */
export function bridgeOrigins(sources: readonly SourceConnector[]): FigureOrigin[] {
  const qc = sources.find((s): s is QianchuanSource => s instanceof QianchuanSource);
  const dd = sources.find((s): s is DoudianOrderSource => s instanceof DoudianOrderSource);
  const merchant = sources.find((s) => s instanceof MerchantOrderFileSource);
  const viewer = sources.find((s) => s !== qc && s !== dd && s !== merchant);
  const pick: Record<FigureFamily, SourceConnector | undefined> = {
    viewers: viewer ?? qc,
    orders: dd ?? merchant ?? qc ?? viewer,
    clicks: qc ?? (viewer?.state.source === 'replay' ? viewer : undefined),
    ads: qc ?? (viewer?.state.source === 'replay' ? viewer : undefined),
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
    }
    out.push(origin);
  }
  return out;
}
