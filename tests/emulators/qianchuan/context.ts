/**
 * What every endpoint handler gets: the world, the request's parameters, the token's grant, the
 * pager (with its duplicate/reorder switches) and the emulator's options. A handler returns the
 * envelope's `data` as an answer tree (ids as bigint) or throws an ApiRefusal.
 */
import type { Grant } from './auth.ts';
import { ApiRefusal, QC } from './codes.ts';
import type { UniStatCostUnit } from './metrics.ts';
import type { Json, Pager, Params } from './params.ts';
import type { Simulation } from './sim.ts';
import type { Advertiser, World } from './state.ts';

export interface WriteRecord {
  /** Emulator time of the write. */
  at: number;
  path: string;
  advertiserId: string | null;
  /** The body as received, read losslessly (big ids as decimal strings). */
  body: Json;
  code: number;
  /** Plans the write changed. */
  succeeded: string[];
  /** Plans it refused, with the platform-style message. */
  failed: { adId: string; message: string }[];
}

export interface Ctx {
  w: World;
  sim: Simulation;
  p: Params;
  grant: Grant;
  pager: Pager;
  appId: string;
  uniStatCostUnit: UniStatCostUnit;
  minBudgetYuan: number;
  /** Name the operation log shows for changes made through the API. */
  apiOperatorName: string;
  /** Filled by write handlers for `writes()`. */
  record?: Pick<WriteRecord, 'succeeded' | 'failed'>;
}

export type Handler = (ctx: Ctx) => Json;

/** `advertiser_id`, which must exist and be covered by the token. */
export function advertiserOf(ctx: Ctx): Advertiser {
  const id = ctx.p.id('advertiser_id');
  const adv = ctx.w.advertisers.get(id);
  if (!adv || !ctx.grant.advertiserIds.includes(id)) throw new ApiRefusal(QC.NO_PERMISSION, `No permission to operate advertiser ${id}`);
  return adv;
}
